"""lstm_forward: the same numbers as a real Keras LSTM, consistent gates, strict input checks."""

from __future__ import annotations

import os

# As in the notebooks: set before Keras is imported, then make_reproducible() below.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_book import GATE_NAMES, lstm_forward, make_reproducible  # noqa: E402
from lstm_book.reference import sigmoid  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def reproducible_keras():
    """Seeds and one thread, set before this module runs its first Keras op (as a notebook does)."""
    make_reproducible(0)


TOL = dict(rtol=1e-5, atol=1e-5)

# (batch, timesteps, features, units)
SHAPES = [(1, 1, 1, 1), (3, 7, 2, 5), (2, 1, 4, 3), (4, 9, 1, 8)]


def random_case(batch, timesteps, features, units, seed=0, scale=0.6):
    """Input, weights (with a random bias, not Keras' initial one) and an initial state, in float32."""
    rng = np.random.default_rng(seed)

    def normal(*shape):
        return (rng.normal(size=shape) * scale).astype(np.float32)

    x = normal(batch, timesteps, features) / scale * 1.5
    weights = [normal(features, 4 * units), normal(units, 4 * units), normal(4 * units)]
    state = [normal(batch, units), normal(batch, units) / scale]
    return x, weights, state


def keras_lstm(x, weights, initial_state=None, **layer_kwargs):
    """(sequence, h, c) from a real Keras layer with the given weights."""
    units = weights[1].shape[0]
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True, **layer_kwargs)
    layer.build(x.shape)
    layer.set_weights(weights)
    if initial_state is None:
        outputs = layer(x)
    else:
        outputs = layer(x, initial_state=initial_state)
    return [keras.ops.convert_to_numpy(t) for t in outputs]


def test_keras_defaults_are_the_ones_reproduced():
    config = keras.layers.LSTM(3).get_config()
    assert config["activation"] == "tanh"
    assert config["recurrent_activation"] == "sigmoid"
    assert config["unit_forget_bias"] is True


@pytest.mark.parametrize("with_state", [False, True], ids=["zero_state", "initial_state"])
@pytest.mark.parametrize("batch, timesteps, features, units", SHAPES)
def test_matches_keras(batch, timesteps, features, units, with_state):
    x, weights, state = random_case(batch, timesteps, features, units, seed=batch * 100 + units)
    initial_state = state if with_state else None
    seq_k, h_k, c_k = keras_lstm(x, weights, initial_state)
    sequence, h, c = lstm_forward(x, *weights, initial_state=initial_state)
    assert sequence.shape == (batch, timesteps, units)
    assert h.shape == c.shape == (batch, units)
    assert sequence.dtype == h.dtype == c.dtype == np.float64
    np.testing.assert_allclose(sequence, seq_k, **TOL)
    np.testing.assert_allclose(h, h_k, **TOL)
    np.testing.assert_allclose(c, c_k, **TOL)
    np.testing.assert_array_equal(h, sequence[:, -1, :])


def test_initial_state_changes_the_result():
    x, weights, state = random_case(2, 3, 2, 4)
    without = lstm_forward(x, *weights)
    with_state = lstm_forward(x, *weights, initial_state=state)
    assert not np.allclose(without[0], with_state[0], atol=1e-3)


def test_matches_keras_with_its_own_initial_weights():
    x, _, _ = random_case(3, 6, 2, 4)
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    seq_k, h_k, c_k = [keras.ops.convert_to_numpy(t) for t in layer(x)]
    kernel, recurrent_kernel, bias = layer.get_weights()
    np.testing.assert_array_equal(bias[4:8], 1.0)  # unit_forget_bias: forget block starts at 1
    np.testing.assert_array_equal(np.delete(bias, np.s_[4:8]), 0.0)
    sequence, h, c = lstm_forward(x, kernel, recurrent_kernel, bias)
    for mine, theirs in ((sequence, seq_k), (h, h_k), (c, c_k)):
        np.testing.assert_allclose(mine, theirs, **TOL)


def test_bias_none_matches_use_bias_false():
    x, weights, state = random_case(2, 5, 3, 4)
    seq_k, h_k, c_k = keras_lstm(x, weights[:2], state, use_bias=False)
    sequence, h, c = lstm_forward(x, weights[0], weights[1], None, initial_state=state)
    for mine, theirs in ((sequence, seq_k), (h, h_k), (c, c_k)):
        np.testing.assert_allclose(mine, theirs, **TOL)


def test_return_gates_is_consistent_with_the_equations():
    x, weights, state = random_case(3, 7, 2, 5)
    sequence, h, c, gates = lstm_forward(x, *weights, initial_state=state, return_gates=True)
    assert set(gates) == {*GATE_NAMES, "c"}
    for name in gates:
        assert gates[name].shape == (3, 7, 5) and gates[name].dtype == np.float64
    for name in ("i", "f", "o"):
        assert np.all((gates[name] > 0) & (gates[name] < 1)), name
    assert np.all(np.abs(gates["g"]) < 1)
    c_prev = np.concatenate([np.asarray(state[1], np.float64)[:, None, :], gates["c"][:, :-1]], axis=1)
    np.testing.assert_allclose(gates["c"], gates["f"] * c_prev + gates["i"] * gates["g"], rtol=1e-12)
    np.testing.assert_allclose(sequence, gates["o"] * np.tanh(gates["c"]), rtol=1e-12)
    np.testing.assert_array_equal(c, gates["c"][:, -1])
    # Without return_gates the same three arrays come back, and only them.
    plain = lstm_forward(x, *weights, initial_state=state)
    assert isinstance(plain, tuple) and len(plain) == 3
    for a, b in zip(plain, (sequence, h, c)):
        np.testing.assert_array_equal(a, b)


