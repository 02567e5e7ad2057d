"""What every exercise-check test asks of a verdict, shared by the test modules.

Imported as ``from verdicts import run, hides`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import warnings

from lstm_book.checks import Verdict


def run(capsys, check, *args, **kwargs):
    """Call a check; assert it printed exactly one verdict line; return (verdict, line).

    The line starts with "Correct: " exactly when the verdict is truthy, is the verdict's own
    message, and a "Correct" line fits the page (79 characters), as in the notebooks. Nothing
    else may come out: no stderr, and no warning (one that leaks from a check is raised).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check(*args, **kwargs)
    out, err = capsys.readouterr()
    assert err == "", f"the check wrote to stderr: {err!r}"
    assert isinstance(result, Verdict)
    assert out.count("\n") == 1 and out.endswith("\n"), f"not exactly one line: {out!r}"
    line = out.rstrip("\n")
    assert line.startswith("Correct: " if result else "Not yet: "), line
    assert line == result.message
    assert len(line) <= 79 or not result, line
    return result, line


def hides(line: str, values, formats=("{:.2f}", "{:.3f}", "{:.3g}"), first: int = 6) -> None:
    """Assert that a failing verdict prints none of the expected ``values`` (the first few
    of them, in each of the usual roundings)."""
    import numpy as np

    for value in np.ravel(values)[:first]:
        for fmt in formats:
            text = fmt.format(value)
            assert text not in line, (text, line)
