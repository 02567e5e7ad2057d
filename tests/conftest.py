"""Shared test setup: a non-interactive matplotlib backend for every test, and Keras."""

import os

import matplotlib
import pytest

# Chosen here, not through MPLBACKEND, so the notebooks' environment stays untouched.
matplotlib.use("Agg")


@pytest.fixture(scope="module")
def keras():
    """Keras, set up as a notebook does: quiet, seeded and on one thread before its first op.

    Module-scoped: each module that asks for it starts from the same seed.
    """
    for key, value in (("TF_ENABLE_ONEDNN_OPTS", "0"), ("TF_CPP_MIN_LOG_LEVEL", "3")):
        os.environ.setdefault(key, value)
    import keras

    from lstm_book import make_reproducible

    make_reproducible(0)
    return keras
