"""Shared test setup: a non-interactive matplotlib backend for every test."""

import matplotlib

# Chosen here, not through MPLBACKEND, so the notebooks' environment stays untouched.
matplotlib.use("Agg")
