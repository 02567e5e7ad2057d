"""Answer checkers for the exercises.

Each ``check_*`` function prints a verdict a reader can act on and returns ``True`` or ``False``.
A wrong answer never raises: ``None``, a wrong type, a wrong shape and wrong values each get a
specific hint ("expected shape (32, 8), got (32, 12, 8): did you take `[:, -1, :]`?").
The solutions in the book call ``assert check_...(...)``, so a stale solution fails CI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, Iterable, Sequence

import numpy as np

__all__ = [
    "check_array",
    "check_last_step",
    "check_backward_final_state",
    "check_shapes",
    "check_lstm_step",
    "check_value",
    "check_mae",
]

PASS = "Correct"
FAIL = "Not yet"


def _say(ok: bool, name: str, message: str) -> bool:
    print(f"{PASS if ok else FAIL}: {name}: {message}")
    return ok


def _as_array(answer):
    """Convert Keras/TensorFlow tensors, lists and NumPy arrays to a NumPy array, or return None."""
    if answer is None or isinstance(answer, (str, bytes, dict, set)):
        return None
    if hasattr(answer, "numpy") and callable(answer.numpy):
        answer = answer.numpy()
    try:
        arr = np.asarray(answer)
    except Exception:
        return None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        return None
    return arr


def check_array(answer, expected, *, name: str = "answer", rtol: float = 1e-5, atol: float = 1e-6,
                shape_hint: Callable[[tuple, tuple], str] | None = None,
                known_mistakes: Iterable[tuple[object, str]] = ()) -> bool:
    """Compare an array answer with the expected array and explain any difference.

    Parameters
    ----------
    answer : array-like or tensor
        What the reader computed.
    expected : array-like
        The right answer.
    name : str
        How the verdict refers to the answer.
    shape_hint : callable, optional
        ``shape_hint(got_shape, expected_shape) -> str`` adds advice to a shape mismatch.
    known_mistakes : iterable of (array, hint)
        Typical wrong answers: if ``answer`` equals one of them, its hint is printed.
    """
    expected_arr = np.asarray(expected)
    if answer is None:
        return _say(False, name, "got None. Did you forget to assign or return your answer?")
    arr = _as_array(answer)
    if arr is None:
        return _say(False, name, f"expected a numeric array of shape {expected_arr.shape}, "
                                 f"got {type(answer).__name__}")
    if arr.shape != expected_arr.shape:
        hint = shape_hint(arr.shape, expected_arr.shape) if shape_hint else ""
        return _say(False, name, f"expected shape {expected_arr.shape}, got {arr.shape}" + (f": {hint}" if hint else ""))
    if not np.all(np.isfinite(arr)):
        return _say(False, name, "contains NaN or inf")
    for mistake, hint in known_mistakes:
        mistake_arr = np.asarray(mistake)
        if mistake_arr.shape == arr.shape and np.allclose(arr, mistake_arr, rtol=rtol, atol=atol) \
                and not np.allclose(mistake_arr, expected_arr, rtol=rtol, atol=atol):
            return _say(False, name, hint)
    if not np.allclose(arr, expected_arr, rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(arr.astype(np.float64) - expected_arr.astype(np.float64))))
        return _say(False, name, f"the shape is right but the values differ (largest difference {worst:.3g})")
    return _say(True, name, f"shape {arr.shape} and values match")


def check_last_step(answer, seq_out, last_out) -> bool:
    """Check that ``answer`` is the last timestep of ``seq_out`` and equals ``last_out``.

    ``seq_out`` is (batch, timesteps, units) from ``return_sequences=True``; ``last_out`` is
    (batch, units) from the same layer weights with ``return_sequences=False``.
    """
    seq = np.asarray(seq_out)
    if seq.ndim != 3:
        raise ValueError(f"seq_out must be 3-D (batch, timesteps, units), got shape {seq.shape}")

    def hint(got, want):
        if got == seq.shape:
            return "that is the whole sequence; did you take `[:, -1, :]`?"
        if got == (seq.shape[0], seq.shape[1]):
            return "you indexed the units axis; the timestep axis is axis 1: `[:, -1, :]`"
        if got == (seq.shape[1], seq.shape[2]):
            return "you indexed the batch axis; the timestep axis is axis 1: `[:, -1, :]`"
        return "the last step has one vector of `units` values per sample"

    return check_array(answer, last_out, name="last step", shape_hint=hint,
                       known_mistakes=[(seq[:, 0, :], "that is the FIRST timestep `[:, 0, :]`; take `[:, -1, :]`")])


def check_backward_final_state(answer, seq_out, backward_h, units: int) -> bool:
    """Check the backward layer's final state, located in a Bidirectional(concat) sequence output."""
    seq = np.asarray(seq_out)
    if seq.ndim != 3 or seq.shape[-1] != 2 * units:
        raise ValueError(f"seq_out must be (batch, timesteps, 2*units={2 * units}), got {seq.shape}")
    mistakes = [
        (seq[:, -1, units:], "that is the backward half at the LAST time index, which the backward layer "
                             "processed first; its final state is at time index 0: `seq[:, 0, units:]`"),
        (seq[:, -1, :units], "that is the FORWARD final state; the backward half is `[..., units:]`"),
        (seq[:, 0, :units], "that is the forward half at time 0; take the second half: `seq[:, 0, units:]`"),
    ]

    def hint(got, want):
        if got == (seq.shape[0], 2 * units):
            return "you kept both directions; the backward half is the last `units` features"
        return "one state vector of `units` values per sample is expected"

    return check_array(answer, backward_h, name="backward final state", shape_hint=hint, known_mistakes=mistakes)


