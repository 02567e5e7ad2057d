"""Word lists for the text chapters, and words encoded as letter indices.

Plumbing only; the chapters teach what an LSTM does with these arrays.

Loading
    :func:`list_wordlists` names the committed word lists (one per language) and
    :func:`load_words` returns one of them as a list of lowercase words, after checking the
    file's SHA-256, exactly as :func:`lstm_book.load_series` does for the series. Where the
    words come from, their licences and how they were sampled: ``data/README.md`` and
    ``tools/import_words.py``.

Encoding
    An :class:`Alphabet` maps symbols to integers. Index 0 is reserved for padding (so
    ``keras.layers.Embedding(alphabet.size, dim, mask_zero=True)`` masks it), the letters take
    1, 2, ..., and two optional markers follow the letters: a *start* marker (for a generator's
    first input) and an *end* marker (for a generator to say "the word stops here")::

        >>> alphabet = make_alphabet(["abba", "cab"], end="$")
        >>> alphabet.symbols
        ('', 'a', 'b', 'c', '$')
        >>> codes, lengths = encode_words(["cab", "a"], alphabet, add_end=True)
        >>> codes.tolist(), lengths.tolist()
        ([[3, 1, 2, 4], [1, 4, 0, 0]], [4, 2])
        >>> decode(codes, alphabet)
        ['cab', 'a']

    :func:`encode_words` pads every word to one length, after the word (``padding="post"``,
    the default) or before it (``"pre"``), and returns the lengths, so the last real symbol
    of row ``i`` sits at ``codes[i, lengths[i] - 1]`` (post) or ``codes[i, -1]`` (pre).
    :func:`decode` turns indices back into words.

Every function raises ``ValueError`` naming the offending parameter on bad input: an unknown
language (the message lists the available ones), a changed file (checksum), an empty word, a
character outside the alphabet, a ``length`` shorter than a word, a wrong ``padding`` mode.
A missing file raises ``FileNotFoundError`` naming the path.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .data import verified_path

__all__ = [
    "PAD",
    "WordListInfo",
    "WORDLISTS",
    "list_wordlists",
    "wordlist_info",
    "load_words",
    "Alphabet",
    "make_alphabet",
    "encode_words",
    "decode",
]

#: The index reserved for padding in every :class:`Alphabet` (``Embedding(mask_zero=True)``).
PAD = 0


@dataclass(frozen=True)
class WordListInfo:
    """What the package knows about one committed word list."""

    language: str
    filename: str
    source: str
    licence: str
    words: int
    sha256: str


WORDLISTS: dict[str, WordListInfo] = {
    info.language: info
    for info in (
        WordListInfo(
            "dutch", "words_dutch.txt", "Debian wdutch 1:2.20.19-2 (OpenTaal)",
            "CC BY 3.0", 2700,
            "a504bdbb25eb36390b719a2055720bfdebd905d2a3978ccc5f7d6f5fad0aaea5",
        ),
        WordListInfo(
            "english", "words_english.txt", "Debian wamerican 2020.12.07-2 (SCOWL)",
            "SCOWL's permissive licence", 2700,
            "bd98faa7adeb1d1a658e194e9acfd953b973450255fd5da870c77df5a93c4151",
        ),
        WordListInfo(
            "french", "words_french.txt", "Debian wfrench 1.2.7-2",
            "GPL-2+", 2700,
            "5564651a55f551a6fc1dfbf1457f1db35d428625e73a335501b9d6d574b686b2",
        ),
        WordListInfo(
            "german", "words_german.txt", "Debian wngerman 20161207-11 (igerman98)",
            "GPL-2+", 2700,
            "7589b5434da9dfa98aa3f7bcc1be5b0090096bca51bbb5db443bc7ed96481019",
        ),
        WordListInfo(
            "spanish", "words_spanish.txt", "Debian wspanish 1.0.30",
            "public domain", 2700,
            "aed906ff9dc0d5aa8282535af386b37e8c2bf9f93e20949453e8126767eb5abf",
        ),
    )
}


# ---------------------------------------------------------------- loading

def list_wordlists() -> list[str]:
    """Return the languages that :func:`load_words` accepts, sorted alphabetically."""
    return sorted(WORDLISTS)


def wordlist_info(language: str) -> WordListInfo:
    """Return the :class:`WordListInfo` of ``language`` (file, source, licence, checksum).

    Raises
    ------
    ValueError
        If ``language`` is not one of :func:`list_wordlists`; the message lists them.
    """
    if not isinstance(language, str) or language not in WORDLISTS:
        raise ValueError(
            f"unknown language {language!r}; available: {', '.join(list_wordlists())}"
        )
    return WORDLISTS[language]


def load_words(language: str, data_dir=None) -> list[str]:
    """Load one committed word list: lowercase words, letters only, sorted, no duplicates.

    Parameters
    ----------
    language : str
        One of :func:`list_wordlists`.
    data_dir : str or path-like, optional
        Folder holding the word files. Defaults to the repository's ``data/``.

    Returns
    -------
    list of str
        A fresh list each call (changing it changes nothing else).

    Raises
    ------
    ValueError
        If ``language`` is unknown (the message lists the available ones), if the file's
        SHA-256 differs from the one recorded here, or if its content is malformed.
    FileNotFoundError
        If the file is missing; the message names the path.

    Examples
    --------
    >>> words = load_words("english")
    >>> len(words), words[0]
    (2700, 'aback')
    """
    info = wordlist_info(language)
    path = verified_path(info.filename, info.sha256, data_dir,
                         f"word list for language {language!r}")
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 ({exc})") from exc
    if lines and lines[-1] == "":
        lines.pop()
    words = [line for line in lines if not line.startswith("#")]
    for number, word in enumerate(words, start=1):
        if not (word.isalpha() and word.islower()):
            raise ValueError(f"{path}: word {number} is not lowercase letters: {word!r}")
    if not words or words != sorted(set(words)):
        raise ValueError(f"{path}: words must be non-empty, sorted and unique")
    return words


# ---------------------------------------------------------------- encoding

def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


@dataclass(frozen=True)
class Alphabet:
    """Symbols and their indices: 0 is padding, then the letters, then the markers.

    Parameters
    ----------
    letters : str
        The letters, each once, in index order: ``letters[k]`` gets index ``k + 1``.
    start, end : str, optional
        One-character markers that are not letters. ``start`` (for example ``"^"``) gets the
        index after the letters, then ``end`` (for example ``"$"``).

    Use :func:`make_alphabet` to build one from words.
    """

    letters: str
    start: str | None = None
    end: str | None = None

    def __post_init__(self):
        if not isinstance(self.letters, str) or not self.letters:
            raise ValueError(f"letters must be a non-empty string, got {self.letters!r}")
        if len(set(self.letters)) != len(self.letters):
            raise ValueError(f"letters must not repeat a letter, got {self.letters!r}")
        for name in ("start", "end"):
            marker = getattr(self, name)
            if marker is None:
                continue
            if not isinstance(marker, str) or len(marker) != 1:
                raise ValueError(f"{name} must be one character or None, got {marker!r}")
            if marker in self.letters:
                raise ValueError(f"{name}={marker!r} is also one of the letters")
        if self.start is not None and self.start == self.end:
            raise ValueError(f"start and end must differ, both are {self.start!r}")

    @property
    def symbols(self) -> tuple[str, ...]:
        """Every symbol by index: ``symbols[0] == ""`` (padding), letters, then markers."""
        markers = tuple(m for m in (self.start, self.end) if m is not None)
        return ("",) + tuple(self.letters) + markers

    @property
    def size(self) -> int:
        """Number of indices, padding included: ``Embedding``'s ``input_dim``."""
        return len(self.symbols)

    @property
    def start_index(self) -> int | None:
        """Index of the start marker, or None without one."""
        return None if self.start is None else self.symbols.index(self.start)

    @property
    def end_index(self) -> int | None:
        """Index of the end marker, or None without one."""
        return None if self.end is None else self.symbols.index(self.end)

    def index(self, symbol: str) -> int:
        """Index of one letter or marker.

        Raises
        ------
        ValueError
            If ``symbol`` is not a letter or marker of this alphabet.
        """
        if isinstance(symbol, str) and symbol and symbol in self.symbols:
            return self.symbols.index(symbol)
        raise ValueError(f"symbol {symbol!r} is not in the alphabet {self.letters!r}")


