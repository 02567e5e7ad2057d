"""Checks for chapter 12, *Which language is this word?*

One function per exercise. Each prints one verdict and returns a
:class:`~lstm_book.checks.Verdict`. Both exercises ask for a function, and each check runs
it on the chapter's own arrays and on fresh inputs made here with a fixed seed (other
sizes, the other padding side, padded steps that hold other values), so a value copied
from the notebook, or an index that fits only one layout, cannot pass.
"""

from __future__ import annotations

import numpy as np

from ..checks import Verdict, function_problem, say, to_array

__all__ = ["decided_at", "reverse_letters"]

_SEED = 20240612  # the fresh inputs are the same at every call


def _codes_reference(codes, name: str = "codes") -> np.ndarray:
    """A reference batch of letter codes (what the notebook passes): 2-D, ints >= 0."""
    arr, problem = to_array(codes)
    if arr is None:
        raise ValueError(f"{name} must be an array of letter codes ({problem})")
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be (words, timesteps), got shape {arr.shape}")
    if not np.all(arr == np.round(arr)) or arr.min() < 0:
        raise ValueError(f"{name} must hold integer codes >= 0 (0 = padding)")
    arr = arr.astype(np.int64)
    if np.any((arr != 0).sum(axis=1) == 0):
        raise ValueError(f"{name} has a row without letters")
    return arr


def _is_post_padded(codes: np.ndarray) -> bool:
    real = codes != 0
    return bool(np.all(real[:, :-1] | ~real[:, 1:]))  # no letter after a padded step


# --- Exercise 1: when does the model make up its mind? ----------------------------------

def _final_answer(top: np.ndarray, real: np.ndarray) -> np.ndarray:
    """The top language at each word's last real step."""
    last = real.shape[1] - 1 - np.argmax(real[:, ::-1], axis=1)
    return top[np.arange(len(top)), last]


def _decided(path: np.ndarray, codes: np.ndarray, final=None) -> np.ndarray:
    """The reference: letters read when the top language takes its final value for good.

    ``final`` (one language per word) defaults to the top language at the last real step.
    """
    real = codes != 0
    top = path.argmax(axis=-1)
    if final is None:
        final = _final_answer(top, real)
    differs = real & (top != final[:, None])
    letters_read = np.cumsum(real, axis=1)  # letters read up to each step
    return np.where(differs, letters_read, 0).max(axis=1) + 1


def _first_agreement(path, codes):
    """The mistake of taking the first step that agrees with the final answer."""
    real = codes != 0
    top = path.argmax(axis=-1)
    agrees = real & (top == _final_answer(top, real)[:, None])
    letters_read = np.cumsum(real, axis=1)
    return np.where(agrees, letters_read, codes.shape[1] + 1).min(axis=1)


def _whole_row(path):
    """The mistake of reading every step, padding included."""
    return _decided(path, np.ones(path.shape[:2], dtype=np.int64))


def _assume_post(path, codes):
    """The mistake of taking the first len_i steps, whatever the padding side."""
    lengths = (codes != 0).sum(axis=1)
    return _decided(path, (np.arange(codes.shape[1]) < lengths[:, None]).astype(np.int64))


def _final_from_last_column(path, codes):
    """The mistake of taking the final answer at the row's last step, padded or not."""
    return _decided(path, codes, final=path.argmax(axis=-1)[:, -1])


