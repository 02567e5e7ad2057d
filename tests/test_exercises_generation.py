"""Chapter 13's checks, played as a learner: every right form passes, no wrong answer does.

The sampling-loop check needs a real step model: a tiny one (random weights, 3 units) is
built once for the module, the way chapter 13 builds its own. Each typical mistake in the
loop (resetting the state, dropping c, swapping h and c, a wrong first input, feeding ^ or
the most likely letter instead of the draw, re-feeding the prefix, no letter limit, the
markers in the word) fails with its own hint; right loops in several styles pass.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import lstm_book as lb  # noqa: E402
from lstm_book import exercises  # noqa: E402
from lstm_book.exercises.generation import MAX_LETTERS  # noqa: E402
from verdicts import run  # noqa: E402


# --- the sampling loop ----------------------------------------------------------------------

UNITS = 3


@pytest.fixture(scope="module")
def setup(keras):
    """A tiny trained-looking step model: Embedding -> LSTM(3, return_state) -> Dense."""
    alphabet = lb.make_alphabet(["abc", "cab"], start="^", end="$")
    vocab = alphabet.size
    embed = keras.layers.Embedding(vocab, 4, mask_zero=True)
    lstm = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
    head = keras.layers.Dense(vocab, activation="softmax")
    letter = keras.Input(shape=(1,), dtype="int32")
    h_in, c_in = keras.Input(shape=(UNITS,)), keras.Input(shape=(UNITS,))
    seq, h, c = lstm(embed(letter), initial_state=[h_in, c_in])
    step_model = keras.Model([letter, h_in, c_in], [head(seq), h, c])
    # Large random weights make every state matter, so no mistake can pass by accident.
    rng = np.random.default_rng(1)
    step_model.set_weights([rng.normal(0, 1.5, w.shape) for w in step_model.get_weights()])
    return step_model, alphabet


def call(step_model, letter, h, c, keras):
    probs, h, c = step_model([np.array([[letter]], dtype="int32"), h, c])
    to_np = keras.ops.convert_to_numpy
    return to_np(probs)[0, 0], to_np(h), to_np(c)


def make_loop(setup, keras, *, state="carry", first="start", feed="pick", stop=True,
              limit=MAX_LETTERS, markers=False, as_codes=False, prefix_again=False):
    """A learner's generate_word, right or with one typical mistake."""
    step_model, alphabet = setup

    def generate_word(choose):
        zeros = np.zeros((1, UNITS), dtype="float32")
        h, c = zeros, zeros
        letter = {"start": alphabet.start_index, "pad": 0,
                  "end": alphabet.end_index}[first]
        fed, codes = [letter], []
        while True:
            if prefix_again:  # the whole word so far, the state carried through
                for symbol in fed:
                    probs, h, c = call(step_model, symbol, h, c, keras)
                h_new, c_new = h, c
            else:
                probs, h_new, c_new = call(step_model, letter, h, c, keras)
            if state == "carry":
                h, c = h_new, c_new
            elif state == "no_c":
                h = h_new
            elif state == "no_h":
                c = c_new
            elif state == "swapped":
                h, c = c_new, h_new
            pick = choose(probs)
            if pick == alphabet.end_index and stop:
                if markers:
                    codes.append(pick)
                break
            codes.append(pick)
            if len(codes) == limit:
                break
            letter = {"pick": pick, "start": alphabet.start_index,
                      "argmax": int(np.argmax(probs))}[feed]
            fed.append(letter)
        if as_codes:
            return codes
        if markers:
            return "^" + "".join(alphabet.symbols[k] for k in codes)
        return lb.decode(np.array(codes, dtype="int64"), alphabet) if codes else ""

    return generate_word


def test_sampling_loop_accepts_a_right_loop(capsys, setup, keras):
    ok, line = run(capsys, exercises.sampling_loop, make_loop(setup, keras), *setup)
    assert ok, line