def _check_words(words) -> list[str]:
    """``words`` as a list of non-empty strings, or a ``ValueError`` that names it."""
    if isinstance(words, str):
        raise ValueError(f"words must be a sequence of words, not a single string: "
                         f"use [{words!r}]")
    try:
        words = list(words)
    except TypeError:
        raise ValueError(f"words must be a sequence of strings, got "
                         f"{type(words).__name__}") from None
    if not words:
        raise ValueError(f"words is empty: give at least one word")
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise ValueError(f"words[{i}] must be a str, got {type(word).__name__}")
        if not word:
            raise ValueError(f"words[{i}] is an empty word")
    return words


def make_alphabet(words, *, start: str | None = None, end: str | None = None) -> Alphabet:
    """Build the :class:`Alphabet` of every letter that occurs in ``words``, sorted.

    Parameters
    ----------
    words : sequence of str
        Non-empty words; for example every word of :func:`load_words` in all languages.
    start, end : str, optional
        Optional one-character markers (see :class:`Alphabet`), e.g. ``end="$"``.

    Raises
    ------
    ValueError
        If ``words`` is a single string, is empty or holds an empty word or a non-string;
        if a marker is not one character or occurs in the words.
    """
    words = _check_words(words)
    letters = "".join(sorted(set("".join(words))))
    return Alphabet(letters, start=start, end=end)