def test_gate_order_is_i_f_g_o():
    """One step from a zero state, computed by hand from the four column blocks."""
    x, (kernel, recurrent_kernel, bias), _ = random_case(2, 1, 3, 4)
    u = 4
    z = x[:, 0, :].astype(np.float64) @ kernel + bias
    i, f, g, o = (z[:, k * u:(k + 1) * u] for k in range(4))
    c_expected = sigmoid(i) * np.tanh(g)  # f multiplies c0 = 0
    h_expected = sigmoid(o) * np.tanh(c_expected)
    _, h, c, gates = lstm_forward(x, kernel, recurrent_kernel, bias, return_gates=True)
    np.testing.assert_allclose(c, c_expected, rtol=1e-12)
    np.testing.assert_allclose(h, h_expected, rtol=1e-12)
    np.testing.assert_allclose(gates["f"][:, 0], sigmoid(f), rtol=1e-12)


def test_sigmoid_is_the_logistic_function_and_never_overflows():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-300)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid(-1e4) == 0.0 and sigmoid(1e4) == 1.0


def test_inputs_are_untouched_and_lists_are_accepted():
    x, weights, state = random_case(2, 3, 2, 3)
    copies = [a.copy() for a in (x, *weights, *state)]
    result = lstm_forward(x, *weights, initial_state=state)
    for original, copy in zip((x, *weights, *state), copies):
        np.testing.assert_array_equal(original, copy)
    as_lists = lstm_forward(x.tolist(), *(w.tolist() for w in weights),
                            initial_state=tuple(s.tolist() for s in state))
    for a, b in zip(result, as_lists):
        np.testing.assert_array_equal(a, b)


def _bad(**changes):
    """Valid arguments for (batch, timesteps, features, units) = (2, 3, 2, 3), with some replaced."""
    x, (kernel, recurrent_kernel, bias), state = random_case(2, 3, 2, 3)
    args = dict(x=x, kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias, initial_state=state)
    for key, make in changes.items():
        args[key] = make(args[key])
    return args


def _with_nan(a):
    a = np.array(a, dtype=np.float64)
    a.flat[0] = np.nan
    return a


BAD_CASES = [
    ("x_2d", _bad(x=lambda x: x[0]), "x must be 3-D"),
    ("x_4d", _bad(x=lambda x: x[None]), "x must be 3-D"),
    ("x_empty", _bad(x=lambda x: x[:, :0]), "x must not be empty"),
    ("x_nan", _bad(x=_with_nan), "x must hold finite"),
    ("x_inf", _bad(x=lambda x: x * np.inf), "x must hold finite"),
    ("x_text", _bad(x=lambda x: np.full(x.shape, "a")), "x must hold real numbers"),
    ("x_complex", _bad(x=lambda x: x + 1j), "x must hold real numbers"),
    ("x_ragged", _bad(x=lambda x: [[[1.0]], [[1.0, 2.0]]]), "x could not be read"),
    ("kernel_1d", _bad(kernel=lambda k: k.ravel()), "kernel must be 2-D"),
    ("kernel_3d", _bad(kernel=lambda k: k[None]), "kernel must be 2-D"),
    ("kernel_width", _bad(kernel=lambda k: k[:, :-1]), "kernel must have 4 \\* units columns"),
    ("kernel_features", _bad(kernel=lambda k: np.vstack([k, k])), "kernel has 4 rows but x has 2 features"),
    ("kernel_nan", _bad(kernel=_with_nan), "kernel must hold finite"),
    ("recurrent_rows", _bad(recurrent_kernel=lambda r: r[:-1]), "recurrent_kernel must be \\(units, 4"),
    ("recurrent_cols", _bad(recurrent_kernel=lambda r: r[:, :-4]), "recurrent_kernel must be \\(units, 4"),
    ("recurrent_1d", _bad(recurrent_kernel=lambda r: r.ravel()), "recurrent_kernel must be 2-D"),
    ("recurrent_nan", _bad(recurrent_kernel=_with_nan), "recurrent_kernel must hold finite"),
    ("bias_length", _bad(bias=lambda b: b[:-1]), "bias must be \\(4 \\* units,\\)"),
    ("bias_2d", _bad(bias=lambda b: b[None]), "bias must be 1-D"),
    ("bias_nan", _bad(bias=_with_nan), "bias must hold finite"),
    ("state_array", _bad(initial_state=lambda s: np.stack(s)), "initial_state must be a pair"),
    ("state_single", _bad(initial_state=lambda s: s[:1]), "initial_state must be a pair"),
    ("state_triple", _bad(initial_state=lambda s: [*s, s[0]]), "initial_state must be a pair"),
    ("h0_shape", _bad(initial_state=lambda s: [s[0][:1], s[1]]), "initial_state\\[0\\] \\(h0\\) must be \\(batch, units\\)"),
    ("c0_shape", _bad(initial_state=lambda s: [s[0], s[1][:, :2]]), "initial_state\\[1\\] \\(c0\\) must be \\(batch, units\\)"),
    ("h0_1d", _bad(initial_state=lambda s: [s[0][0], s[1]]), "initial_state\\[0\\] \\(h0\\) must be 2-D"),
    ("c0_nan", _bad(initial_state=lambda s: [s[0], _with_nan(s[1])]), "initial_state\\[1\\] \\(c0\\) must hold finite"),
]


@pytest.mark.parametrize("args, message", [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_arguments_raise_value_error_naming_them(args, message):
    with pytest.raises(ValueError, match=message):
        lstm_forward(**args)


def test_return_gates_must_be_a_bool():
    x, weights, _ = random_case(1, 1, 1, 1)
    with pytest.raises(ValueError, match="return_gates"):
        lstm_forward(x, *weights, return_gates="yes")