def _decided_case(path, codes, label):
    batch, timesteps, languages = path.shape
    expected = _decided(path, codes)
    lengths = (codes != 0).sum(axis=1)
    final = _final_answer(path.argmax(axis=-1), codes != 0)
    mistakes = [
        (expected - 1, "count letters from 1: a word decided at its first letter gives 1"),
        (np.where(expected > 1, expected - 1, 1),
         "one short for the words that change their mind: a word settled from its "
         "second letter on gives 2"),
        (np.where(expected == 1, 0, expected),
         "a word whose answer never changes is decided at its first letter: 1, not 0"),
        (_final_from_last_column(path, codes),
         "it takes a padded step's answer as the final one: the final answer is the one "
         "at the word's last real letter (codes != 0)"),
        (_whole_row(path), "it reads the padded steps too: keep only the real letters, "
                           "where codes != 0"),
        (_assume_post(path, codes), "the real letters are not always the first len_i "
                                    "steps: select them with the mask of the codes "
                                    "argument, codes != 0"),
        (expected + (timesteps - lengths), "that counts from the start of the row: "
                                           "count from the word's first real letter"),
        (_first_agreement(path, codes), "that is the first letter where the model agrees "
                                        "with its final answer; it may change its mind "
                                        "again later: find where it stops changing"),
        (final, "those are the predicted languages; the answer is a number of letters"),
        (lengths, "that is each word's length: not every word is decided at its last "
                  "letter"),
        (lengths - expected, "that counts the letters left after the model settles; "
                             "count the letters read until it settles"),
        (lengths - expected + 1, "that counts the letters from the end of the word; "
                                 "count them from its first letter"),
    ]

    def shape_hint(got):
        if got == (batch, timesteps):
            return "expected one number per word, not one per step"
        if got == (batch, languages) or got == path.shape:
            return "expected one number per word (a count of letters)"
        if got == (batch, 1):
            return "expected a flat array of one number per word: drop the last axis"
        return None

    return dict(args=(path, codes), expected=expected, label=label, mistakes=mistakes,
                shape_hint=shape_hint)


def _fixed_distribution(languages: int, top: int) -> np.ndarray:
    """One probability vector, the same at every padded step (a head applied to h = 0)."""
    logits = np.linspace(0.0, -1.5, languages)
    logits = np.roll(logits, top)
    e = np.exp(logits)
    return e / e.sum()


def _to_pre(path, codes, filler):
    """The same words with the padding in front, padded steps holding ``filler``."""
    batch, timesteps, _ = path.shape
    pre_path = np.repeat(filler[None, None], timesteps, axis=1).repeat(batch, axis=0)
    pre_codes = np.zeros_like(codes)
    for i, (probs, row) in enumerate(zip(path, codes)):
        real = row != 0
        n = int(real.sum())
        pre_path[i, timesteps - n:] = probs[real]
        pre_codes[i, timesteps - n:] = row[real]
    return pre_path, pre_codes


