"""Chapter 11's checks, played as a learner: every variable is checked, every slip named.

The fixtures are the chapter's own datasets (``lb.forecast_dataset``, fast) with synthetic
forecasts in place of trained models, and a few made-up prices for the stock exercise.
"""

from __future__ import annotations

import numpy as np
import pytest

import lstm_book as lb
from lstm_book import exercises
from verdicts import run, hides

# An MAE is printed with one or two decimals: neither may appear in a failing verdict.
MAE_FORMATS = ("{:.1f}", "{:.2f}")

WINDOWS = (3, 12, 24)






# --- Exercise 7: window_maes -----------------------------------------------------------------

@pytest.fixture(scope="module")
def ex7():
    data = {w: lb.forecast_dataset("sunspots_yearly", window=w) for w in WINDOWS}
    n = min(len(d.y_test) for d in data.values())
    truth = data[24].unscale(data[24].y_test[-n:])
    rng = np.random.default_rng(7)
    forecasts = {w: truth + rng.normal(0, 8 + w / 2, truth.shape) for w in WINDOWS}
    inputs = {w: data[w].unscale(data[w].X_test[-n:]) for w in WINDOWS}
    right = dict(
        mae_by_window={w: lb.mae(truth, forecasts[w]) for w in WINDOWS},
        persistence_mae=lb.mae(truth, lb.persistence_forecast(inputs[3])),
        seasonal_mae=lb.mae(truth, lb.seasonal_naive_forecast(inputs[12], period=11)))
    return dict(data=data, n=n, truth=truth, forecasts=forecasts, inputs=inputs, right=right)


def window_verdict(capsys, ex7, **answers):
    given = {**ex7["right"], **answers}
    return run(capsys, exercises.window_maes, given["mae_by_window"], given["persistence_mae"],
               given["seasonal_mae"], ex7["forecasts"], ex7["data"])


def test_window_maes_right_answers(capsys, ex7):
    right = ex7["right"]
    forms = [right,
             dict(mae_by_window={w: np.float32(v) for w, v in right["mae_by_window"].items()},
                  persistence_mae=np.array(right["persistence_mae"]),
                  seasonal_mae=np.array([right["seasonal_mae"]])),
             dict(mae_by_window={w: right["mae_by_window"][w] for w in (24, 3, 12)},
                  seasonal_mae=lb.mae(ex7["truth"], lb.seasonal_naive_forecast(
                      ex7["inputs"][24], period=11)),
                  persistence_mae=lb.mae(ex7["truth"], lb.persistence_forecast(
                      ex7["inputs"][24])))]
    for answers in forms:
        result, line = window_verdict(capsys, ex7, **answers)
        assert result and line == ("Correct: mae_by_window, persistence_mae and seasonal_mae "
                                   "all match")


def slips_for_mae_by_window(ex7):
    data, n, truth, forecasts = ex7["data"], ex7["n"], ex7["truth"], ex7["forecasts"]
    right = ex7["right"]["mae_by_window"]
    return [
        (None, "mae_by_window: got None: replace None with a dict {window: MAE}"),
        ([right[w] for w in WINDOWS], "got a list; expected a dict keyed by window length"),
        (right[3], "expected a dict {window: MAE}, got a float"),
        ("13.0", "expected a dict {window: MAE}, got a str"),
        ({str(w): v for w, v in right.items()}, "the keys are strings such as '3'"),
        ({3: right[3], 12: right[12]}, "no value for the window(s) [24]"),
        ({**right, 6: 1.0}, "unexpected keys [6]"),
        ({3: right[12], 12: right[3], 24: right[24]},
         "mae_by_window[3]: that is the MAE of the 12-year model"),
        ({**right, 12: lb.mae(data[12].y_test[-n:], forecasts[12])},
         "mae_by_window[12]: one side is standardised"),
        ({**right, 24: right[24] / data[24].std}, "mae_by_window[24]: that is in standardised"),
        ({**right, 3: float(np.sqrt(np.mean((forecasts[3] - truth) ** 2)))},
         "root-mean-square"),
        ({**right, 3: float(np.mean(forecasts[3] - truth))}, "signed errors"),
        ({**right, 3: round(right[3])}, "you rounded it"),
        ({**right, 3: ex7["right"]["persistence_mae"]}, "that is the persistence MAE"),
        ({**right, 3: np.abs(forecasts[3] - truth)}, "expected one number"),
        ({**right, 3: None}, "mae_by_window[3]: got None"),
        ({**right, 3: float("nan")}, "NaN"),
        ({**right, 3: "14.3"}, "expected a number"),
        ({**right, 3: 0.0}, "not the mean absolute error of these forecasts"),
    ]


