"""Generate chapters/error_index.md, the book's page of error messages and their fixes.

Usage:
    python tools/error_index.py            write chapters/error_index.md
    python tools/error_index.py --check    exit 1 if the committed page is out of date

The page lists every error that the executed notebooks of the book show: the error output of
each cell tagged ``raises-exception`` in the notebooks that ``_toc.yml`` lists. For each error
it gives the first line of the message as printed (ANSI colours removed; the machine-specific
parts that ``tests/sanitize.cfg`` masks for nbval are masked the same way), what causes it and
the fix, both from ``tools/error_entries.yml``, and a link to the section of the notebook that
shows it.

An error is matched to the one entry whose ``match`` string (or every string of a ``match``
list) occurs in its message. An error without an entry (in any notebook of ``chapters/``,
drafts included), an entry that matches no error, or an error that matches two entries is
reported, and the page is not written.
"""

from __future__ import annotations

import argparse
import configparser
import functools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAGE = Path("chapters") / "error_index.md"
ENTRIES = Path("tools") / "error_entries.yml"
SANITIZE = Path("tests") / "sanitize.cfg"
COMMAND = "python tools/error_index.py"

# Headings down to this level get a link anchor; `myst_heading_anchors` in _config.yml.
ANCHOR_LEVEL = 3
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# Keras re-raises errors from a layer's call() with this first line; the cause is on the
# first non-empty line after it, so the page shows both lines.
KERAS_WRAPPER = re.compile(r"^\w+(\.\w+)*: Exception encountered when calling ")
ENTRY_FIELDS = ("match", "title", "cause", "fix")
# An ATX heading line, or the underline of a setext heading.
MAYBE_HEADING = re.compile(r"^ {0,3}(#{1,6}(\s|$)|=+\s*$|-+\s*$)", re.M)


@dataclass(frozen=True)
class Section:
    """A heading of a notebook: its text as written (MyST) and its link anchor."""

    title: str
    anchor: str | None


@dataclass(frozen=True)
class ShownError:
    """One error output of a notebook cell."""

    notebook: str  # file name, e.g. "07_traps.ipynb"
    cell: int  # index of the cell in the notebook
    message: str  # "Ename: evalue", ANSI removed, sanitized
    headline: tuple[str, ...]  # the lines the page shows
    chapter: str  # the notebook's H1 title
    section: Section | None  # the nearest heading above the cell that has an anchor
    in_book: bool = True  # the notebook is listed in _toc.yml, so the page can link to it

    def where(self) -> str:
        return f"{self.notebook}, cell {self.cell}"


@dataclass
class Entry:
    match: tuple[str, ...]
    title: str
    cause: str
    fix: str
    shown: list[ShownError] = field(default_factory=list)

    def matches(self, message: str) -> bool:
        return all(part in message for part in self.match)


# ---------------------------------------------------------------------------------------------
# Reading the notebooks


def load_sanitizers(path: Path) -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of an nbval sanitize file, in file order."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def clean_message(ename: str, evalue: str, sanitizers=()) -> str:
    """The message as IPython prints its last line, ``Ename: evalue``, without colours."""
    text = ANSI.sub("", f"{ename}: {evalue}" if evalue else ename)
    for regex, replace in sanitizers:
        text = regex.sub(replace, text)
    return text.rstrip()


def headline(message: str) -> tuple[str, ...]:
    """The first line of the message; after a Keras call wrapper, down to the line it wraps."""
    lines = [line.rstrip() for line in message.splitlines()] or [""]
    if KERAS_WRAPPER.match(lines[0]):
        for n, line in enumerate(lines[1:], start=1):
            if line.strip():
                return tuple(lines[: n + 1])
    return (lines[0],)


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    # The parser the book uses, so that headings and their anchors come out as in the HTML.
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"amsmath", "colon_fence", "deflist", "dollarmath",
                                               "substitution"})
    return create_md_parser(config, RendererHTML)


