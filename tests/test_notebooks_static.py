"""What strict nbval does not check: how the committed notebooks are written.

nbval re-runs every notebook and compares outputs; these tests read the committed files and
enforce the book's rules: a title, quiet and seeded set-up before Keras is imported, Keras 3
idioms, no progress bars or log noise, every error output marked, figures ended properly,
models saved safely, nothing fetched from the network, and claims backed by assertions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]

NOISE = re.compile(
    r"absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|WARNING: All log messages"
    r"|Do not pass an `input_shape`|ms/step|s/step|\x1b\[|UserWarning|DeprecationWarning"
    r"|FutureWarning|retracing|Matplotlib is building the font cache"
)
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
    assert "What you will learn" in text and "What you need" in text, "opener is missing"


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
            assert not NOISE.search(text), f"cell {i}: log noise or a progress bar in the output: {text[:200]}"
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
