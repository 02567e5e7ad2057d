"""Chapter 12's checks, played as a learner: every right form passes, no wrong answer does.

Right answers pass in every sensible form (a loop or a vectorised line, lists, floats
holding whole numbers, a Keras tensor); each typical mistake fails with its own hint; None,
strings, dicts, NaN and wrong shapes get a verdict, never a traceback. The fixtures are
made here with NumPy: belief paths that change their mind, padded like the chapter's.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_book import exercises  # noqa: E402
from lstm_book.exercises import language  # noqa: E402
from verdicts import run  # noqa: E402




def test_the_checks_are_exported():
    assert exercises.decided_at is language.decided_at
    assert exercises.reverse_letters is language.reverse_letters


# --- fixtures: a post-padded batch like the chapter's, where the model settles on CPU ----

@pytest.fixture(scope="module")
def chapter_like():
    """(path, codes): 300 words of 4-12 letters, 5 languages, 12 steps, post-padded.

    Each path changes its mind at random and settles; padded steps repeat the last real
    step, as a masked LSTM on a CPU does.
    """
    rng = np.random.default_rng(1)
    batch, timesteps, languages = 300, 12, 5
    lengths = rng.integers(4, 13, batch)
    path = np.zeros((batch, timesteps, languages), dtype=np.float32)
    codes = np.zeros((batch, timesteps), dtype=np.int32)
    for i, n in enumerate(lengths):
        tops = rng.integers(0, languages, n)
        tops[-rng.integers(1, n + 1):] = tops[-1]
        probs = rng.dirichlet(np.ones(languages), n) * 0.5
        probs[np.arange(n), tops] += 0.5
        path[i, :n] = probs
        path[i, n:] = probs[-1]  # CPU: padded steps repeat the last output
        codes[i, :n] = rng.integers(1, 47, n)
    return path, codes


def loop_answer(path, codes):
    """The chapter's solution, written with a loop."""
    out = []
    for probs, row in zip(path, codes):
        top = probs[row != 0].argmax(axis=-1)
        changes = np.flatnonzero(top != top[-1])
        out.append(changes[-1] + 2 if len(changes) else 1)
    return np.array(out)


def backwards_answer(path, codes):
    """Another right answer: walk back from the last letter while the answer holds."""
    out = []
    for probs, row in zip(path, codes):
        top = list(probs[row != 0].argmax(axis=-1))
        k = len(top)
        while k > 1 and top[k - 2] == top[-1]:
            k -= 1
        out.append(k)
    return out  # a list


def vectorised_answer(path, codes):
    real = np.asarray(codes) != 0
    top = np.asarray(path).argmax(-1)
    last = real.shape[1] - 1 - real[:, ::-1].argmax(1)
    final = top[np.arange(len(top)), last]
    read = np.cumsum(real, axis=1)
    return np.where(real & (top != final[:, None]), read, 0).max(1) + 1


@pytest.mark.parametrize("answer", [
    loop_answer,
    backwards_answer,
    vectorised_answer,
    lambda path, codes: loop_answer(path, codes).astype(float),
    lambda path, codes: loop_answer(path, codes).tolist(),
    lambda path, codes: loop_answer(path, codes)[:, None][:, 0],
], ids=["loop", "backwards-list", "vectorised", "floats", "list", "view"])
def test_decided_at_right_answers_pass(capsys, chapter_like, answer):
    ok, line = run(capsys, exercises.decided_at, answer, *chapter_like)
    assert ok, line


def test_decided_at_accepts_a_keras_tensor(capsys, chapter_like):
    import keras

    def answer(path, codes):
        return keras.ops.convert_to_tensor(loop_answer(path, codes))

    ok, line = run(capsys, exercises.decided_at, answer, *chapter_like)
    assert ok, line


def test_decided_at_reference_can_be_tensors_and_lists(capsys, chapter_like):
    import keras

    path, codes = chapter_like
    ok, line = run(capsys, exercises.decided_at, loop_answer,
                   keras.ops.convert_to_tensor(path), codes.tolist())
    assert ok, line