def encode_words(words, alphabet: Alphabet, *, length: int | None = None,
                 padding: str = "post", add_start: bool = False, add_end: bool = False):
    """Encode words as rows of letter indices, padded with 0 to one length.

    Parameters
    ----------
    words : sequence of str
        Non-empty words whose letters are all in ``alphabet``.
    alphabet : Alphabet
        From :func:`make_alphabet`.
    length : int, optional
        Row length (timesteps). Defaults to the longest encoded word. Must be at least that.
    padding : {"post", "pre"}
        Put the zeros after each word (``"post"``) or before it (``"pre"``).
    add_start, add_end : bool
        Put the alphabet's start marker before each word / its end marker after it. The
        markers count in ``lengths``.

    Returns
    -------
    codes : ndarray of int32, shape (len(words), length)
        ``codes[i]`` holds word ``i``'s indices and zeros for padding.
    lengths : ndarray of int64, shape (len(words),)
        Real symbols per row (letters and markers). With ``"post"`` the last one is at
        ``codes[i, lengths[i] - 1]``; with ``"pre"`` it is at ``codes[i, -1]``.

    Raises
    ------
    ValueError
        Naming the parameter: ``words`` (a single string, empty, an empty word, a
        character not in the alphabet), ``alphabet`` (not an Alphabet, or without the
        marker asked for), ``length`` (not a positive integer, or shorter than a word),
        ``padding`` (not "post" or "pre").
    """
    if not isinstance(alphabet, Alphabet):
        raise ValueError(f"alphabet must be an Alphabet (see make_alphabet), got "
                         f"{type(alphabet).__name__}")
    if padding not in ("post", "pre"):
        raise ValueError(f"padding must be 'post' or 'pre', got {padding!r}")
    if add_start and alphabet.start is None:
        raise ValueError("add_start=True needs an alphabet with a start marker, e.g. "
                         "make_alphabet(words, start='^')")
    if add_end and alphabet.end is None:
        raise ValueError("add_end=True needs an alphabet with an end marker, e.g. "
                         "make_alphabet(words, end='$')")
    words = _check_words(words)
    lookup = {letter: k for k, letter in enumerate(alphabet.letters, start=1)}
    rows = []
    for i, word in enumerate(words):
        unknown = [ch for ch in word if ch not in lookup]
        if unknown:
            raise ValueError(f"words[{i}] = {word!r} has the character {unknown[0]!r}, "
                             f"which is not in the alphabet {alphabet.letters!r}")
        row = [lookup[ch] for ch in word]
        if add_start:
            row.insert(0, alphabet.start_index)
        if add_end:
            row.append(alphabet.end_index)
        rows.append(row)
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    longest = int(lengths.max())
    if length is None:
        length = longest
    elif not _is_int(length) or length < 1:
        raise ValueError(f"length must be a positive integer or None, got {length!r}")
    elif length < longest:
        i = int(lengths.argmax())
        raise ValueError(f"length={length} is shorter than words[{i}] = {words[i]!r} "
                         f"({longest} symbols with its markers)")
    codes = np.zeros((len(rows), int(length)), dtype=np.int32)
    for i, row in enumerate(rows):
        if padding == "post":
            codes[i, :len(row)] = row
        else:
            codes[i, int(length) - len(row):] = row
    return codes, lengths


def decode(codes, alphabet: Alphabet):
    """Turn indices back into words: the inverse of :func:`encode_words`.

    Padding (0) is skipped wherever it sits, the start marker is dropped, and a word stops
    at its first end marker (anything after it is ignored, as when a generator runs on).

    Parameters
    ----------
    codes : array-like of int, shape (timesteps,) or (batch, timesteps)
        One word or a batch of words (NumPy arrays, lists, or tensors).
    alphabet : Alphabet
        The alphabet the codes were made with.

    Returns
    -------
    str for a 1-D ``codes``, list of str for a 2-D one.

    Raises
    ------
    ValueError
        If ``alphabet`` is not an Alphabet, or ``codes`` is not a 1-D or 2-D array of
        integers within ``0 .. alphabet.size - 1``.
    """
    if not isinstance(alphabet, Alphabet):
        raise ValueError(f"alphabet must be an Alphabet (see make_alphabet), got "
                         f"{type(alphabet).__name__}")
    try:
        arr = np.asarray(codes)
    except Exception:
        raise ValueError(f"codes must be an array of integers, got "
                         f"{type(codes).__name__}") from None
    if arr.ndim not in (1, 2) or arr.size == 0:
        raise ValueError(f"codes must be a non-empty 1-D or 2-D array, got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"codes must hold integers, got dtype {arr.dtype}")
    if arr.min() < 0 or arr.max() >= alphabet.size:
        raise ValueError(f"codes must lie in 0 .. {alphabet.size - 1} for this alphabet, "
                         f"got values from {arr.min()} to {arr.max()}")
    symbols = alphabet.symbols
    end, start = alphabet.end_index, alphabet.start_index

    def one(row) -> str:
        out = []
        for k in row.tolist():
            if k == end:
                break
            if k != PAD and k != start:
                out.append(symbols[k])
        return "".join(out)

    return one(arr) if arr.ndim == 1 else [one(row) for row in arr]
