"""tools/execute.py: outputs refreshed on success; on failure the notebook is left exactly as it was.

The notebooks here are tiny and pure Python (no Keras), so each run costs one kernel start.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "execute.py"
TIMEOUT = 4  # seconds per cell in the failing run; its quick cells need a few milliseconds


def load_tool():
    """tools/ is not a package: load execute.py from its path."""
    spec = importlib.util.spec_from_file_location("book_tools_execute", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_notebook(path: Path, cells) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def run_tool(*args, cwd=ROOT):
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS="0", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def good_cells():
    stale = new_code_cell("print(6 * 7)", execution_count=99,
                          outputs=[new_output("stream", name="stdout", text="stale output\n")])
    return [
        new_markdown_cell("# A tiny notebook"),
        stale,
        new_code_cell("import os\nprint(os.getcwd())"),
        new_code_cell("x = 5"),
        new_code_cell("x * 2"),
    ]


def chunked_cells():
    # One print in two chunks (an explicit flush between them), then stderr, then stdout.
    return [new_code_cell(
        'import sys\nprint("one line,", end="", flush=True)\nimport time\ntime.sleep(0.2)\n'
        'print(" two chunks")\nsys.stdout.flush()\nprint("warned", file=sys.stderr)\n'
        'sys.stderr.flush()\nprint("after")')]


def tagged_cells():
    shown = new_code_cell('# fails on purpose\nraise ValueError("shown on purpose")')
    shown.metadata["tags"] = ["raises-exception"]
    return [new_code_cell('print("start")'), shown, new_code_cell('print("after the error")')]


def failing_cells():
    # Outputs from an earlier, good run: these must survive a failed re-run.
    return [
        new_code_cell('print("before")', execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="before\n")]),
        new_code_cell('raise ValueError("fails on purpose")', execution_count=2,
                      outputs=[new_output("stream", name="stdout", text="an older output\n")]),
        new_code_cell('print("after")', execution_count=3,
                      outputs=[new_output("stream", name="stdout", text="after\n")]),
    ]


def stdout_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


# ---------------------------------------------------------------- one run that must succeed

@pytest.fixture(scope="module")
def ok_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ok")
    good = write_notebook(folder / "good.ipynb", good_cells())
    tagged = write_notebook(folder / "tagged.ipynb", tagged_cells())
    chunked = write_notebook(folder / "chunked.ipynb", chunked_cells())
    result = run_tool(good, tagged, chunked, cwd=folder.parent)
    return folder, result


def test_good_run_exits_zero_and_reports(ok_run):
    _, result = ok_run
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(ln.startswith("ok ") and ln.endswith(" s") for ln in lines)
    assert "good.ipynb" in lines[0] and "tagged.ipynb" in lines[1]
    assert "chunked.ipynb" in lines[2]


def test_consecutive_stream_chunks_are_joined(ok_run):
    folder, _ = ok_run
    (cell,) = nbformat.read(folder / "chunked.ipynb", as_version=4).cells
    got = [(o.output_type, o.name, o.text) for o in cell.outputs]
    assert got == [("stream", "stdout", "one line, two chunks\n"),
                   ("stream", "stderr", "warned\n"),
                   ("stream", "stdout", "after\n")]


def test_kernel_chatter_stays_out_of_a_good_run(ok_run):
    _, result = ok_run
    assert result.stderr.strip() == "", result.stderr


def test_good_notebook_outputs_are_refreshed(ok_run):
    folder, _ = ok_run
    nb = nbformat.read(folder / "good.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert stdout_text(code[0]) == "42\n"  # the stale output is gone
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    assert code[2].outputs == []
    result = code[3].outputs[0]
    assert result.output_type == "execute_result" and result.data["text/plain"] == "10"
    assert nb.cells[0].source == "# A tiny notebook"


def test_kernel_runs_in_the_notebook_folder(ok_run):
    folder, _ = ok_run
    nb = nbformat.read(folder / "good.ipynb", as_version=4)
    assert stdout_text(nb.cells[2]).strip() == str(folder.resolve())


def test_raises_exception_tag_is_not_a_failure(ok_run):
    folder, result = ok_run
    assert "FAILED" not in result.stderr
    nb = nbformat.read(folder / "tagged.ipynb", as_version=4)
    start, shown, after = nb.cells
    assert stdout_text(start) == "start\n"
    errors = [o for o in shown.outputs if o.output_type == "error"]
    assert len(errors) == 1
    assert errors[0].ename == "ValueError" and errors[0].evalue == "shown on purpose"
    assert stdout_text(after) == "after the error\n"  # execution went on past the tagged cell
    assert after.execution_count == 3


def test_no_temporary_files_after_success(ok_run):
    folder, _ = ok_run
    assert sorted(p.name for p in folder.iterdir()) == ["chunked.ipynb", "good.ipynb",
                                                        "tagged.ipynb"]


# ---------------------------------------------------------------- one run with a failing notebook

@pytest.fixture(scope="module")
def failed_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("failed")
    bad = write_notebook(folder / "bad.ipynb", failing_cells())
    untagged = tagged_cells()
    untagged[1].metadata["tags"] = []  # the same error without the tag: a real failure
    untagged_path = write_notebook(folder / "untagged.ipynb", untagged)
    slow = write_notebook(folder / "slow.ipynb", [new_code_cell("import time\ntime.sleep(120)")])
    later = write_notebook(folder / "later.ipynb", [new_code_cell("print(1 + 1)")])
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    result = run_tool("--timeout", TIMEOUT, bad, untagged_path, slow, later, cwd=folder.parent)
    return folder, before, result


def test_failure_exits_one_and_names_the_notebooks(failed_run):
    _, _, result = failed_run
    assert result.returncode == 1
    assert "fails on purpose" in result.stderr and "ValueError" in result.stderr
    assert "FAILED" in result.stderr and "left unchanged" in result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("3 notebook(s) failed and were not modified")
    assert all(name in summary for name in ("bad.ipynb", "untagged.ipynb", "slow.ipynb"))
    assert "later.ipynb" not in summary
    assert "timed out" in result.stderr


def test_a_failure_shows_what_the_kernel_wrote_to_stderr(tmp_path):
    path = write_notebook(tmp_path / "noisy.ipynb", [
        new_code_cell('import sys\nprint("kernel says why", file=sys.__stderr__, flush=True)\n1 / 0')])
    result = run_tool(path, cwd=tmp_path)
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr
    assert "kernel stderr:" in result.stderr and "kernel says why" in result.stderr


@pytest.mark.parametrize("name", ["bad.ipynb", "untagged.ipynb", "slow.ipynb"])
def test_failed_notebook_is_byte_for_byte_unchanged(failed_run, name):
    folder, before, _ = failed_run
    path = folder / name
    assert path.read_bytes() == before[name][0]
    assert path.stat().st_mtime_ns == before[name][1]


def test_earlier_outputs_survive_a_failed_run(failed_run):
    folder, _, _ = failed_run
    nb = nbformat.read(folder / "bad.ipynb", as_version=4)
    assert [stdout_text(c) for c in nb.cells] == ["before\n", "an older output\n", "after\n"]


def test_later_notebooks_still_run_after_a_failure(failed_run):
    folder, before, result = failed_run
    assert "ok " in result.stdout and "later.ipynb" in result.stdout
    nb = nbformat.read(folder / "later.ipynb", as_version=4)
    assert stdout_text(nb.cells[0]) == "2\n"
    assert (folder / "later.ipynb").read_bytes() != before["later.ipynb"][0]


def test_no_temporary_files_after_failure(failed_run):
    folder, before, _ = failed_run
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)


# ---------------------------------------------------------------- without a kernel

def test_missing_notebook_fails_without_creating_it(tmp_path, capsys):
    tool = load_tool()
    missing = tmp_path / "nope.ipynb"
    assert tool.main([str(missing)]) == 1
    err = capsys.readouterr().err
    assert "no such notebook" in err and str(missing) in err
    assert list(tmp_path.iterdir()) == []


def test_write_atomically_replaces_the_file(tmp_path):
    tool = load_tool()
    path = write_notebook(tmp_path / "n.ipynb", [new_code_cell("1")])
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "2"
    tool.write_atomically(nb, path)
    assert nbformat.read(path, as_version=4).cells[0].source == "2"
    assert [p.name for p in tmp_path.iterdir()] == ["n.ipynb"]


def test_write_atomically_keeps_the_file_mode(tmp_path):
    # The temporary file starts 0600; a refreshed notebook must stay readable like the original.
    tool = load_tool()
    path = write_notebook(tmp_path / "n.ipynb", [new_code_cell("1")])
    path.chmod(0o644)
    tool.write_atomically(nbformat.read(path, as_version=4), path)
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_atomically_failure_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    tool = load_tool()
    path = write_notebook(tmp_path / "n.ipynb", [new_code_cell("1")])
    original = path.read_bytes()

    def half_write(nb, fh):
        fh.write('{"cells": [')  # a partial write, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(tool.nbformat, "write", half_write)
    with pytest.raises(OSError, match="disk full"):
        tool.write_atomically(nbformat.read(path, as_version=4), path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["n.ipynb"]


def test_temporary_name_is_git_ignored(tmp_path, monkeypatch):
    """If a run is killed mid-write, the leftover must not show up in `git status`."""
    import fnmatch

    tool = load_tool()
    seen = []
    real_replace = tool.os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real_replace(src, dst)

    monkeypatch.setattr(tool.os, "replace", spy)
    path = write_notebook(tmp_path / "chapter.ipynb", [new_code_cell("1")])
    tool.write_atomically(nbformat.read(path, as_version=4), path)
    patterns = [ln.strip() for ln in (ROOT / ".gitignore").read_text().splitlines() if ln.strip()]
    assert len(seen) == 1 and any(fnmatch.fnmatch(seen[0], p) for p in patterns), seen