def check_shapes(answer: Sequence, expected: Sequence[tuple]) -> bool:
    """Check a list of shapes (e.g. the output shape of each layer in a stack)."""
    name = "shapes"
    if answer is None:
        return _say(False, name, "got None. Did you forget to build the list?")
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
        return _say(False, name, f"expected a list of {len(expected)} shape tuples, got {type(answer).__name__}")
    if len(answer) != len(expected):
        return _say(False, name, f"expected {len(expected)} shapes (one per layer), got {len(answer)}")
    for i, (got, want) in enumerate(zip(answer, expected)):
        try:
            got_t = tuple(None if d is None else int(d) for d in got)
        except (TypeError, ValueError):
            return _say(False, name, f"item {i} should be a shape tuple like {tuple(want)}, got {got!r}")
        if got_t != tuple(want):
            extra = ""
            if len(got_t) == 2 and len(want) == 3:
                extra = ": a 2-D output here means the layer had return_sequences=False"
            elif len(got_t) == 3 and len(want) == 2:
                extra = ": the last LSTM of a stack usually returns only its final step"
            return _say(False, name, f"layer {i}: expected {tuple(want)}, got {got_t}{extra}")
    return _say(True, name, f"all {len(expected)} shapes match")


def check_lstm_step(h, c, expected_h, expected_c) -> bool:
    """Check one hand-computed LSTM step (h_1, c_1)."""
    eh, ec = np.asarray(expected_h), np.asarray(expected_c)
    h_arr, c_arr = _as_array(h), _as_array(c)
    if h_arr is not None and c_arr is not None and h_arr.shape == ec.shape and c_arr.shape == eh.shape \
            and np.allclose(h_arr, ec, atol=1e-5) and np.allclose(c_arr, eh, atol=1e-5):
        return _say(False, "one LSTM step", "h and c are swapped: h = o * tanh(c), and c = f * c_prev + i * g")
    if h_arr is not None and c_arr is not None and h_arr.shape == eh.shape and np.allclose(c_arr, ec, atol=1e-5) \
            and np.allclose(h_arr, np.tanh(ec), atol=1e-5) and not np.allclose(eh, np.tanh(ec), atol=1e-5):
        return _say(False, "h", "h = o * tanh(c): you left out the output gate o")
    ok_c = check_array(c, ec, name="c (cell state)")
    ok_h = check_array(h, eh, name="h (hidden state = output)")
    return ok_h and ok_c


def check_value(answer, expected: float, *, name: str = "answer", rtol: float = 0.02, unit: str = "") -> bool:
    """Check a single number within a relative tolerance (for example an MAE)."""
    if answer is None:
        return _say(False, name, "got None. Did you forget to assign your result?")
    arr = _as_array(answer)
    if arr is None or arr.size != 1:
        what = type(answer).__name__ if arr is None else f"an array of shape {arr.shape}"
        return _say(False, name, f"expected a single number, got {what}; did you forget to average?")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return _say(False, name, "is NaN or inf")
    if not np.isclose(value, expected, rtol=rtol, atol=0):
        return _say(False, name, f"expected about {expected:.3g}{unit}, got {value:.3g}{unit}")
    return _say(True, name, f"{value:.3g}{unit} matches")


