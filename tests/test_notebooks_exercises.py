"""The exercise notebooks read right in JupyterLab and in the HTML, and their checks are honest.

Static checks on the committed notebooks that contain ``{exercise}`` directives:

- every exercise has a label and a folded solution (``{solution-start}`` with
  ``:class: dropdown``, then ``{solution-end}``);
- every cell of a solution is collapsed in JupyterLab (``metadata.jupyter.source_hidden``, and
  ``outputs_hidden`` for code), and the first line that the collapsed cell still shows gives
  nothing away: ``# Solution: <title>`` (or ``# Solution to Exercise N`` with the number the
  HTML shows) for the first code cell, a comment for the other code cells, a bold label alone
  on its line for markdown cells;
- the starter cell holds only the answer lines (``name = None  # your code here``) and one
  call of ``lb.exercises.<check>`` that receives every answer variable;
- the committed starter shows exactly one verdict line and echoes nothing; each solution
  asserts the same check, and shows one ``Correct`` line.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

import lstm_book

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = re.compile(r"^```\{exercise\}\s*(.*?)\s*$", re.M)
LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.M)


def source(cell: dict) -> str:
    return "".join(cell["source"])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def toc_files() -> list[Path]:
    """The book's pages in reading order, as _toc.yml lists them."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    paths = []
    for name in names:
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{name}{suffix}").exists():
                paths.append(ROOT / f"{name}{suffix}")
    return paths


