"""What strict nbval does not check: how the committed notebooks are written.

nbval re-runs every notebook and compares outputs; these tests read the committed files and
enforce the book's rules: a title, quiet and seeded set-up before Keras is imported, Keras 3
idioms, no progress bars or log noise, every error output marked, figures ended properly,
models saved safely, nothing fetched from the network, claims backed by assertions, and code
and printed lines that fit the page (79 characters, so that no block scrolls sideways).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
MARKDOWN_PAGES = sorted((ROOT / "chapters").glob("*.md"))
MAX_LINE = 79  # characters; 79 fit every code and output block of the HTML at 1280 px
OPENER = ("**What you will learn:**", "**What you need:**", "**Runs in:**")

LOG_NOISE = (r"absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|WARNING: All log messages"
             r"|ms/step|s/step|\x1b\[|retracing|Matplotlib is building the font cache")
WARNING_TEXT = r"Do not pass an `input_shape`|UserWarning|DeprecationWarning|FutureWarning"
NOISE = re.compile(LOG_NOISE + "|" + WARNING_TEXT)
# A cell tagged demonstrates-warning catches the warning, asserts on it and may print its text
# on stdout (the learner sees what Keras says); everything else stays banned there too.
NOISE_IN_DEMONSTRATION = re.compile(LOG_NOISE)
ASSERTION = re.compile(r"^\s*assert\b|np\.testing\.assert_|\bassert_allclose\(|\bassert_array_equal\(|\bcheck_\w+\(", re.M)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_starts_with_h1_title_and_opener(path):
    first = load(path)["cells"][0]
    text = source(first)
    assert first["cell_type"] == "markdown" and text.startswith("# "), "first cell must be an H1 title"
    missing = [label for label in OPENER if label not in text]
    assert not missing, (f"the opener in the first cell lacks {missing}: the labels are "
                         + ", ".join(OPENER) + " (bold, colon inside)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_ends_with_a_summary(path):
    headings = [source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown"]
    assert any(re.search(r"^#+ .*Summary", h, re.M) for h in headings), "no Summary section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_quiet_tensorflow_set_before_keras_import(path):
    first_code = source(code_cells(load(path))[0])
    pos_import = first_code.find("import keras")
    assert pos_import > 0, "the first code cell must import keras"
    for var, value in (("TF_ENABLE_ONEDNN_OPTS", "0"), ("TF_CPP_MIN_LOG_LEVEL", "3")):
        m = re.search(rf'os\.environ\["{var}"\]\s*=\s*"{value}"', first_code)
        assert m and m.start() < pos_import, f"{var}={value} must be set before `import keras`"
    assert "make_reproducible(" in first_code or "set_random_seed(" in first_code, "runs must be seeded"


def shows_warning_on_purpose(cell) -> bool:
    """A cell tagged ``demonstrates-warning`` may trigger a warning, but only to catch and assert it."""
    src = source(cell)
    return ("demonstrates-warning" in cell["metadata"].get("tags", [])
            and "catch_warnings(record=True)" in src and re.search(r"^\s*assert\b.*caught", src, re.M) is not None)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_demonstrated_warnings_are_caught_and_asserted(path):
    for i, cell in enumerate(code_cells(load(path))):
        if "demonstrates-warning" in cell["metadata"].get("tags", []):
            assert shows_warning_on_purpose(cell), \
                f"cell {i}: a demonstrates-warning cell must catch the warning and assert on it"
            assert all(o["output_type"] == "stream" and o["name"] == "stdout" for o in cell["outputs"]), \
                f"cell {i}: the caught warning must not reach stderr"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_keras3_idioms(path):
    for i, cell in enumerate(code_cells(load(path))):
        src = source(cell)
        assert not re.search(r"from\s+tensorflow\s+import\s+keras|tf\.keras", src), f"cell {i}: tf.keras"
        assert "input_shape=" not in src, f"cell {i}: input_shape= on a layer; use keras.Input"
        assert "batch_input_shape=" not in src or "raises-exception" in cell["metadata"].get("tags", []), \
            f"cell {i}: batch_input_shape is gone in Keras 3"
        for call in re.finditer(r"\.(fit|predict|evaluate)\(", src):
            # find the matching closing parenthesis of the call
            depth, j = 0, call.end() - 1
            while j < len(src):
                depth += {"(": 1, ")": -1}.get(src[j], 0)
                if depth == 0:
                    break
                j += 1
            assert "verbose=0" in src[call.end():j], f"cell {i}: {call.group(1)}(...) without verbose=0"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_cell_executed_and_outputs_clean(path):
    for i, cell in enumerate(code_cells(load(path))):
        src = source(cell)
        if src.strip():
            assert cell["execution_count"] is not None, f"cell {i} was never executed"
        assert not src.rstrip().endswith(";"), f"cell {i} ends with ';' (end plot cells with plt.show())"
        tags = cell["metadata"].get("tags", [])
        for out in cell["outputs"]:
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", f"cell {i} writes to stderr: {''.join(out['text'])[:200]}"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            noise = NOISE_IN_DEMONSTRATION if shows_warning_on_purpose(cell) else NOISE
            assert not noise.search(text), f"cell {i}: log noise or a progress bar in the output: {text[:200]}"
            if out["output_type"] == "error":
                assert "raises-exception" in tags, f"cell {i}: error output without a raises-exception tag"
        if "raises-exception" in tags:
            assert any(o["output_type"] == "error" for o in cell["outputs"]), \
                f"cell {i} is tagged raises-exception but raised nothing"
            assert re.search(r"#.*(on purpose|fails|raises|error)", src, re.I), \
                f"cell {i}: say in a comment why this cell fails on purpose"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_plot_cells_end_with_show(path):
    for i, cell in enumerate(code_cells(load(path))):
        src = source(cell)
        if re.search(r"\b(new_figure|plt\.subplots|plt\.figure)\(", src):
            assert src.rstrip().endswith("plt.show()"), f"cell {i}: a plot cell must end with plt.show()"
            assert any("image/png" in o.get("data", {}) for o in cell["outputs"]), f"cell {i}: no figure in output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_models_saved_safely_and_nothing_fetched(path):
    for i, cell in enumerate(code_cells(load(path))):
        src = source(cell)
        assert "safe_mode=False" not in src, f"cell {i}: models must load with safe_mode on"
        for m in re.finditer(r"\.save\(([^)]*)\)", src):
            assert ".keras" in m.group(1) or "path" in m.group(1), f"cell {i}: save to a .keras file"
        assert not re.search(r"urlopen|requests\.|get_file\(|\.load_data\(|pip install|wget|curl ", src), \
            f"cell {i}: fetches something from the network"


def test_the_book_asserts_its_claims():
    per_notebook = {p.name: sum(len(ASSERTION.findall(source(c))) for c in code_cells(load(p))) for p in NOTEBOOKS}
    assert all(n >= 3 for n in per_notebook.values()), per_notebook
    assert sum(per_notebook.values()) >= 40, per_notebook


# ---------------------------------------------------------------------------------------------
# Lines that fit the page: at most MAX_LINE characters in every code cell, every printed output
# line and every code block of the prose. Tracebacks (error outputs) are exempt: they wrap in
# the HTML (_static/book.css).

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
# Fenced blocks shown as code: no info, a language name, or a code directive. Other directives
# ({exercise}, {note}, {math}, ...) hold prose or maths, which wraps; code fenced inside them
# is still checked.
CODE_DIRECTIVES = {"code-block", "code", "code-cell", "sourcecode"}
RICH_OUTPUT = ("text/html", "text/markdown", "text/latex", "image/png", "image/svg+xml",
               "image/jpeg")


def _preview(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "..."


def fenced_code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every line inside a fenced code block of MyST text, 1-based.

    Blocks marked `:class: error-message` (the generated error index) wrap in the HTML and
    are skipped, like tracebacks.
    """
    lines = text.splitlines()
    found: list[tuple[int, str]] = []

    def scan(start: int, stop: int) -> None:
        i = start
        while i < stop:
            m = FENCE.match(lines[i])
            if not m:
                i += 1
                continue
            fence, info = m.group("fence"), m.group("info").strip()
            end = i + 1
            while end < stop:
                close = lines[end].strip()
                if close and set(close) == {fence[0]} and len(close) >= len(fence):
                    break
                end += 1
            name = re.match(r"\{([\w-]+)\}", info)
            is_code = fence[0] != ":" and (name is None or name.group(1) in CODE_DIRECTIVES)
            body = range(i + 1, min(end, stop))
            if not is_code:
                scan(i + 1, min(end, stop))
            elif not any(lines[k].strip() == ":class: error-message" for k in body):
                found.extend((k + 1, lines[k]) for k in body)
            i = end + 1

    scan(0, len(lines))
    return found