def _random_paths(rng, lengths, timesteps, languages, padding, filler):
    """Belief paths that change their mind at random, for words of the given lengths."""
    batch = len(lengths)
    path = np.repeat(filler[None, None], timesteps, axis=1).repeat(batch, axis=0)
    codes = np.zeros((batch, timesteps), dtype=np.int64)
    for i, n in enumerate(lengths):
        tops = rng.integers(0, languages, n)
        tops[-max(1, n // 3):] = tops[-1]  # settle on an answer for the last third
        probs = rng.dirichlet(np.ones(languages), n) * 0.5
        probs[np.arange(n), tops] += 0.5  # the top language is unambiguous
        steps = slice(0, n) if padding == "post" else slice(timesteps - n, timesteps)
        path[i, steps] = probs
        codes[i, steps] = rng.integers(1, 30, n)
    return path, codes


def decided_at(decided_at_fn, path, codes) -> Verdict:
    """Exercise 1: ``decided_at_fn(path, codes)``, the letter at which each word is decided.

    ``path`` is the head applied to every step of the sequence output,
    ``(words, timesteps, languages)``; ``codes`` the padded letter codes, 0 = padding. The
    answer is one integer per word: the number of letters read when the most likely language
    takes its final value and keeps it to the word's last real letter (1 if the model never
    changes its mind). The check runs the function on the chapter's arrays, on a copy whose
    padded steps hold one fixed distribution (as when the sequence output is 0 there, on a
    GPU), on the same words pre-padded, and on two fresh batches.
    """
    if decided_at_fn is None or not callable(decided_at_fn):
        problem = function_problem(decided_at_fn, [], signature="path, codes")
        return say(False, problem, "decided_at")
    p_arr, problem = to_array(path)
    if p_arr is None or p_arr.ndim != 3:
        raise ValueError("path must be (words, timesteps, languages) probabilities"
                         + (f" ({problem})" if problem else ""))
    c_arr = _codes_reference(codes)
    if c_arr.shape != p_arr.shape[:2]:
        raise ValueError(f"codes must be (words, timesteps) = {p_arr.shape[:2]}, "
                         f"got {c_arr.shape}")
    p_arr = p_arr.astype(np.float64)
    languages = p_arr.shape[2]
    final = _final_answer(p_arr.argmax(axis=-1), c_arr != 0)
    filler = _fixed_distribution(languages, int(np.bincount(final, minlength=languages)
                                              .argmin()))  # rarely the final answer
    gpu = p_arr.copy()
    gpu[c_arr == 0] = filler
    pre_path, pre_codes = _to_pre(p_arr, c_arr, filler)
    rng = np.random.default_rng(_SEED)
    fresh = [_random_paths(rng, rng.integers(1, 8, 6), 7, 3, side,
                           _fixed_distribution(3, k))
             for side, k in (("post", 0), ("pre", 1))]
    cases = [
        _decided_case(p_arr, c_arr, "path and codes"),
        _decided_case(gpu, c_arr, "a copy whose padded steps hold other values, as on a GPU"),
        _decided_case(pre_path, pre_codes, "the same words, pre-padded"),
        _decided_case(*fresh[0], "a fresh post-padded batch of shape (6, 7, 3)"),
        _decided_case(*fresh[1], "a fresh pre-padded batch of shape (6, 7, 3)"),
    ]
    problem = function_problem(decided_at_fn, cases, signature="path, codes",
                               rtol=0, atol=1e-9)
    return say(problem is None,
               problem or "right for both padding sides, CPU or GPU, fresh batches",
               "decided_at")


# --- Exercise 2: read the words backwards ------------------------------------------------

def _reversed(codes: np.ndarray) -> np.ndarray:
    out = np.zeros_like(codes)
    for i, row in enumerate(codes):
        letters = row[row != 0]
        out[i, :len(letters)] = letters[::-1]
    return out


def _reverse_case(codes, label):
    batch, timesteps = codes.shape
    lengths = (codes != 0).sum(axis=1)
    one_short = np.zeros_like(codes)
    one_long = np.zeros_like(codes)
    for i, (row, n) in enumerate(zip(codes, lengths)):
        one_short[i, :n - 1] = row[:n - 1][::-1]
        one_short[i, n - 1] = row[n - 1]
        m = min(n + 1, timesteps)
        one_long[i, :m] = row[:m][::-1]
    mistakes = [
        (codes[:, ::-1], "that also moves the padding in front of the word: reverse only "
                         "the real letters and keep the zeros after them"),
        (codes[::-1], "that reverses the order of the words (axis 0), not their letters"),
        (codes[::-1, ::-1], "np.flip without an axis reverses both axes: the words and "
                            "their padding move too"),
        (codes, "that is the input unchanged"),
        (one_short, "the last real letter stays in place: reverse all len_i letters"),
        (one_long, "that reverses one padded step too: reverse exactly the real letters, "
                   "where codes != 0"),
    ]

    def shape_hint(got):
        if got == (batch,):
            return "expected the codes of every word, one row per word"
        if got == (timesteps, batch):
            return "it is transposed: one row per word"
        return None

    return dict(args=(codes,), expected=_reversed(codes), label=label, mistakes=mistakes,
                shape_hint=shape_hint)


def reverse_letters(reverse_fn, codes) -> Verdict:
    """Exercise 2: ``reverse_fn(codes)`` reverses each word's letters, padding kept after.

    ``codes`` is a post-padded batch of letter codes, ``(words, timesteps)``, 0 = padding.
    The answer has the same shape: row ``i`` holds word ``i``'s letters in reverse order,
    then the same zeros. The check runs the function on ``codes`` and on two fresh batches
    of other shapes, with words of every length from 1 letter to the full row.
    """
    if reverse_fn is None or not callable(reverse_fn):
        problem = function_problem(reverse_fn, [], signature="codes")
        return say(False, problem, "reverse_letters")
    c_arr = _codes_reference(codes)
    if not _is_post_padded(c_arr):
        raise ValueError("codes must be post-padded (zeros after the letters)")
    rng = np.random.default_rng(_SEED + 2)
    cases = [_reverse_case(c_arr, "codes")]
    for lengths, timesteps in (([7, 1, 3, 5, 2, 6], 7), ([15, 4, 9], 15)):
        fresh = np.zeros((len(lengths), timesteps), dtype=np.int64)
        for i, n in enumerate(lengths):
            fresh[i, :n] = rng.integers(1, 30, n)
        cases.append(_reverse_case(fresh, f"a fresh batch of shape {fresh.shape}"))
    problem = function_problem(reverse_fn, cases, signature="codes", rtol=0, atol=0)
    return say(problem is None,
               problem or "every word reversed, padding kept after it",
               "reverse_letters")
