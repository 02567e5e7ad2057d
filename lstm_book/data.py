"""The book's data sets: real series committed under ``data/``, each checked by SHA-256.

Nothing is downloaded. ``data/README.md`` records where each file came from and its licence.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["DATA_DIR", "SeriesInfo", "SERIES", "list_series", "series_info", "load_series"]

#: The repository's ``data/`` folder (the package sits beside it).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class SeriesInfo:
    """What the package knows about one committed series."""

    name: str
    filename: str
    column: str
    units: str
    frequency: str
    description: str
    sha256: str


SERIES: dict[str, SeriesInfo] = {
    info.name: info
    for info in (
        SeriesInfo(
            "sunspots_yearly", "sunspots_yearly.csv", "sunspot_number", "sunspot number",
            "yearly", "Yearly mean sunspot number, 1700-2008 (NOAA NGDC, public domain)",
            "1779fee2e4240b8d13ef4fe15ef1bb75949e45a77533268618f726bab6abaf51",
        ),
        SeriesInfo(
            "sunspots_monthly", "sunspots_monthly.csv", "sunspot_number", "sunspot number",
            "monthly", "Monthly mean sunspot number, 1749-2008 (NOAA NGDC, public domain)",
            "b3a29502d0bddfe9cd99f1d97e2e596400d9aecdf63d85f167ee34b7b1679551",
        ),
        SeriesInfo(
            "seattle_temp_max", "seattle_temp_max.csv", "temp_max_c", "°C",
            "daily", "Daily maximum temperature in Seattle, 2012-2015 (NOAA, public domain)",
            "97e25a66ff51c436119a1b7e58b63e3a3b3151039a1653ffd1b8909781e56a3d",
        ),
        SeriesInfo(
            "stock_aapl", "stock_aapl.csv", "close_usd", "USD",
            "monthly", "Apple (AAPL) monthly closing price, 2000-2010 (vega-datasets)",
            "957058f6c53a8bab52caf629dc5ba102ce152cd17ae08e51f854ef505f9c0b27",
        ),
    )
}


def list_series() -> list[str]:
    """Return the names of the data sets that :func:`load_series` accepts, sorted."""
    return sorted(SERIES)


def series_info(name: str) -> SeriesInfo:
    """Return the :class:`SeriesInfo` for ``name`` (units, frequency, description, checksum)."""
    if not isinstance(name, str) or name not in SERIES:
        raise ValueError(f"unknown series name {name!r}; available: {', '.join(list_series())}")
    return SERIES[name]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verified_path(filename: str, sha256: str, data_dir, what: str) -> Path:
    """The path of a committed data file, after checking that it exists and is unchanged.

    ``data_dir`` defaults (``None``) to the repository's ``data/``; ``what`` names the file
    in the ``FileNotFoundError`` (for example ``"data file for series 'sunspots_yearly'"``).
    A file whose SHA-256 is not ``sha256`` raises ``ValueError`` with both digests.
    """
    folder = DATA_DIR if data_dir is None else Path(data_dir)
    path = folder / filename
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found: {path}")
    digest = _sha256(path)
    if digest != sha256:
        raise ValueError(
            f"checksum mismatch for {path}: expected SHA-256 {sha256}, got {digest}. "
            "The file was changed or corrupted; restore it from the repository."
        )
    return path


def load_series(name: str, data_dir=None):
    """Load one committed series as ``(dates, values)``.

    Parameters
    ----------
    name : str
        One of :func:`list_series`.
    data_dir : str or path-like, optional
        Folder holding the CSV files. Defaults to the repository's ``data/``.

    Returns
    -------
    dates : ndarray of datetime64[D], shape (time,)
        Strictly increasing.
    values : ndarray of float64, shape (time,)
        Finite values, in the units given by :func:`series_info`.

    Raises
    ------
    ValueError
        If ``name`` is unknown (the message lists the available names), or if the file's
        SHA-256 does not match the checksum recorded in this package, or if its content is
        malformed.
    FileNotFoundError
        If the file is missing; the message names the path.

    Examples
    --------
    >>> dates, values = load_series("sunspots_yearly")
    >>> dates[0], values[0], len(values)
    (np.datetime64('1700-07-01'), np.float64(5.0), 309)
    """
    info = series_info(name)
    path = verified_path(info.filename, info.sha256, data_dir,
                         f"data file for series {name!r}")

    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["date", info.column]:
            raise ValueError(f"{path}: expected header ['date', {info.column!r}], got {header}")
        rows = list(reader)
    try:
        dates = np.array([row[0] for row in rows], dtype="datetime64[D]")
        values = np.array([float(row[1]) for row in rows], dtype=np.float64)
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{path}: malformed row ({exc})") from exc
    if len(values) == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{path}: values must be non-empty and finite")
    if np.any(np.diff(dates) <= np.timedelta64(0, "D")):
        raise ValueError(f"{path}: dates must be strictly increasing")
    return dates, values
