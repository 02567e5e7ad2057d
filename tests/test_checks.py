"""The checkers must give a specific, actionable verdict for every kind of wrong answer."""

import numpy as np
import pytest

from lstm_book import checks


@pytest.fixture
def seq():
    rng = np.random.default_rng(0)
    return rng.normal(size=(32, 12, 8))


def verdict(capsys, fn, *args, **kwargs):
    ok = fn(*args, **kwargs)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 or ok is False, out
    return ok, out


def test_last_step_right_answer(capsys, seq):
    ok, out = verdict(capsys, checks.check_last_step, seq[:, -1, :], seq, seq[:, -1, :])
    assert ok is True and out.startswith("Correct")


def test_last_step_accepts_lists_and_tensor_like(capsys, seq):
    class FakeTensor:
        def __init__(self, a):
            self.a = a

        def numpy(self):
            return self.a

    assert checks.check_last_step(seq[:, -1, :].tolist(), seq, seq[:, -1])
    assert checks.check_last_step(FakeTensor(seq[:, -1, :]), seq, seq[:, -1])


@pytest.mark.parametrize("make, expected_text", [
    (lambda s: s, "expected shape (32, 8), got (32, 12, 8): that is the whole sequence; did you take `[:, -1, :]`?"),
    (lambda s: s[:, :, -1], "you indexed the units axis"),
    (lambda s: s[-1], "you indexed the batch axis"),
    (lambda s: s[:, 0, :], "FIRST timestep"),
    (lambda s: s[:, -1, :] + 0.5, "values differ"),
    (lambda s: None, "got None"),
    (lambda s: "seq[:, -1]", "got str"),
    (lambda s: {"a": 1}, "got dict"),
    (lambda s: np.full((32, 8), np.nan), "NaN"),
])
def test_last_step_wrong_answers_get_specific_hints(capsys, seq, make, expected_text):
    ok = checks.check_last_step(make(seq), seq, seq[:, -1, :])
    out = capsys.readouterr().out
    assert ok is False
    assert out.startswith("Not yet")
    assert expected_text in out


def test_last_step_checker_rejects_a_bad_reference():
    with pytest.raises(ValueError, match="seq_out"):
        checks.check_last_step(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)))


def test_backward_final_state(capsys, seq):
    units = 4
    right = seq[:, 0, units:]
    assert checks.check_backward_final_state(right, seq, right, units)
    capsys.readouterr()
    assert not checks.check_backward_final_state(seq[:, -1, units:], seq, right, units)
    assert "time index 0" in capsys.readouterr().out
    assert not checks.check_backward_final_state(seq[:, -1, :units], seq, right, units)
    assert "FORWARD" in capsys.readouterr().out
    assert not checks.check_backward_final_state(seq[:, 0, :], seq, right, units)
    assert "both directions" in capsys.readouterr().out


def test_shapes(capsys):
    want = [(None, 12, 16), (None, 12, 8), (None, 4)]
    assert checks.check_shapes([(None, 12, 16), (None, 12, 8), (None, 4)], want)
    capsys.readouterr()
    assert not checks.check_shapes([(None, 16), (None, 12, 8), (None, 4)], want)
    assert "return_sequences=False" in capsys.readouterr().out
    assert not checks.check_shapes([(None, 12, 16)], want)
    assert "expected 3 shapes" in capsys.readouterr().out
    assert not checks.check_shapes(None, want)
    assert "None" in capsys.readouterr().out
    assert not checks.check_shapes("(None, 4)", want)
    assert "got str" in capsys.readouterr().out
    assert not checks.check_shapes([1, 2, 3], want)
    assert "shape tuple" in capsys.readouterr().out


def test_lstm_step(capsys):
    rng = np.random.default_rng(1)
    c = rng.normal(size=(2, 3)) * 2
    o = 1 / (1 + np.exp(-rng.normal(size=(2, 3))))
    h = o * np.tanh(c)
    assert checks.check_lstm_step(h, c, h, c)
    capsys.readouterr()
    assert not checks.check_lstm_step(c, h, h, c)
    assert "swapped" in capsys.readouterr().out
    assert not checks.check_lstm_step(np.tanh(c), c, h, c)
    assert "output gate" in capsys.readouterr().out
    assert not checks.check_lstm_step(None, c, h, c)
    assert "None" in capsys.readouterr().out


def test_value(capsys):
    assert checks.check_value(12.41, 12.4, name="MAE")
    capsys.readouterr()
    assert not checks.check_value(15.0, 12.4, name="MAE")
    assert "expected about 12.4" in capsys.readouterr().out
    assert not checks.check_value(np.array([1.0, 2.0]), 12.4)
    assert "did you forget to average" in capsys.readouterr().out
    assert not checks.check_value(None, 1.0)
    assert not checks.check_value(float("nan"), 1.0)