def notebook_headings(cells: list[dict]) -> list[tuple[int, int, str, str | None]]:
    """(cell index, level, MyST text, anchor) of every heading, as MyST computes the anchors.

    The anchors are the slugs of ``myst_heading_anchors`` (unique within the notebook; headings
    deeper than ANCHOR_LEVEL get none), so a link ``notebook.ipynb#anchor`` resolves in the
    build, and a build with ``-W`` fails if it does not.
    """
    from markdown_it.tree import SyntaxTreeNode
    from myst_parser.mdit_to_docutils.base import compute_unique_slug

    md = _markdown_parser()
    slugs: set[str] = set()
    found = []
    for index, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or not MAYBE_HEADING.search(text):
            continue  # parsing is the slow part: skip cells that cannot hold a heading
        tree = SyntaxTreeNode(md.parse(text))
        for node in tree.walk():
            if node.type != "heading":
                continue
            level = int(node.tag[1])
            text = node.children[0].content if node.children else ""
            anchor = None
            if level <= ANCHOR_LEVEL:
                anchor = compute_unique_slug(node, slugs)
                slugs.add(anchor)
            found.append((index, level, text, anchor))
    return found


def notebook_errors(path: Path, sanitizers=(), in_book: bool = True) -> list[ShownError]:
    """Every error output of a notebook, with the section it appears in."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    heads = notebook_headings(cells)
    chapter = next((text for _, level, text, _ in heads if level == 1), path.stem)
    errors = []
    for index, cell in enumerate(cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            above = [(text, anchor) for i, level, text, anchor in heads
                     if i <= index and level > 1 and anchor]
            section = Section(*above[-1]) if above else None
            message = clean_message(out.get("ename", "Error"), out.get("evalue", ""), sanitizers)
            errors.append(ShownError(path.name, index, message, headline(message), chapter,
                                     section, in_book))
    return errors


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks under ``root/chapters`` that the book builds: those listed in _toc.yml
    (all of them when there is no _toc.yml). A page can only link to a built notebook."""
    notebooks = sorted((root / "chapters").glob("*.ipynb"))
    toc = root / "_toc.yml"
    if not toc.is_file():
        return notebooks
    listed = set(re.findall(r"^\s*-?\s*(?:file|root):\s*(\S+?)(?:\.ipynb)?\s*$",
                            toc.read_text(encoding="utf-8"), re.M))
    return [p for p in notebooks if p.relative_to(root).with_suffix("").as_posix() in listed]


def collect(root: Path = ROOT) -> list[ShownError]:
    """The errors of every notebook under ``root/chapters``, in reading order.

    Errors of a notebook that _toc.yml does not list yet (a draft) need an entry too, but
    the page only shows those of the book (``ShownError.in_book``).
    """
    sanitizers = load_sanitizers(root / SANITIZE) if (root / SANITIZE).is_file() else []
    in_book = set(book_notebooks(root))
    errors = []
    for path in sorted((root / "chapters").glob("*.ipynb")):
        errors.extend(notebook_errors(path, sanitizers, in_book=path in in_book))
    return errors


# ---------------------------------------------------------------------------------------------
# The entries


