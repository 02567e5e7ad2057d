"""From a committed series to scaled, chronologically split training windows.

Chapter 2 performs these steps one by one in front of the reader; later chapters call
:func:`forecast_dataset`, which does exactly the same.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .data import load_series
from .windows import make_windows

__all__ = ["ForecastData", "chronological_split", "forecast_dataset"]


def chronological_split(n: int, train: float = 0.7, validation: float = 0.15):
    """Return three index slices ``(train, validation, test)`` over ``n`` samples, in time order.

    Nothing is shuffled: every training sample comes before every validation sample, which
    comes before every test sample. Each part gets at least one sample.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 3, or the fractions are not in (0, 1) with
        ``train + validation < 1``. The message names the parameter.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 3:
        raise ValueError(f"n must be an integer >= 3 (one sample per part), got {n!r}")
    for name, frac in (("train", train), ("validation", validation)):
        if isinstance(frac, bool) or not isinstance(frac, numbers.Real) or not 0 < frac < 1:
            raise ValueError(f"{name} must be a fraction in (0, 1), got {frac!r}")
    if train + validation >= 1:
        raise ValueError(f"train + validation must be < 1 to leave a test part, got {train + validation}")
    n_train = min(max(1, int(round(n * train))), n - 2)
    n_val = min(max(1, int(round(n * validation))), n - n_train - 1)
    return slice(0, n_train), slice(n_train, n_train + n_val), slice(n_train + n_val, n)


@dataclass
class ForecastData:
    """Scaled windows of one series, split chronologically. Arrays are float32.

    ``X_*`` have shape (n, window, 1) and ``y_*`` shape (n, horizon), in standardised units;
    ``dates_*`` hold the date of the first target step of each window. Use :meth:`unscale`
    to return to the series' units.
    """

    name: str
    window: int
    horizon: int
    mean: float
    std: float
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    dates_train: np.ndarray
    dates_val: np.ndarray
    dates_test: np.ndarray

    def unscale(self, values):
        """Map standardised values back to the series' units: ``values * std + mean``."""
        return np.asarray(values, dtype=np.float64) * self.std + self.mean


def forecast_dataset(name: str, window: int, horizon: int = 1, train: float = 0.7,
                     validation: float = 0.15, data_dir=None) -> ForecastData:
    """Load ``name``, cut windows, split them in time order, and standardise.

    The mean and standard deviation are computed on the part of the series that the training
    windows can see (inputs and targets), so no validation or test value leaks into the scaling.
    """
    dates, values = load_series(name, data_dir=data_dir)
    X, y = make_windows(values, window=window, horizon=horizon)
    tr, va, te = chronological_split(len(X), train=train, validation=validation)
    seen_by_training = values[: tr.stop - 1 + window + horizon]
    mean, std = float(seen_by_training.mean()), float(seen_by_training.std())
    if std == 0:
        raise ValueError(f"series {name!r} is constant over the training part; cannot standardise")

    def scale(a):
        return ((a - mean) / std).astype(np.float32)

    target_dates = dates[window: window + len(X)]
    return ForecastData(
        name=name, window=window, horizon=horizon, mean=mean, std=std,
        X_train=scale(X[tr]), y_train=scale(y[tr]),
        X_val=scale(X[va]), y_val=scale(y[va]),
        X_test=scale(X[te]), y_test=scale(y[te]),
        dates_train=target_dates[tr], dates_val=target_dates[va], dates_test=target_dates[te],
    )
