"""Naive forecasts that every model in the book must beat, and the error measure used for them."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["persistence_forecast", "seasonal_naive_forecast", "mae"]


def _windows(X, target) -> np.ndarray:
    arr = np.asarray(X)
    if arr.ndim != 3:
        raise ValueError(f"X must be 3-D (n, window, features), got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"X must be numeric, got dtype {arr.dtype}")
    if isinstance(target, bool) or not isinstance(target, numbers.Integral) or not -arr.shape[2] <= target < arr.shape[2]:
        raise ValueError(f"target={target!r} is not a feature index for X with {arr.shape[2]} feature(s)")
    return arr[:, :, target].astype(np.float64)


def _positive(value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def persistence_forecast(X, horizon: int = 1, target: int = 0) -> np.ndarray:
    """Forecast every future step as the last observed value ("tomorrow = today").

    Parameters
    ----------
    X : array, shape (n, window, features)
    horizon : int
        Number of future steps.
    target : int
        Feature column to forecast.

    Returns
    -------
    ndarray, shape (n, horizon)
    """
    horizon = _positive(horizon, "horizon")
    series = _windows(X, target)
    return np.repeat(series[:, -1:], horizon, axis=1)


def seasonal_naive_forecast(X, period: int, horizon: int = 1, target: int = 0) -> np.ndarray:
    """Forecast each future step as the value one season (``period`` steps) earlier.

    Step ``k`` (0-based) ahead of the window is forecast by the value at window position
    ``window - period + (k % period)``, so the last observed season repeats.

    Raises
    ------
    ValueError
        If ``period`` is not a positive integer no longer than the window.
    """
    period = _positive(period, "period")
    horizon = _positive(horizon, "horizon")
    series = _windows(X, target)
    window = series.shape[1]
    if period > window:
        raise ValueError(f"period={period} is longer than the window ({window}): the last season is not in X")
    idx = window - period + (np.arange(horizon) % period)
    return series[:, idx]


def mae(y_true, y_pred) -> float:
    """Mean absolute error. The two arrays must have the same shape (no silent broadcasting)."""
    a = np.asarray(y_true, dtype=np.float64)
    b = np.asarray(y_pred, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("y_true is empty")
    return float(np.mean(np.abs(a - b)))
