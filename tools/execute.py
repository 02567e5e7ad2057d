"""Re-execute notebooks in place, atomically: a notebook that fails is left untouched.

Usage: python tools/execute.py [--timeout SECONDS] NOTEBOOK [NOTEBOOK ...]

Each notebook runs in a fresh kernel of the current environment, with its own folder as the
working directory (as nbval runs it). The result is written to a temporary file beside the
notebook and renamed over it only when every cell has run; cells tagged ``raises-exception``
may raise, as in the book. Exit status 1 if any notebook failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

DEFAULT_TIMEOUT = 120


def execute_notebook(path: Path, timeout: int = DEFAULT_TIMEOUT) -> nbformat.NotebookNode:
    """Run ``path`` in a fresh kernel and return the executed notebook (nothing is written)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    # The kernel process writes its own chatter to stderr (ipykernel warns that it talks over
    # TCP on 127.0.0.1). Keep it out of the report, but show it if the notebook fails.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as kernel_log:
        try:
            client.execute(stderr=kernel_log)
        except BaseException as exc:
            kernel_log.seek(0)
            chatter = kernel_log.read().strip()
            if chatter:
                exc.add_note(f"kernel stderr:\n{chatter}")
            raise
    coalesce_streams(nb)
    return nb


def coalesce_streams(nb: nbformat.NotebookNode) -> None:
    """Join each run of consecutive stream outputs of the same name into one output.

    How a cell's prints arrive in chunks depends on timing (when the kernel flushes), so one
    ``print`` can land in two outputs on one run and in one on the next; in the HTML, two
    outputs are two boxes. Joined, the committed notebook is the same whatever the timing.
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (out.output_type == "stream" and last is not None
                    and last.output_type == "stream" and last.name == out.name):
                last.text += out.text
            else:
                merged.append(out)
        cell.outputs = merged


def write_atomically(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` via a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.ipynb", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            nbformat.write(nb, fh)
        # mkstemp creates the file 0600; keep the notebook's own mode (or a normal 0644).
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)

    failed = []
    for path in args.notebooks:
        if not path.is_file():
            print(f"FAILED  {path}: no such notebook", file=sys.stderr)
            failed.append(path)
            continue
        start = time.perf_counter()
        try:
            nb = execute_notebook(path, timeout=args.timeout)
        except (CellExecutionError, DeadKernelError, TimeoutError, RuntimeError) as exc:
            notes = "".join(f"\n{note}" for note in getattr(exc, "__notes__", []))
            print(f"FAILED  {path} (left unchanged):\n{exc}{notes}", file=sys.stderr)
            failed.append(path)
            continue
        write_atomically(nb, path)
        print(f"ok      {path}  {time.perf_counter() - start:5.1f} s")
    if failed:
        print(f"{len(failed)} notebook(s) failed and were not modified: "
              + ", ".join(map(str, failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
