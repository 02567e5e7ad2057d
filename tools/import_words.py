"""Rebuild the word lists in ``data/`` from the Debian packages they were sampled from.

This script documents provenance; the book never runs it. The files were made once,
offline, from five Debian 12 (bookworm) packages that were downloaded and unpacked by hand
(no installation needed)::

    apt-get download wamerican=2020.12.07-2 wngerman=20161207-11 \\
        wdutch=1:2.20.19-2 wfrench=1.2.7-2 wspanish=1.0.30
    for deb in *.deb; do dpkg-deb -x "$deb" unpacked/; done
    python tools/import_words.py unpacked/ data/

It writes ``data/words_<language>.txt`` and copies each package's copyright file to
``data/licences/<package>.copyright.txt``. After rebuilding, update the SHA-256 values in
``lstm_book/text.py`` and ``data/README.md``.

How a word list becomes a sample (the same rules for every language):

1. Keep entries made of letters only (``str.isalpha``; no apostrophes, hyphens, digits,
   spaces), in Unicode NFC form, whose letters all belong to :data:`ALPHABET` once lowercased.
2. Keep entries written in lowercase. German also keeps entries with a capital first letter
   and lowercase after it, because German capitalises every noun; in the other lists a
   capital marks a proper name ("Aaron", "Nelis") or an abbreviation, which are dropped.
3. Lowercase, and remove duplicates within a language.
4. Keep words of 4 to 12 letters.
5. Drop every word that is in more than one language's list after steps 1-4 (``hotel``,
   ``radio``, ``taxi``): its label would be ambiguous.
6. Draw :data:`PER_LENGTH` words of each length from each language with one seeded
   generator, so every language has the same number of words of every length: word length
   alone then says nothing about the language.

Each output file is UTF-8 with ``\\n`` line ends: a few header lines starting with ``#``
(source, licence, the rules above), then one word per line, sorted.
"""

from __future__ import annotations

import random
import shutil
import sys
import unicodedata
from pathlib import Path

#: Every letter a sampled word may contain (the union over the five languages).
ALPHABET = "abcdefghijklmnopqrstuvwxyz" + "àáâäçèéêëíîïñóôöùúûüß"
MIN_LENGTH, MAX_LENGTH = 4, 12
PER_LENGTH = 300
SEED = 0

#: language -> (Debian package, version, file under usr/share/dict, licence, copyright)
SOURCES = {
    "english": ("wamerican", "2020.12.07-2", "american-english",
                "SCOWL's permissive licence",
                "Copyright 2000-2011 Kevin Atkinson and the SCOWL contributors"),
    "german": ("wngerman", "20161207-11", "ngerman", "GPL-2+",
               "Copyright 1999-2016 Björn Jacke (igerman98)"),
    "dutch": ("wdutch", "1:2.20.19-2", "dutch",
              "CC BY 3.0 (offered under BSD or CC BY 3.0; used under CC BY 3.0)",
              "Copyright 1996 Nederlandstalige Tex Gebruikersgroep, 2001-2005 Simon "
              "Brouwer e.a., 2006-2010 and 2020 OpenTaal"),
    "french": ("wfrench", "1.2.7-2", "french", "GPL-2+",
               "Copyright 1989 Paul Leyland"),
    "spanish": ("wspanish", "1.0.30", "spanish", "public domain",
                "Word list in the public domain (Debian package by Enrique Zanardi "
                "and Agustin Martin Domingo)"),
}


def clean(entries: list[str], language: str) -> set[str]:
    """Steps 1-4 of the module docstring: the usable words of one list."""
    allowed = set(ALPHABET)
    words = set()
    for entry in entries:
        entry = unicodedata.normalize("NFC", entry.strip())
        if not entry.isalpha():
            continue
        capitalised = entry[0].isupper() and (len(entry) == 1 or entry[1:].islower())
        if not (entry.islower() or (language == "german" and capitalised)):
            continue
        word = entry.lower()
        if set(word) <= allowed and MIN_LENGTH <= len(word) <= MAX_LENGTH:
            words.add(word)
    return words


def sample(pools: dict[str, set[str]]) -> dict[str, list[str]]:
    """Steps 5-6: drop shared words, then draw PER_LENGTH words of each length, seeded."""
    seen_in: dict[str, int] = {}
    for words in pools.values():
        for word in words:
            seen_in[word] = seen_in.get(word, 0) + 1
    rng = random.Random(SEED)
    out = {}
    for language in SOURCES:  # a fixed order, so the draws are repeatable
        unique = sorted(w for w in pools[language] if seen_in[w] == 1)
        chosen = []
        for length in range(MIN_LENGTH, MAX_LENGTH + 1):
            of_length = [w for w in unique if len(w) == length]
            if len(of_length) < PER_LENGTH:
                raise SystemExit(f"{language}: only {len(of_length)} words of length {length}")
            chosen += rng.sample(of_length, PER_LENGTH)
        out[language] = sorted(chosen)
    return out


def header(language: str) -> list[str]:
    package, version, dict_file, licence, copyright_ = SOURCES[language]
    return [
        f"# {language.capitalize()} words sampled from Debian's {package} {version}"
        f" (/usr/share/dict/{dict_file}).",
        f"# Licence: {licence}.",
        f"# {copyright_}.",
        f"# Full notice: licences/{package}.copyright.txt.",
        f"# Built by tools/import_words.py: letters only, lowercase, {MIN_LENGTH}-{MAX_LENGTH}"
        " letters,",
        f"# words shared with another list dropped, {PER_LENGTH} words of each length"
        f" (seed {SEED}).",
    ]


GPL_2 = Path("/usr/share/common-licenses/GPL-2")


def main(src: Path, out: Path) -> None:
    pools = {}
    for language, (package, _, dict_file, _, _) in SOURCES.items():
        text = (src / "usr/share/dict" / dict_file).read_text(encoding="utf-8")
        pools[language] = clean(text.splitlines(), language)
    (out / "licences").mkdir(parents=True, exist_ok=True)
    for language, words in sample(pools).items():
        package = SOURCES[language][0]
        path = out / f"words_{language}.txt"
        path.write_text("\n".join(header(language) + words) + "\n", encoding="utf-8")
        print(f"{path}: {len(words)} words")
        shutil.copyfile(src / "usr/share/doc" / package / "copyright",
                        out / "licences" / f"{package}.copyright.txt")
    # The German and French lists are GPL-2+: the licence's text travels with them. Debian
    # keeps it in base-files (/usr/share/common-licenses), not in the word-list packages.
    shutil.copyfile(GPL_2, out / "licences" / "GPL-2.txt")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/import_words.py UNPACKED_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
