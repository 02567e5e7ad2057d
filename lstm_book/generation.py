"""A letter-bigram model: the simple yardstick that chapter 13 scores generated words with.

A bigram model predicts each letter from the one letter before it, nothing more. Fitted on
the training words, it says how English-like a string of letters is, letter pair by letter
pair: ``"tion"`` scores well, ``"xqzj"`` badly. Chapter 13 compares the words its LSTM
generates with strings of uniformly random letters under this model.

The word boundary is a symbol of its own (written ``BOUNDARY`` below), so the model also
learns which letters start and end words: ``"cat"`` is scored as the four transitions
``^c``, ``ca``, ``at`` and ``t^`` (``^`` standing for the boundary).

Example
-------
>>> bigram = LetterBigram(["cat", "car", "tar"])
>>> bigram.log_likelihood(["cat"]) > bigram.log_likelihood(["tca"])
True
"""

from __future__ import annotations

import numpy as np

from .text import _check_words

__all__ = ["LetterBigram"]

#: The index of the word boundary in :attr:`LetterBigram.symbols` (it comes first).
BOUNDARY = 0


class LetterBigram:
    """Bigram probabilities P(next symbol | previous symbol), fitted on a list of words.

    Parameters
    ----------
    words : list of str
        The training words (non-empty strings).
    letters : str, optional
        Every letter the model knows, in order. By default the sorted letters of ``words``.
        A word scored later may use only these letters.
    smoothing : float, default 0.5
        Added to every pair count before normalising (add-k smoothing), so a pair never seen
        in training gets a small probability instead of zero.

    Attributes
    ----------
    letters : str
        The letters, in order; ``symbols`` is the boundary followed by them.
    log_probs : ndarray of shape (len(letters) + 1, len(letters) + 1)
        ``log_probs[a, b]`` is the natural log of P(b follows a); index 0 is the boundary.
        Each row's probabilities sum to 1.

    Raises
    ------
    ValueError
        If ``words`` is not a non-empty list of non-empty strings, if a word has a letter
        that is not in ``letters``, if ``letters`` repeats a letter, or if ``smoothing`` is
        not a positive number.
    """

    def __init__(self, words, *, letters: str | None = None, smoothing: float = 0.5):
        words = _check_words(words)
        if isinstance(smoothing, bool) or not isinstance(smoothing, (int, float)) \
                or not np.isfinite(smoothing) or smoothing <= 0:
            raise ValueError(f"smoothing must be a positive number, got {smoothing!r}")
        if letters is None:
            letters = "".join(sorted(set("".join(words))))
        if not isinstance(letters, str) or not letters:
            raise ValueError(f"letters must be a non-empty string, got {letters!r}")
        if len(set(letters)) != len(letters):
            raise ValueError(f"letters repeats a letter: {letters!r}")
        self.letters = letters
        self._index = {ch: i + 1 for i, ch in enumerate(letters)}  # 0 is the boundary
        size = len(letters) + 1
        counts = np.full((size, size), float(smoothing))
        for word in words:
            path = self._path(word)
            np.add.at(counts, (path[:-1], path[1:]), 1.0)
        self.log_probs = np.log(counts / counts.sum(axis=1, keepdims=True))

    @property
    def symbols(self) -> list[str]:
        """The boundary (``"^"`` here, for display) followed by the letters."""
        return ["^"] + list(self.letters)

    def _path(self, word: str) -> np.ndarray:
        """Symbol indices of ``word`` with the boundary at both ends: ``^ c a t ^``."""
        try:
            inner = [self._index[ch] for ch in word]
        except KeyError as err:
            raise ValueError(f"words: the word {word!r} has the letter {err.args[0]!r}, "
                             f"which is not in letters {self.letters!r}") from None
        return np.array([BOUNDARY, *inner, BOUNDARY])

    def _transitions(self, words) -> list[np.ndarray]:
        """For each word, the log-probabilities of its transitions (boundary to boundary)."""
        paths = [self._path(word) for word in _check_words(words)]
        return [self.log_probs[path[:-1], path[1:]] for path in paths]

    def word_log_likelihoods(self, words) -> np.ndarray:
        """Mean log-probability per transition of each word, in nats (always < 0).

        A word of n letters has n + 1 transitions, the last one into the boundary. The mean
        per transition makes short and long words comparable.
        """
        return np.array([steps.mean() for steps in self._transitions(words)])

    def log_likelihood(self, words) -> float:
        """Mean log-probability per transition over all the transitions of ``words`` (nats).

        Every transition counts once, so long words weigh more than short ones. The negative
        of this number is the bigram model's cross-entropy on ``words``.
        """
        steps = self._transitions(words)
        return sum(float(s.sum()) for s in steps) / sum(s.size for s in steps)
