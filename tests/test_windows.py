"""make_windows: exact values against plain loops, strict input checks, and an untouched input."""

from __future__ import annotations

import datetime
import warnings

import numpy as np
import pytest

from lstm_book import make_windows


def windows_by_loops(series, window, horizon, target):
    """The definition, one element at a time: X[i, t, f] = s[i + t, f]; y[i, h] = s[i + window + h, target]."""
    s = np.asarray(series, dtype=np.float64)
    if s.ndim == 1:
        s = s[:, None]
    time, features = s.shape
    n = time - window - horizon + 1
    X = np.zeros((n, window, features))
    y = np.zeros((n, horizon))
    for i in range(n):
        for t in range(window):
            for f in range(features):
                X[i, t, f] = s[i + t, f]
        for h in range(horizon):
            y[i, h] = s[i + window + h, target]
    return X.astype(np.float32), y.astype(np.float32)


def distinct_series(time, features, seed=0):
    """Values that are all different, so any shifted index gives a different number."""
    rng = np.random.default_rng(seed)
    shape = (time,) if features is None else (time, features)
    return rng.normal(size=shape) * 10


# (time, features or None for 1-D, window, horizon, target)
CASES = [
    (10, None, 3, 1, 0),
    (10, None, 1, 1, 0),     # window = 1
    (10, None, 9, 1, 0),     # a single window
    (10, None, 1, 9, 0),     # horizon spans to the end of the series
    (10, None, 4, 6, 0),     # window + horizon == time
    (10, None, 2, 3, -1),    # negative target on a 1-D series
    (2, None, 1, 1, 0),      # the shortest possible series
    (12, 1, 4, 2, 0),        # 2-D with one feature
    (12, 3, 4, 2, 2),        # 2-D, last feature as target
    (12, 3, 4, 2, 1),        # 2-D, middle feature as target
    (12, 3, 1, 1, 1),
    (12, 3, 4, 2, -1),
    (12, 3, 4, 2, -3),       # most negative valid target
    (7, 2, 3, 4, 1),         # window + horizon == time on 2-D
    (50, 4, 10, 5, 3),
    (309, None, 12, 1, 0),   # the book's main setting
]


@pytest.mark.parametrize("time, features, window, horizon, target", CASES)
def test_values_match_the_definition(time, features, window, horizon, target):
    series = distinct_series(time, features)
    X, y = make_windows(series, window, horizon=horizon, target=target)
    n_features = 1 if features is None else features
    n = time - window - horizon + 1
    assert X.shape == (n, window, n_features)
    assert y.shape == (n, horizon)
    assert X.dtype == np.float32 and y.dtype == np.float32
    X_ref, y_ref = windows_by_loops(series, window, horizon, target)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize("time, features, window, horizon, target", CASES)
def test_values_match_the_slicing_formula(time, features, window, horizon, target):
    series = distinct_series(time, features, seed=1)
    X, y = make_windows(series, window, horizon, target)
    s = series.astype(np.float32).reshape(time, -1)
    for i in range(len(X)):
        np.testing.assert_array_equal(X[i], s[i:i + window])
        np.testing.assert_array_equal(y[i], s[i + window:i + window + horizon, target])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.int8, np.float16,
                                   np.float32, np.float64, bool])
def test_every_real_dtype_gives_float32(dtype):
    series = (np.arange(20) % 7).astype(dtype)
    X, y = make_windows(series, 4, horizon=2)
    assert X.dtype == np.float32 and y.dtype == np.float32
    X_ref, y_ref = windows_by_loops(series.astype(np.float64), 4, 2, 0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_integer_input_exact():
    X, y = make_windows(np.arange(6), window=3, horizon=2)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [1, 2, 3]])
    np.testing.assert_array_equal(y, [[3, 4], [4, 5]])