@pytest.mark.parametrize("case", range(19))
def test_window_maes_wrong_mae_by_window(capsys, ex7, case):
    answer, text = slips_for_mae_by_window(ex7)[case]
    result, line = window_verdict(capsys, ex7, mae_by_window=answer)
    assert not result and text in line, line
    hides(line, list(ex7["right"]["mae_by_window"].values()), MAE_FORMATS)


def slips_for_baselines(ex7):
    data, n, truth, inputs = ex7["data"], ex7["n"], ex7["truth"], ex7["inputs"]
    right = ex7["right"]
    d3, d12 = data[3], data[12]
    return [
        ("persistence_mae", None, "persistence_mae: got None"),
        ("persistence_mae", 0.0, "not the persistence MAE on the common years"),
        ("persistence_mae", "23", "expected a number"),
        ("persistence_mae", right["seasonal_mae"], "that is the seasonal-naive MAE"),
        ("persistence_mae", right["mae_by_window"][12], "that is the MAE of the 12-year LSTM"),
        ("persistence_mae", lb.mae(truth, lb.persistence_forecast(d3.X_test[-n:])),
         "one side is standardised"),
        ("persistence_mae", lb.mae(d3.y_test[-n:], lb.persistence_forecast(d3.X_test[-n:])),
         "that is in standardised units"),
        ("persistence_mae", lb.mae(d3.unscale(d3.y_test),
                                   d3.unscale(lb.persistence_forecast(d3.X_test))),
         f"that is scored on all {len(d3.y_test)} test years of window 3; use the {n}"),
        ("persistence_mae", round(right["persistence_mae"], 1), "you rounded it"),
        ("seasonal_mae", None, "seasonal_mae: got None"),
        ("seasonal_mae", 0.0, "not the seasonal-naive MAE on the common years"),
        ("seasonal_mae", right["persistence_mae"], "that is the persistence MAE"),
        ("seasonal_mae", lb.mae(truth, lb.seasonal_naive_forecast(inputs[12], period=12)),
         "with period 12; the solar cycle is 11 years"),
        ("seasonal_mae", lb.mae(truth, lb.seasonal_naive_forecast(inputs[24], period=22)),
         "with period 22"),
        ("seasonal_mae", lb.mae(truth, lb.seasonal_naive_forecast(d12.X_test[-n:], period=11)),
         "one side is standardised"),
        ("seasonal_mae", lb.mae(d12.unscale(d12.y_test),
                                d12.unscale(lb.seasonal_naive_forecast(d12.X_test, 11))),
         "test years of window 12"),
        ("seasonal_mae", np.array([1.0, 2.0]), "expected one number"),
        ("seasonal_mae", {"mae": 1.0}, "got a dict"),
    ]


@pytest.mark.parametrize("case", range(18))
def test_window_maes_wrong_baselines(capsys, ex7, case):
    name, answer, text = slips_for_baselines(ex7)[case]
    result, line = window_verdict(capsys, ex7, **{name: answer})
    assert not result and line.startswith(f"Not yet: {name}: ") and text in line, line
    hides(line, ex7["right"][name], MAE_FORMATS)


