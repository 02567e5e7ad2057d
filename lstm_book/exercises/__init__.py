"""Checks for the book's exercises: one function per exercise, one module per chapter.

A starter cell calls one of these with the learner's answer and the objects the notebook
built, for example ``lb.exercises.last_step(last_step_of, seq_out, last_out)``. Each check
prints exactly one verdict line, ``Correct: ...`` or ``Not yet: ...``, and returns a
:class:`lstm_book.checks.Verdict` (truthy if and only if the answer is right; it displays
nothing in a notebook, so no bare ``True`` or ``False`` is echoed). A solution cell writes
``assert lb.exercises.last_step(...)``.

The hints name the mistakes learners really make, and a failed check never prints the
expected values. Where the point of an exercise is *where* a value sits, the answer is a
function of the layer's output, and the check runs it on fresh inputs too.

Modules:

- :mod:`.outputs`: chapter 10, *Exercises: what the layer returns*.
- :mod:`.forecasting`: chapter 11, *Exercises: forecasting with honest baselines*.
- :mod:`.language`: chapter 12, *Which language is this word?*.
- :mod:`.generation`: chapter 13, *Generating words one letter at a time*.

A new exercise chapter adds its module and one ``from .module import *`` line below.
"""

from .outputs import *  # noqa: F401,F403  chapter 10
from .forecasting import *  # noqa: F401,F403  chapter 11
from .language import *  # noqa: F401,F403  chapter 12
from .generation import *  # noqa: F401,F403  chapter 13