@pytest.fixture
def forecast():
    rng = np.random.default_rng(2)
    truth = rng.normal(50, 20, size=(40, 1))
    pred = truth + rng.normal(3, 10, size=(40, 1))
    return truth, pred


def test_mae_right_answers(capsys, forecast):
    truth, pred = forecast
    mae = float(np.mean(np.abs(pred - truth)))
    ok, out = verdict(capsys, checks.check_mae, mae, truth, pred, name="LSTM MAE")
    assert ok is True and out.startswith("Correct: LSTM MAE")
    assert f"{mae:.3g}" not in out  # the verdict does not print the value
    assert checks.check_mae(np.float32(mae), truth, pred)  # float32 arithmetic is close enough
    assert checks.check_mae(np.array([mae]), truth, pred)
    assert checks.check_mae({"a": mae, 3: 0.0}, truth, {"a": pred, 3: truth})


@pytest.mark.parametrize("make, expected_text", [
    (lambda t, p: None, "got None"),
    (lambda t, p: "12.4", "expected a number, got str"),
    (lambda t, p: np.abs(p - t), "expected a single number, got an array of shape (40, 1)"),
    (lambda t, p: np.sqrt(np.mean((p - t) ** 2)), "root-mean-square"),
    (lambda t, p: np.mean(p - t), "signed errors"),
    (lambda t, p: np.mean(t - p), "signed errors"),
    (lambda t, p: np.sum(np.abs(p - t)), "sum of the absolute errors"),
    (lambda t, p: np.mean(np.abs(p - t)) / 20.0, "standardised units"),
    (lambda t, p: np.mean(np.abs(p - t)) * 1.1, "off by up to 10%"),
    (lambda t, p: float("nan"), "NaN"),
])
def test_mae_wrong_answers_get_specific_hints(capsys, forecast, make, expected_text):
    truth, pred = forecast
    ok = checks.check_mae(make(truth, pred), truth, pred, scale=20.0)
    out = capsys.readouterr().out
    assert ok is False and out.startswith("Not yet")
    assert expected_text in out, out


def test_mae_per_step(capsys):
    rng = np.random.default_rng(3)
    truth = rng.normal(size=(30, 12, 1))
    pred = truth + rng.normal(size=(30, 12, 1))
    per_step = np.mean(np.abs(pred - truth), axis=0)[:, 0]
    ok, out = verdict(capsys, checks.check_mae, per_step, truth, pred, per_step=True)
    assert ok is True and "all 12 steps match" in out
    assert checks.check_mae(per_step[:, None], truth, pred, per_step=True)  # (12, 1) is accepted
    capsys.readouterr()
    for wrong, text in ((np.mean(np.abs(pred - truth), axis=1)[:, 0], "average over the samples (axis 0)"),
                        (float(np.mean(np.abs(pred - truth))), "average over axis 0 only"),
                        (per_step[:6], "shape (12,), got shape (6,)"),
                        (per_step[::-1], "off by up to")):
        assert checks.check_mae(wrong, truth, pred, per_step=True) is False
        assert text in capsys.readouterr().out


def test_mae_dict_answers(capsys, forecast):
    truth, pred = forecast
    forecasts = {3: pred, 12: truth + 1.0}
    right = {3: float(np.mean(np.abs(pred - truth))), 12: 1.0}
    ok, out = verdict(capsys, checks.check_mae, right, truth, forecasts, name="MAE by window")
    assert ok is True and "all 2 values match" in out
    for wrong, text in ((None, "got None"), ([1.0, 2.0], "expected a dict {key: MAE} with keys [3, 12], got list"),
                        ({3: right[3]}, "missing keys [12]"), ({**right, 24: 1.0}, "unexpected keys [24]"),
                        ({3: right[3], 12: 2.0}, "[12] not the mean absolute error")):
        assert checks.check_mae(wrong, truth, forecasts) is False
        assert text in capsys.readouterr().out


def test_mae_checker_rejects_a_bad_reference():
    with pytest.raises(ValueError, match="same shape"):
        checks.check_mae(1.0, np.zeros((4, 1)), np.zeros((4,)))
    with pytest.raises(ValueError, match="per_step"):
        checks.check_mae(1.0, np.zeros(4), np.zeros(4), per_step=True)
    with pytest.raises(ValueError, match="numeric"):
        checks.check_mae(1.0, "abc", np.zeros(4))