def test_window_maes_rejects_bad_references(ex7):
    right = ex7["right"]
    args = (right["mae_by_window"], right["persistence_mae"], right["seasonal_mae"])
    with pytest.raises(ValueError, match="forecasts must be a dict"):
        exercises.window_maes(*args, [], ex7["data"])
    with pytest.raises(ValueError, match="data must be a dict"):
        exercises.window_maes(*args, ex7["forecasts"], {3: ex7["data"][3]})
    uneven = {**ex7["forecasts"], 3: ex7["forecasts"][3][1:]}
    with pytest.raises(ValueError, match=r"forecasts\[12\] must have shape"):
        exercises.window_maes(*args, uneven, ex7["data"])
    other = {**ex7["data"], 12: lb.forecast_dataset("sunspots_monthly", window=12)}
    with pytest.raises(ValueError, match="not the common years"):
        exercises.window_maes(*args, ex7["forecasts"], other)


# --- Exercise 8: per_step_maes ---------------------------------------------------------------

@pytest.fixture(scope="module")
def ex8():
    d = lb.forecast_dataset("sunspots_yearly", window=12)
    rng = np.random.default_rng(8)
    next_year = np.concatenate([d.X_test[:, 1:, 0], d.y_test], axis=1)
    pred_scaled = (next_year + rng.normal(0, 0.3, next_year.shape))[..., None]
    pred_scaled = pred_scaled.astype(np.float32)
    m2o = d.unscale(d.y_test + rng.normal(0, 0.2, d.y_test.shape))
    truth_seq = d.unscale(next_year)
    pred = d.unscale(pred_scaled[..., 0])
    y_last = truth_seq[:, -1:]
    right = dict(mae_per_step=np.mean(np.abs(pred - truth_seq), axis=0),
                 many_to_one_mae=lb.mae(y_last, m2o),
                 persistence_mae_12=lb.mae(y_last, d.unscale(lb.persistence_forecast(d.X_test))))
    return dict(d=d, pred_scaled=pred_scaled, m2o=m2o, truth_seq=truth_seq, pred=pred,
                right=right)


def per_step_verdict(capsys, ex8, **answers):
    given = {**ex8["right"], **answers}
    return run(capsys, exercises.per_step_maes, given["mae_per_step"],
               given["many_to_one_mae"], given["persistence_mae_12"], ex8["pred_scaled"],
               ex8["m2o"], ex8["d"])


def test_per_step_maes_right_answers(capsys, ex8):
    right = ex8["right"]
    forms = [right, dict(mae_per_step=right["mae_per_step"][:, None].tolist(),
                         many_to_one_mae=np.float32(right["many_to_one_mae"])),
             dict(mae_per_step=right["mae_per_step"].astype(np.float32))]
    for answers in forms:
        result, line = per_step_verdict(capsys, ex8, **answers)
        assert result and line == ("Correct: mae_per_step, many_to_one_mae and "
                                   "persistence_mae_12 all match")


