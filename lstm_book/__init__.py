"""Helpers for the executable book *What a Keras LSTM returns*.

Only plumbing lives here: loading the committed data, cutting windows, one plot style,
and making runs repeatable. What the book teaches stays in the notebooks.
"""

from .data import DATA_DIR, list_series, load_series, series_info
from .prepare import ForecastData, chronological_split, forecast_dataset
from .plotting import COLORS, new_figure, use_book_style
from .runtime import make_reproducible
from .windows import make_windows

__all__ = [
    "DATA_DIR",
    "COLORS",
    "list_series",
    "load_series",
    "series_info",
    "make_windows",
    "chronological_split",
    "forecast_dataset",
    "ForecastData",
    "new_figure",
    "use_book_style",
    "make_reproducible",
]
__version__ = "1.0.0"
