"""Helpers for the executable book *What a Keras LSTM returns*.

Only plumbing lives here: loading the committed data, cutting windows, one plot style,
and making runs repeatable. What the book teaches stays in the notebooks.
"""

from .baselines import mae, persistence_forecast, seasonal_naive_forecast
from . import checks, exercises
from .data import DATA_DIR, list_series, load_series, series_info
from .prepare import ForecastData, chronological_split, forecast_dataset
from .plotting import COLORS, new_figure, use_book_style
from .runtime import make_reproducible
from .reference import GATE_NAMES, lstm_forward
from .windows import make_windows
from .generation import LetterBigram
from . import text
from .text import (Alphabet, decode, encode_words, list_wordlists, load_words,
                   make_alphabet, wordlist_info)

__all__ = [
    "LetterBigram",
    "text",
    "Alphabet",
    "list_wordlists",
    "wordlist_info",
    "load_words",
    "make_alphabet",
    "encode_words",
    "decode",
    "lstm_forward",
    "GATE_NAMES",
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
    "persistence_forecast",
    "seasonal_naive_forecast",
    "mae",
    "checks",
    "exercises",
]
__version__ = "1.0.0"