def load_entries(path: Path) -> tuple[list[Entry], list[str]]:
    """The entries of ``error_entries.yml`` and the problems found in their form."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    entries, problems = [], []
    if not isinstance(data, list):
        return [], [f"{path.name}: expected a list of entries, got {type(data).__name__}"]
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"{path.name}: entry {n} is not a mapping")
            continue
        missing = [k for k in ENTRY_FIELDS if not item.get(k)]
        unknown = sorted(set(item) - set(ENTRY_FIELDS))
        if missing or unknown:
            problems.append(f"{path.name}: entry {n} ({item.get('title', '?')}): "
                            f"missing {missing}, unknown {unknown}")
            continue
        match = item["match"]
        match = tuple(match) if isinstance(match, list) else (match,)
        if not all(isinstance(m, str) and m.strip() for m in match):
            problems.append(f"{path.name}: entry {n}: `match` must be a string or a list of them")
            continue
        fix = " ".join(str(item["fix"]).split())
        entries.append(Entry(match, str(item["title"]).strip(), str(item["cause"]).strip(), fix))
    return entries, problems


def assign(errors: list[ShownError], entries: list[Entry]) -> list[str]:
    """Attach every error to its entry; return what does not fit (missing, stale, ambiguous)."""
    problems = []
    for entry in entries:
        entry.shown.clear()
    for error in errors:
        hits = [e for e in entries if e.matches(error.message)]
        if not hits:
            shown = " / ".join(line for line in error.headline if line)
            problems.append(f"no entry in {ENTRIES} for the error in {error.where()}: "
                            f"{shown!r}; add one (match, title, cause, fix)")
        elif len(hits) > 1:
            problems.append(f"the error in {error.where()} matches {len(hits)} entries: "
                            + ", ".join(repr(e.title) for e in hits))
        else:
            hits[0].shown.append(error)
    for entry in entries:
        if not entry.shown:
            problems.append(f"stale entry in {ENTRIES}: {entry.title!r} "
                            f"(match {list(entry.match)}) matches no error output of any "
                            "notebook; remove it")
    return problems


# ---------------------------------------------------------------------------------------------
# The page


def pinned_versions(root: Path = ROOT) -> dict[str, str]:
    """Pinned versions from requirements.txt, e.g. {"keras": "3.15.1"}."""
    pins = {}
    req = root / "requirements.txt"
    if req.is_file():
        for line in req.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
            if m:
                pins[m.group(1).lower()] = m.group(2)
    return pins


def _fence(lines: tuple[str, ...]) -> str:
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", "\n".join(lines))),
                                 default=0))
    body = "\n".join(lines)
    return f"{ticks}{{code-block}} text\n:class: error-message\n{body}\n{ticks}"


def _link(error: ShownError) -> str:
    if error.section is None:
        return f"{{doc}}`{Path(error.notebook).stem}`"
    return f"[{error.chapter} › {error.section.title}]({error.notebook}#{error.section.anchor})"


def render(entries: list[Entry], versions: dict[str, str] | None = None) -> str:
    """The Markdown of the page, entries in the order a reader meets their errors."""
    versions = versions or {}
    in_book = {id(e): [error for error in e.shown if error.in_book] for e in entries}
    shown = sorted((e for e in entries if in_book[id(e)]),
                   key=lambda e: (in_book[id(e)][0].notebook, in_book[id(e)][0].cell))
    stack = ""
    if "keras" in versions:
        tf = versions.get("tensorflow-cpu") or versions.get("tensorflow")
        stack = f" by Keras {versions['keras']}" + (f" on TensorFlow {tf}" if tf else "")
    count = sum(len(in_book[id(e)]) for e in shown)
    shown_in = f" ({count} cells show them)" if count != len(shown) else ""
    parts = [
        "# Error messages and their fixes",
        "",
        f"% Generated by `{COMMAND}` from the executed notebooks and {ENTRIES.as_posix()}.",
        "% Do not edit this file: change the entries, or the notebooks, and run the command.",
        "",
        f"Came here with an error message? These are the {len(shown)} errors that the notebooks "
        f"of this book raise on purpose{shown_in}. For each one: its message as printed{stack} "
        "(the first line, or down to the original error when Keras re-raises it from a "
        "layer's `call()`), what causes it, the fix in one line, and the section that shows "
        "it. Search for a few words of your message, with the search box or with Ctrl+F on "
        "this page.",
    ]
    for entry in shown:
        lines = list(dict.fromkeys(e.headline for e in in_book[id(entry)]))
        parts += ["", f"## {entry.title}", ""]
        for headline_lines in lines:
            parts += [_fence(headline_lines), ""]
        parts += [f"**Cause.** {' '.join(entry.cause.split())}", "", f"**Fix.** {entry.fix}", ""]
        links = list(dict.fromkeys(_link(e) for e in in_book[id(entry)]))
        parts.append("**Shown in:** " + "; ".join(links) + ".")
    return "\n".join(parts) + "\n"


def build(root: Path = ROOT) -> tuple[str | None, list[str]]:
    """The page's text and the problems found; the text is None when there are problems."""
    entries, problems = load_entries(root / ENTRIES)
    if problems:
        return None, problems
    problems = assign(collect(root), entries)
    if problems:
        return None, problems
    return render(entries, pinned_versions(root)), []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the committed page is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    text, problems = build(args.root)
    if problems:
        print("error index: " + "\n  ".join(["cannot generate the page:", *problems]),
              file=sys.stderr)
        return 1
    page = args.root / PAGE
    if args.check:
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            print(f"error index: {PAGE} is out of date; run `{COMMAND}`", file=sys.stderr)
            return 1
        print(f"error index: {PAGE} is up to date")
        return 0
    if page.is_file() and page.read_text(encoding="utf-8") == text:
        print(f"error index: {PAGE} unchanged")
        return 0
    page.write_text(text, encoding="utf-8")
    print(f"error index: wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
