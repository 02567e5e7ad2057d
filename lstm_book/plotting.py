"""One figure style for the whole book, so every chapter's plots look alike."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = ["COLORS", "use_book_style", "new_figure"]

#: Named colours used consistently across chapters.
COLORS = {
    "truth": "#222222",
    "model": "#1f77b4",
    "baseline": "#ff7f0e",
    "seasonal": "#9467bd",
    "highlight": "#d62728",
    "state_h": "#1f77b4",
    "state_c": "#2ca02c",
    "train": "#1f77b4",
    "validation": "#ff7f0e",
}

_STYLE = {
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "image.cmap": "RdBu_r",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (idempotent)."""
    mpl.rcParams.update(_STYLE)


def new_figure(title: str, xlabel: str, ylabel: str, *, ncols: int = 1, figsize=None):
    """Create a styled figure with a title and labelled axes.

    Parameters
    ----------
    title, xlabel, ylabel : str
        Every figure in the book has a title and axis labels with units; they are required
        here so none can be forgotten. With ``ncols > 1`` the title is the figure's
        super-title and each axis gets the same labels (set per-axis titles afterwards).
    ncols : int, default 1
        Number of side-by-side panels.
    figsize : tuple, optional
        Overrides the default size (8 × 3.6 in, widened with ``ncols``).

    Returns
    -------
    fig, ax
        ``ax`` is one Axes for ``ncols == 1``, else an array of Axes.
    """
    for label, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{label} must be a non-empty string, got {value!r}")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    use_book_style()
    if figsize is None:
        figsize = (8.0, 3.6) if ncols == 1 else (4.2 * ncols, 3.4)
    fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    for ax in [axes] if ncols == 1 else axes:
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    if ncols == 1:
        axes.set_title(title)
    else:
        fig.suptitle(title, fontweight="bold")
    return fig, axes
