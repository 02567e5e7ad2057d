"""Tests for lstm_book.generation: the letter-bigram yardstick of chapter 13."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lstm_book.generation import LetterBigram


def test_counts_by_hand_with_smoothing():
    bigram = LetterBigram(["ab", "ab", "b"], letters="ab", smoothing=1.0)
    # transitions: ^a a b b ^ (twice), ^b b ^ ; rows: ^, a, b ; columns: ^, a, b
    counts = np.array([[0, 2, 1], [0, 0, 2], [3, 0, 0]]) + 1.0
    expected = np.log(counts / counts.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(bigram.log_probs, expected)
    assert bigram.symbols == ["^", "a", "b"]


def test_rows_are_probability_distributions():
    bigram = LetterBigram(["cat", "car", "tar", "arc"])
    np.testing.assert_allclose(np.exp(bigram.log_probs).sum(axis=1), 1.0)
    assert bigram.letters == "acrt"  # sorted letters of the words by default


def test_log_likelihood_counts_every_transition_once():
    bigram = LetterBigram(["cat", "dog", "cod"], smoothing=0.5)
    words = ["cat", "do"]
    lp = bigram.log_probs
    idx = {ch: i + 1 for i, ch in enumerate(bigram.letters)}
    transitions = [(0, idx["c"]), (idx["c"], idx["a"]), (idx["a"], idx["t"]), (idx["t"], 0),
                   (0, idx["d"]), (idx["d"], idx["o"]), (idx["o"], 0)]
    expected = np.mean([lp[a, b] for a, b in transitions])
    assert math.isclose(bigram.log_likelihood(words), expected)
    per_word = bigram.word_log_likelihoods(words)
    assert math.isclose(per_word[0], np.mean([lp[a, b] for a, b in transitions[:4]]))
    assert math.isclose(per_word[1], np.mean([lp[a, b] for a, b in transitions[4:]]))


def test_english_like_beats_scrambled():
    train = ["station", "nation", "motion", "ration", "lotion", "potion", "notion"]
    bigram = LetterBigram(train)
    assert bigram.log_likelihood(["tion", "nation"]) > bigram.log_likelihood(["oitn", "naoitn"])
    assert bigram.log_likelihood(["tion"]) < 0


def test_unseen_pair_is_penalised_but_finite():
    bigram = LetterBigram(["ab"], letters="abc", smoothing=0.1)
    score = bigram.log_likelihood(["cc"])
    assert np.isfinite(score) and score < bigram.log_likelihood(["ab"])


def test_uniform_letters_score_lower_than_training_words():
    rng = np.random.default_rng(0)
    letters = "abcdefghij"
    train = ["abc", "bcd", "cde", "def", "efg", "fgh", "ghi", "hij"] * 5
    bigram = LetterBigram(train, letters=letters)
    noise = ["".join(rng.choice(list(letters), size=3)) for _ in range(200)]
    assert bigram.log_likelihood(train) > bigram.log_likelihood(noise) + 1.0


@pytest.mark.parametrize("smoothing", [0, -1.0, float("nan"), "0.5", True])
def test_bad_smoothing(smoothing):
    with pytest.raises(ValueError, match="smoothing must be a positive number"):
        LetterBigram(["cat"], smoothing=smoothing)


@pytest.mark.parametrize("letters, match", [("", "letters must be a non-empty"),
                                             ("aab", "letters repeats a letter"),
                                             (["a"], "letters must be a non-empty string")])
def test_bad_letters(letters, match):
    with pytest.raises(ValueError, match=match):
        LetterBigram(["ab"], letters=letters)


def test_unknown_letter_names_the_word_and_the_letter():
    with pytest.raises(ValueError, match=r"'cat' has the letter 't'"):
        LetterBigram(["cat"], letters="ac")
    bigram = LetterBigram(["cat"])
    with pytest.raises(ValueError, match=r"'dog' has the letter 'd'"):
        bigram.log_likelihood(["dog"])
    with pytest.raises(ValueError, match="words is empty"):
        bigram.word_log_likelihoods([])