def test_integer_2d_input_with_target_not_zero():
    series = np.arange(18).reshape(6, 3)  # column c holds 3 * t + c
    X, y = make_windows(series, window=2, horizon=3, target=2)
    assert X.shape == (2, 2, 3) and y.shape == (2, 3)
    np.testing.assert_array_equal(X[1], [[3, 4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(y, [[8, 11, 14], [11, 14, 17]])


def test_python_lists_are_accepted():
    X, y = make_windows([[1, 10], [2, 20], [3, 30], [4, 40]], window=2, target=1)
    np.testing.assert_array_equal(X, [[[1, 10], [2, 20]], [[2, 20], [3, 30]]])
    np.testing.assert_array_equal(y, [[30], [40]])


def test_docstring_example():
    X, y = make_windows([0, 1, 2, 3, 4], window=3)
    assert (X.shape, y.shape) == ((2, 3, 1), (2, 1))
    assert X[1, :, 0].tolist() == [1.0, 2.0, 3.0] and y[1].tolist() == [4.0]


def test_one_dimensional_equals_single_feature_column():
    series = distinct_series(15, None)
    X1, y1 = make_windows(series, 5, 2)
    X2, y2 = make_windows(series[:, None], 5, 2)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_negative_target_counts_from_the_end():
    series = distinct_series(12, 4)
    for negative in range(-4, 0):
        _, y_neg = make_windows(series, 3, 2, target=negative)
        _, y_pos = make_windows(series, 3, 2, target=4 + negative)
        np.testing.assert_array_equal(y_neg, y_pos)


def test_numpy_integers_are_valid_parameters():
    series = distinct_series(10, 2)
    X, y = make_windows(series, np.int64(3), horizon=np.int32(2), target=np.int8(1))
    X_ref, y_ref = windows_by_loops(series, 3, 2, 1)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_outputs_are_c_contiguous_and_writeable():
    X, y = make_windows(distinct_series(20, 3), 4, 3, target=1)
    assert X.flags.c_contiguous and y.flags.c_contiguous
    assert X.flags.writeable and y.flags.writeable


# ---------------------------------------------------------------- window and horizon

BAD_LENGTHS = [0, -1, 1.5, 2.0, np.float64(2.0), "3", None, True, False, np.bool_(True), [3]]


@pytest.mark.parametrize("value", BAD_LENGTHS, ids=repr)
def test_bad_window_names_window(value):
    with pytest.raises(ValueError, match=r"^window must be a positive integer") as info:
        make_windows(np.arange(10.0), value)
    assert "horizon" not in str(info.value)


@pytest.mark.parametrize("value", BAD_LENGTHS, ids=repr)
def test_bad_horizon_names_horizon(value):
    with pytest.raises(ValueError, match=r"^horizon must be a positive integer") as info:
        make_windows(np.arange(10.0), 3, horizon=value)
    assert "window" not in str(info.value)


@pytest.mark.parametrize("time, window, horizon", [
    (5, 5, 1), (5, 4, 2), (5, 1, 5), (5, 6, 1), (5, 1, 100), (1, 1, 1), (3, 2, 2),
])
def test_window_plus_horizon_longer_than_series(time, window, horizon):
    with pytest.raises(ValueError, match="window") as info:
        make_windows(np.arange(float(time)), window, horizon)
    message = str(info.value)
    assert "horizon" in message and f"length {time}" in message


@pytest.mark.parametrize("time, window, horizon", [(5, 4, 1), (5, 1, 4), (5, 2, 3), (2, 1, 1)])
def test_window_plus_horizon_equal_to_series_gives_one_sample(time, window, horizon):
    X, y = make_windows(np.arange(float(time)), window, horizon)
    assert X.shape == (1, window, 1) and y.shape == (1, horizon)
    np.testing.assert_array_equal(y[0], np.arange(window, time))


# ---------------------------------------------------------------- series

@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("position", [0, 4, 9])
def test_nan_or_inf_in_1d_series(bad, position):
    series = np.arange(10.0)
    series[position] = bad
    with pytest.raises(ValueError, match=rf"^series contains NaN or inf .*time index {position}\)"):
        make_windows(series, 3)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_2d_series_any_column(bad):
    # The target column is clean: a bad value in another feature must still be refused.
    series = np.ones((8, 3))
    series[5, 2] = bad
    with pytest.raises(ValueError, match=r"series contains NaN or inf .*time index 5\)"):
        make_windows(series, 2, target=0)


def test_nan_in_a_list():
    with pytest.raises(ValueError, match="series contains NaN"):
        make_windows([1.0, float("nan"), 3.0, 4.0], 2)


@pytest.mark.parametrize("series", [
    np.float64(3.0), 5, np.array(2.0),                 # 0-D
    np.zeros((6, 2, 2)), np.zeros((6, 1, 1, 1)),       # 3-D and 4-D
], ids=["np-scalar", "int", "0d-array", "3d", "4d"])
def test_wrong_ndim_is_refused(series):
    with pytest.raises(ValueError, match=r"^series must be 1-D \(time,\) or 2-D") as info:
        make_windows(series, 1)
    assert f"{np.ndim(series)}-D" in str(info.value)


@pytest.mark.parametrize("series", [[], np.array([]), np.zeros((0, 3)), np.zeros((5, 0)),
                                    np.zeros(0, dtype=np.int64)],
                         ids=["list", "array", "0x3", "5x0", "int"])
def test_empty_series_is_refused(series):
    with pytest.raises(ValueError, match=r"^series is empty"):
        make_windows(series, 1)


@pytest.mark.parametrize("series", [
    ["a", "b", "c", "d"],
    np.array(list("abcd")),
    np.array([b"1", b"2", b"3"]),
    [1, "a", 3, 4],                                              # becomes a string array
    [1.0, None, 3.0, 4.0],                                       # object array
    np.array([1.0, 2.0, 3.0, 4.0], dtype=object),                # numbers, but boxed
    np.array(["2020-01-01", "2020-01-02", "2020-01-03"], dtype="datetime64[D]"),
    [datetime.date(2020, 1, d) for d in range(1, 5)],
    [datetime.datetime(2020, 1, d) for d in range(1, 5)],
    np.array([1, 2, 3, 4], dtype="timedelta64[D]"),
    np.zeros(4, dtype=[("a", "f8")]),                            # structured
], ids=["str-list", "str-array", "bytes", "mixed", "none", "object", "datetime64",
        "date-list", "datetime-list", "timedelta64", "structured"])
def test_non_numeric_series_is_refused(series):
    with pytest.raises(ValueError, match=r"^series must be numeric"):
        make_windows(series, 1)


def test_complex_series_is_refused():
    with pytest.raises(ValueError, match=r"^series must be real-valued"):
        make_windows(np.arange(5) + 1j, 1)


def test_ragged_list_is_refused():
    with pytest.raises(ValueError, match=r"^series could not be read as an array"):
        make_windows([[1.0, 2.0], [3.0]], 1)


@pytest.mark.parametrize("big", [1e39, -1e39, np.finfo(np.float64).max])
def test_values_beyond_float32_are_refused_not_turned_into_inf(big):
    series = np.arange(6.0)
    series[3] = big
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "overflow encountered in cast" either
        with pytest.raises(ValueError, match=r"^series holds values beyond the float32 range"):
            make_windows(series, 2)


def test_largest_float32_value_is_kept():
    top = float(np.finfo(np.float32).max)
    X, y = make_windows([top, -top, 0.0], 2)
    assert np.all(np.isfinite(X)) and X[0, 0, 0] == np.float32(top) and X[0, 1, 0] == -np.float32(top)


# ---------------------------------------------------------------- target

@pytest.mark.parametrize("shape, target", [
    ((10,), 1), ((10,), -2), ((10, 3), 3), ((10, 3), -4), ((10, 3), 100), ((10, 1), 1),
])
def test_target_out_of_range(shape, target):
    with pytest.raises(ValueError, match=rf"^target={target} is out of range") as info:
        make_windows(np.ones(shape), 2, target=target)
    assert f"{1 if len(shape) == 1 else shape[1]} feature" in str(info.value)


@pytest.mark.parametrize("target", [0.0, 1.5, "0", None, True, False])
def test_target_not_an_integer(target):
    with pytest.raises(ValueError, match=r"^target must be an integer"):
        make_windows(np.ones((10, 3)), 2, target=target)


# ---------------------------------------------------------------- the input is never touched

def test_float64_array_is_not_modified_and_not_shared():
    series = distinct_series(20, 2)
    before = series.copy()
    X, y = make_windows(series, 4, 2, target=1)
    np.testing.assert_array_equal(series, before)
    assert series.dtype == np.float64
    assert not np.shares_memory(X, series) and not np.shares_memory(y, series)
    X += 1000.0
    y[:] = -1.0
    np.testing.assert_array_equal(series, before)


@pytest.mark.parametrize("order", ["C", "F"])
def test_float32_array_is_not_modified_and_not_shared(order):
    # float32 in, float32 out: the one case where returning a view would be tempting.
    series = np.asarray(distinct_series(20, 3), dtype=np.float32, order=order)
    before = series.copy()
    X, y = make_windows(series, 5, 1, target=2)
    assert not np.shares_memory(X, series) and not np.shares_memory(y, series)
    X[...] = 0.0
    y[...] = 0.0
    np.testing.assert_array_equal(series, before)


def test_float32_1d_array_mutating_x_leaves_input_unchanged():
    series = np.arange(8, dtype=np.float32)
    X, y = make_windows(series, 8 - 1)
    X[0, 0, 0] = 99.0
    y[0, 0] = 99.0
    np.testing.assert_array_equal(series, np.arange(8, dtype=np.float32))


def test_list_is_not_modified():
    series = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]
    before = [row[:] for row in series]
    X, _ = make_windows(series, 2)
    X[...] = 0.0
    assert series == before


def test_read_only_input_is_accepted():
    series = distinct_series(10, None)
    series.flags.writeable = False
    X, _ = make_windows(series, 3)
    X[0, 0, 0] = 1.0  # the result is a private, writeable array
    assert not series.flags.writeable


def test_input_failing_validation_is_not_modified():
    series = np.arange(10.0)
    series[7] = np.nan
    before = series.copy()
    with pytest.raises(ValueError):
        make_windows(series, 3)
    np.testing.assert_array_equal(series, before)
