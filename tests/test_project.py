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
                   "pytest", "ipykernel", "sphinx-exercise", "playwright", "pytest-xdist",
                   "jupyterlab", "jupyterlab-myst"):
        assert needed in names, needed
    jb = [r for r in requirement_lines() if r.lower().startswith("jupyter-book==")][0]
    assert jb.split("==")[1].startswith("1."), "Jupyter Book 2 downloads a theme at build time: stay on 1.x"


def test_jupyterlab_pin_keeps_jupyterlab_myst_enabled():
    pins = dict(r.lower().split("==") for r in requirement_lines())
    lab_version = tuple(int(x) for x in pins["jupyterlab"].split(".")[:2])
    # jupyterlab-myst 2.7 is built against @jupyter/ydoc 3; JupyterLab 4.6 ships ydoc 4 and
    # disables it as incompatible, so MyST would show as raw text in the notebooks.
    assert pins["jupyterlab-myst"] == "2.7.0"
    assert (4, 0) <= lab_version < (4, 6), pins["jupyterlab"]


def test_python_3_11_or_newer_everywhere():
    readme = (ROOT / "README.md").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "3.11 or newer" in readme and "3.10 or newer" not in readme
    assert re.search(r'^requires-python = ">=3\.11"$', pyproject, re.M)


def test_readme_says_how_to_run_the_notebooks():
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Run the notebooks\n(.*?)^## ", readme, re.S | re.M)
    assert section, "no 'Run the notebooks' section"
    text = section.group(1)
    for needed in ("make lab", "PORT=", "Ctrl-C", "VS Code", "ms-toolsai.jupyter",
                   ".venv/bin/python", "download", "lstm_book"):
        assert needed in text, needed


def test_html_pages_offer_no_download_that_cannot_run():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    theme = config["sphinx"]["config"]["html_theme_options"]
    assert theme["use_download_button"] is False


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