def whole_row(path, codes):
    """Ignores the mask: reads the padded steps as letters."""
    return loop_answer(path, np.ones_like(codes))


def assume_post(path, codes):
    """Takes the first len_i steps, whatever the padding side."""
    lengths = (np.asarray(codes) != 0).sum(1)
    return loop_answer(path, (np.arange(codes.shape[1]) < lengths[:, None]).astype(int))


def row_position(path, codes):
    """Counts from the start of the row: right for post-padding only."""
    real = codes != 0
    return loop_answer(path, codes) + (codes.shape[1] - real.sum(1)) * (~real[:, 0])


def first_agreement(path, codes):
    out = []
    for probs, row in zip(path, codes):
        top = probs[row != 0].argmax(axis=-1)
        out.append(np.flatnonzero(top == top[-1])[0] + 1)
    return np.array(out)


def final_from_row_end(path, codes):
    """Reads only the real letters, but takes the final answer at the row's last step."""
    out = []
    for probs, row in zip(path, codes):
        final = probs[-1].argmax()
        top = probs[row != 0].argmax(axis=-1)
        changes = np.flatnonzero(top != final)
        out.append(changes[-1] + 2 if len(changes) else 1)
    return np.array(out)


def predicted_language(path, codes):
    return np.array([p[r != 0][-1].argmax() for p, r in zip(path, codes)])


@pytest.mark.parametrize("answer, hint", [
    (lambda p, c: loop_answer(p, c) - 1, "count letters from 1"),
    (whole_row, "padded step"),
    (assume_post, "not always the first len_i steps"),
    (row_position, "counts from the start of the row"),
    (first_agreement, "it may change its mind"),
    (predicted_language, "predicted languages"),
    (lambda p, c: (np.asarray(c) != 0).sum(1), "each word's length"),
    (lambda p, c: (c != 0).sum(1) - loop_answer(p, c), "letters left"),
    (lambda p, c: (c != 0).sum(1) - loop_answer(p, c) + 1, "from the end of the word"),
    (final_from_row_end, "padded step's answer"),
], ids=["zero-based", "padding-read", "post-assumed", "row-position", "first-agreement",
        "languages", "lengths", "letters-left", "from-the-end", "final-at-row-end"])
def test_decided_at_typical_mistakes_get_their_hint(capsys, chapter_like, answer, hint):
    ok, line = run(capsys, exercises.decided_at, answer, *chapter_like)
    assert not ok and hint in line, line


def test_decided_at_a_copied_value_fails(capsys, chapter_like):
    copied = loop_answer(*chapter_like)
    ok, line = run(capsys, exercises.decided_at, lambda path, codes: copied, *chapter_like)
    assert not ok, line
    ok, line = run(capsys, exercises.decided_at, copied, *chapter_like)
    assert not ok and "expected a function" in line, line


@pytest.mark.parametrize("answer, hint", [
    (None, "got None"),
    ("path.argmax(-1)", "expected a function"),
    ({"a": 1}, "expected a function"),
    (lambda path, codes: None, "forget `return`"),
    (lambda path, codes: "abc", "something else than numbers"),
    (lambda path, codes: {"a": 1}, "something else than numbers"),
    (lambda path, codes: np.full(len(codes), np.nan), "NaN"),
    (lambda path, codes: np.asarray(path).argmax(-1), "one number per word, not one per step"),
    (lambda path, codes: np.asarray(path)[:, 0], "one number per word"),
    (lambda path, codes: loop_answer(path, codes)[:, None], "drop the last axis"),
    (lambda path, codes: 1 / 0, "ZeroDivisionError"),
    (lambda path: 0, "TypeError"),
], ids=["none", "str", "dict", "no-return", "returns-str", "returns-dict", "nan",
        "per-step", "per-language", "column", "raises", "one-argument"])
def test_decided_at_anything_else_gets_a_verdict(capsys, chapter_like, answer, hint):
    ok, line = run(capsys, exercises.decided_at, answer, *chapter_like)
    assert not ok and hint in line, line


