"""Rebuild the CSV files in ``data/`` from the package archives they were copied from.

This script documents provenance; the book never runs it. The files were made once,
offline, from two wheels on PyPI (statsmodels 0.15.0 and vega_datasets 0.9.0) that were
unpacked by hand::

    pip download --no-deps statsmodels==0.15.0 vega_datasets==0.9.0 -d wheels/
    unzip wheels/statsmodels-*.whl 'statsmodels/datasets/*' -d unpacked/
    unzip wheels/vega_datasets-*.whl -d unpacked/
    python tools/import_data.py unpacked/ data/

Neither package is a dependency of the book. After rebuilding, update the SHA-256 values in
``lstm_book/data.py`` and ``data/README.md``.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path


def _write(path: Path, header: tuple[str, str], rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")


def sunspots_yearly(src: Path) -> list[tuple[str, str]]:
    rows = []
    for line in (src / "statsmodels/datasets/sunspots/sunspots.csv").read_text().splitlines()[1:]:
        year, value = line.split(",")
        rows.append((f"{int(year):04d}-07-01", f"{float(value):g}"))
    return rows


def sunspots_monthly(src: Path) -> list[tuple[str, str]]:
    rows = []
    text = (src / "statsmodels/datasets/sunspots/src/sunspots_monthly.dat").read_text()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 13 and parts[0].isdigit():
            year = int(parts[0])
            for month, value in enumerate(parts[1:], start=1):
                rows.append((f"{year:04d}-{month:02d}-15", f"{float(value):g}"))
    return rows


def seattle_temp_max(src: Path) -> list[tuple[str, str]]:
    rows = []
    with (src / "vega_datasets/_data/seattle-weather.csv").open() as fh:
        for rec in csv.DictReader(fh):
            day = datetime.strptime(rec["date"], "%Y/%m/%d").date().isoformat()
            rows.append((day, f"{float(rec['temp_max']):g}"))
    return rows


def stock_aapl(src: Path) -> list[tuple[str, str]]:
    rows = []
    with (src / "vega_datasets/_data/stocks.csv").open() as fh:
        for rec in csv.DictReader(fh):
            if rec["symbol"] == "AAPL":
                day = datetime.strptime(rec["date"], "%b %d %Y").date().isoformat()
                rows.append((day, f"{float(rec['price']):g}"))
    return sorted(rows)


def main(src: Path, out: Path) -> None:
    _write(out / "sunspots_yearly.csv", ("date", "sunspot_number"), sunspots_yearly(src))
    _write(out / "sunspots_monthly.csv", ("date", "sunspot_number"), sunspots_monthly(src))
    _write(out / "seattle_temp_max.csv", ("date", "temp_max_c"), seattle_temp_max(src))
    _write(out / "stock_aapl.csv", ("date", "close_usd"), stock_aapl(src))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/import_data.py UNPACKED_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
