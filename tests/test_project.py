"""The project's own promises: pinned requirements, the README's two commands, CI entry point."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()]


def test_every_requirement_is_pinned_exactly():
    reqs = requirement_lines()
    assert len(reqs) > 20
    loose = [r for r in reqs if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[A-Za-z0-9_.+\-]+", r)]
    assert loose == [], f"not pinned with ==: {loose}"


def test_required_packages_are_present():
    names = {r.split("==")[0].lower() for r in requirement_lines()}
    for needed in ("tensorflow-cpu", "keras", "jupyter-book", "nbval", "numpy", "matplotlib",
                   "pytest", "ipykernel", "sphinx-exercise", "playwright", "pytest-xdist"):
        assert needed in names, needed
    jb = [r for r in requirement_lines() if r.lower().startswith("jupyter-book==")][0]
    assert jb.split("==")[1].startswith("1."), "Jupyter Book 2 downloads a theme at build time: stay on 1.x"


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block and text.index("```bash") < 200
    commands = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert commands == ["make book", "make test"]


def test_ci_runs_make_test():
    run = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", run, re.M)


def test_book_build_excludes_non_book_folders():
    config = (ROOT / "_config.yml").read_text()
    for folder in (".venv", "_build", ".pytest_cache", "tests"):
        assert re.search(rf"^\s*-\s*{re.escape(folder)}\s*$", config, re.M), folder
