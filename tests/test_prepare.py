"""chronological_split and forecast_dataset: time order, exact sizes, and no leakage into scaling."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import lstm_book.prepare as prepare
from lstm_book import DATA_DIR, ForecastData, chronological_split, forecast_dataset, load_series


def sizes(parts):
    return tuple(p.stop - p.start for p in parts)


# ---------------------------------------------------------------- chronological_split

@pytest.mark.parametrize("n, train, validation, expected", [
    (100, 0.7, 0.15, (70, 15, 15)),
    (297, 0.7, 0.15, (208, 45, 44)),   # sunspots_yearly with window=12
    (3, 0.7, 0.15, (1, 1, 1)),
    (4, 0.7, 0.15, (2, 1, 1)),          # round(2.8) = 3 would leave no test part
    (10, 0.5, 0.25, (5, 2, 3)),         # round(2.5) == 2
    (10, 0.98, 0.01, (8, 1, 1)),        # train capped so validation and test keep one each
    (10, 0.01, 0.01, (1, 1, 8)),        # tiny fractions still give one sample
    (10, 0.1, 0.85, (1, 8, 1)),
    (1000, 0.6, 0.2, (600, 200, 200)),
])
def test_split_sizes(n, train, validation, expected):
    assert sizes(chronological_split(n, train=train, validation=validation)) == expected


def test_split_defaults_are_70_15_15():
    assert chronological_split(200) == (slice(0, 140), slice(140, 170), slice(170, 200))


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 11, 50, 123, 297, 3109])
@pytest.mark.parametrize("train, validation", [(0.7, 0.15), (0.8, 0.1), (0.5, 0.4), (0.05, 0.05),
                                               (0.9, 0.09)])
def test_split_is_a_chronological_partition(n, train, validation):
    tr, va, te = chronological_split(n, train, validation)
    assert all(isinstance(p, slice) and p.step is None for p in (tr, va, te))
    assert tr.start == 0 and tr.stop == va.start and va.stop == te.start and te.stop == n
    assert min(sizes((tr, va, te))) >= 1
    # Every index once, in time order.
    assert list(range(n))[tr] + list(range(n))[va] + list(range(n))[te] == list(range(n))
    if n >= 50:  # large enough that rounding, not the one-sample floor, decides the sizes
        assert abs((tr.stop - tr.start) - n * train) <= 1
        assert abs((va.stop - va.start) - n * validation) <= 1


def test_split_accepts_numpy_numbers():
    assert chronological_split(np.int64(100), np.float64(0.7), np.float32(0.15)) == \
        chronological_split(100, 0.7, 0.15)


@pytest.mark.parametrize("n", [2, 1, 0, -5, 3.0, 100.0, "10", None, True])
def test_split_bad_n(n):
    with pytest.raises(ValueError, match=r"^n must be an integer >= 3"):
        chronological_split(n)


@pytest.mark.parametrize("param", ["train", "validation"])
@pytest.mark.parametrize("value", [0, 0.0, 1, 1.0, -0.1, 1.5, float("nan"), float("inf"), "0.5",
                                   None, True, False])
def test_split_bad_fraction(param, value):
    with pytest.raises(ValueError, match=rf"^{param} must be a fraction in \(0, 1\)"):
        chronological_split(100, **{param: value})


@pytest.mark.parametrize("train, validation", [(0.7, 0.3), (0.5, 0.5), (0.9, 0.2), (0.99, 0.99)])
def test_split_fractions_must_leave_a_test_part(train, validation):
    with pytest.raises(ValueError, match=r"^train \+ validation must be < 1"):
        chronological_split(100, train, validation)


# ---------------------------------------------------------------- forecast_dataset on real data

@pytest.fixture(scope="module")
def sunspots():
    return forecast_dataset("sunspots_yearly", window=12)


def test_reference_shapes_and_types(sunspots):
    d = sunspots
    assert isinstance(d, ForecastData)
    assert (d.name, d.window, d.horizon) == ("sunspots_yearly", 12, 1)
    assert d.X_train.shape == (208, 12, 1) and d.y_train.shape == (208, 1)
    assert d.X_val.shape == (45, 12, 1) and d.y_val.shape == (45, 1)
    assert d.X_test.shape == (44, 12, 1) and d.y_test.shape == (44, 1)
    for a in (d.X_train, d.y_train, d.X_val, d.y_val, d.X_test, d.y_test):
        assert a.dtype == np.float32 and np.all(np.isfinite(a))
    for a in (d.dates_train, d.dates_val, d.dates_test):
        assert a.dtype == np.dtype("datetime64[D]")
    assert isinstance(d.mean, float) and isinstance(d.std, float) and d.std > 0


def test_reference_test_years_are_1965_to_2008(sunspots):
    assert sunspots.dates_test[0] == np.datetime64("1965-07-01")
    assert sunspots.dates_test[-1] == np.datetime64("2008-07-01")


def scaling_by_brute_force(values, window, horizon, n_train):
    """Mark every index that some training window reads (inputs or targets); mean/std of those."""
    seen = np.zeros(len(values), dtype=bool)
    for i in range(n_train):
        seen[i:i + window + horizon] = True
    return values[seen].mean(), values[seen].std(), seen


DATASETS = [
    ("sunspots_yearly", 12, 1, 0.7, 0.15),
    ("sunspots_yearly", 5, 3, 0.6, 0.2),
    ("stock_aapl", 6, 2, 0.7, 0.15),
    ("stock_aapl", 24, 12, 0.5, 0.25),
    ("seattle_temp_max", 30, 7, 0.7, 0.15),
]


@pytest.mark.parametrize("name, window, horizon, train, validation", DATASETS)
def test_scaling_uses_only_values_seen_by_training(name, window, horizon, train, validation):
    d = forecast_dataset(name, window, horizon, train=train, validation=validation)
    _, values = load_series(name)
    n = len(values) - window - horizon + 1
    n_train = len(d.X_train)
    assert n_train == int(round(n * train))
    mean, std, seen = scaling_by_brute_force(values, window, horizon, n_train)
    assert seen[:n_train + window + horizon - 1].all() and not seen[n_train + window + horizon - 1:].any()
    np.testing.assert_allclose([d.mean, d.std], [mean, std], rtol=1e-12)
    # Using the whole series would give other numbers: the check above can tell.
    assert not np.isclose(d.mean, values.mean(), rtol=1e-6)


@pytest.mark.parametrize("name, window, horizon, train, validation", DATASETS)
def test_every_window_holds_the_scaled_series(name, window, horizon, train, validation):
    d = forecast_dataset(name, window, horizon, train=train, validation=validation)
    dates, values = load_series(name)
    scaled = (values - d.mean) / d.std
    offset = 0
    for X, y, when in ((d.X_train, d.y_train, d.dates_train), (d.X_val, d.y_val, d.dates_val),
                       (d.X_test, d.y_test, d.dates_test)):
        assert X.shape == (len(y), window, 1) and y.shape == (len(y), horizon) and len(when) == len(y)
        for j in range(len(X)):
            i = offset + j  # index of the window in the whole series
            np.testing.assert_allclose(X[j, :, 0], scaled[i:i + window], rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(y[j], scaled[i + window:i + window + horizon], rtol=1e-5, atol=1e-5)
            assert when[j] == dates[i + window]  # date of the first target step
        offset += len(X)
    assert offset == len(values) - window - horizon + 1


@pytest.mark.parametrize("name, window, horizon, train, validation", DATASETS)
def test_dates_are_in_time_order_across_parts(name, window, horizon, train, validation):
    d = forecast_dataset(name, window, horizon, train=train, validation=validation)
    all_dates = np.concatenate([d.dates_train, d.dates_val, d.dates_test])
    assert np.all(np.diff(all_dates) > np.timedelta64(0, "D"))
    assert d.dates_train[-1] < d.dates_val[0] and d.dates_val[-1] < d.dates_test[0]
    dates, _ = load_series(name)
    assert d.dates_train[0] == dates[window]
    assert d.dates_test[-1] == dates[len(dates) - horizon]  # the last window's first target


def test_unscale_round_trip(sunspots):
    d = sunspots
    _, values = load_series("sunspots_yearly")
    n_train = len(d.y_train)
    np.testing.assert_allclose(d.unscale(d.y_train)[:, 0], values[12:12 + n_train], rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(d.unscale(d.y_test)[:, 0], values[-len(d.y_test):], rtol=1e-5, atol=1e-4)
    # Validation window j starts at series index n_train + j.
    starts = n_train + np.arange(len(d.X_val))[:, None]
    np.testing.assert_allclose(d.unscale(d.X_val[:, :, 0]), values[starts + np.arange(12)],
                               rtol=1e-5, atol=1e-4)


def test_unscale_is_affine_and_float64(sunspots):
    d = sunspots
    assert d.unscale(0.0) == pytest.approx(d.mean)
    assert d.unscale(1.0) == pytest.approx(d.mean + d.std)
    out = d.unscale([[-1.0], [2.0]])
    assert out.dtype == np.float64 and out.shape == (2, 1)
    np.testing.assert_allclose(out[:, 0], [d.mean - d.std, d.mean + 2 * d.std])
    # Inverse of the scaling, in float64.
    x = np.linspace(0, 200, 7)
    np.testing.assert_allclose(d.unscale((x - d.mean) / d.std), x, rtol=1e-12)


def test_unscale_does_not_modify_its_argument(sunspots):
    y = sunspots.y_test.copy()
    sunspots.unscale(y)
    np.testing.assert_array_equal(y, sunspots.y_test)


def test_data_dir_is_passed_through(tmp_path):
    shutil.copyfile(DATA_DIR / "stock_aapl.csv", tmp_path / "stock_aapl.csv")
    a = forecast_dataset("stock_aapl", 6, data_dir=tmp_path)
    b = forecast_dataset("stock_aapl", 6)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    with pytest.raises(FileNotFoundError, match="sunspots_yearly.csv"):
        forecast_dataset("sunspots_yearly", 6, data_dir=tmp_path)


@pytest.mark.parametrize("kwargs, match", [
    (dict(window=0), "^window"),
    (dict(window=2.0), "^window"),
    (dict(window=12, horizon=0), "^horizon"),
    (dict(window=400), "exceeds the series length 309"),
    (dict(window=12, train=1.2), "^train"),
    (dict(window=12, validation=0), "^validation"),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        forecast_dataset("sunspots_yearly", **kwargs)


def test_unknown_series():
    with pytest.raises(ValueError, match="available"):
        forecast_dataset("nope", 12)


# ---------------------------------------------------------------- forecast_dataset on a synthetic series

@pytest.fixture
def synthetic(monkeypatch):
    """Make forecast_dataset read a series given by the test instead of a file."""

    def use(values):
        values = np.asarray(values, dtype=np.float64)
        dates = np.datetime64("2000-01-01") + np.arange(len(values)).astype("timedelta64[D]")
        monkeypatch.setattr(prepare, "load_series", lambda name, data_dir=None: (dates, values.copy()))
        return dates, values

    return use


def test_future_values_do_not_change_training_data(synthetic):
    rng = np.random.default_rng(0)
    base = rng.normal(size=100)
    window, horizon = 5, 2
    synthetic(base)
    d0 = forecast_dataset("synthetic", window, horizon)
    last_seen = len(d0.X_train) - 1 + window + horizon - 1  # last index a training window reads
    assert last_seen == 71  # n = 94 windows, 66 for training; window 65 reads indices 65..71

    future = base.copy()
    future[last_seen + 1:] = 1e6  # validation and test values wildly different
    synthetic(future)
    d1 = forecast_dataset("synthetic", window, horizon)
    assert (d1.mean, d1.std) == (d0.mean, d0.std)
    np.testing.assert_array_equal(d1.X_train, d0.X_train)
    np.testing.assert_array_equal(d1.y_train, d0.y_train)

    touched = base.copy()
    touched[last_seen] += 5.0  # the last target of the last training window does count
    synthetic(touched)
    d2 = forecast_dataset("synthetic", window, horizon)
    assert d2.mean != d0.mean and d2.std != d0.std


def test_training_part_is_standardised(synthetic):
    values = np.arange(50.0) ** 1.5
    synthetic(values)
    d = forecast_dataset("synthetic", 4, 1)
    seen = np.concatenate([d.X_train[:, 0, 0], d.X_train[-1, 1:, 0], d.y_train[-1]])  # each index once
    assert len(seen) == len(d.X_train) + 4
    assert abs(seen.mean()) < 1e-5 and abs(seen.std() - 1) < 1e-5
    assert d.X_test.mean() > 1.0  # the later, larger values are not part of the statistics


def test_constant_training_part_raises(synthetic):
    values = np.concatenate([np.full(80, 3.0), np.arange(20.0)])
    synthetic(values)
    with pytest.raises(ValueError, match="constant over the training part"):
        forecast_dataset("synthetic", 4)