def _mae_verdict(answer, y_true, y_pred, per_step: bool, scale, rtol: float) -> tuple[bool, str]:
    """Compare one MAE answer with the MAE of ``y_pred`` against ``y_true``; return (ok, message)."""
    a, b = _as_array(y_true), _as_array(y_pred)
    if a is None or b is None:
        raise ValueError("y_true and y_pred must be numeric arrays")
    a, b = a.astype(np.float64), b.astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("y_true is empty")
    if per_step:
        if a.ndim == 3 and a.shape[-1] == 1:
            a, b = a[..., 0], b[..., 0]
        if a.ndim != 2:
            raise ValueError(f"per_step needs (samples, steps) arrays, got shape {a.shape}")
    err = b - a
    axis = 0 if per_step else None
    expected = np.mean(np.abs(err), axis=axis)
    mistakes = [
        (np.sqrt(np.mean(err ** 2, axis=axis)), "that is the root-mean-square error; the MAE averages |error|"),
        (np.mean(err, axis=axis), "you averaged the signed errors, which cancel; take np.abs(...) first"),
        (-np.mean(err, axis=axis), "you averaged the signed errors, which cancel; take np.abs(...) first"),
        (np.sum(np.abs(err), axis=axis), "that is the sum of the absolute errors; take the mean"),
    ]
    if scale is not None:
        mistakes.append((expected / float(scale), "that is the MAE in standardised units; unscale the forecasts "
                                                  "and the truth first (values * std + mean)"))

    if answer is None:
        return False, "got None. Did you forget to assign your result?"
    arr = _as_array(answer)
    if arr is None:
        return False, f"expected a number, got {type(answer).__name__}"
    if per_step:
        steps = expected.shape[0]
        if arr.shape != (steps,) and arr.squeeze().shape == (steps,):
            arr = arr.reshape(steps)
        if arr.shape != (steps,):
            hint = ""
            if arr.shape == (a.shape[0],):
                hint = ": that is one value per sample; average over the samples (axis 0) instead"
            elif arr.size == 1:
                hint = ": that is one number; average over axis 0 only, to keep one value per step"
            return False, f"expected one MAE per step, shape ({steps},), got shape {arr.shape}{hint}"
    elif arr.size != 1:
        return False, f"expected a single number, got an array of shape {arr.shape}; did you forget to average?"
    else:
        arr = arr.reshape(())
    if not np.all(np.isfinite(arr)):
        return False, "contains NaN or inf"

    def close(x, y):
        return bool(np.allclose(x, y, rtol=rtol, atol=1e-9))

    if close(arr, expected):
        return True, (f"all {expected.shape[0]} steps match" if per_step else
                      "matches the mean absolute error of these forecasts")
    for mistake, hint in mistakes:
        if close(arr, mistake) and not close(mistake, expected):
            return False, hint
    worst = float(np.max(np.abs(arr - expected) / np.maximum(np.abs(expected), 1e-12)))
    return False, f"not the mean absolute error of these forecasts (off by up to {worst:.0%})"


def check_mae(answer, y_true, y_pred, *, name: str = "MAE", per_step: bool = False, scale=None,
              rtol: float = 1e-4) -> bool:
    """Check a mean absolute error that the reader computed from ``y_true`` and ``y_pred``.

    The reference is computed here, from the arrays the reader was given, so the starter cell
    of an exercise need not spell the answer out, and a correct answer is confirmed without
    printing its value.

    Parameters
    ----------
    answer : number, array, or dict
        One number; with ``per_step=True`` one value per step, shape ``(steps,)``; when
        ``y_pred`` is a dict, a dict with the same keys holding such answers.
    y_true : array-like, shape (samples,) or (samples, steps), optional trailing axis of 1
        The true values, in the units the MAE is wanted in.
    y_pred : array-like of the same shape, or dict {key: array-like}
        One forecast, or several forecasts of the same ``y_true`` (e.g. one per window length).
    per_step : bool
        Average over the samples (axis 0) only, giving one MAE per step (timestep position or
        forecast horizon).
    scale : float, optional
        The standard deviation the data were divided by. An answer equal to the MAE divided by
        ``scale`` (the MAE in standardised units) gets a hint to unscale first.

    Raises
    ------
    ValueError
        If ``y_true`` and a forecast differ in shape, or ``per_step`` is used with 1-D arrays.
    """
    if isinstance(y_pred, Mapping):
        keys = list(y_pred)
        if answer is None:
            return _say(False, name, f"got None. Expected a dict {{key: MAE}} with keys {keys}")
        if not isinstance(answer, Mapping):
            return _say(False, name, f"expected a dict {{key: MAE}} with keys {keys}, got {type(answer).__name__}")
        missing = [k for k in keys if k not in answer]
        extra = [k for k in answer if k not in y_pred]
        if missing or extra:
            what = "missing keys " + str(missing) if missing else "unexpected keys " + str(extra)
            return _say(False, name, f"{what}; expected the keys {keys}")
        for key in keys:
            ok, message = _mae_verdict(answer[key], y_true, y_pred[key], per_step, scale, rtol)
            if not ok:
                return _say(False, name, f"[{key!r}] {message}")
        return _say(True, name, f"all {len(keys)} values match the mean absolute errors of these forecasts")
    ok, message = _mae_verdict(answer, y_true, y_pred, per_step, scale, rtol)
    return _say(ok, name, message)
