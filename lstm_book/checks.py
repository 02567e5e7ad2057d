"""Generic answer checkers, and the :class:`Verdict` every checker returns.

A checker prints exactly one verdict, ``Correct: ...`` or ``Not yet: ...``, and returns a
:class:`Verdict`: truthy if and only if the answer is right. In a notebook the verdict object
itself displays nothing, so a starter cell that ends with a check shows the verdict line and
no bare ``True`` or ``False``; a solution writes ``assert check(...)``, so a stale solution
fails when the notebook is re-executed.

A wrong answer never raises: ``None``, a string, a dict, NaN, a wrong shape or wrong values
each get a verdict that names the problem. A failed verdict never prints the expected values.
Only a wrong *reference* (what the notebook passes in, not what the learner computed) raises
a ``ValueError`` naming the parameter.

Each generic check comes in two forms: ``*_problem(...)`` returns ``None`` or the message
that names what is wrong (so one exercise can combine several answers into one verdict), and
``check_*(...)`` prints that verdict and returns it. The exercise-specific checks, with their
hints for the mistakes learners really make, live in :mod:`lstm_book.exercises`.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "Verdict",
    "reference_array",
    "say",
    "to_array",
    "describe",
    "array_problem",
    "number_problem",
    "mae_problem",
    "function_problem",
    "mae_mistakes",
    "broadcast_mistake",
    "NEGATIVE_MAE",
    "quiet",
    "check_array",
    "check_number",
    "check_mae",
    "check_function",
    "LINE_WIDTH",
]

PASS = "Correct"
FAIL = "Not yet"
ROUNDED = "you rounded it: keep the full value, round only to print it"
HALF = "float16 keeps about 3 digits: compute in float32 or float64"
#: The page width of the book: the verdicts a notebook shows stay within it.
LINE_WIDTH = 79


class Verdict:
    """The outcome of one check: truthy if and only if the answer is right.

    ``message`` is the line the checker printed. In IPython and Jupyter the object displays
    nothing (the line is already printed), so ``check(...)`` at the end of a cell echoes no
    ``True`` or ``False``; elsewhere ``repr`` shows the line.
    """

    __slots__ = ("ok", "message")

    def __init__(self, ok: bool, message: str):
        self.ok = bool(ok)
        self.message = str(message)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"<Verdict {self.message}>"

    __str__ = __repr__

    def _ipython_display_(self) -> None:
        """Display nothing: the checker has already printed the verdict."""


def say(ok: bool, message: str, name: str | None = None) -> Verdict:
    """Print one verdict line (``Correct: name: message``) and return it as a :class:`Verdict`.

    The line is never wrapped: one check, one line. The verdicts a notebook shows (an empty
    starter, a solution) are kept within :data:`LINE_WIDTH` characters.
    """
    line = f"{PASS if ok else FAIL}: " + (f"{name}: " if name else "") + " ".join(
        str(message).split())
    print(line)
    return Verdict(ok, line)


def describe(answer) -> str:
    """A short name for what a learner passed: 'a str', 'an int', 'a list of 3 items'."""
    if isinstance(answer, (list, tuple)):
        return f"a {type(answer).__name__} of {len(answer)} items"
    name = type(answer).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def to_array(answer) -> tuple[np.ndarray | None, str]:
    """Read ``answer`` as a numeric NumPy array: return ``(array, "")`` or ``(None, problem)``.

    NumPy arrays, nested lists and numbers, and concrete Keras or TensorFlow tensors are read
    (tensors through ``keras.ops.convert_to_numpy``). ``problem`` says in a few words why
    anything else cannot be read.
    """
    if answer is None:
        return None, "got None: replace None with your answer"
    if isinstance(answer, (str, bytes)):
        return None, f"got {describe(answer)} ({str(answer)[:20]!r}); expected numbers"
    if isinstance(answer, (Mapping, set)):
        return None, f"got {describe(answer)}; expected an array of numbers"
    if callable(answer) and not hasattr(answer, "__array__"):
        return None, "got a function; expected its result, an array of numbers"
    keras = sys.modules.get("keras")  # never imported here: only if the notebook uses Keras
    if keras is not None:
        if isinstance(answer, getattr(keras, "KerasTensor", ())):
            return None, ("got a symbolic KerasTensor (from keras.Input): call the layer "
                          "or model on data to get numbers")
        try:
            if keras.ops.is_tensor(answer):
                answer = keras.ops.convert_to_numpy(answer)
        except Exception:  # pragma: no cover - a backend that cannot convert it
            pass
    try:
        arr = np.asarray(answer)
    except Exception:
        return None, f"could not read {describe(answer)} as an array of numbers"
    if arr.dtype == bool:
        return None, "got True/False values; expected numbers"
    if arr.dtype.kind in "SU":
        return None, f"got text ({describe(answer)} of strings); expected numbers"
    if arr.dtype.kind not in "iuf":
        return None, f"could not read {describe(answer)} as an array of numbers"
    return arr, ""


def _close(a, b, rtol: float, atol: float) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _matching_hint(arr, mistakes, expected, rtol, atol) -> str | None:
    """The hint of the first known mistake that ``arr`` equals (and the answer does not)."""
    for mistake, hint in mistakes:
        if mistake is None:
            continue
        m = np.asarray(mistake, dtype=np.float64)
        if _close(arr, m, rtol, atol) and not _close(m, expected, rtol, atol):
            return hint
    return None


def array_problem(answer, expected, *, rtol: float = 1e-5, atol: float = 1e-6,
                  shape_hint: Callable[[tuple], str | None] | None = None,
                  known_mistakes: Iterable[tuple[object, str]] = (),
                  show_shape: bool = True) -> str | None:
    """``None`` if ``answer`` equals ``expected`` (within tolerance), otherwise what is wrong.

    Parameters
    ----------
    answer : array-like or tensor
        What the learner computed.
    expected : array-like
        The right answer; its values are never part of the message.
    shape_hint : callable, optional
        ``shape_hint(got_shape) -> str or None``: advice for an answer of the wrong shape.
    known_mistakes : iterable of (array, hint)
        Typical wrong answers; an answer equal to one of them gets its hint.
    show_shape : bool
        Whether a shape mismatch may print the expected shape (False when the shape is
        itself the answer).
    """
    expected_arr = np.asarray(expected, dtype=np.float64)
    arr, problem = to_array(answer)
    if arr is None:
        return problem
    if arr.shape != expected_arr.shape:
        hint = shape_hint(arr.shape) if shape_hint else None
        if hint is None:
            hint = (f"expected shape {expected_arr.shape}, got {arr.shape}" if show_shape
                    else f"shape {arr.shape} is not the expected shape")
        return hint
    if not np.all(np.isfinite(arr)):
        return "contains NaN or inf"
    hint = _matching_hint(arr, known_mistakes, expected_arr, rtol, atol)
    if hint:
        return hint
    if not _close(arr, expected_arr, rtol, atol):
        return _precision_hint(arr, expected_arr) or "the shape is right, but the values are not"
    return None


def _precision_hint(arr, expected) -> str | None:
    """A hint if ``arr`` is ``expected`` rounded to 0-4 decimals, or stored as float16.

    The comparison allows for float32 storage: 0.123 held in float32 is 0.12300000339...
    """
    arr = np.asarray(arr)
    expected = np.asarray(expected, dtype=np.float64)
    if arr.shape != expected.shape or not np.all(np.isfinite(arr)):
        return None
    if arr.dtype == np.float16 and _close(arr, expected, 2e-3, 2e-3):
        return HALF
    for decimals in range(5):
        rounded = np.round(expected, decimals)
        if np.any(rounded != 0) \
                and _close(arr, np.round(arr.astype(np.float64), decimals), 1e-6, 1e-6) \
                and _close(arr, rounded, 1e-6, 1e-6):  # all zeros is not "rounded"
            return ROUNDED
    return None


def check_array(answer, expected, *, name: str = "answer", rtol: float = 1e-5,
                atol: float = 1e-6, shape_hint: Callable[[tuple], str | None] | None = None,
                known_mistakes: Iterable[tuple[object, str]] = (),
                show_shape: bool = True) -> Verdict:
    """Print and return the verdict of :func:`array_problem` for one array answer."""
    problem = array_problem(answer, expected, rtol=rtol, atol=atol, shape_hint=shape_hint,
                            known_mistakes=known_mistakes, show_shape=show_shape)
    return say(problem is None, problem or "shape and values match", name)


def _rounding_hint(value: float, expected: float, rtol: float) -> str | None:
    """A hint if ``value`` is ``expected`` rounded to 0, 1 or 2 decimals (and so not close).

    A rounded value of 0 is not taken for rounding: 0 is a wrong answer of its own.
    """
    for decimals in (0, 1, 2):
        rounded = round(expected, decimals)  # compared loosely: float32 holds 0.1 inexactly
        if (rounded != 0 and np.isclose(value, rounded, rtol=1e-6, atol=1e-6)
                and not np.isclose(value, expected, rtol=rtol, atol=0)):
            return ROUNDED
    return None


def number_problem(answer, expected: float, *, rtol: float = 1e-4,
                   known_mistakes: Iterable[tuple[float, str]] = (),
                   what: str = "the expected value") -> str | None:
    """``None`` if ``answer`` is one number close to ``expected``, otherwise what is wrong.

    The message never contains ``expected``. ``known_mistakes`` are (value, hint) pairs;
    a value rounded to 0, 1 or 2 decimals gets its own hint; anything else gets
    "not <what>".
    """
    arr, problem = to_array(answer)
    if arr is None:
        return (problem.replace("an array of numbers", "a number")
                .replace("expected numbers", "expected a number"))
    if arr.size != 1:
        return (f"expected one number, got an array of shape {arr.shape}: "
                "did you forget to average?")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return "is NaN or inf"
    if np.isclose(value, expected, rtol=rtol, atol=1e-12):
        return None
    for mistake, hint in known_mistakes:
        m = np.asarray(mistake, dtype=np.float64) if mistake is not None else None
        if (m is not None and m.size == 1 and np.isfinite(m).all()
                and np.isclose(value, float(m.reshape(())), rtol=rtol, atol=1e-12)
                and not np.isclose(float(m.reshape(())), expected, rtol=rtol, atol=1e-12)):
            return hint
    hint = _rounding_hint(value, expected, rtol)
    if hint:
        return hint
    return f"not {what}"


def check_number(answer, expected: float, *, name: str = "answer", rtol: float = 1e-4,
                 known_mistakes: Iterable[tuple[float, str]] = (),
                 what: str = "the expected value") -> Verdict:
    """Print and return the verdict of :func:`number_problem`; it never shows ``expected``."""
    problem = number_problem(answer, expected, rtol=rtol, known_mistakes=known_mistakes,
                             what=what)
    return say(problem is None, problem or "matches", name)


def reference_array(values, name: str, ndim: int | None = None) -> np.ndarray:
    """A reference argument (what a notebook passes to a check, never the learner's answer)
    as a float64 array.

    Raises
    ------
    ValueError
        Naming ``name``, if ``values`` is not numeric, is empty, or is not ``ndim``-D.
    """
    arr, problem = to_array(values)
    if arr is None:
        raise ValueError(f"{name} must be a numeric array ({problem})")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    return arr.astype(np.float64)


#: The hint for an MAE below zero.
NEGATIVE_MAE = "an MAE is never negative: the mean of |error|"


def broadcast_mistake(y_true, y_pred) -> tuple[float, str]:
    """The MAE over the (n, n) table that ``(n, 1) - (n,)`` broadcasts to, with its hint."""
    a = np.asarray(y_true, dtype=np.float64)
    n = a.shape[0]
    value = float(np.mean(np.abs(a.reshape(-1, 1) - np.reshape(y_pred, (1, -1)))))
    return value, f"({n}, 1) minus ({n},) broadcasts to a ({n}, {n}) table: give both one shape"


def mae_mistakes(y_true, y_pred, *, axis=None, scale=None) -> list[tuple[object, str]]:
    """The usual slips in computing ``mean(|y_pred - y_true|)``, as (value, hint) pairs.

    RMSE, MSE, the signed mean (either sign), the sum, and for (n,) or (n, 1) arrays the
    mean over the (n, n) table that ``(n, 1) - (n,)`` broadcasts to.

    ``scale`` is the standard deviation the data were divided by: the MAE in standardised
    units (the MAE divided by ``scale``) gets a hint to unscale first.
    """
    err = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    signed = "you averaged the signed errors, which cancel: take the absolute value first"
    mistakes = [
        (np.sqrt(np.mean(err ** 2, axis=axis)),
         "that is the root-mean-square error; the MAE averages |error|"),
        (np.mean(err ** 2, axis=axis),
         "that is the mean squared error; the MAE averages |error|"),
        (np.mean(err, axis=axis), signed),
        (-np.mean(err, axis=axis), signed),
        (np.sum(np.abs(err), axis=axis),
         "that is the sum of the absolute errors: take the mean"),
        (-np.mean(np.abs(err), axis=axis), NEGATIVE_MAE),
    ]
    a = np.asarray(y_true, dtype=np.float64)
    if axis is None and a.ndim and a.size == a.shape[0] > 1:  # (n,) or (n, 1)
        mistakes.append(broadcast_mistake(a, y_pred))
    if scale is not None:
        mistakes.append((np.mean(np.abs(err), axis=axis) / float(scale),
                         "that is the MAE in standardised units: unscale the forecasts "
                         "and the truth first (values * std + mean)"))
    return mistakes


def mae_problem(answer, y_true, y_pred, *, per_step: bool = False, scale=None,
                rtol: float = 1e-4,
                known_mistakes: Iterable[tuple[object, str]] = (),
                what: str = "the mean absolute error of these forecasts") -> str | None:
    """``None`` if ``answer`` is the MAE of ``y_pred`` against ``y_true``, else what is wrong.

    Parameters
    ----------
    answer : number, or with ``per_step=True`` one value per step, shape ``(steps,)``
    y_true, y_pred : array-like of the same shape, (samples,) or (samples, steps), with an
        optional trailing axis of 1. Both in the units the MAE is wanted in.
    per_step : bool
        Average over the samples (axis 0) only: one MAE per step.
    scale : float, optional
        The standard deviation the data were divided by (see :func:`mae_mistakes`).
    known_mistakes : iterable of (value, hint)
        Exercise-specific slips, tried before the generic ones.
    what : str
        How "not <what>" names the expected value when no known slip matches.

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` are not numeric arrays of the same shape, or
        ``per_step`` is used with 1-D arrays.
    """
    a = reference_array(y_true, "y_true")
    b = reference_array(y_pred, "y_pred")
    if a.shape != b.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {a.shape} and "
                         f"{b.shape}")
    if per_step:
        if a.ndim == 3 and a.shape[-1] == 1:
            a, b = a[..., 0], b[..., 0]
        if a.ndim != 2:
            raise ValueError(f"per_step needs (samples, steps) arrays, got shape {a.shape}")
    axis = 0 if per_step else None
    expected = np.mean(np.abs(b - a), axis=axis)
    mistakes = [*known_mistakes, *mae_mistakes(a, b, axis=axis, scale=scale)]
    if not per_step:
        return number_problem(answer, float(expected), rtol=rtol, known_mistakes=mistakes,
                              what=what)

    steps = expected.shape[0]
    arr, problem = to_array(answer)
    if arr is None:
        return problem
    if arr.shape != (steps,) and arr.size == steps and arr.squeeze().shape == (steps,):
        arr = arr.reshape(steps)  # (steps, 1) or (1, steps) is fine

    def shape_hint(got):
        if got == (a.shape[0],):
            return (f"shape {got} is one value per sample: average over the samples "
                    "(axis 0) instead")
        if int(np.prod(got)) == 1:
            return "that is one number: average over axis 0 only, to keep one value per step"
        return None

    return array_problem(arr, expected, rtol=rtol, atol=1e-9, shape_hint=shape_hint,
                         known_mistakes=mistakes)


def check_mae(answer, y_true, y_pred, *, name: str = "MAE", per_step: bool = False,
              scale=None, rtol: float = 1e-4,
              known_mistakes: Iterable[tuple[object, str]] = ()) -> Verdict:
    """Print and return the verdict of :func:`mae_problem` for one MAE answer.

    The reference is computed here, from the arrays the learner was given, so a starter
    cell need not spell the answer out, and no verdict prints its value.
    """
    problem = mae_problem(answer, y_true, y_pred, per_step=per_step, scale=scale, rtol=rtol,
                          known_mistakes=known_mistakes)
    return say(problem is None, problem or "matches", name)


@contextlib.contextmanager
def quiet():
    """Run a learner's code with its prints, warnings and NumPy floating-point notes hidden.

    A check calls the learner's function on inputs of its own, several times; whatever the
    function prints there (a debugging ``print``, ``model.predict``'s progress bar, a
    ``RuntimeWarning``) would bury the one verdict line, so it is dropped.
    """
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _call(fn, args, label):
    """``(result, None)``, or ``(None, problem)`` if the learner's function raised.

    Array arguments are passed as copies, so a function that changes its input in place
    changes neither the check's cases nor the notebook's arrays; what it prints is hidden
    (:func:`quiet`).
    """
    try:
        with quiet():
            return fn(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a
                        for a in args]), None
    except Exception as exc:  # the learner's code may fail in any way: report it
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if len(text) > 60:
            text = text[:57] + "..."
        return None, (f"on {label}, it raised {type(exc).__name__}"
                      + (f": {text}" if text else ""))


def function_problem(fn, cases: Sequence[dict], *, signature: str,
                     rtol: float = 1e-5, atol: float = 1e-6) -> str | None:
    """``None`` if ``fn`` gives the right result on every case, otherwise what is wrong.

    This is how to check "where does the value sit?": ask for a function of the layer's
    output and run it on inputs the learner never saw, so a value copied from elsewhere, or
    an index that fits only one length, fails, while every correct form passes.

    ``fn`` is called once per case, on copies of the arrays, with its prints and warnings
    hidden (:func:`quiet`). A function that returns the same values for the first input
    and for a later one with another answer, or as many rows as for the first input on a
    later batch of another size, is told that it ignores its arguments (it reads the
    notebook's variables instead). A result that is the answer rounded, or kept in
    float16, is told so.

    Parameters
    ----------
    fn : callable
        The learner's function, e.g. ``lambda seq: seq[:, -1, :]``.
    cases : sequence of dict
        Each with ``args`` (a tuple of arguments for ``fn``; arrays are passed as copies),
        ``expected`` (the right result) and ``label`` (how the verdict names this input,
        e.g. "a fresh batch of shape (5, 20, 3)"), and optionally ``mistakes`` (a list of
        (array, hint)), ``shape_hint`` (``got_shape -> str or None``), ``value_hint``
        (``result -> str or None``, asked when a result of the right shape matches no known
        mistake) and ``moved_hint`` (said when the function passed an earlier case but
        fails this one).
    signature : str
        The arguments as the message should show them: ``"seq"``, ``"seq, lengths"``.
    """
    if fn is None:
        return f"got None: write a function of ({signature})"
    if not callable(fn):
        arr, _ = to_array(fn)
        what = describe(fn) if arr is None else "a number" if arr.ndim == 0 else "an array"
        return (f"got {what}; expected a function of ({signature}), "
                f"e.g. lambda {signature}: ...")
    same = ("it returns the same values whatever input it gets: "
            "compute them from its arguments")
    outcomes: dict[int, tuple] = {}

    def outcome(k):
        """(array or None, problem or None, raised?) of fn on case k, computed once."""
        if k not in outcomes:
            case = cases[k]
            result, raised = _call(fn, case["args"], case["label"])
            if raised:
                outcomes[k] = (None, raised, True)
            elif result is None:
                outcomes[k] = (None, "it returned None: did you forget `return`?", False)
            else:
                arr, problem = to_array(result)
                outcomes[k] = (arr, None if arr is not None else
                               f"on {case['label']}, it returned something else than "
                               f"numbers: {problem}", False)
        return outcomes[k]

    def expected_of(k):
        return np.asarray(cases[k]["expected"], dtype=np.float64)

    # A constant function: the same result for the first input and for the first later
    # input whose right answer differs (checked before any verdict on the first input).
    other = next((k for k in range(1, len(cases))
                  if not _close(expected_of(0), expected_of(k), rtol, atol)), None)
    if other is not None and outcome(0)[0] is not None and outcome(other)[0] is not None:
        first, later = outcome(0)[0], outcome(other)[0]
        if first.shape == later.shape and np.array_equal(first, later):
            return same
    results = []
    for k, case in enumerate(cases):
        label = case["label"]
        moved = case.get("moved_hint") if results else None
        arr, problem, raised = outcome(k)
        if problem:
            return f"{moved} ({problem})" if moved and raised else problem
        expected = expected_of(k)
        if any(arr.shape == r.shape and np.array_equal(arr, r)
               and not _close(expected, e, rtol, atol) for r, e in results):
            return same
        if arr.shape != expected.shape:
            hint = case["shape_hint"](arr.shape) if "shape_hint" in case else None
            first = outcome(0)[0]
            if hint is None and k > 0 and first is not None and arr.ndim and first.ndim \
                    and expected.ndim and arr.shape[0] == first.shape[0] \
                    and arr.shape[0] != expected.shape[0]:
                hint = (f"it returns {arr.shape[0]} rows for a batch of "
                        f"{expected.shape[0]}: use its arguments ({signature}), not the "
                        "notebook's variables")
            return f"on {label}: " + (hint or moved
                                      or f"expected shape {expected.shape}, got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            return f"on {label}, the result contains NaN or inf"
        hint = _matching_hint(arr, case.get("mistakes", ()), expected, rtol, atol)
        if hint:
            return f"on {label}: {hint}"
        if not _close(arr, expected, rtol, atol):
            hint = _precision_hint(arr, expected)
            if hint is None and "value_hint" in case:
                hint = case["value_hint"](arr)
            return f"on {label}: " + (hint or moved
                                      or "the shape is right, but the values are not")
        results.append((arr, expected))
    return None


def check_function(fn, cases: Sequence[dict], *, name: str, signature: str,
                   rtol: float = 1e-5, atol: float = 1e-6) -> Verdict:
    """Print and return the verdict of :func:`function_problem`."""
    problem = function_problem(fn, cases, signature=signature, rtol=rtol, atol=atol)
    return say(problem is None, problem or f"right on all {len(cases)} inputs", name)