def page_text_cells(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    return [source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown"]


def book_numbers() -> dict[tuple[str, str], int]:
    """(notebook name, exercise title) -> the number sphinx-exercise gives it, book-wide."""
    numbers, n = {}, 0
    for path in toc_files():
        for text in page_text_cells(path):
            for match in EXERCISE.finditer(text):
                n += 1
                numbers[(path.name, match.group(1))] = n
    return numbers


NOTEBOOKS = sorted(p for p in (ROOT / "chapters").glob("*.ipynb")
                   if any(EXERCISE.search(t) for t in page_text_cells(p)))
IDS = [p.name for p in NOTEBOOKS]


def exercises_of(nb: dict) -> list[dict]:
    """Each exercise: its title, label, and the cell indices of starter and solution."""
    cells = nb["cells"]
    found = []
    for i, cell in enumerate(cells):
        text = source(cell)
        match = EXERCISE.search(text) if cell["cell_type"] == "markdown" else None
        if not match:
            continue
        label = LABEL.search(text)
        assert label, f"cell {i}: the exercise {match.group(1)!r} has no :label:"
        start = next((j for j in range(i + 1, len(cells))
                      if source(cells[j]).lstrip().startswith("```{solution-start}")), None)
        assert start is not None, f"cell {i}: no solution for {label.group(1)}"
        end = next((j for j in range(start + 1, len(cells))
                    if source(cells[j]).lstrip().startswith("```{solution-end}")), None)
        assert end is not None, f"cell {start}: a solution-start without its solution-end"
        starters = [j for j in range(i + 1, start) if cells[j]["cell_type"] == "code"]
        found.append(dict(title=match.group(1), label=label.group(1), cell=i, start=start,
                          end=end, starters=starters))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_a_dropdown_solution(path):
    nb = load(path)
    for ex in exercises_of(nb):
        head = source(nb["cells"][ex["start"]])
        assert head.splitlines()[0].split()[-1] == ex["label"], \
            f"{ex['label']}: the solution-start names another exercise: {head!r}"
        assert ":class: dropdown" in head, f"{ex['label']}: the solution is not folded in HTML"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solutions_are_folded_in_jupyterlab_and_only_they(path):
    nb = load(path)
    inside = set()
    for ex in exercises_of(nb):
        inside.update(range(ex["start"] + 1, ex["end"]))
    for i, cell in enumerate(nb["cells"]):
        meta = cell["metadata"].get("jupyter", {})
        if i in inside:
            assert meta.get("source_hidden") is True, f"cell {i}: solution source not hidden"
            if cell["cell_type"] == "code":
                assert meta.get("outputs_hidden") is True, f"cell {i}: solution outputs shown"
        else:
            assert not meta.get("source_hidden") and not meta.get("outputs_hidden"), \
                f"cell {i} is outside every solution but hidden"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_a_folded_cell_shows_a_first_line_that_gives_nothing_away(path):
    nb = load(path)
    numbers = book_numbers()
    for ex in exercises_of(nb):
        labels = {f"# Solution: {ex['title']}".lower()}
        if (path.name, ex["title"]) in numbers:
            labels.add(f"# Solution to Exercise {numbers[(path.name, ex['title'])]}".lower())
        first_code = True
        for i in range(ex["start"] + 1, ex["end"]):
            cell = nb["cells"][i]
            first_line = source(cell).splitlines()[0] if source(cell) else ""
            if cell["cell_type"] == "code":
                if first_code:
                    assert first_line.strip().lower() in labels, \
                        f"cell {i}: the first solution cell must start with one of {labels}"
                    first_code = False
                assert first_line.startswith("#"), \
                    f"cell {i}: a folded code cell must start with a comment, not {first_line!r}"
            else:
                assert re.fullmatch(r"\*\*[^*]+\*\*", first_line.strip()), \
                    f"cell {i}: a folded markdown cell must start with a bold label line"
        assert not first_code, f"{ex['label']}: the solution runs no code"


def starter_call(cell: dict) -> tuple[list[str], ast.Call]:
    """The answer variables of a starter cell and its one check call (or an AssertionError)."""
    text = source(cell)
    tree = ast.parse(text)
    *answers, last = tree.body
    lines = text.splitlines()
    names = []
    for node in answers:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name) \
            and isinstance(node.value, ast.Constant) and node.value.value is None, \
            f"a starter line must be `name = None  # your code here`: {ast.unparse(node)}"
        assert "# your code here" in lines[node.lineno - 1], lines[node.lineno - 1]
        names.append(node.targets[0].id)
    assert names, "a starter cell sets at least one answer to None"
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), \
        "a starter cell ends with one call of a check"
    func = last.value.func
    assert isinstance(func, ast.Attribute) and ast.unparse(func.value) == "lb.exercises", \
        f"the check must be lb.exercises.<name>(...), got {ast.unparse(func)}"
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert len(calls) == 1, "one check call per starter cell"
    return names, last.value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_starters_hold_only_the_answer_and_one_check_of_every_answer(path):
    nb = load(path)
    for ex in exercises_of(nb):
        assert len(ex["starters"]) == 1, f"{ex['label']}: one starter cell expected"
        names, call = starter_call(nb["cells"][ex["starters"][0]])
        assert hasattr(lstm_book.exercises, call.func.attr), \
            f"{ex['label']}: lb.exercises.{call.func.attr} does not exist"
        passed = [ast.unparse(a) for a in call.args] + [ast.unparse(k.value)
                                                       for k in call.keywords]
        for name in names:
            assert name in passed, f"{ex['label']}: {name} is asked for but not checked"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_a_starter_shows_one_verdict_and_echoes_nothing(path):
    nb = load(path)
    for ex in exercises_of(nb):
        outputs = nb["cells"][ex["starters"][0]]["outputs"]
        assert [o["output_type"] for o in outputs] == ["stream"], \
            f"{ex['label']}: the starter must print one verdict and echo nothing: {outputs}"
        text = "".join(outputs[0]["text"])
        assert outputs[0]["name"] == "stdout" and text.count("\n") == 1, text
        assert text.startswith("Not yet: ") and len(text.rstrip("\n")) <= 79, text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_solution_asserts_its_check_and_is_correct(path):
    nb = load(path)
    for ex in exercises_of(nb):
        _, call = starter_call(nb["cells"][ex["starters"][0]])
        check = f"assert lb.exercises.{call.func.attr}("
        cells = [nb["cells"][i] for i in range(ex["start"] + 1, ex["end"])
                 if nb["cells"][i]["cell_type"] == "code"]
        asserting = [c for c in cells if check in source(c)]
        assert asserting, f"{ex['label']}: no solution cell does `{check}...)`"
        printed = "".join("".join(o.get("text", "")) for c in asserting for o in c["outputs"])
        verdicts = [ln for ln in printed.splitlines() if ln.startswith(("Correct", "Not yet"))]
        assert len(verdicts) == 1 and verdicts[0].startswith("Correct: "), verdicts
        assert len(verdicts[0]) <= 79, verdicts[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_verdict_object_is_ever_echoed(path):
    for i, cell in enumerate(load(path)["cells"]):
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/plain", ""))
            assert out["output_type"] != "execute_result" or not text.startswith(
                ("<Verdict", "True", "False")), f"cell {i} echoes {text!r}"


def test_the_book_numbers_its_exercises_in_toc_order():
    numbers = book_numbers()
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    assert len(NOTEBOOKS) >= 2 and len(numbers) >= 9
