"""Time every chapter notebook against the floor measured in the same run.

Usage: python tools/bench.py [--repeats 3] [--out _build/bench.json] [NOTEBOOK ...]

The floor is what no notebook can beat: start a kernel and ``import keras``. It is measured
with the same executor that runs the chapters (``tools/execute.py``, the way nbval runs them:
a fresh kernel per notebook, cells run in order). One warm-up run comes first and is not
counted (it fills the disk cache, as every later run finds it filled). Each chapter then
runs once, sequentially, and its wall time is recorded; the ``--repeats`` floor runs are
spread among them (one before the first chapter, one after the last, the others evenly in
between), so that the floor sees the same machine load as the chapters, and their median is
the floor. Nothing is written back to the notebooks.

Output: a table on stdout and ``_build/bench.json``::

    {"floor_s": ..., "notebooks": {"chapters/....ipynb": seconds, ...},
     "total_s": ..., "ratio": total_s / (floor_s * number of notebooks), ...}

The ratio moves with the machine's load from run to run; run it more than once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute import execute_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FLOOR_SOURCE = (
    "import os\n"
    'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"\n'
    'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"\n'
    "import keras"
)
GOAL_RATIO = 2.0
GOAL_NOTEBOOK_S = 20.0


def timed_run(path: Path) -> float:
    start = time.perf_counter()
    execute_notebook(path)
    return time.perf_counter() - start


def write_floor_notebook(folder: Path) -> Path:
    path = folder / "floor.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def floor_slots(n_notebooks: int, repeats: int) -> list[int]:
    """Before which notebook (0 .. n_notebooks) each floor run goes: first and last, the rest
    evenly in between. ``repeats`` = 1 runs the floor before the first notebook only."""
    if repeats == 1:
        return [0]
    return [round(k * n_notebooks / (repeats - 1)) for k in range(repeats)]


def machine() -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "cpu": next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists()
        else platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeats", type=int, default=5,
                        help="floor runs spread among the notebooks (median is used)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench.json")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")
    notebooks = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks to run")

    slots = floor_slots(len(notebooks), args.repeats)
    times: dict[str, float] = {}
    floor_runs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = write_floor_notebook(Path(tmp))
        warm_up = timed_run(floor_nb)
        print(f"  {'floor, warm-up (not counted)':<45} {warm_up:6.2f} s")
        for i in range(len(notebooks) + 1):
            for _ in range(slots.count(i)):
                floor_runs.append(timed_run(floor_nb))
                print(f"  {'floor (kernel start + import keras)':<45} {floor_runs[-1]:6.2f} s")
            if i == len(notebooks):
                break
            key = notebooks[i].resolve().relative_to(ROOT).as_posix()
            times[key] = timed_run(notebooks[i])
            print(f"  {key:<45} {times[key]:6.2f} s")
    floor = statistics.median(floor_runs)
    print(f"floor: median of {len(floor_runs)} runs = {floor:.2f} s")
    total = sum(times.values())
    ratio = total / (floor * len(times))
    result = {
        "floor_s": round(floor, 3),
        "floor_runs_s": [round(r, 3) for r in floor_runs],
        "floor_warm_up_s": round(warm_up, 3),
        "notebooks": {k: round(v, 3) for k, v in times.items()},
        "total_s": round(total, 3),
        "ratio": round(ratio, 3),
        "machine": machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    width = max(len(k) for k in times)
    print()
    print(f"| {'notebook':<{width}} | seconds | x floor |")
    print(f"|{'-' * (width + 2)}|---------|---------|")
    for k, v in times.items():
        print(f"| {k:<{width}} | {v:7.2f} | {v / floor:7.2f} |")
    print(f"| {'floor (kernel + import keras)':<{width}} | {floor:7.2f} |    1.00 |")
    print(f"| {'total':<{width}} | {total:7.2f} |         |")
    print(f"\nratio = total / (floor x {len(times)}) = {ratio:.2f}  (goal <= {GOAL_RATIO})")
    slow = [k for k, v in times.items() if v > GOAL_NOTEBOOK_S]
    print(f"notebooks over {GOAL_NOTEBOOK_S:.0f} s: {', '.join(slow) if slow else 'none'}")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if ratio <= GOAL_RATIO and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