def slips_for_per_step(ex8):
    d, truth, pred, scaled = ex8["d"], ex8["truth_seq"], ex8["pred"], ex8["pred_scaled"][..., 0]
    right = ex8["right"]
    y_last = truth[:, -1:]
    persist_scaled = lb.persistence_forecast(d.X_test)
    return [
        ("mae_per_step", None, "mae_per_step: got None"),
        ("mae_per_step", np.mean(np.abs(scaled - truth), axis=0),
         "pred_seq_scaled is in standardised units: unscale it first"),
        ("mae_per_step", np.mean(np.abs(scaled * d.std - truth), axis=0),
         "you multiplied by d.std but did not add d.mean"),
        ("mae_per_step", np.mean(np.abs((scaled - d.mean) / d.std - truth), axis=0),
         "that standardises again"),
        ("mae_per_step", right["mae_per_step"] / d.std, "MAE in standardised units"),
        ("mae_per_step", np.mean(np.abs(pred - truth), axis=1), "one value per sample"),
        ("mae_per_step", float(np.mean(np.abs(pred - truth))), "that is one number"),
        ("mae_per_step", np.mean(np.abs(pred - d.unscale(d.X_test[..., 0])), axis=0),
         "compares each forecast with its own input"),
        ("mae_per_step", np.sqrt(np.mean((pred - truth) ** 2, axis=0)), "root-mean-square"),
        ("mae_per_step", right["mae_per_step"][::-1], "the values are not"),
        ("mae_per_step", "[29.4, 23.5]", "got a str"),
        ("mae_per_step", np.full(12, np.nan), "NaN"),
        ("many_to_one_mae", None, "many_to_one_mae: got None"),
        ("many_to_one_mae", float(right["mae_per_step"][-1]),
         "that is the many-to-many model's last position"),
        ("many_to_one_mae", lb.mae(d.y_test, ex8["m2o"]), "one side is standardised"),
        ("many_to_one_mae", float(np.mean(np.abs(ex8["m2o"] - truth))),
         "compares the forecast with all positions"),
        ("many_to_one_mae", right["many_to_one_mae"] / d.std, "standardised units"),
        ("many_to_one_mae", np.abs(ex8["m2o"] - y_last), "expected one number"),
        ("persistence_mae_12", None, "persistence_mae_12: got None"),
        ("persistence_mae_12", lb.mae(y_last, persist_scaled),
         "the persistence forecasts are in standardised units"),
        ("persistence_mae_12", lb.mae(y_last, persist_scaled * d.std),
         "you multiplied by d.std but did not add d.mean"),
        ("persistence_mae_12", right["many_to_one_mae"], "that is the many-to-one MAE"),
        ("persistence_mae_12", right["persistence_mae_12"] / d.std, "standardised units"),
        ("persistence_mae_12", 0.0, "not the persistence MAE for the year after each window"),
    ]


@pytest.mark.parametrize("case", range(24))
def test_per_step_maes_wrong_answers(capsys, ex8, case):
    name, answer, text = slips_for_per_step(ex8)[case]
    result, line = per_step_verdict(capsys, ex8, **{name: answer})
    assert not result and line.startswith(f"Not yet: {name}: ") and text in line, line
    hides(line, np.ravel(ex8["right"][name])[:4], MAE_FORMATS)


def test_per_step_maes_rejects_bad_references(ex8):
    right = ex8["right"]
    args = (right["mae_per_step"], right["many_to_one_mae"], right["persistence_mae_12"])
    with pytest.raises(ValueError, match="pred_seq_scaled must be"):
        exercises.per_step_maes(*args, ex8["pred_scaled"][:, :6], ex8["m2o"], ex8["d"])
    with pytest.raises(ValueError, match="many_to_one_pred must be"):
        exercises.per_step_maes(*args, ex8["pred_scaled"], ex8["m2o"][:5], ex8["d"])
    with pytest.raises(ValueError, match="one-step-ahead"):
        exercises.per_step_maes(*args, ex8["pred_scaled"], ex8["m2o"], object())


# --- Exercise 9: stock_maes ------------------------------------------------------------------

@pytest.fixture(scope="module")
def ex9():
    rng = np.random.default_rng(9)
    prices = 100 * np.exp(np.cumsum(rng.normal(0.01, 0.08, 18)))
    price_last, price_true = prices[:-1], prices[1:]
    price_lstm = price_last * np.exp(rng.normal(0.0, 0.15, 17))
    right = dict(mae_lstm=lb.mae(price_true, price_lstm),
                 mae_persistence=lb.mae(price_true, price_last))
    return dict(true=price_true, lstm=price_lstm, last=price_last, right=right)


def stock_verdict(capsys, ex9, **answers):
    given = {**ex9["right"], **answers}
    return run(capsys, exercises.stock_maes, given["mae_lstm"], given["mae_persistence"],
               ex9["true"], ex9["lstm"], ex9["last"])


def test_stock_maes_right_answers(capsys, ex9):
    right = ex9["right"]
    for answers in (right, dict(mae_lstm=np.float32(right["mae_lstm"])),
                    dict(mae_persistence=float(np.mean(np.abs(ex9["last"] - ex9["true"]))))):
        result, line = stock_verdict(capsys, ex9, **answers)
        assert result and line == "Correct: mae_lstm and mae_persistence match, in US dollars"