def test_sampling_loop_accepts_other_right_styles(capsys, setup, keras):
    step_model, alphabet = setup
    to_np = keras.ops.convert_to_numpy

    def for_loop(choose):  # a for loop, the batch axis kept, symbols joined by hand
        h = c = np.zeros((1, UNITS), dtype="float32")
        letter, word = alphabet.start_index, ""
        for _ in range(MAX_LETTERS):
            probs, h, c = step_model([np.array([[letter]]), h, c])
            probs, h, c = to_np(probs), to_np(h), to_np(c)
            letter = choose(probs)  # shape (1, 1, vocab): the check reads it
            if letter == alphabet.end_index:
                break
            word += alphabet.symbols[letter]
        return word

    def with_tensors(choose):  # keeps Keras tensors for h and c, converts the letter
        h = c = keras.ops.zeros((1, UNITS))
        letter, word = alphabet.start_index, []
        while len(word) < MAX_LETTERS:
            probs, h, c = step_model([keras.ops.convert_to_tensor([[letter]], "int32"), h, c])
            letter = choose(probs[0, 0])
            if letter == alphabet.end_index:
                break
            word.append(alphabet.symbols[letter])
        return "".join(word)

    for loop in (for_loop, with_tensors):
        ok, line = run(capsys, exercises.sampling_loop, loop, *setup)
        assert ok, (loop.__name__, line)


@pytest.mark.parametrize("mistake, hint", [
    (dict(state="reset"), "every call starts from zeros"),
    (dict(state="no_h"), "c is carried but h is not"),
    (dict(state="no_c"), "h is carried but c is not"),
    (dict(state="swapped"), "h and c are swapped"),
    (dict(first="pad"), "the first call feeds padding"),
    (dict(first="end"), "the first call feeds the end marker"),
    (dict(feed="start"), "every call feeds ^ again"),
    (dict(feed="argmax"), "the most likely symbol (argmax)"),
    (dict(prefix_again=True), "re-feeds the whole word so far"),
    (dict(limit=MAX_LETTERS + 1), "runs on past its end"),
    (dict(limit=10 ** 6), "stop at $ or after 12 letters"),
    (dict(markers=True), "leave the markers out"),
    (dict(as_codes=True), "return the word as a string"),
])
def test_sampling_loop_names_each_mistake(capsys, setup, keras, mistake, hint):
    ok, line = run(capsys, exercises.sampling_loop, make_loop(setup, keras, **mistake),
                   *setup)
    assert not ok and hint in line, line
    assert len(line) <= 120


def test_sampling_loop_running_on_past_the_end_is_right_if_the_word_is(capsys, setup, keras):
    # Drawing on after $ wastes calls, but lb.decode stops at the first $: the word is right.
    ok, line = run(capsys, exercises.sampling_loop, make_loop(setup, keras, stop=False),
                   *setup)
    assert ok, line


def test_sampling_loop_catches_argmax_without_choose(capsys, setup, keras):
    step_model, alphabet = setup

    def greedy(choose):  # never calls choose
        h = c = np.zeros((1, UNITS), dtype="float32")
        letter, word = alphabet.start_index, ""
        for _ in range(MAX_LETTERS):
            probs, h, c = call(step_model, letter, h, c, keras)
            letter = int(np.argmax(probs))
            if letter == alphabet.end_index:
                break
            word += alphabet.symbols[letter]
        return word

    def greedy_word(choose):  # calls choose but returns the argmax letters
        h = c = np.zeros((1, UNITS), dtype="float32")
        letter, word = alphabet.start_index, ""
        for _ in range(MAX_LETTERS):
            probs, h, c = call(step_model, letter, h, c, keras)
            letter = choose(probs)
            if letter == alphabet.end_index:
                break
            word += alphabet.symbols[int(np.argmax(probs))]
        return word

    ok, line = run(capsys, exercises.sampling_loop, greedy, *setup)
    assert not ok and "choose was never called" in line
    ok, line = run(capsys, exercises.sampling_loop, greedy_word, *setup)
    assert not ok and ("argmax" in line or "not the letters choose returned" in line), line


def test_sampling_loop_gives_a_verdict_for_anything(capsys, setup, keras):
    step_model, alphabet = setup

    def wrong_probs(choose):
        h = c = np.zeros((1, UNITS), dtype="float32")
        _, h, c = call(step_model, alphabet.start_index, h, c, keras)
        choose(h)  # the state instead of the probabilities
        return "x"

    def log_probs(choose):
        h = c = np.zeros((1, UNITS), dtype="float32")
        probs, h, c = call(step_model, alphabet.start_index, h, c, keras)
        choose(np.log(probs))
        return "x"

    def crashes(choose):
        raise KeyError("h")

    def swallows(choose):  # an `except Exception` cannot hide the check's stop
        try:
            while True:
                choose(np.full(alphabet.size, 1 / alphabet.size))
        except Exception:
            return "a"

    cases = [(None, "got None"), ("abc", "expected a function"), (42, "expected a function"),
             (lambda choose: None, "choose was never called"),
             (wrong_probs, "choose(probs) got shape"),
             (log_probs, "not probabilities"),
             (crashes, "it raised KeyError"),
             (swallows, "still runs")]
    for answer, hint in cases:
        ok, line = run(capsys, exercises.sampling_loop, answer, *setup)
        assert not ok and hint in line, (answer, line)

    def returns_none(choose):
        make_loop(setup, keras)(choose)

    ok, line = run(capsys, exercises.sampling_loop, returns_none, *setup)
    assert not ok and "forget `return word`" in line