def test_decided_at_checks_its_references():
    path = np.random.default_rng(0).random((3, 4, 2))
    with pytest.raises(ValueError, match="path"):
        exercises.decided_at(loop_answer, path[0], np.ones((3, 4)))
    with pytest.raises(ValueError, match="codes"):
        exercises.decided_at(loop_answer, path, np.ones((3, 5)))
    with pytest.raises(ValueError, match="codes"):
        exercises.decided_at(loop_answer, path, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="codes"):
        exercises.decided_at(loop_answer, path, np.full((3, 4), -1))


def test_decided_at_without_padding_and_on_pre_padded_input(capsys):
    """The check itself works whatever the padding of the notebook's arrays."""
    rng = np.random.default_rng(3)
    path = rng.dirichlet(np.ones(4), (20, 6))
    full = rng.integers(1, 9, (20, 6))
    ok, line = run(capsys, exercises.decided_at, loop_answer, path, full)
    assert ok, line
    pre = full.copy()
    pre[:, :2] = 0
    ok, line = run(capsys, exercises.decided_at, loop_answer, path, pre)
    assert ok, line


# --- Exercise 2: reverse_letters ----------------------------------------------------------

@pytest.fixture(scope="module")
def codes12():
    rng = np.random.default_rng(2)
    lengths = rng.integers(4, 13, 200)
    codes = np.zeros((200, 12), dtype=np.int32)
    for i, n in enumerate(lengths):
        codes[i, :n] = rng.integers(1, 47, n)
    return codes


def reverse_loop(codes):
    out = np.zeros_like(codes)
    for i, row in enumerate(codes):
        letters = row[row != 0]
        out[i, :len(letters)] = letters[::-1]
    return out


def reverse_lengths(codes):
    out = np.array(codes, copy=True)
    for i, n in enumerate((codes != 0).sum(axis=1)):
        out[i, :n] = codes[i, n - 1::-1] if n else codes[i, :0]
    return out


def reverse_lists(codes):
    rows = []
    for row in np.asarray(codes).tolist():
        letters = [k for k in row if k]
        rows.append(letters[::-1] + [0] * (len(row) - len(letters)))
    return rows


def reverse_flip_trick(codes):
    """Right too: reverse the row, then move the zeros back to the end (a stable sort)."""
    flipped = codes[:, ::-1]
    order = np.argsort(flipped == 0, axis=1, kind="stable")
    return np.take_along_axis(flipped, order, axis=1)


@pytest.mark.parametrize("answer", [
    reverse_loop, reverse_lengths, reverse_lists, reverse_flip_trick,
    lambda codes: reverse_loop(codes).astype(float),
], ids=["loop", "lengths", "lists", "flip-and-sort", "floats"])
def test_reverse_right_answers_pass(capsys, codes12, answer):
    ok, line = run(capsys, exercises.reverse_letters, answer, codes12)
    assert ok, line


def one_short(codes):
    out = np.array(codes, copy=True)
    for i, n in enumerate((codes != 0).sum(axis=1)):
        out[i, :n - 1] = codes[i, :n - 1][::-1]
    return out


def one_long(codes):
    out = np.zeros_like(codes)
    for i, n in enumerate((codes != 0).sum(axis=1)):
        m = min(n + 1, codes.shape[1])
        out[i, :m] = codes[i, :m][::-1]
    return out


@pytest.mark.parametrize("answer, hint", [
    (lambda codes: codes[:, ::-1], "moves the padding in front"),
    (lambda codes: np.flip(codes, axis=1), "moves the padding in front"),
    (lambda codes: codes[::-1], "order of the words"),
    (lambda codes: np.array(codes, copy=True), "input unchanged"),
    (one_short, "last real letter stays in place"),
    (one_long, "one padded step too"),
], ids=["flip-rows", "np-flip", "flip-batch", "unchanged", "one-short", "one-long"])
def test_reverse_typical_mistakes_get_their_hint(capsys, codes12, answer, hint):
    ok, line = run(capsys, exercises.reverse_letters, answer, codes12)
    assert not ok and hint in line, line


