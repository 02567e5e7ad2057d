"""Cut a time series into supervised (input window, target) pairs."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["make_windows"]


def _positive_int(value, name: str) -> int:
    # bool is an int subclass; True as a window length is a bug, not a 1.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def make_windows(series, window: int, horizon: int = 1, target: int = 0):
    """Slice ``series`` into overlapping input windows and the values that follow them.

    Parameters
    ----------
    series : array-like, shape (time,) or (time, features)
        A numeric series with finite values. It is never modified.
    window : int
        Timesteps per input window (>= 1).
    horizon : int, default 1
        Number of future steps in each target (>= 1).
    target : int, default 0
        Feature column that the targets are taken from. Negative values count from the end,
        as in NumPy indexing.

    Returns
    -------
    X : ndarray, float32, shape (n, window, features)
        ``X[i] == series[i:i + window]``.
    y : ndarray, float32, shape (n, horizon)
        ``y[i] == series[i + window:i + window + horizon, target]``.

    where ``n = time - window - horizon + 1``.

    Raises
    ------
    ValueError
        If ``series`` is empty, not numeric, not 1-D or 2-D, or holds NaN, inf or values
        beyond the float32 range; if ``window`` or ``horizon`` is not a positive integer or
        together they do not fit in the series; or if ``target`` is not a valid feature index.
        The message names the parameter.

    Examples
    --------
    >>> X, y = make_windows([0, 1, 2, 3, 4], window=3)
    >>> X.shape, y.shape
    ((2, 3, 1), (2, 1))
    >>> X[1, :, 0].tolist(), y[1].tolist()
    ([1.0, 2.0, 3.0], [4.0])
    """
    window = _positive_int(window, "window")
    horizon = _positive_int(horizon, "horizon")
    if isinstance(target, bool) or not isinstance(target, numbers.Integral):
        raise ValueError(f"target must be an integer feature index, got {target!r}")

    try:
        arr = np.asarray(series)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"series could not be read as an array: {exc}") from exc
    # Kinds b, i, u, f, c: bool, integers, floats, complex. NumPy counts timedelta64 as a
    # number too, but its float value depends on the unit, so it is refused like datetime64.
    if arr.dtype.kind not in "biufc":
        raise ValueError(f"series must be numeric, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError("series must be real-valued, got complex numbers")
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (time,) or 2-D (time, features), got {arr.ndim}-D shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"series is empty (shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        bad = int(np.flatnonzero((~np.isfinite(arr.reshape(len(arr), -1))).any(axis=1))[0])
        raise ValueError(f"series contains NaN or inf (first at time index {bad})")

    # A private float32 copy: the caller's array is never touched.
    with np.errstate(over="ignore"):
        data = np.array(arr, dtype=np.float32, copy=True)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"series holds values beyond the float32 range (±{np.finfo(np.float32).max:.3g})")
    if data.ndim == 1:
        data = data[:, None]
    time, features = data.shape
    if not -features <= target < features:
        raise ValueError(f"target={target} is out of range for a series with {features} feature(s)")
    if window + horizon > time:
        raise ValueError(
            f"window + horizon = {window} + {horizon} = {window + horizon} exceeds the series "
            f"length {time}: shorten window or horizon"
        )

    n = time - window - horizon + 1
    starts = np.arange(n)[:, None]
    X = data[starts + np.arange(window)]  # (n, window, features)
    y = data[starts + window + np.arange(horizon), target]  # (n, horizon)
    return np.ascontiguousarray(X), np.ascontiguousarray(y)