def test_sampling_loop_rejects_a_wrong_reference(setup):
    step_model, alphabet = setup
    with pytest.raises(ValueError, match="step_model must be a Keras model"):
        exercises.sampling_loop(lambda choose: "", "not a model", alphabet)
    with pytest.raises(ValueError, match="alphabet must be an lstm_book Alphabet"):
        exercises.sampling_loop(lambda choose: "", step_model, object())
    other = lb.make_alphabet(["abcdefg"], start="^", end="$")
    with pytest.raises(ValueError, match="predicts"):
        exercises.sampling_loop(lambda choose: "", step_model, other)


def test_sampling_loop_verdict_is_repeatable(capsys, setup, keras):
    loop = make_loop(setup, keras, state="no_c")
    _, first = run(capsys, exercises.sampling_loop, loop, *setup)
    _, second = run(capsys, exercises.sampling_loop, loop, *setup)
    assert first == second


# --- temperature ----------------------------------------------------------------------------

def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def right_power(probs, temperature):
    w = probs ** (1 / temperature)
    return w / w.sum(axis=-1, keepdims=True)


def test_temperature_accepts_every_right_form(capsys, keras):
    answers = [
        right_power,
        lambda p, t: softmax(np.log(p) / t),
        lambda p, t: keras.ops.softmax(keras.ops.log(keras.ops.convert_to_tensor(p)) / t),
        lambda p, t: right_power(p, t).astype("float32"),
        lambda p, t: right_power(p, t).tolist(),
    ]
    for answer in answers:
        ok, line = run(capsys, exercises.temperature, answer)
        assert ok, line


@pytest.mark.parametrize("answer, hint", [
    (lambda p, t: p / t, "dividing p by T"),
    (lambda p, t: right_power(p, 1 / t), "that is p ** T"),
    (lambda p, t: p ** (1 / t), "the rows do not sum to 1"),
    (lambda p, t: (p ** (1 / t)) / (p ** (1 / t)).sum(axis=0), "normalised each column"),
    (lambda p, t: (p ** (1 / t)) / (p ** (1 / t)).sum(), "normalised the whole array"),
    (lambda p, t: softmax(p / t), "that is softmax(p / T)"),
    (lambda p, t: np.log(p) / t, "apply the softmax"),
    (lambda p, t: p, "rows are unchanged"),
    (lambda p, t: np.argmax(p, axis=-1), "one number per row"),
    (lambda p, t: right_power(p, 0.5), "the result for T = 0.5: use the temperature"),
    (lambda p, t: softmax(np.log(p) / 0.5), "the result for T = 0.5: use the temperature"),
])
def test_temperature_names_each_mistake(capsys, answer, hint):
    ok, line = run(capsys, exercises.temperature, answer)
    assert not ok and hint in line, line
    assert len(line) <= 120


def test_temperature_gives_a_verdict_for_anything(capsys):
    def crashes(p, t):
        raise ZeroDivisionError("boom")

    for answer, hint in [(None, "got None"), ("p ** (1/T)", "expected a function"),
                         ({"T": 1}, "expected a function"),
                         (lambda p, t: None, "returned None"),
                         (lambda p, t: "probs", "something else than numbers"),
                         (lambda p, t: p * np.nan, "NaN"),
                         (crashes, "raised ZeroDivisionError")]:
        ok, line = run(capsys, exercises.temperature, answer)
        assert not ok and hint in line, (answer, line)


def test_temperature_never_prints_the_expected_values(capsys):
    _, line = run(capsys, exercises.temperature, lambda p, t: p * 0.5)
    assert not any(ch.isdigit() for ch in line.split("T = ")[0].split(":", 2)[-1]), line


# --- More learner answers, tried in a kernel after "Run All" --------------------------------

