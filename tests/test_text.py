"""lstm_book.text: the committed word lists, their checksums, and the letter encoding."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import lstm_book
import lstm_book.text as text
from lstm_book import DATA_DIR
from lstm_book.generation import LetterBigram
from lstm_book.text import (PAD, Alphabet, decode, encode_words, list_wordlists, load_words,
                            make_alphabet, wordlist_info)

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ["dutch", "english", "french", "german", "spanish"]


def copy_to(tmp_path: Path, language: str) -> Path:
    target = tmp_path / wordlist_info(language).filename
    shutil.copyfile(DATA_DIR / wordlist_info(language).filename, target)
    return target


def readme_word_rows() -> dict[str, dict[str, str]]:
    """The word-list table of data/README.md, keyed by file name."""
    rows = {}
    for line in (ROOT / "data" / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\w+) \| `(words_\w+\.txt)` \|", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            sha = re.fullmatch(r"`([0-9a-f]{64})`", cells[-1])
            assert sha, f"last cell is not a backticked SHA-256: {cells[-1]!r}"
            rows[m.group(2)] = {"language": m.group(1).lower(), "words": cells[-2],
                                "sha256": sha.group(1)}
    return rows


# ---------------------------------------------------------------- names and files

def test_list_wordlists_sorted_and_fresh():
    names = list_wordlists()
    assert names == LANGUAGES
    names.clear()
    assert list_wordlists() == LANGUAGES


def test_public_names_are_re_exported():
    for name in ("list_wordlists", "wordlist_info", "load_words", "make_alphabet",
                 "encode_words", "decode", "Alphabet"):
        assert getattr(lstm_book, name) is getattr(text, name)
    assert lstm_book.text is text


@pytest.mark.parametrize("language", LANGUAGES)
def test_info_and_recorded_hash(language):
    info = wordlist_info(language)
    assert info.language == language and info.filename == f"words_{language}.txt"
    assert info.source.strip() and info.licence.strip()
    digest = hashlib.sha256((DATA_DIR / info.filename).read_bytes()).hexdigest()
    assert digest == info.sha256


def test_every_word_file_is_known_and_documented():
    on_disk = sorted(p.name for p in DATA_DIR.glob("words_*.txt"))
    assert on_disk == sorted(wordlist_info(n).filename for n in LANGUAGES)
    table = readme_word_rows()
    assert sorted(table) == on_disk
    for filename, row in table.items():
        info = wordlist_info(row["language"])
        assert info.filename == filename
        assert row["sha256"] == info.sha256, f"data/README.md disagrees on {filename}"
        assert int(row["words"]) == info.words == len(load_words(info.language))


def test_licence_notices_ship_with_the_data():
    for language in LANGUAGES:
        head = (DATA_DIR / wordlist_info(language).filename).read_text("utf-8")[:600]
        notice = re.search(r"Full notice: (licences/\S+?)\.?$", head, re.M)
        assert notice and (DATA_DIR / notice.group(1)).is_file(), language


def test_data_folder_stays_small():
    total = sum(p.stat().st_size for p in DATA_DIR.rglob("*") if p.is_file())
    assert total < 2_000_000, total


# ---------------------------------------------------------------- loading

@pytest.mark.parametrize("language", LANGUAGES)
def test_load_words_invariants(language):
    words = load_words(language)
    assert len(words) == wordlist_info(language).words == 2700
    assert words == sorted(set(words))
    for word in words:
        assert word.isalpha() and word.islower() and 4 <= len(word) <= 12
        assert unicodedata.normalize("NFC", word) == word
    # The sample was drawn with the same number of words of every length.
    counts = np.bincount([len(w) for w in words], minlength=13)[4:]
    assert set(counts.tolist()) == {300}


def test_no_word_is_in_two_languages():
    seen = {}
    for language in LANGUAGES:
        for word in load_words(language):
            assert word not in seen, f"{word!r} is in {seen.get(word)} and {language}"
            seen[word] = language


def test_load_words_matches_an_independent_reading():
    lines = (DATA_DIR / "words_german.txt").read_text("utf-8").splitlines()
    assert [ln for ln in lines if not ln.startswith("#")] == load_words("german")
    assert "ß" in "".join(load_words("german"))


def test_load_words_returns_a_fresh_list():
    words = load_words("english")
    words.clear()
    assert len(load_words("english")) == 2700


def test_unchanged_copy_loads_from_another_folder(tmp_path):
    copy_to(tmp_path, "french")
    assert load_words("french", data_dir=tmp_path) == load_words("french")
    assert load_words("french", data_dir=str(tmp_path)) == load_words("french")


@pytest.mark.parametrize("language", [None, 3, "", "English", "en", "words_english.txt",
                                      "italian"])
def test_unknown_language_lists_the_available_ones(language):
    with pytest.raises(ValueError, match="unknown language") as info:
        load_words(language)
    for known in LANGUAGES:
        assert known in str(info.value)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_words("dutch", data_dir=tmp_path)
    assert str(tmp_path / "words_dutch.txt") in str(info.value)


@pytest.mark.parametrize("edit", [
    lambda b: b.replace(b"\naback\n", b"\nabaci\n", 1),        # a plausible word swapped
    lambda b: b + b"zzzz\n",                                     # a word added
    lambda b: b[:-1],                                            # truncated
    lambda b: b.replace(b"\n", b"\r\n"),                         # line ends changed
    lambda b: b"",                                               # emptied
], ids=["changed-word", "added-word", "truncated", "crlf", "empty"])
def test_a_corrupted_copy_fails_the_checksum(tmp_path, edit):
    path = copy_to(tmp_path, "english")
    raw = path.read_bytes()
    changed = edit(raw)
    assert changed != raw
    path.write_bytes(changed)
    with pytest.raises(ValueError, match="checksum") as info:
        load_words("english", data_dir=tmp_path)
    assert str(path) in str(info.value) and wordlist_info("english").sha256 in str(info.value)


@pytest.fixture
def fake_list(tmp_path, monkeypatch):
    """Register a language ``fake`` whose recorded hash matches whatever is written."""

    def write(content: bytes) -> Path:
        path = tmp_path / "words_fake.txt"
        path.write_bytes(content)
        info = text.WordListInfo("fake", "words_fake.txt", "test", "none", 0,
                                 hashlib.sha256(content).hexdigest())
        monkeypatch.setitem(text.WORDLISTS, "fake", info)
        return tmp_path

    return write


def test_fake_list_loads_and_skips_comments(fake_list):
    folder = fake_list("# a header\nabc\nstraße\nzèbre\n".encode())
    assert load_words("fake", data_dir=folder) == ["abc", "straße", "zèbre"]


@pytest.mark.parametrize("content, match", [
    (b"abc\nAbc\n", "lowercase letters"),
    (b"abc\nab-c\n", "lowercase letters"),
    (b"abc\n\nabd\n", "lowercase letters"),
    (b"abd\nabc\n", "sorted and unique"),
    (b"abc\nabc\n", "sorted and unique"),
    (b"# only a header\n", "non-empty"),
    ("abc\n".encode("utf-16"), "UTF-8"),
])
def test_malformed_content_is_refused(fake_list, content, match):
    folder = fake_list(content)
    with pytest.raises(ValueError, match=match) as info:
        load_words("fake", data_dir=folder)
    assert "words_fake.txt" in str(info.value)


# ---------------------------------------------------------------- the alphabet

def test_alphabet_layout():
    alphabet = make_alphabet(["cab", "abba"], start="^", end="$")
    assert alphabet.letters == "abc"
    assert alphabet.symbols == ("", "a", "b", "c", "^", "$")
    assert alphabet.size == 6 and PAD == 0
    assert alphabet.start_index == 4 and alphabet.end_index == 5
    assert [alphabet.index(s) for s in "abc^$"] == [1, 2, 3, 4, 5]


def test_alphabet_without_markers():
    alphabet = make_alphabet(["b", "a"])
    assert alphabet.symbols == ("", "a", "b") and alphabet.size == 3
    assert alphabet.start_index is None and alphabet.end_index is None
    assert make_alphabet(["x"], end="$").end_index == 2


def test_alphabet_of_the_book():
    words = [w for lang in LANGUAGES for w in load_words(lang)]
    alphabet = make_alphabet(words)
    assert alphabet.letters.startswith("abcdefghijklmnopqrstuvwxyz")
    assert set("äöüßéèçñ") <= set(alphabet.letters)
    assert alphabet.size == len(alphabet.letters) + 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(letters=""), "letters"),
    (dict(letters=None), "letters"),
    (dict(letters="aba"), "letters"),
    (dict(letters="ab", end="b"), "end"),
    (dict(letters="ab", start="^^"), "start"),
    (dict(letters="ab", start=1), "start"),
    (dict(letters="ab", start="$", end="$"), "start and end"),
])
def test_bad_alphabet(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Alphabet(**kwargs)


@pytest.mark.parametrize("symbol", ["", "x", "ab", None, 1])
def test_unknown_symbol(symbol):
    with pytest.raises(ValueError, match="symbol"):
        make_alphabet(["ab"]).index(symbol)


@pytest.mark.parametrize("takes_words", [make_alphabet, LetterBigram],
                         ids=["make_alphabet", "LetterBigram"])
@pytest.mark.parametrize("words, match", [
    ("abc", r"words must be a sequence of words, not a single string: use \['abc'\]"),
    ([], "words is empty: give at least one word"),
    (["ab", ""], r"words\[1\] is an empty word"),
    (["ab", 3], r"words\[1\] must be a str, got int"),
    (5, "words must be a sequence of strings, got int"),
])
def test_bad_words_are_named(takes_words, words, match):
    # one check (text._check_words) serves the alphabet and the bigram model
    with pytest.raises(ValueError, match=match):
        takes_words(words)


def test_make_alphabet_marker_in_words():
    with pytest.raises(ValueError, match="end"):
        make_alphabet(["a$b"], end="$")


# ---------------------------------------------------------------- encoding

@pytest.fixture
def abc():
    return make_alphabet(["abc"], start="^", end="$")


def test_post_padding(abc):
    codes, lengths = encode_words(["cab", "a", "bb"], abc)
    assert codes.dtype == np.int32 and lengths.dtype == np.int64
    np.testing.assert_array_equal(codes, [[3, 1, 2], [1, 0, 0], [2, 2, 0]])
    np.testing.assert_array_equal(lengths, [3, 1, 2])
    last = codes[np.arange(3), lengths - 1]
    np.testing.assert_array_equal(last, [2, 1, 2])  # b, a, b


def test_pre_padding(abc):
    codes, lengths = encode_words(["cab", "a", "bb"], abc, length=4, padding="pre")
    np.testing.assert_array_equal(codes, [[0, 3, 1, 2], [0, 0, 0, 1], [0, 0, 2, 2]])
    np.testing.assert_array_equal(lengths, [3, 1, 2])
    np.testing.assert_array_equal(codes[:, -1], [2, 1, 2])


def test_markers(abc):
    codes, lengths = encode_words(["ab", "c"], abc, add_start=True, add_end=True)
    np.testing.assert_array_equal(codes, [[4, 1, 2, 5], [4, 3, 5, 0]])
    np.testing.assert_array_equal(lengths, [4, 3])
    codes, _ = encode_words(["ab"], abc, add_end=True, length=5, padding="pre")
    np.testing.assert_array_equal(codes, [[0, 0, 1, 2, 5]])


def test_length_none_is_the_longest_word(abc):
    codes, _ = encode_words(["a", "abcab"], abc, add_end=True)
    assert codes.shape == (2, 6)
    codes, _ = encode_words(("a", "bb"), abc, length=7)
    assert codes.shape == (2, 7) and np.all(codes[:, 2:] == 0)


@pytest.mark.parametrize("padding", ["post", "pre"])
@pytest.mark.parametrize("markers", [(False, False), (True, False), (False, True), (True, True)])
def test_round_trip_on_real_words(padding, markers):
    words = [w for lang in LANGUAGES for w in load_words(lang)[::50]]
    alphabet = make_alphabet(words, start="^", end="$")
    add_start, add_end = markers
    codes, lengths = encode_words(words, alphabet, length=15, padding=padding,
                                  add_start=add_start, add_end=add_end)
    assert codes.shape == (len(words), 15)
    np.testing.assert_array_equal(lengths, [len(w) + add_start + add_end for w in words])
    np.testing.assert_array_equal((codes != PAD).sum(axis=1), lengths)
    assert decode(codes, alphabet) == words
    assert decode(codes[7], alphabet) == words[7]


def test_decode_forms(abc):
    codes, _ = encode_words(["cab", "a"], abc, add_end=True)
    assert decode(codes.tolist(), abc) == ["cab", "a"]
    assert decode(codes.astype(np.int64), abc) == ["cab", "a"]
    assert decode(codes.astype(np.float32), abc) == ["cab", "a"]
    assert decode([3, 1, 2], abc) == "cab"
    # Everything after the first end marker is ignored; padding inside is skipped.
    assert decode([4, 1, 0, 2, 5, 3, 3], abc) == "ab"


@pytest.mark.parametrize("codes, match", [
    ([], "non-empty"),
    ([[[1]]], "1-D or 2-D"),
    ([1, 6], r"0 \.\. 5"),
    ([1, -1], r"0 \.\. 5"),
    ([1.5, 2], "integers"),
    (["a", "b"], "integers"),
    ([1, np.nan], "integers"),
])
def test_decode_bad_codes(abc, codes, match):
    with pytest.raises(ValueError, match=match):
        decode(codes, abc)


def test_decode_bad_alphabet():
    with pytest.raises(ValueError, match="alphabet"):
        decode([1, 2], "abc")


@pytest.mark.parametrize("call, match", [
    (lambda a: encode_words(["ab", ""], a), r"words\[1\] is an empty word"),
    (lambda a: encode_words(["ab", "abd"], a), r"words\[1\] = 'abd' has the character 'd'"),
    (lambda a: encode_words(["Ab"], a), "character 'A'"),
    (lambda a: encode_words(["a^"], a), "character '\\^'"),
    (lambda a: encode_words("abc", a), "single string"),
    (lambda a: encode_words([], a), "words is empty"),
    (lambda a: encode_words([None], a), r"words\[0\] must be a str"),
    (lambda a: encode_words(["ab"], "abc"), "alphabet must be an Alphabet"),
    (lambda a: encode_words(["ab"], a, padding="left"), "padding must be 'post' or 'pre'"),
    (lambda a: encode_words(["ab"], a, padding=None), "padding"),
    (lambda a: encode_words(["abc", "ab"], a, length=2), r"length=2 is shorter than words\[0\]"),
    (lambda a: encode_words(["ab"], a, length=2, add_end=True), "length=2 is shorter"),
    (lambda a: encode_words(["ab"], a, length=0), "length must be a positive integer"),
    (lambda a: encode_words(["ab"], a, length=2.0), "length must be a positive integer"),
    (lambda a: encode_words(["ab"], a, length=True), "length must be a positive integer"),
    (lambda a: encode_words(["ab"], make_alphabet(["ab"]), add_end=True), "add_end=True"),
    (lambda a: encode_words(["ab"], make_alphabet(["ab"]), add_start=True), "add_start=True"),
])
def test_encode_bad_input_names_the_parameter(abc, call, match):
    with pytest.raises(ValueError, match=match):
        call(abc)


def test_encode_accepts_numpy_lengths(abc):
    codes, _ = encode_words(np.array(["ab", "c"]), abc, length=np.int64(3))
    np.testing.assert_array_equal(codes, [[1, 2, 0], [3, 0, 0]])