def long_lines_in_notebook(nb: dict) -> tuple[list[str], list[str]]:
    """Lines over MAX_LINE: (in code cells and code blocks of markdown cells, in outputs)."""
    code, printed = [], []
    for index, cell in enumerate(nb["cells"]):
        where = f"{cell['cell_type']} cell {index} (id {cell.get('id', '?')})"
        text = source(cell)
        if cell["cell_type"] == "code":
            numbered = list(enumerate(text.splitlines(), start=1))
        elif cell["cell_type"] == "markdown":
            numbered = fenced_code_lines(text)
        else:
            numbered = []
        code += [f"{where}, line {n}: {len(line)} chars: {_preview(line)}"
                 for n, line in numbered if len(line) > MAX_LINE]
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "stream":
                shown = "".join(out["text"])
            elif kind in ("execute_result", "display_data") and not any(
                    k in out.get("data", {}) for k in RICH_OUTPUT):
                shown = "".join(out.get("data", {}).get("text/plain", ""))
            else:  # error outputs wrap; rich outputs are not shown as text
                continue
            printed += [f"{where}, output line {n}: {len(line)} chars: {_preview(line)}"
                        for n, line in enumerate(shown.splitlines(), start=1)
                        if len(line) > MAX_LINE]
    return code, printed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_lines_fit_the_page(path):
    code, _ = long_lines_in_notebook(load(path))
    assert not code, (f"chapters/{path.name}: {len(code)} code line(s) over {MAX_LINE} characters "
                      "(they scroll sideways in the HTML):\n  " + "\n  ".join(code))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_printed_lines_fit_the_page(path):
    _, printed = long_lines_in_notebook(load(path))
    assert not printed, (f"chapters/{path.name}: {len(printed)} printed line(s) over {MAX_LINE} "
                         "characters (shorten or wrap what the cell prints):\n  "
                         + "\n  ".join(printed))