@pytest.mark.parametrize("limit", [MAX_LETTERS - 1, MAX_LETTERS - 2])
def test_sampling_loop_catches_a_letter_limit_that_is_too_low(capsys, setup, keras, limit):
    # Off by one when the start marker is counted as a letter, or a limit typed wrong: the
    # word and every probability are right, but with no $ the loop stops too early.
    ok, line = run(capsys, exercises.sampling_loop, make_loop(setup, keras, limit=limit),
                   *setup)
    assert not ok and f"with no $ drawn, the loop stopped after {limit} letters" in line, line


def test_sampling_loop_names_reshaped_probabilities(capsys, setup, keras):
    step_model, alphabet = setup

    def with_temperature(choose):  # hands choose p ** 2, normalised: T = 0.5
        h = c = np.zeros((1, UNITS), dtype="float32")
        letter, word = alphabet.start_index, ""
        for _ in range(MAX_LETTERS):
            probs, h, c = call(step_model, letter, h, c, keras)
            sharp = probs ** 2 / np.sum(probs ** 2)
            letter = choose(sharp)
            if letter == alphabet.end_index:
                break
            word += alphabet.symbols[letter]
        return word

    ok, line = run(capsys, exercises.sampling_loop, with_temperature, *setup)
    assert not ok and "choose got reshaped probabilities (a temperature?)" in line, line


def test_sampling_loop_catches_a_loop_that_carries_no_state(capsys, setup, keras):
    step_model, alphabet = setup
    embed, lstm, head = (next(layer for layer in step_model.layers if isinstance(layer, kind))
                         for kind in (keras.layers.Embedding, keras.layers.LSTM,
                                      keras.layers.Dense))
    letters = keras.Input(shape=(None,), dtype="int32")
    sequence, _, _ = lstm(embed(letters))
    whole_word = keras.Model(letters, head(sequence))  # shares the layers, no initial state

    def rereads_the_prefix(choose):  # right probabilities, but no h and c carried
        fed, word = [alphabet.start_index], ""
        for _ in range(MAX_LETTERS):
            probs = keras.ops.convert_to_numpy(whole_word(np.array([fed], dtype="int32")))
            letter = choose(probs[0, -1])
            if letter == alphabet.end_index:
                break
            word += alphabet.symbols[letter]
            fed.append(letter)
        return word

    ok, line = run(capsys, exercises.sampling_loop, rereads_the_prefix, *setup)
    assert not ok and "it re-reads the word, carrying no h and c" in line, line
    # the layer is left as it was: the check's own replay and a right loop still work
    assert "call" not in vars(lstm)
    ok, line = run(capsys, exercises.sampling_loop, make_loop(setup, keras), *setup)
    assert ok, line


def test_sampling_loop_hides_what_the_loop_prints(capsys, setup, keras):
    loop = make_loop(setup, keras)

    def chatty(choose):
        word = loop(choose)
        print("generated", word)
        return word

    ok, line = run(capsys, exercises.sampling_loop, chatty, *setup)
    assert ok, line


@pytest.mark.parametrize("answer, hint", [
    (lambda p, t: p ** (1 / t) / p.sum(), "the rows do not sum to 1: divide each row by its own"),
    (lambda p, t: 2 * right_power(p, t) - p, "some values are negative"),
    (2, "got a number; expected a function of (probs, temperature)"),
], ids=["sum-of-all-probs", "negative", "number"])
def test_temperature_more_mistakes(capsys, answer, hint):
    ok, line = run(capsys, exercises.temperature, answer)
    assert not ok and hint in line, line


def test_temperature_hides_what_the_function_prints(capsys):
    def chatty(p, t):
        print("T =", t)
        return right_power(p, t)

    ok, line = run(capsys, exercises.temperature, chatty)
    assert ok, line


@pytest.mark.parametrize("eps", [1e-12, 1e-9, 1e-8])
def test_temperature_accepts_an_epsilon_in_the_log(capsys, eps):
    ok, line = run(capsys, exercises.temperature, lambda p, t: softmax(np.log(p + eps) / t))
    assert ok, line


def test_temperature_names_symbols_set_to_zero(capsys):
    def copies_sample(probs, temperature):  # zeroes padding and ^, as chapter 13's sample does
        weights = probs.astype("float64") ** (1 / temperature)
        weights[:, [0, 1]] = 0
        return weights / weights.sum(axis=1, keepdims=True)

    ok, line = run(capsys, exercises.temperature, copies_sample)
    assert not ok and "some probabilities are set to 0: keep every symbol" in line, line