@pytest.mark.parametrize("answer, hint", [
    (None, "got None"),
    ("codes[:, ::-1]", "expected a function"),
    ({}, "expected a function"),
    (lambda codes: None, "forget `return`"),
    (lambda codes: ["abc"] * len(codes), "something else than numbers"),
    (lambda codes: np.where(codes > 0, np.nan, 0), "NaN"),
    (lambda codes: codes.T, "transposed"),
    (lambda codes: codes[:, 0], "one row per word"),
    (lambda codes: codes[:, :-1], "expected shape"),
    (lambda codes: codes.reshape(-1), "expected shape"),
], ids=["none", "str", "dict", "no-return", "strings", "nan", "transposed", "column",
        "too-short", "flat"])
def test_reverse_anything_else_gets_a_verdict(capsys, codes12, answer, hint):
    ok, line = run(capsys, exercises.reverse_letters, answer, codes12)
    assert not ok and hint in line, line


def test_reverse_a_copied_value_fails(capsys, codes12):
    copied = reverse_loop(codes12)
    ok, line = run(capsys, exercises.reverse_letters, lambda codes: copied, codes12)
    assert not ok, line


def test_reverse_fails_for_a_function_that_only_fits_twelve_steps(capsys, codes12):
    def fixed_width(codes):
        out = np.zeros((len(codes), 12), dtype=int)
        for i, row in enumerate(codes):
            letters = row[row != 0]
            out[i, :len(letters)] = letters[::-1]
        return out

    ok, line = run(capsys, exercises.reverse_letters, fixed_width, codes12)
    assert not ok and "fresh batch" in line, line


def test_reverse_checks_its_reference():
    with pytest.raises(ValueError, match="post-padded"):
        exercises.reverse_letters(reverse_loop, np.array([[0, 1, 2]]))
    with pytest.raises(ValueError, match="codes"):
        exercises.reverse_letters(reverse_loop, np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="codes"):
        exercises.reverse_letters(reverse_loop, "abc")


# --- More learner answers, tried in a kernel after "Run All" ------------------------------

def short_by_one(path, codes):
    """changes[-1] + 1 instead of + 2, but 1 for the words that never change."""
    out = []
    for probs, row in zip(path, codes):
        top = probs[row != 0].argmax(axis=-1)
        changes = np.flatnonzero(top != top[-1])
        out.append(changes[-1] + 1 if len(changes) else 1)
    return np.array(out)


def zero_if_never(path, codes):
    out = loop_answer(path, codes)
    return np.where(out == 1, 0, out)


def chatty_answer(path, codes):
    print("reading", len(codes), "words")  # hidden by the check
    np.log(np.zeros(1))  # a RuntimeWarning, hidden too
    return loop_answer(path, codes)


@pytest.mark.parametrize("answer, hint", [
    (short_by_one, "one short for the words that change their mind"),
    (zero_if_never, "never changes is decided at its first letter: 1, not 0"),
    (5, "got a number; expected a function of (path, codes)"),
], ids=["short-by-one", "zero-if-never", "number"])
def test_decided_at_more_mistakes(capsys, chapter_like, answer, hint):
    ok, line = run(capsys, exercises.decided_at, answer, *chapter_like)
    assert not ok and hint in line, line


def test_decided_at_hides_what_the_function_prints(capsys, chapter_like):
    ok, line = run(capsys, exercises.decided_at, chatty_answer, *chapter_like)
    assert ok, line  # and run() saw nothing on stderr, and no warning


@pytest.mark.parametrize("answer, hint", [
    (lambda codes: np.flip(codes), "np.flip without an axis reverses both axes"),
    (lambda codes: [" ".join(map(str, row[::-1])) for row in codes], "got text"),
], ids=["np-flip-both-axes", "strings"])
def test_reverse_more_mistakes(capsys, codes12, answer, hint):
    ok, line = run(capsys, exercises.reverse_letters, answer, codes12)
    assert not ok and hint in line, line
