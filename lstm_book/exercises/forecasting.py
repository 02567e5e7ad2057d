"""Checks for chapter 11, *Exercises: forecasting with honest baselines*.

One function per exercise; every variable an exercise asks for is checked, and the verdict is
one line for all of them. The references are computed here from the arrays the notebook
built, so no starter cell spells an answer out and no verdict prints one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..baselines import mae, persistence_forecast, seasonal_naive_forecast
from ..checks import (NEGATIVE_MAE, Verdict, broadcast_mistake, describe, mae_problem,
                      number_problem, reference_array, say, to_array)

__all__ = ["window_maes", "per_step_maes", "stock_maes"]

_MIXED_UNITS = ("one side is standardised and the other in sunspot numbers: "
                "compare both in sunspot numbers")
_STANDARDISED = "that is in standardised units: unscale first (values * std + mean)"


def _dict_problem(answer, keys, what: str) -> str | None:
    """What is wrong with the keys of a dict answer ``{key: value}``, or None."""
    if answer is None:
        return f"got None: replace None with a dict {{window: {what}}}"
    if not isinstance(answer, Mapping):
        kind = type(answer).__name__
        if isinstance(answer, (list, tuple, np.ndarray)) and len(answer) == len(keys):
            return f"got a {kind}; expected a dict keyed by window length, {{3: ...}}"
        return f"expected a dict {{window: {what}}}, got {describe(answer)}"
    if set(answer) == {str(k) for k in keys}:
        return "the keys are strings such as '3'; use the window lengths as ints: {3: ...}"
    missing = [k for k in keys if k not in answer]
    if missing:
        return f"no value for the window(s) {missing}"
    extra = [k for k in answer if k not in keys]
    if extra:
        return f"unexpected keys {extra}; the keys are the window lengths {list(keys)}"
    return None


def window_maes(mae_by_window, persistence_mae, seasonal_mae, forecasts, data) -> Verdict:
    """Exercise 7: the MAE of each window length and of the two baselines, common years.

    Parameters
    ----------
    mae_by_window : dict {window: MAE}
    persistence_mae, seasonal_mae : numbers
        The learner's answers, in sunspot numbers, on the common test years.
    forecasts : dict {window: array (n, 1)}
        Each model's forecasts for the last ``n`` test years (the common years), in sunspot
        numbers.
    data : dict {window: ForecastData}
        The datasets the models were trained on; the truth and the unscaled input windows of
        the common years are read from their last ``n`` test samples.
    """
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise ValueError("forecasts must be a dict {window: forecasts}")
    if not isinstance(data, Mapping) or set(data) != set(forecasts):
        raise ValueError("data must be a dict {window: ForecastData} with the keys of forecasts")
    windows = list(forecasts)
    preds = {w: reference_array(forecasts[w], f"forecasts[{w}]") for w in windows}
    n = len(preds[windows[0]])
    truth = np.asarray(data[windows[0]].unscale(data[windows[0]].y_test[-n:]))
    inputs = {}
    for w in windows:
        d = data[w]
        if preds[w].shape != truth.shape:
            raise ValueError(f"forecasts[{w}] must have shape {truth.shape}, got {preds[w].shape}")
        if not np.allclose(d.unscale(d.y_test[-n:]), truth, rtol=1e-5, atol=1e-3):
            raise ValueError(f"data[{w}]: its last {n} test targets are not the common years")
        inputs[w] = d.unscale(d.X_test[-n:])
    lstm = {w: mae(truth, preds[w]) for w in windows}
    shortest = min(windows)
    persistence_pred = persistence_forecast(inputs[shortest])
    persistence = mae(truth, persistence_pred)
    long_enough = [w for w in windows if w >= 11]
    if not long_enough:
        raise ValueError("no window of 11 years or more: no seasonal-naive forecast")
    seasonal_pred = seasonal_naive_forecast(inputs[min(long_enough)], period=11)
    seasonal = mae(truth, seasonal_pred)
    lstm_slips = [(lstm[w], f"that is the MAE of the {w}-year LSTM") for w in windows]

    problem = _dict_problem(mae_by_window, windows, "MAE")
    if problem:
        return say(False, problem, "mae_by_window")
    for w in windows:
        others = [(lstm[v], f"that is the MAE of the {v}-year model") for v in windows if v != w]
        d = data[w]
        slips = [*others,
                 (mae(d.y_test[-n:], preds[w]), _MIXED_UNITS),
                 (lstm[w] / d.std, _STANDARDISED),
                 (persistence, "that is the persistence MAE")]
        problem = mae_problem(mae_by_window[w], truth, preds[w], known_mistakes=slips)
        if problem:
            return say(False, problem, f"mae_by_window[{w}]")

    def baseline_slips(forecast, **kwargs):
        """The same baseline computed in the wrong units or on the wrong years."""
        slips = []
        for w in windows:
            d = data[w]
            if kwargs.get("period", 1) > w:
                continue
            scaled_pred = forecast(d.X_test[-n:], **kwargs)
            slips.append((mae(truth, scaled_pred), _MIXED_UNITS))
            slips.append((mae(d.y_test[-n:], scaled_pred), _STANDARDISED))
            if len(d.y_test) != n:
                full = mae(d.unscale(d.y_test), d.unscale(forecast(d.X_test, **kwargs)))
                slips.append((full, f"that is scored on all {len(d.y_test)} test years of "
                                    f"window {w}; use the {n} common years"))
        return slips

    def shifted(lag, function):
        """The baseline made by shifting ``truth`` itself: scored on n - lag years only."""
        return (mae(truth[lag:], truth[:-lag]),
                f"truth shifted by {lag} covers {n - lag} of the {n} years: use "
                f"lb.{function}")

    slips = [*baseline_slips(persistence_forecast), (seasonal, "that is the seasonal-naive MAE"),
             *lstm_slips, broadcast_mistake(truth, persistence_pred),
             shifted(1, "persistence_forecast"), (-persistence, NEGATIVE_MAE)]
    problem = number_problem(persistence_mae, persistence, known_mistakes=slips,
                             what="the persistence MAE on the common years")
    if problem:
        return say(False, problem, "persistence_mae")

    slips = [*baseline_slips(seasonal_naive_forecast, period=11),
             (persistence, "that is the persistence MAE"),
             *lstm_slips, broadcast_mistake(truth, seasonal_pred), (-seasonal, NEGATIVE_MAE)]
    if n > 11:
        slips.append(shifted(11, "seasonal_naive_forecast"))
    for period in range(2, max(windows) + 1):
        if period != 11:
            w = min([v for v in windows if v >= period], default=None)
            if w is not None:
                value = mae(truth, seasonal_naive_forecast(inputs[w], period=period))
                slips.append((value, f"that is a seasonal-naive forecast with period {period}; "
                                     "the solar cycle is 11 years"))
    problem = number_problem(seasonal_mae, seasonal, known_mistakes=slips,
                             what="the seasonal-naive MAE on the common years")
    if problem:
        return say(False, problem, "seasonal_mae")
    return say(True, "mae_by_window, persistence_mae and seasonal_mae all match")


def per_step_maes(mae_per_step, many_to_one_mae, persistence_mae_12, pred_seq_scaled,
                  many_to_one_pred, d) -> Verdict:
    """Exercise 8: the many-to-many MAE per position, and two MAEs for the last position.

    Parameters
    ----------
    mae_per_step : array (timesteps,)
    many_to_one_mae, persistence_mae_12 : numbers
        The learner's answers, in sunspot numbers, on the test windows of ``d``.
    pred_seq_scaled : array (windows, timesteps, 1) or (windows, timesteps)
        The many-to-many forecasts, in standardised units.
    many_to_one_pred : array (windows, 1)
        The many-to-one model's forecasts of the year after each window, in sunspot numbers.
    d : ForecastData
        The dataset (one-step targets) the models were tested on.
    """
    if getattr(d, "horizon", None) != 1:
        raise ValueError("d must be the ForecastData of one-step-ahead windows")
    pred_scaled = reference_array(pred_seq_scaled, "pred_seq_scaled")
    if pred_scaled.ndim == 3 and pred_scaled.shape[-1] == 1:
        pred_scaled = pred_scaled[..., 0]
    X = np.asarray(d.X_test, dtype=np.float64)[..., 0]
    if pred_scaled.shape != X.shape:
        raise ValueError(f"pred_seq_scaled must be (windows, timesteps, 1) = "
                         f"({X.shape[0]}, {X.shape[1]}, 1), got {np.shape(pred_seq_scaled)}")
    m2o = reference_array(many_to_one_pred, "many_to_one_pred").reshape(-1, 1)
    if m2o.shape != (X.shape[0], 1):
        raise ValueError(f"many_to_one_pred must be ({X.shape[0]}, 1), got {m2o.shape}")
    truth_scaled = np.concatenate([X[:, 1:], np.asarray(d.y_test, dtype=np.float64)], axis=1)
    truth = d.unscale(truth_scaled)  # the year after each position, sunspot number
    pred = d.unscale(pred_scaled)
    last = truth[:, -1:]

    def per_position(forecast, target=truth):
        return np.mean(np.abs(forecast - target), axis=0)

    slips = [
        (per_position(pred_scaled), "pred_seq_scaled is in standardised units: unscale it "
                                    "first (d.unscale)"),
        (per_position(pred_scaled * d.std), "you multiplied by d.std but did not add d.mean: "
                                            "values * std + mean"),
        (per_position((pred_scaled - d.mean) / d.std), "that standardises again; unscaling is "
                                                       "values * std + mean"),
        (per_position(pred, d.unscale(X)), "that compares each forecast with its own input; "
                                           "the target is the next year (truth_seq)"),
    ]
    problem = mae_problem(mae_per_step, truth, pred, per_step=True, scale=d.std,
                          known_mistakes=slips)
    if problem:
        return say(False, problem, "mae_per_step")

    windows = len(last)

    def fewer_windows(forecast):
        """The same MAE on the last k windows only (e.g. the common years of exercise 1)."""
        return [(mae(last[-k:], forecast[-k:]),
                 f"that uses the last {k} of the {windows} windows (exercise 1's years?): "
                 f"use all {windows}")
                for k in range(windows // 2, windows)]

    m2o_expected = mae(last, m2o)
    slips = [
        (float(per_position(pred)[-1]), "that is the many-to-many model's last position; "
                                        "use many_to_one_pred"),
        (mae(truth_scaled[:, -1:], m2o), _MIXED_UNITS),
        (float(np.mean(np.abs(m2o - truth))), "that compares the forecast with all positions; "
                                              "its target is the last column of truth_seq"),
        *fewer_windows(m2o),
    ]
    problem = mae_problem(many_to_one_mae, last, m2o, scale=d.std, known_mistakes=slips,
                          what="the MAE of many_to_one_pred on these windows")
    if problem:
        return say(False, problem, "many_to_one_mae")

    persist_scaled = persistence_forecast(d.X_test)
    persist = d.unscale(persist_scaled)
    slips = [
        (mae(last, persist_scaled), "the persistence forecasts are in standardised units: "
                                    "unscale them (d.unscale)"),
        (mae(last, persist_scaled * d.std), "you multiplied by d.std but did not add d.mean: "
                                            "values * std + mean"),
        (m2o_expected, "that is the many-to-one MAE"),
        (mae(truth, d.unscale(X)), "that averages persistence over all 12 positions; the year "
                                   "after each window is the last column of truth_seq"),
        *fewer_windows(persist),
    ]
    problem = mae_problem(persistence_mae_12, last, persist, scale=d.std,
                          known_mistakes=slips,
                          what="the persistence MAE for the year after each window")
    if problem:
        return say(False, problem, "persistence_mae_12")
    return say(True, "mae_per_step, many_to_one_mae and persistence_mae_12 all match")


def stock_maes(mae_lstm, mae_persistence, price_true, price_lstm, price_last) -> Verdict:
    """Exercise 9: the test MAE of the LSTM and of persistence on a price, in US dollars.

    The full values are expected: a value rounded to whole dollars (or cents) gets a hint to
    round only when printing. Errors in log returns or in per cent get their own hints.
    """
    true = reference_array(price_true, "price_true")
    lstm = reference_array(price_lstm, "price_lstm")
    last = reference_array(price_last, "price_last")
    if not (true.shape == lstm.shape == last.shape) or true.ndim != 1:
        raise ValueError("price_true, price_lstm and price_last must be 1-D arrays of the "
                         f"same length, got {true.shape}, {lstm.shape} and {last.shape}")
    if np.any(true <= 0) or np.any(lstm <= 0) or np.any(last <= 0):
        raise ValueError("prices must be positive")
    maes = {"mae_lstm": mae(true, lstm), "mae_persistence": mae(true, last)}

    def unit_slips(pred):
        err = np.abs(pred - true)
        return [
            (float(np.mean(np.abs(np.log(pred / true)))),
             "that is an error in log returns; the MAE asked for is in US dollars"),
            (float(np.mean(err / true)), "that is a relative error; the MAE asked for "
                                         "is in US dollars"),
            (float(np.mean(err / true) * 100), "that is a percentage error; the MAE asked "
                                               "for is in US dollars"),
            (float(np.mean(err / last)), "that is a relative error; the MAE asked for is "
                                         "in US dollars"),
            (float(np.mean(err / last) * 100), "that is a percentage error; the MAE asked "
                                               "for is in US dollars"),
            (float(np.mean(err / pred)), "that is a relative error; the MAE asked for is in "
                                         "US dollars"),
            (float(np.mean(err / pred) * 100), "that is a percentage error; the MAE asked "
                                               "for is in US dollars"),
            (mae(lstm, last), "that compares the two forecasts; compare each with price_true"),
        ]

    for name, pred, other, other_name in (("mae_lstm", lstm, "mae_persistence", "persistence"),
                                          ("mae_persistence", last, "mae_lstm", "LSTM")):
        slips = [(maes[other], f"that is the {other_name} MAE"), *unit_slips(pred)]
        if name == "mae_persistence" and len(true) > 2:
            slips.append((mae(true[1:], true[:-1]),
                          f"price_true shifted by one covers {len(true) - 1} of the "
                          f"{len(true)} months: persistence is price_last"))
        problem = mae_problem(mae_lstm if name == "mae_lstm" else mae_persistence, true, pred,
                              known_mistakes=slips)
        if problem:
            return say(False, problem, name)
    return say(True, "mae_lstm and mae_persistence match, in US dollars")