def slips_for_stock(ex9):
    true, lstm, last, right = ex9["true"], ex9["lstm"], ex9["last"], ex9["right"]
    return [
        ("mae_lstm", None, "mae_lstm: got None"),
        ("mae_lstm", round(right["mae_lstm"]), "you rounded it"),
        ("mae_lstm", round(right["mae_lstm"], 2), "you rounded it"),
        ("mae_lstm", float(np.mean(np.abs(np.log(lstm / true)))), "error in log returns"),
        ("mae_lstm", float(np.mean(np.abs(lstm - true) / true) * 100), "a percentage error"),
        ("mae_lstm", float(np.mean(np.abs(lstm - true) / true)), "a relative error"),
        ("mae_lstm", right["mae_persistence"], "that is the persistence MAE"),
        ("mae_lstm", lb.mae(lstm, last), "that compares the two forecasts"),
        ("mae_lstm", float(np.sqrt(np.mean((lstm - true) ** 2))), "root-mean-square"),
        ("mae_lstm", float(np.sum(np.abs(lstm - true))), "sum of the absolute errors"),
        ("mae_lstm", np.abs(lstm - true), "expected one number"),
        ("mae_lstm", "30 USD", "got a str"),
        ("mae_persistence", None, "mae_persistence: got None"),
        ("mae_persistence", round(right["mae_persistence"]), "you rounded it"),
        ("mae_persistence", float(np.mean(np.abs(np.log(last / true)))),
         "error in log returns"),
        ("mae_persistence", float(np.mean(np.abs(last - true) / true) * 100),
         "a percentage error"),
        ("mae_persistence", right["mae_lstm"], "that is the LSTM MAE"),
        ("mae_persistence", float(np.mean(last - true)), "signed errors"),
        ("mae_persistence", float("inf"), "NaN or inf"),
    ]


@pytest.mark.parametrize("case", range(19))
def test_stock_maes_wrong_answers(capsys, ex9, case):
    name, answer, text = slips_for_stock(ex9)[case]
    result, line = stock_verdict(capsys, ex9, **{name: answer})
    assert not result and line.startswith(f"Not yet: {name}: ") and text in line, line
    hides(line, ex9["right"][name], MAE_FORMATS)


def test_stock_maes_rejects_bad_references(ex9):
    right = ex9["right"]
    with pytest.raises(ValueError, match="same length"):
        exercises.stock_maes(right["mae_lstm"], right["mae_persistence"], ex9["true"][1:],
                             ex9["lstm"], ex9["last"])
    with pytest.raises(ValueError, match="positive"):
        exercises.stock_maes(right["mae_lstm"], right["mae_persistence"], -ex9["true"],
                             ex9["lstm"], ex9["last"])


# --- More learner answers, tried in a kernel after "Run All" ---------------------------------

def test_window_maes_more_slips(capsys, ex7):
    truth, forecasts, inputs, n = ex7["truth"], ex7["forecasts"], ex7["inputs"], ex7["n"]
    right = ex7["right"]
    cases = [
        ("mae_by_window", {**right["mae_by_window"],
                           3: float(np.mean(np.abs(forecasts[3] - truth.ravel())))},
         f"({n}, 1) minus ({n},) broadcasts to a ({n}, {n}) table"),
        ("persistence_mae", float(np.mean(np.abs(inputs[3][:, -1, 0] - truth))),
         "broadcasts to"),
        ("persistence_mae", lb.mae(truth[1:], truth[:-1]),
         f"truth shifted by 1 covers {n - 1} of the {n} years: use lb.persistence_forecast"),
        ("persistence_mae", -right["persistence_mae"], "an MAE is never negative"),
        ("seasonal_mae", float(np.mean(np.abs(inputs[24][:, -11, 0] - truth))),
         "broadcasts to"),
        ("seasonal_mae", lb.mae(truth[11:], truth[:-11]),
         f"truth shifted by 11 covers {n - 11} of the {n} years: use "
         "lb.seasonal_naive_forecast"),
        ("seasonal_mae", -right["seasonal_mae"], "an MAE is never negative"),
        ("mae_by_window", {**right["mae_by_window"], 12: -right["mae_by_window"][12]},
         "mae_by_window[12]: an MAE is never negative"),
    ]
    for name, answer, text in cases:
        result, line = window_verdict(capsys, ex7, **{name: answer})
        assert not result and line.startswith(f"Not yet: {name}") and text in line, line


