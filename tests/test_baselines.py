import numpy as np
import pytest

from lstm_book import mae, persistence_forecast, seasonal_naive_forecast


@pytest.fixture
def X():
    # two windows of 6 steps, 2 features; feature 1 = 100 + feature 0
    base = np.arange(12, dtype=float).reshape(2, 6)
    return np.stack([base, base + 100], axis=-1)


def test_persistence_repeats_last_value(X):
    out = persistence_forecast(X, horizon=3)
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out, [[5, 5, 5], [11, 11, 11]])
    np.testing.assert_array_equal(persistence_forecast(X, target=1)[:, 0], [105, 111])


def test_seasonal_naive_repeats_last_season(X):
    out = seasonal_naive_forecast(X, period=2, horizon=5)
    np.testing.assert_array_equal(out[0], [4, 5, 4, 5, 4])
    np.testing.assert_array_equal(seasonal_naive_forecast(X, period=6)[:, 0], [0, 6])
    # period 1 is persistence
    np.testing.assert_array_equal(seasonal_naive_forecast(X, 1, 4), persistence_forecast(X, 4))


@pytest.mark.parametrize("kwargs, word", [
    (dict(period=7), "period"), (dict(period=0), "period"), (dict(period=2, horizon=0), "horizon"),
    (dict(period=2, target=2), "target"), (dict(period=2.0), "period"),
])
def test_seasonal_naive_rejects_bad_arguments(X, kwargs, word):
    with pytest.raises(ValueError, match=word):
        seasonal_naive_forecast(X, **kwargs)


def test_persistence_rejects_bad_input(X):
    with pytest.raises(ValueError, match="X must be 3-D"):
        persistence_forecast(X[0])
    with pytest.raises(ValueError, match="horizon"):
        persistence_forecast(X, horizon=-1)
    with pytest.raises(ValueError, match="numeric"):
        persistence_forecast(np.array([[["a"]]]))


def test_mae():
    assert mae([1, 2, 3], [2, 2, 5]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        mae(np.zeros((3, 1)), np.zeros(3))  # would silently broadcast to (3, 3)
    with pytest.raises(ValueError, match="empty"):
        mae([], [])
