"""The committed data: names, loading, SHA-256 checks, and agreement with data/README.md."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import lstm_book.data as data
from lstm_book import DATA_DIR, list_series, load_series, series_info

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_NAMES = ["seattle_temp_max", "stock_aapl", "sunspots_monthly", "sunspots_yearly"]


def readme_table() -> dict[str, dict[str, str]]:
    """data/README.md's table, keyed by file name: series name, rows and SHA-256 as written."""
    rows = {}
    for line in (ROOT / "data" / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        first = re.fullmatch(r"`([\w.]+\.csv)` \(`(\w+)`\)", cells[0])
        assert first, f"unexpected first cell in data/README.md: {cells[0]!r}"
        sha = re.fullmatch(r"`([0-9a-f]{64})`", cells[-1])
        assert sha, f"last cell is not a backticked SHA-256: {cells[-1]!r}"
        rows[first.group(1)] = {"name": first.group(2), "rows": cells[-2], "sha256": sha.group(1)}
    return rows


def copy_to(tmp_path: Path, name: str) -> Path:
    target = tmp_path / series_info(name).filename
    shutil.copyfile(DATA_DIR / series_info(name).filename, target)
    return target


# ---------------------------------------------------------------- names

def test_list_series_names_sorted():
    assert list_series() == EXPECTED_NAMES


def test_list_series_returns_a_fresh_list():
    names = list_series()
    names.append("extra")
    names.clear()
    assert list_series() == EXPECTED_NAMES


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_series_info_is_complete(name):
    info = series_info(name)
    assert info.name == name
    assert info.filename == f"{name}.csv"
    assert (DATA_DIR / info.filename).is_file()
    for field in ("column", "units", "frequency", "description"):
        assert getattr(info, field).strip(), field
    assert re.fullmatch(r"[0-9a-f]{64}", info.sha256)


def test_data_dir_is_the_repository_data_folder():
    assert DATA_DIR == ROOT / "data"


# ---------------------------------------------------------------- loading

@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_load_series_types_and_invariants(name):
    dates, values = load_series(name)
    assert isinstance(dates, np.ndarray) and isinstance(values, np.ndarray)
    assert dates.dtype == np.dtype("datetime64[D]")
    assert values.dtype == np.float64
    assert dates.ndim == 1 and values.ndim == 1
    assert len(dates) == len(values) > 0
    assert np.all(np.isfinite(values))
    assert np.all(np.diff(dates) > np.timedelta64(0, "D")), "dates must be strictly increasing"
    assert not np.any(np.isnat(dates))


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_load_series_matches_the_csv(name):
    """An independent reading of the file: every row, in order."""
    lines = (DATA_DIR / f"{name}.csv").read_text().splitlines()
    assert lines[0] == f"date,{series_info(name).column}"
    rows = [ln.split(",") for ln in lines[1:]]
    dates, values = load_series(name)
    assert [str(d) for d in dates] == [r[0] for r in rows]
    np.testing.assert_array_equal(values, [float(r[1]) for r in rows])


def test_sunspots_yearly_known_values():
    dates, values = load_series("sunspots_yearly")
    assert len(values) == 309
    assert dates[0] == np.datetime64("1700-07-01") and values[0] == 5.0
    assert dates[-1] == np.datetime64("2008-07-01")
    # One row per year, every year present.
    np.testing.assert_array_equal(dates.astype("datetime64[Y]").astype(int) + 1970, np.arange(1700, 2009))


@pytest.mark.parametrize("name, frequency, step_days", [
    ("sunspots_yearly", "yearly", (365, 366)),
    ("sunspots_monthly", "monthly", (28, 29, 30, 31)),
    ("stock_aapl", "monthly", (28, 29, 30, 31)),
    ("seattle_temp_max", "daily", (1,)),
])
def test_spacing_matches_frequency(name, frequency, step_days):
    assert series_info(name).frequency == frequency
    dates, _ = load_series(name)
    steps = set(np.diff(dates).astype(int).tolist())
    assert steps <= set(step_days), steps


def test_default_dir_equals_explicit_dir():
    default = load_series("stock_aapl")
    explicit = load_series("stock_aapl", data_dir=ROOT / "data")
    as_text = load_series("stock_aapl", data_dir=str(ROOT / "data"))
    for other in (explicit, as_text):
        np.testing.assert_array_equal(default[0], other[0])
        np.testing.assert_array_equal(default[1], other[1])


def test_load_returns_fresh_arrays():
    _, values = load_series("stock_aapl")
    values[:] = 0.0
    _, again = load_series("stock_aapl")
    assert np.all(again > 0)


# ---------------------------------------------------------------- checksums

@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_recorded_hash_matches_the_committed_file(name):
    digest = hashlib.sha256((DATA_DIR / f"{name}.csv").read_bytes()).hexdigest()
    assert digest == series_info(name).sha256


def test_unchanged_copy_loads_from_another_folder(tmp_path):
    copy_to(tmp_path, "sunspots_yearly")
    dates, values = load_series("sunspots_yearly", data_dir=tmp_path)
    np.testing.assert_array_equal(values, load_series("sunspots_yearly")[1])


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("name", ["sunspots_yearly", "stock_aapl"])
def test_one_flipped_byte_fails_the_checksum(tmp_path, name, where):
    path = copy_to(tmp_path, name)
    raw = bytearray(path.read_bytes())
    index = {"first": 0, "middle": len(raw) // 2, "last": len(raw) - 1}[where]
    raw[index] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="checksum") as info:
        load_series(name, data_dir=tmp_path)
    message = str(info.value)
    assert str(path) in message and series_info(name).sha256 in message


def test_a_changed_digit_that_still_parses_fails_the_checksum(tmp_path):
    # The subtle corruption: still valid CSV, plausible numbers.
    path = copy_to(tmp_path, "sunspots_yearly")
    text = path.read_text()
    assert "1700-07-01,5\n" in text
    path.write_text(text.replace("1700-07-01,5\n", "1700-07-01,6\n", 1))
    with pytest.raises(ValueError, match="checksum"):
        load_series("sunspots_yearly", data_dir=tmp_path)


@pytest.mark.parametrize("edit", [
    lambda b: b + b"\n", lambda b: b[:-1], lambda b: b.replace(b"\n", b"\r\n"), lambda b: b"",
], ids=["extra-newline", "truncated", "crlf", "empty"])
def test_other_edits_fail_the_checksum(tmp_path, edit):
    path = copy_to(tmp_path, "stock_aapl")
    path.write_bytes(edit(path.read_bytes()))
    with pytest.raises(ValueError, match="checksum"):
        load_series("stock_aapl", data_dir=tmp_path)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_series("sunspots_yearly", data_dir=tmp_path)
    assert str(tmp_path / "sunspots_yearly.csv") in str(info.value)


def test_missing_folder_names_the_path(tmp_path):
    folder = tmp_path / "no_such_folder"
    with pytest.raises(FileNotFoundError, match="no_such_folder"):
        load_series("stock_aapl", data_dir=folder)


def test_a_folder_in_place_of_the_file_is_missing(tmp_path):
    (tmp_path / "stock_aapl.csv").mkdir()
    with pytest.raises(FileNotFoundError, match="stock_aapl.csv"):
        load_series("stock_aapl", data_dir=tmp_path)


@pytest.mark.parametrize("name", ["sunspots", "Sunspots_Yearly", "sunspots_yearly.csv", "", None, 3])
def test_unknown_name_lists_the_available_names(name):
    with pytest.raises(ValueError, match="unknown series name") as info:
        load_series(name)
    for known in EXPECTED_NAMES:
        assert known in str(info.value)


def test_unknown_name_checked_before_the_folder(tmp_path):
    with pytest.raises(ValueError, match="available"):
        load_series("nope", data_dir=tmp_path / "missing")


# ---------------------------------------------------------------- docs and code agree

def test_readme_lists_every_series_with_the_recorded_hash():
    table = readme_table()
    assert sorted(table) == sorted(series_info(n).filename for n in list_series())
    for filename, row in table.items():
        info = series_info(row["name"])
        assert info.filename == filename
        assert row["sha256"] == info.sha256, f"data/README.md and lstm_book/data.py disagree on {filename}"


def test_readme_row_counts_match_the_files():
    for row in readme_table().values():
        _, values = load_series(row["name"])
        assert int(row["rows"]) == len(values), row["name"]


def test_every_csv_in_data_is_documented_and_known():
    on_disk = sorted(p.name for p in DATA_DIR.glob("*.csv"))
    assert on_disk == sorted(readme_table())
    assert on_disk == sorted(series_info(n).filename for n in list_series())


# ---------------------------------------------------------------- content checks behind the hash

@pytest.fixture
def fake_series(tmp_path, monkeypatch):
    """Register a series ``fake`` whose recorded hash matches whatever text is written."""

    def write(text: str, column: str = "value") -> Path:
        path = tmp_path / "fake.csv"
        path.write_text(text)
        info = data.SeriesInfo("fake", "fake.csv", column, "units", "daily", "test series",
                               hashlib.sha256(path.read_bytes()).hexdigest())
        monkeypatch.setitem(data.SERIES, "fake", info)
        return tmp_path

    return write


def test_fake_series_loads(fake_series):
    folder = fake_series("date,value\n2020-01-01,1.5\n2020-01-03,-2\n2021-02-01,3e2\n")
    dates, values = load_series("fake", data_dir=folder)
    np.testing.assert_array_equal(dates, np.array(["2020-01-01", "2020-01-03", "2021-02-01"],
                                                  dtype="datetime64[D]"))
    np.testing.assert_array_equal(values, [1.5, -2.0, 300.0])
    assert "fake" in list_series()


@pytest.mark.parametrize("text, match", [
    ("date,other\n2020-01-01,1\n", "expected header"),
    ("", "expected header"),
    ("date,value\n", "non-empty"),
    ("date,value\n2020-01-01,1\n2020-01-02,nan\n", "finite"),
    ("date,value\n2020-01-01,1\n2020-01-02,inf\n", "finite"),
    ("date,value\n2020-01-02,1\n2020-01-01,2\n", "strictly increasing"),
    ("date,value\n2020-01-01,1\n2020-01-01,2\n", "strictly increasing"),
    ("date,value\n2020-01-01,1\n2020-01-02\n", "malformed row"),
    ("date,value\n2020-01-01,abc\n", "malformed row"),
    ("date,value\nnot-a-date,1\n", "malformed row"),
    ("date,value\n2020-01-01,1\n\n", "malformed row"),
])
def test_malformed_content_is_refused(fake_series, text, match):
    folder = fake_series(text)
    with pytest.raises(ValueError, match=match) as info:
        load_series("fake", data_dir=folder)
    assert "fake.csv" in str(info.value)