def test_per_step_maes_more_slips(capsys, ex8):
    d, truth, m2o = ex8["d"], ex8["truth_seq"], ex8["m2o"]
    persistence = d.unscale(lb.persistence_forecast(d.X_test))  # (44, 1)
    y_last = truth[:, -1:]
    cases = [
        ("many_to_one_mae", float(np.mean(np.abs(m2o - truth[:, -1]))),
         "(44, 1) minus (44,) broadcasts to a (44, 44) table"),
        ("persistence_mae_12", float(np.mean(np.abs(persistence - truth[:, -1]))),
         "broadcasts to a (44, 44) table"),
        ("many_to_one_mae", lb.mae(y_last[-42:], m2o[-42:]),
         "that uses the last 42 of the 44 windows (exercise 1's years?): use all 44"),
        ("persistence_mae_12", lb.mae(y_last[-42:], persistence[-42:]),
         "that uses the last 42 of the 44 windows"),
        ("persistence_mae_12", float(np.mean(np.abs(d.unscale(d.X_test[..., 0]) - truth))),
         "averages persistence over all 12 positions"),
    ]
    for name, answer, text in cases:
        result, line = per_step_verdict(capsys, ex8, **{name: answer})
        assert not result and line.startswith(f"Not yet: {name}: ") and text in line, line
        hides(line, ex8["right"][name], MAE_FORMATS)


def test_stock_maes_more_slips(capsys, ex9):
    true, lstm, last = ex9["true"], ex9["lstm"], ex9["last"]
    cases = [
        ("mae_persistence", lb.mae(true[1:], true[:-1]),
         "price_true shifted by one covers 16 of the 17 months: persistence is price_last"),
        ("mae_lstm", float(np.mean(np.abs(lstm - true) / lstm) * 100), "a percentage error"),
        ("mae_lstm", float(np.mean(np.abs(lstm - true) / lstm)), "a relative error"),
    ]
    for name, answer, text in cases:
        result, line = stock_verdict(capsys, ex9, **{name: answer})
        assert not result and line.startswith(f"Not yet: {name}: ") and text in line, line
        hides(line, ex9["right"][name], MAE_FORMATS)


def test_maes_accept_more_right_forms(capsys, ex7, ex8, ex9):
    truth, inputs, d = ex7["truth"], ex7["inputs"], ex7["data"][3]
    n = ex7["n"]
    by_hand = dict(  # the last input year, and the year 11 back, read by hand
        persistence_mae=float(np.mean(np.abs(inputs[12][:, -1] - truth))),
        seasonal_mae=float(np.mean(np.abs(inputs[24][:, -11] - truth))))
    scaled = dict(persistence_mae=lb.mae(d.y_test[-n:],  # scaled MAE times std
                                         lb.persistence_forecast(d.X_test[-n:])) * d.std)
    for answers in (by_hand, scaled):
        assert window_verdict(capsys, ex7, **answers)[0]
    d12, truth_seq = ex8["d"], ex8["truth_seq"]
    next_year = (truth_seq - d12.mean) / d12.std
    per_step = np.mean(np.abs(ex8["pred_scaled"][..., 0] - next_year), axis=0) * d12.std
    assert per_step_verdict(capsys, ex8, mae_per_step=[float(v) for v in per_step],
                            persistence_mae_12=float(np.mean(np.abs(
                                d12.unscale(d12.X_test[:, -1, 0]) - truth_seq[:, -1]))))[0]
    assert stock_verdict(capsys, ex9, mae_lstm=float(np.abs(ex9["lstm"] - ex9["true"]).mean()))[0]
