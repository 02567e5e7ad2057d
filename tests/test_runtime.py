"""make_reproducible: argument and environment checks first, then equal draws for equal seeds."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

from lstm_book import make_reproducible

QUIET = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}


@pytest.fixture
def quiet_env(monkeypatch):
    for key, value in QUIET.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def keras_unimportable(monkeypatch):
    """`import keras` fails inside the test: proves a check ran before Keras was needed."""
    monkeypatch.setitem(sys.modules, "keras", None)
    monkeypatch.setitem(sys.modules, "tensorflow", None)


@pytest.mark.parametrize("seed", [-1, 1.5, 0.0, "0", None, True, False, [0]], ids=repr)
def test_bad_seed_is_refused(quiet_env, keras_unimportable, seed):
    with pytest.raises(ValueError, match=r"^seed must be a non-negative integer"):
        make_reproducible(seed)


@pytest.mark.parametrize("missing", [["TF_ENABLE_ONEDNN_OPTS"], ["TF_CPP_MIN_LOG_LEVEL"],
                                     ["TF_ENABLE_ONEDNN_OPTS", "TF_CPP_MIN_LOG_LEVEL"]])
def test_missing_env_vars_are_named(monkeypatch, keras_unimportable, missing):
    for key, value in QUIET.items():
        if key in missing:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    with pytest.raises(RuntimeError, match="before the first `import keras`") as info:
        make_reproducible(0)
    message = str(info.value)
    for key, value in QUIET.items():
        assert (f"{key}={value}" in message) == (key in missing), message


@pytest.mark.parametrize("key, wrong", [("TF_ENABLE_ONEDNN_OPTS", "1"), ("TF_CPP_MIN_LOG_LEVEL", "2"),
                                        ("TF_CPP_MIN_LOG_LEVEL", "")])
def test_wrong_env_value_counts_as_missing(monkeypatch, keras_unimportable, key, wrong):
    for k, value in QUIET.items():
        monkeypatch.setenv(k, value)
    monkeypatch.setenv(key, wrong)
    with pytest.raises(RuntimeError, match=f"{key}={QUIET[key]}"):
        make_reproducible(0)


def test_env_check_needs_no_keras(quiet_env, keras_unimportable):
    # Control for the tests above: with the environment right, the function does go on to
    # import Keras, so the blocked import shows up here and not there.
    with pytest.raises(ImportError):
        make_reproducible(0)


# ---------------------------------------------------------------- with TensorFlow (one import, ~3 s)

@pytest.fixture(scope="module")
def keras():
    with pytest.MonkeyPatch.context() as mp:
        for key, value in QUIET.items():
            mp.setenv(key, value)  # as the notebooks do, before the first import
        import keras

        yield keras


def draws(keras):
    layer = keras.layers.Dense(3)
    layer.build((None, 4))
    return {
        "keras.random": keras.ops.convert_to_numpy(keras.random.normal((5,))),
        "initializer": layer.get_weights()[0],
        "numpy": np.random.rand(5),
        "python": [random.random() for _ in range(5)],
    }


def test_same_seed_same_draws(keras, quiet_env):
    make_reproducible(7)
    first = draws(keras)
    make_reproducible(7)  # a second call must work too (the runtime is initialised by now)
    second = draws(keras)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)


def test_other_seed_other_draws(keras, quiet_env):
    make_reproducible(7)
    first = draws(keras)
    make_reproducible(8)
    other = draws(keras)
    for key in first:
        assert not np.array_equal(first[key], other[key]), key


def test_determinism_and_one_thread(keras, quiet_env, monkeypatch):
    import tensorflow as tf

    calls = []
    real = tf.config.experimental.enable_op_determinism
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism",
                        lambda: (calls.append(True), real())[1])
    make_reproducible(0)
    assert calls == [True]
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    assert tf.config.threading.get_inter_op_parallelism_threads() == 1