@pytest.mark.parametrize("path", MARKDOWN_PAGES, ids=[p.name for p in MARKDOWN_PAGES])
def test_code_blocks_in_markdown_pages_fit_the_page(path):
    text = path.read_text(encoding="utf-8")
    long = [f"line {n}: {len(line)} chars: {_preview(line)}"
            for n, line in fenced_code_lines(text) if len(line) > MAX_LINE]
    assert not long, (f"chapters/{path.name}: {len(long)} code-block line(s) over {MAX_LINE} "
                      "characters:\n  " + "\n  ".join(long))


def test_the_line_checks_see_what_the_html_shows():
    """The scanner finds code inside directives, skips prose directives and error messages."""
    text = "\n".join([
        "Prose can be long " + "x" * 90,
        "```python",
        "a = 1  " + "#" * 80,
        "```",
        "````{exercise} A title",
        "Prose in an exercise " + "y" * 80,
        "```",
        "b = " + "2" * 80,
        "```",
        "````",
        "```{code-block} text",
        ":class: error-message",
        "ValueError: " + "z" * 80,
        "```",
        "~~~{code-block} python",
        "c = 3",
        "~~~",
    ])
    assert [n for n, _ in fenced_code_lines(text)] == [3, 8, 16]
    nb = {"cells": [
        {"cell_type": "code", "id": "a", "source": ["x = 1\n", "y = " + "1" * 80],
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n", "p" * 80]},
                     {"output_type": "error", "ename": "E", "evalue": "e" * 200, "traceback": []},
                     {"output_type": "execute_result", "data": {"text/plain": ["q" * 80]}},
                     {"output_type": "display_data",
                      "data": {"text/plain": ["r" * 80], "image/png": "..."}}]},
        {"cell_type": "markdown", "id": "b", "source": ["```\n", "s" * 80 + "\n", "```\n"]},
    ]}
    code, printed = long_lines_in_notebook(nb)
    assert [c.split(":")[0] for c in code] == ["code cell 0 (id a), line 2",
                                               "markdown cell 1 (id b), line 2"]
    assert [p.split(":")[0] for p in printed] == ["code cell 0 (id a), output line 2",
                                                  "code cell 0 (id a), output line 1"]
