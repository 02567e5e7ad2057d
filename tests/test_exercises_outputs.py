"""Chapter 10's checks, played as a learner: every right form passes, no wrong answer does.

Each test gives a check the answers learners really write. Right answers pass in every
sensible form (a lambda or a def, a copy, nested lists, a Keras tensor); each typical
mistake fails with its own hint; None, strings, dicts, NaN, wrong dtypes and wrong shapes
get a verdict, never a traceback; and no failing verdict prints the expected values. The
fixtures come from the NumPy LSTM, so only the Keras-specific cases build Keras objects.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_book import exercises, lstm_forward  # noqa: E402
from lstm_book.reference import sigmoid  # noqa: E402
from verdicts import run, hides  # noqa: E402


def lstm_run(batch, timesteps, units, features=1, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, features))
    weights = (rng.normal(0, 0.7, (features, 4 * units)), rng.normal(0, 0.7, (units, 4 * units)),
               rng.normal(0, 0.5, 4 * units))
    seq, h, c = lstm_forward(x, *weights)
    return seq.astype(np.float32), h.astype(np.float32)


# --- Exercise 1: last_step_of ----------------------------------------------------------------

@pytest.fixture(scope="module")
def ex1():
    return lstm_run(44, 12, 8)  # seq_out, last_out


def def_with_return(seq):
    return seq[:, -1, :]


def def_without_return(seq):
    seq[:, -1, :]


@pytest.mark.parametrize("answer", [
    lambda seq: seq[:, -1, :],
    lambda seq: seq[:, -1],
    def_with_return,
    lambda seq: seq[:, seq.shape[1] - 1],
    lambda seq: np.take(seq, -1, axis=1),
    lambda seq: seq[:, -1].copy(),
    lambda seq: seq[:, -1].tolist(),
    lambda seq: seq.transpose(1, 0, 2)[-1],
    lambda seq: seq[:, ::-1][:, 0].astype(np.float64),
], ids=["lambda", "short", "def", "shape", "take", "copy", "tolist", "transpose", "reversed"])
def test_last_step_right_answers(capsys, ex1, answer):
    result, line = run(capsys, exercises.last_step, answer, *ex1)
    assert result and line == "Correct: last_step_of: right on seq_out and on 2 fresh batches"


def test_last_step_accepts_keras_tensors(capsys, ex1, keras):
    for answer in (lambda seq: keras.ops.take(seq, -1, axis=1),
                   lambda seq: keras.ops.convert_to_tensor(seq)[:, -1]):
        assert run(capsys, exercises.last_step, answer, *ex1)[0]


@pytest.mark.parametrize("make, text", [
    (lambda s, last: None, "got None: write a function of (seq)"),
    (lambda s, last: s[:, -1], "got an array; expected a function of (seq)"),
    (lambda s, last: "seq[:, -1]", "got a str"),
    (lambda s, last: {"seq": 1}, "got a dict"),
    (lambda s, last: (lambda seq: last), "the same values whatever input"),
    (lambda s, last: (lambda seq: last.copy()), "the same values whatever input"),
    (lambda s, last: (lambda seq: seq[:, -1:]), "the time axis is kept"),
    (lambda s, last: (lambda seq: seq[:, -1:, :]), "the time axis is kept"),
    (lambda s, last: (lambda seq: seq[-1]), "indexes the batch axis"),
    (lambda s, last: (lambda seq: seq[:, :, -1]), "indexes the units axis"),
    (lambda s, last: (lambda seq: seq[:, 0]), "that is the first timestep"),
    (lambda s, last: (lambda seq: seq[:, 10]), "timestep 11 of 12, not the last"),
    (lambda s, last: (lambda seq: seq[:, 11]), "(3, 20, 5): that is timestep 12 of 20"),
    (lambda s, last: (lambda seq: seq), "that is the whole sequence"),
    (lambda s, last: (lambda seq: seq.mean(axis=1)), "the values are not"),
    (lambda s, last: (lambda seq: seq[:, -1, 0]), "one vector per sample"),
    (lambda s, last: def_without_return, "returned None: did you forget `return`?"),
    (lambda s, last: (lambda seq: seq[:, 12]), "it raised IndexError"),
    (lambda s, last: (lambda seq, units: seq), "it raised TypeError"),
    (lambda s, last: (lambda seq: "last"), "something else than numbers"),
    (lambda s, last: (lambda seq: np.full_like(seq[:, -1], np.nan)), "NaN"),
    (lambda s, last: (lambda seq: seq[:, -1] > 0), "True/False"),
    (lambda s, last: (lambda seq: seq[:, -1].astype(int)), "the values are not"),
])
def test_last_step_wrong_answers(capsys, ex1, make, text):
    seq, last = ex1
    result, line = run(capsys, exercises.last_step, make(seq, last), seq, last)
    assert not result and text in line, line
    hides(line, last)


def test_last_step_rejects_bad_references():
    seq, last = lstm_run(4, 5, 3)
    with pytest.raises(ValueError, match="seq_out must be 3-D"):
        exercises.last_step(lambda s: s[:, -1], seq[:, -1], last)
    with pytest.raises(ValueError, match="last_out must be"):
        exercises.last_step(lambda s: s[:, -1], seq, seq[:, :, 0])


# --- Exercise 2: trajectories ----------------------------------------------------------------

@pytest.fixture(scope="module")
def ex2():
    seq, _ = lstm_run(10, 12, 8, seed=2)
    return seq, 7, 2  # seq_out, i_rise, i_fall


def test_trajectories_right_answers(capsys, ex2):
    seq, i_rise, i_fall = ex2
    forms = [(seq[i_rise], seq[i_fall]), (seq[i_rise].copy(), seq[i_fall].tolist()),
             (seq[[i_rise]][0], seq[i_fall].astype(np.float64) + 1e-7)]
    for traj_rise, traj_fall in forms:
        result, line = run(capsys, exercises.trajectories, traj_rise, traj_fall, *ex2)
        assert result, line
    assert line == ("Correct: traj_rise and traj_fall are the hidden-state paths of both "
                    "windows")


def test_trajectories_accept_keras_tensors(capsys, ex2, keras):
    seq, i_rise, i_fall = ex2
    both = keras.ops.convert_to_tensor(seq[[i_rise, i_fall]])
    assert run(capsys, exercises.trajectories, both[0], both[1], *ex2)[0]


@pytest.mark.parametrize("make, text", [
    (lambda s, r, f: (None, None), "traj_rise: got None"),
    (lambda s, r, f: (s[r], None), "traj_fall: got None"),
    (lambda s, r, f: (s[f], s[r]), "traj_rise: that is window i_fall's path: are the two "
                                   "swapped?"),
    (lambda s, r, f: (s[r], s[r]), "traj_fall: that is window i_rise's path"),
    (lambda s, r, f: (s[r + 1], s[f]), "that is the path of window 8, not of i_rise"),
    (lambda s, r, f: (s[[r]], s[f]), "it keeps a batch axis of size 1"),
    (lambda s, r, f: (s[[r, f]], s[f]), "that holds both windows"),
    (lambda s, r, f: (s[r, -1], s[f]), "that is a single step"),
    (lambda s, r, f: (s[r].T, s[f]), "it is transposed"),
    (lambda s, r, f: (s[r, :, 0], s[f]), "one column per unit (8 units)"),
    (lambda s, r, f: (s[:, r], s[f]), "that indexes the time axis (axis 1)"),
    (lambda s, r, f: ("s[7]", s[f]), "got a str"),
    (lambda s, r, f: ({"rise": s[r]}, s[f]), "got a dict"),
    (lambda s, r, f: (np.full_like(s[r], np.nan), s[f]), "NaN"),
    (lambda s, r, f: (s[r].astype(int), s[f]), "the values are not"),
    (lambda s, r, f: (s[r] + 0.01, s[f]), "the values are not"),
])
def test_trajectories_wrong_answers(capsys, ex2, make, text):
    seq, i_rise, i_fall = ex2
    result, line = run(capsys, exercises.trajectories, *make(seq, i_rise, i_fall), *ex2)
    assert not result and text in line, line
    hides(line, seq[i_rise])


def test_trajectories_reject_bad_references():
    seq, _ = lstm_run(3, 4, 2)
    with pytest.raises(ValueError, match="i_rise must be a window index"):
        exercises.trajectories(seq[0], seq[1], seq, 3, 1)
    with pytest.raises(ValueError, match="i_fall must be a window index"):
        exercises.trajectories(seq[0], seq[1], seq, 0, True)


# --- Exercise 3: stack_shapes ----------------------------------------------------------------

@pytest.fixture(scope="module")
def stack(keras):
    return keras.Sequential([
        keras.Input(shape=(12, 1), name="window"),
        keras.layers.LSTM(16, return_sequences=True, name="lstm_1"),
        keras.layers.LSTM(8, return_sequences=True, name="lstm_2"),
        keras.layers.LSTM(4, name="lstm_3"),
        keras.layers.Dense(1, name="forecast"),
    ], name="stack")


RIGHT_SHAPES = [(None, 12, 16), (None, 12, 8), (None, 4), (None, 1)]


def test_stack_shapes_right_answers(capsys, stack):
    forms = [RIGHT_SHAPES, tuple(RIGHT_SHAPES), [list(s) for s in RIGHT_SHAPES],
             [(None, np.int64(12), 16), (None, 12, 8), (None, 4), (None, 1)],
             [layer.output.shape for layer in stack.layers]]
    for shapes in forms:
        result, line = run(capsys, exercises.stack_shapes, shapes, stack)
        assert result and line == "Correct: shapes: all 4 layer output shapes match"


@pytest.mark.parametrize("shapes, text", [
    (None, "got None: replace None with a list of shape tuples"),
    ("[(None, 12, 16)]", "expected a list of 4 shape tuples, got a str"),
    ({"lstm_1": (None, 12, 16)}, "got a dict"),
    (12, "got an int"),
    ((None, 1), "that is one shape; expected a list of 4, one per layer"),
    ([(12, 16), (12, 8), (4,), (1,)], "lstm_1: (12, 16) has no batch axis"),
    ([(None, 16), (None, 12, 8), (None, 4), (None, 1)], "lstm_1 has return_sequences=True"),
    ([(None, 12, 16), (None, 8), (None, 4), (None, 1)], "lstm_2 has return_sequences=True"),
    ([(None, 12, 16), (None, 12, 8), (None, 12, 4), (None, 12, 1)],
     "lstm_3 has return_sequences=False"),
    ([(44, 12, 16), (44, 12, 8), (44, 4), (44, 1)], "the batch size is None"),
    ([(None, 12, 1), *RIGHT_SHAPES], "the first shape is the input's"),
    (RIGHT_SHAPES[:3], "expected one shape per layer of stack.layers (4), got 3"),
    ([(None, 12, 8), (None, 12, 8), (None, 4), (None, 1)], "lstm_1: the last axis has one "
                                                           "entry per unit"),
    ([(None, 16, 12), (None, 12, 8), (None, 4), (None, 1)], "lstm_1: the last axis"),
    ([(None, 1, 16), (None, 12, 8), (None, 4), (None, 1)], "the time axis keeps the length"),
    ([(None, 12, 16), (None, 12, 8), (None, 4), (None,)], "forecast: Dense changes only"),
    ([(None, 12.0, 16), (None, 12, 8), (None, 4), (None, 1)],
     "item 0 holds something else than ints and None"),
    ([(None, 12, 16), "(None, 12, 8)", (None, 4), (None, 1)], "item 1 is a str"),
    ([(None, 12, 16), (None, 12, 8), (None, 4), None], "item 3 is a NoneType"),
])
def test_stack_shapes_wrong_answers(capsys, stack, shapes, text):
    result, line = run(capsys, exercises.stack_shapes, shapes, stack)
    assert not result and text in line, line
    for right in RIGHT_SHAPES:  # never the expected shapes (the answer itself)
        if str(right) not in str(shapes):
            assert str(right) not in line, line


def test_stack_shapes_rejects_a_model_without_layers():
    with pytest.raises(ValueError, match="stack must be a built Keras model"):
        exercises.stack_shapes(RIGHT_SHAPES, object())


# --- Exercise 4: backward_final_of -----------------------------------------------------------

def bidirectional(batch, timesteps, units, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, 1))

    def weights():
        return (rng.normal(0, 0.7, (1, 4 * units)), rng.normal(0, 0.7, (units, 4 * units)),
                rng.normal(0, 0.5, 4 * units))

    forward, _, _ = lstm_forward(x, *weights())
    backward, backward_h, _ = lstm_forward(x[:, ::-1], *weights())
    return np.concatenate([forward, backward[:, ::-1]], axis=-1), backward_h


@pytest.fixture(scope="module")
def ex4():
    return bidirectional(44, 12, 4, seed=4)  # bi_seq, bwd_h


@pytest.mark.parametrize("answer", [
    lambda seq, units: seq[:, 0, units:],
    lambda seq, units: seq[:, 0, -units:],
    lambda seq, units: np.split(seq, 2, axis=-1)[1][:, 0],
    lambda seq, units: seq[..., units:][:, 0].copy().tolist(),
    lambda seq, units: seq[:, 0, seq.shape[-1] // 2:],
])
def test_backward_final_right_answers(capsys, ex4, answer):
    result, line = run(capsys, exercises.backward_final, answer, *ex4)
    assert result and line == ("Correct: backward_final_of: right on bi_seq and on 2 fresh "
                               "layers")


@pytest.mark.parametrize("make, text", [
    (lambda h: None, "got None: write a function of (seq, units)"),
    (lambda h: h, "got an array"),
    (lambda h: (lambda seq, units: h), "the same values whatever input"),
    (lambda h: (lambda seq, units: seq[:, -1, units:]), "backward half at the last index"),
    (lambda h: (lambda seq, units: seq[:, -1, :units]), "forward final state"),
    (lambda h: (lambda seq, units: seq[:, 0, :units]), "the forward half at t = 1"),
    (lambda h: (lambda seq, units: seq[:, 0]), "it keeps both directions"),
    (lambda h: (lambda seq, units: seq[:, -1]), "it keeps both directions"),
    (lambda h: (lambda seq, units: seq[:, :, units:]), "the whole backward sequence"),
    (lambda h: (lambda seq, units: seq), "that is the whole output"),
    (lambda h: (lambda seq, units: seq[:, 0, 4:]), "it fits the notebook's layer only"),
    (lambda h: (lambda seq, units: seq[:, 0, 4:8]), "it fits the notebook's layer only"),
    (lambda h: (lambda seq: seq[:, 0]), "it raised TypeError"),
    (lambda h: (lambda seq, units: None), "returned None"),
])
def test_backward_final_wrong_answers(capsys, ex4, make, text):
    bi_seq, bwd_h = ex4
    result, line = run(capsys, exercises.backward_final, make(bwd_h), bi_seq, bwd_h)
    assert not result and text in line, line
    hides(line, bwd_h)


def test_backward_final_rejects_bad_references(ex4):
    bi_seq, bwd_h = ex4
    with pytest.raises(ValueError, match="bi_seq must be"):
        exercises.backward_final(lambda s, u: s, bi_seq[..., :6], bwd_h)


# --- Exercise 5: last_right and last_left ----------------------------------------------------

def right_answer(seq, lengths):
    return seq[np.arange(len(lengths)), lengths - 1]


def left_answer(seq, lengths):
    return seq[:, -1]


def right_loop(seq, lengths):
    return [seq[i, n - 1] for i, n in enumerate(lengths)]


def right_take(seq, lengths):
    return np.take_along_axis(seq, (lengths - 1)[:, None, None], axis=1)[:, 0]


@pytest.mark.parametrize("last_right, last_left", [
    (right_answer, left_answer),
    (right_loop, lambda seq, lengths: [row[-1] for row in seq]),
    (right_take, lambda seq, lengths: seq[np.arange(len(seq)), seq.shape[1] - 1]),
    (lambda seq, lengths: np.stack([s[n - 1] for s, n in zip(seq, lengths)]),
     lambda seq, lengths: seq[:, -1].copy()),
])
def test_last_real_right_answers(capsys, last_right, last_left):
    result, line = run(capsys, exercises.last_real, last_right, last_left)
    assert result and line == ("Correct: last_right and last_left find the last real step, "
                               "CPU or GPU")


@pytest.mark.parametrize("last_right, last_left, text", [
    (None, None, "last_right: got None: write a function of (seq, lengths)"),
    (right_answer, None, "last_left: got None"),
    (lambda seq, lengths: seq[:, -1], left_answer,
     "last_right: on right padding as on a GPU: seq[:, -1] is a padded step"),
    (lambda seq, lengths: seq[:, lengths - 1], left_answer,
     "pair each sample with its own length"),
    (lambda seq, lengths: seq[np.arange(len(lengths)), lengths], left_answer,
     "it raised IndexError"),
    (lambda seq, lengths: seq[:, 0], left_answer, "that is step 0 of every sequence"),
    (lambda seq, lengths: seq, left_answer, "that is the whole sequence"),
    (right_answer, right_answer, "last_left: on a left-padded batch: index length - 1 is "
                                 "the end only for right padding"),
    (right_answer, lambda seq, lengths: seq[np.arange(len(seq)), seq.shape[1] - lengths],
     "each sequence's first real step"),
    (right_answer, lambda seq, lengths: seq[:, 0], "a padded one for short sequences"),
    (left_answer, right_answer, "last_right"),
    (right_answer, lambda seq: seq[:, -1], "it raised TypeError"),
    (right_answer, "seq[:, -1]", "got a str"),
    (right_answer, np.zeros((3, 4)), "got an array"),
])
def test_last_real_wrong_answers(capsys, last_right, last_left, text):
    result, line = run(capsys, exercises.last_real, last_right, last_left)
    assert not result and text in line, line


def test_last_real_catches_a_copied_value(capsys):
    fixed = np.zeros((4, 3))
    result, line = run(capsys, exercises.last_real, lambda seq, lengths: fixed, left_answer)
    assert not result and "the same values whatever input" in line


# --- Exercise 6: one LSTM step ---------------------------------------------------------------

@pytest.fixture(scope="module")
def ex6():
    rng = np.random.default_rng(6)
    weights = [rng.normal(0, 0.6, (2, 12)).astype(np.float32),
               rng.normal(0, 0.6, (3, 12)).astype(np.float32),
               rng.normal(0, 0.5, 12).astype(np.float32)]
    x_1 = np.array([[[1.5, -1.0]]], np.float32)
    h_0 = rng.normal(0, 0.5, (1, 3)).astype(np.float32)
    c_0 = rng.normal(0, 1.0, (1, 3)).astype(np.float32)
    return x_1, h_0, c_0, weights


def step(x_1, h_0, c_0, weights, order="ifgo", bias=True, recurrent=True, old=True,
         g_act=np.tanh, gate=sigmoid, h_kind="o*tanh(c)"):
    kernel, recurrent_kernel, b = (np.asarray(w, np.float64) for w in weights)
    z = x_1[:, 0] @ kernel + (h_0 @ recurrent_kernel if recurrent else 0) + (b if bias else 0)
    blocks = dict(zip(order, np.split(z, 4, axis=-1)))
    i, f, o = gate(blocks["i"]), gate(blocks["f"]), gate(blocks["o"])
    g = g_act(blocks["g"])
    c = (f * c_0 if old else 0) + i * g
    h = {"o*tanh(c)": o * np.tanh(c), "o*c": o * c, "tanh(c)": np.tanh(c),
         "o*tanh(c0)": o * np.tanh(c_0)}[h_kind]
    return h, c


def test_lstm_step_right_answers(capsys, ex6):
    x_1, h_0, c_0, weights = ex6
    h, c = step(*ex6)
    _, ref_h, ref_c = lstm_forward(x_1, *weights, initial_state=(h_0, c_0))
    forms = [(h, c), (h.astype(np.float32), c.astype(np.float32)), (h.tolist(), c.tolist()),
             (ref_h, ref_c)]
    for h_1, c_1 in forms:
        result, line = run(capsys, exercises.lstm_step, h_1, c_1, *ex6)
        assert result and line == ("Correct: h_1 and c_1 match the layer's step, every "
                                   "term included")


def test_lstm_step_reads_a_keras_layer_and_tensors(capsys, ex6, keras):
    x_1, h_0, c_0, weights = ex6
    layer = keras.layers.LSTM(3, return_state=True)
    layer.build((1, 1, 2))
    layer.set_weights(weights)
    _, keras_h, keras_c = layer(x_1, initial_state=[h_0, c_0])
    result, _ = run(capsys, exercises.lstm_step, keras_h, keras_c, x_1, h_0, c_0, layer)
    assert result


@pytest.mark.parametrize("mistake, text", [
    (dict(bias=False), "c_1: you left out the bias b"),
    (dict(recurrent=False), "c_1: you left out the recurrent term h_0 U"),
    (dict(old=False), "c_1: you left out f * c_0"),
    (dict(g_act=sigmoid), "c_1: the candidate g uses tanh, not the sigmoid"),
    (dict(g_act=lambda z: z), "the candidate g needs its tanh"),
    (dict(gate=lambda z: z), "the gates i, f and o need the sigmoid"),
    (dict(order="ifog"), "c_1: you read the blocks in the order i, f, o, g"),
    (dict(order="fiog"), "c_1: you read the blocks in the order f, i, o, g"),
    (dict(order="figo"), "in the order f, i, g, o"),
    (dict(order="ogif"), "in the order o, g, i, f"),
    (dict(h_kind="o*c"), "h_1: the tanh is missing: h_1 = o * tanh(c_1)"),
    (dict(h_kind="tanh(c)"), "h_1: the output gate o is missing"),
    (dict(h_kind="o*tanh(c0)"), "h_1: h_1 uses the new cell state c_1, not c_0"),
])
def test_lstm_step_names_each_mistake(capsys, ex6, mistake, text):
    h_1, c_1 = step(*ex6, **mistake)
    result, line = run(capsys, exercises.lstm_step, h_1, c_1, *ex6)
    assert not result and text in line, line
    h, c = step(*ex6)
    hides(line, np.r_[h.ravel(), c.ravel()])


@pytest.mark.parametrize("make, text", [
    (lambda h, c: (None, None), "h_1: got None"),
    (lambda h, c: (h, None), "c_1: got None"),
    (lambda h, c: (c, h), "h_1 and c_1 are swapped"),
    (lambda h, c: (h[None], c[None]), "h_1: it has a timestep axis"),
    (lambda h, c: (h[0], c[0]), "h_1: keep the batch axis"),
    (lambda h, c: (np.zeros((1, 12)), c), "that is 4 * units wide"),
    (lambda h, c: ("h", c), "h_1: got a str"),
    (lambda h, c: (h, {"c": c}), "c_1: got a dict"),
    (lambda h, c: (h, np.full_like(c, np.nan)), "c_1: contains NaN"),
    (lambda h, c: (h, c.astype(int)), "c_1:"),
    (lambda h, c: (h, np.round(c, 2)), "c_1: you rounded it"),
    (lambda h, c: (h + 0.01, c), "h_1: the shape is right, but the values are not"),
    (lambda h, c: (c, c), "h_1: h_1 equals c_1"),
])
def test_lstm_step_odd_answers_get_a_verdict(capsys, ex6, make, text):
    h, c = step(*ex6)
    result, line = run(capsys, exercises.lstm_step, *make(h, c), *ex6)
    assert not result and text in line, line


def test_lstm_step_refuses_inputs_that_hide_a_term(ex6):
    x_1, h_0, c_0, weights = ex6
    h, c = step(*ex6)
    with pytest.raises(ValueError, match="h_0 is all zeros"):
        exercises.lstm_step(h, c, x_1, 0 * h_0, c_0, weights)
    with pytest.raises(ValueError, match="c_0 is all zeros"):
        exercises.lstm_step(h, c, x_1, h_0, 0 * c_0, weights)
    no_forget_bias = [weights[0], weights[1], weights[2].copy()]
    no_forget_bias[2][3:6] = 0.0
    with pytest.raises(ValueError, match="every gate block of bias"):
        exercises.lstm_step(h, c, x_1, h_0, c_0, no_forget_bias)
    with pytest.raises(ValueError, match="x_1 must be"):
        exercises.lstm_step(h, c, np.ones((1, 1, 3)), h_0, c_0, weights)
    with pytest.raises(ValueError, match="layer must be an LSTM layer"):
        exercises.lstm_step(h, c, x_1, h_0, c_0, weights[:2])


# --- More learner answers, tried in a kernel after "Run All" ---------------------------------

def test_last_step_more_wrong_answers(capsys, ex1):
    seq, last = ex1
    for answer, text in [
            (lambda s: seq[:, -1], "the same values whatever input"),  # the notebook's seq_out
            (lambda s: np.round(s[:, -1], 3), "you rounded it"),
            (lambda s: s[:, -1].astype(np.float16), "float16 keeps about 3 digits"),
            (3, "got a number; expected a function of (seq)"),
            (lambda s: [str(v) for v in s[:, -1, 0]], "got text")]:
        result, line = run(capsys, exercises.last_step, answer, seq, last)
        assert not result and text in line, line
        hides(line, last)


def test_last_step_hides_what_the_function_prints(capsys, ex1):
    def chatty(seq):
        print("shape:", seq.shape)
        return seq[:, -1]

    result, line = run(capsys, exercises.last_step, chatty, *ex1)  # run() wants one line
    assert result, line


def test_trajectories_more_wrong_answers(capsys, ex2):
    seq, i_rise, i_fall = ex2
    window = np.random.default_rng(0).normal(size=(12, 1))  # an input window, 1 feature
    for traj_rise, text in [
            (window, "one column, like the input window"),
            (seq[i_rise, ::-1], "the timesteps are in reverse order"),
            (np.round(seq[i_rise], 3), "you rounded it"),
            (seq[i_rise].astype(np.float16), "float16"),
            (i_rise, "expected shape (12, 8), got ()")]:
        result, line = run(capsys, exercises.trajectories, traj_rise, seq[i_fall], *ex2)
        assert not result and line.startswith("Not yet: traj_rise: ") and text in line, line


@pytest.mark.parametrize("shapes, text", [
    ([(-1, 12, 16), (-1, 12, 8), (-1, 4), (-1, 1)], "lstm_1: Keras writes an open batch size "
                                                    "as None, not -1"),
    ([16, 8, 4, 1], "4 numbers, one per layer: give each layer's whole output shape"),
    ([(None, 12, 1), (None, 12, 16), (None, 12, 8), (None, 4)],
     "the first shape is the input's"),
])
def test_stack_shapes_more_wrong_answers(capsys, stack, shapes, text):
    result, line = run(capsys, exercises.stack_shapes, shapes, stack)
    assert not result and text in line, line


def test_backward_final_more_wrong_answers(capsys, ex4):
    bi_seq, bwd_h = ex4
    bwd_c = np.random.default_rng(1).normal(size=bwd_h.shape)
    for answer, text in [
            (lambda seq, units: seq[:, 1, units:], "the backward half at index 1"),
            (lambda seq, units: seq[:, 5, units:], "the backward half at index 5"),
            (lambda seq, units: bi_seq[:, 0, units:], "it returns 44 rows for a batch of 3"),
            (lambda seq, units: bwd_c, "the same values whatever input")]:
        result, line = run(capsys, exercises.backward_final, answer, bi_seq, bwd_h)
        assert not result and text in line, line
        hides(line, bwd_h)


def test_last_real_more_wrong_answers(capsys):
    notebook_single = np.zeros((3, 4))  # the notebook's single_right, not a function of seq
    for last_right, text in [
            (lambda seq, lengths: seq[np.arange(len(seq)), lengths - 2],
             "the step before the last real one"),
            (lambda seq, lengths: seq[:, min(lengths) - 1], "that is step 0 of every sequence"),
            (lambda seq, lengths: notebook_single, "the same values whatever input")]:
        result, line = run(capsys, exercises.last_real, last_right, left_answer)
        assert not result and line.startswith("Not yet: last_right: ") and text in line, line


def step_variant(x_1, h_0, c_0, weights, *, rec=None, old=None, interleaved=False,
                 cell="f*c0+i*g", bias=None, h_gate="o", h_form="o*tanh(c)"):
    """The step a learner computes with one of the mistakes chapter 10 names."""
    kernel, recurrent_kernel, b = (np.asarray(w, np.float64) for w in weights)
    b = b if bias is None else bias
    rec = h_0 if rec is None else rec
    old = c_0 if old is None else old
    z = x_1[:, 0] @ kernel + rec @ recurrent_kernel + b
    parts = [z[:, k::4] for k in range(4)] if interleaved else np.split(z, 4, axis=-1)
    zi, zf, zg, zo = parts
    i, f, g, o = sigmoid(zi), sigmoid(zf), np.tanh(zg), sigmoid(zo)
    c = {"f*c0+i*g": f * old + i * g, "f*c0+g": f * old + g, "f*c0+i": f * old + i,
         "f*c0+(1-f)*g": f * old + (1 - f) * g, "c0+i*g": old + i * g}[cell]
    gate = {"o": o, "i": i, "f": f}[h_gate]
    h = {"o*tanh(c)": gate * np.tanh(c), "tanh(o*c)": np.tanh(gate * c)}[h_form]
    return h, c


def test_lstm_step_names_more_mistakes(capsys, ex6):
    x_1, h_0, c_0, weights = ex6
    initial_bias = np.r_[np.zeros(3), np.ones(3), np.zeros(6)]
    zeros = np.zeros_like(h_0)
    for kwargs, text in [
            (dict(old=h_0), "c_1: the old cell state in f * c_0 is c_0, not h_0"),
            (dict(rec=c_0), "c_1: the recurrent term is h_0 U, with h_0, not c_0"),
            (dict(rec=c_0, old=h_0), "c_1: h_0 and c_0 are swapped"),
            (dict(rec=zeros, old=zeros), "c_1: you started from h = c = 0"),
            (dict(interleaved=True), "c_1: the gates are 4 blocks of 3 columns"),
            (dict(cell="f*c0+g"), "c_1: the input gate scales the candidate: i * g"),
            (dict(cell="f*c0+i"), "c_1: the input gate scales the candidate: i * g"),
            (dict(cell="f*c0+(1-f)*g"), "c_1: Keras's input gate is its own gate i"),
            (dict(cell="c0+i*g"), "c_1: the forget gate scales the old cell"),
            (dict(bias=initial_bias), "c_1: that uses a new layer's bias"),
            (dict(h_gate="f"), "h_1: h_1 uses the output gate o, the fourth block, not f"),
            (dict(h_gate="i"), "h_1: h_1 uses the output gate o, the fourth block, not i"),
            (dict(h_form="tanh(o*c)"), "h_1: the tanh applies to c_1 alone")]:
        h_1, c_1 = step_variant(*ex6, **kwargs)
        result, line = run(capsys, exercises.lstm_step, h_1, c_1, *ex6)
        assert not result and text in line, (kwargs, line)


def test_lstm_step_rounded_float32_and_float16(capsys, ex6):
    h, c = step(*ex6)
    h32, c32 = h.astype(np.float32), c.astype(np.float32)
    for h_1, c_1, text in [(h32, np.round(c32, 3), "c_1: you rounded it"),
                           (np.round(h32, 3), c32, "h_1: you rounded it"),
                           (h.astype(np.float16), c, "h_1: float16")]:
        result, line = run(capsys, exercises.lstm_step, h_1, c_1, *ex6)
        assert not result and text in line, line
