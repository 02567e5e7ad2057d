"""tools/bench.py: where the floor runs go among the notebooks, and its argument checks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_tool():
    """tools/ is not a package: load bench.py from its path (it imports execute.py)."""
    spec = importlib.util.spec_from_file_location("book_tools_bench", ROOT / "tools" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_tool()


@pytest.mark.parametrize("n, repeats, slots", [
    (12, 5, [0, 3, 6, 9, 12]),  # before the first, after the last, evenly between
    (12, 3, [0, 6, 12]),
    (12, 2, [0, 12]),
    (12, 1, [0]),
    (1, 3, [0, 0, 1]),
])
def test_floor_runs_are_spread_among_the_notebooks(n, repeats, slots):
    got = bench.floor_slots(n, repeats)
    assert got == slots
    assert len(got) == repeats and got == sorted(got) and 0 <= got[0] and got[-1] <= n


@pytest.mark.parametrize("repeats", ["0", "-1"])
def test_repeats_below_one_is_refused(repeats, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--repeats", repeats])
    assert exc.value.code == 2
    assert "--repeats must be >= 1" in capsys.readouterr().err
