"""The book's figure function: required labels, the shared style, and figures that render."""

from __future__ import annotations

import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like, to_hex
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from lstm_book import COLORS, new_figure, use_book_style


@pytest.fixture(autouse=True)
def clean_matplotlib():
    """Each test starts from matplotlib's defaults and leaves no figure or style behind."""
    plt.close("all")
    defaults = {k: v for k, v in mpl.rcParamsDefault.items() if k != "backend"}  # keep Agg
    with mpl.rc_context(rc=defaults):
        yield
    plt.close("all")
    assert mpl.get_backend().lower() == "agg"


def test_backend_is_agg():
    assert mpl.get_backend().lower() == "agg"


def test_single_panel_has_title_and_labels():
    fig, ax = new_figure("Sunspots per year", "year", "sunspot number")
    assert isinstance(fig, Figure) and isinstance(ax, Axes)
    assert ax.figure is fig and fig.axes == [ax]
    assert ax.get_title() == "Sunspots per year"
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "sunspot number"
    assert tuple(fig.get_size_inches()) == pytest.approx((8.0, 3.6))
    assert isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("ncols", [2, 3])
def test_several_panels_share_labels_and_a_super_title(ncols):
    fig, axes = new_figure("Hidden state", "timestep", "value", ncols=ncols)
    assert isinstance(axes, np.ndarray) and axes.shape == (ncols,)
    assert list(axes) == fig.axes
    for ax in axes:
        assert ax.get_xlabel() == "timestep" and ax.get_ylabel() == "value"
        assert ax.get_title() == ""  # per-panel titles are the caller's
    assert fig.get_suptitle() == "Hidden state"
    assert tuple(fig.get_size_inches()) == pytest.approx((4.2 * ncols, 3.4))


def test_figsize_override():
    fig, _ = new_figure("t", "x", "y", figsize=(5, 2))
    assert tuple(fig.get_size_inches()) == pytest.approx((5, 2))
    fig, _ = new_figure("t", "x", "y", ncols=2, figsize=(6, 3))
    assert tuple(fig.get_size_inches()) == pytest.approx((6, 3))


@pytest.mark.parametrize("which", ["title", "xlabel", "ylabel"])
@pytest.mark.parametrize("value", ["", "   ", "\n", None, 3, b"bytes", ["a"]], ids=repr)
def test_missing_or_blank_text_is_refused(which, value):
    args = {"title": "A title", "xlabel": "x (s)", "ylabel": "y (m)", which: value}
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=rf"^{which} must be a non-empty string"):
        new_figure(args["title"], args["xlabel"], args["ylabel"])
    assert plt.get_fignums() == before, "no figure may be left open after a refusal"


def test_empty_title_names_title():
    with pytest.raises(ValueError) as info:
        new_figure("", "x", "y")
    assert "title" in str(info.value) and "xlabel" not in str(info.value)


@pytest.mark.parametrize("ncols", [0, -1, 1.5, 2.0, "2", None, True])
def test_bad_ncols_is_refused(ncols):
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=r"^ncols must be a positive integer"):
        new_figure("t", "x", "y", ncols=ncols)
    assert plt.get_fignums() == before


def test_ncols_is_keyword_only():
    with pytest.raises(TypeError):
        new_figure("t", "x", "y", 2)


def test_use_book_style_sets_rcparams_and_is_idempotent():
    assert mpl.rcParams["axes.spines.top"] is True  # matplotlib's default, from the fixture
    use_book_style()
    first = dict(mpl.rcParams)
    assert mpl.rcParams["axes.spines.top"] is False and mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["axes.grid"] is True
    assert mpl.rcParams["figure.dpi"] == 80 and mpl.rcParams["savefig.dpi"] == 80
    assert mpl.rcParams["image.cmap"] == "RdBu_r"
    assert mpl.rcParams["legend.frameon"] is False
    use_book_style()
    assert dict(mpl.rcParams) == first


def test_new_figure_applies_the_style():
    fig, ax = new_figure("t", "x", "y")
    assert fig.dpi == 80
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert ax.xaxis.get_gridlines()[0].get_visible()


def test_colors_are_valid_and_distinct_where_they_meet():
    needed = {"truth", "model", "baseline", "seasonal", "highlight", "state_h", "state_c",
              "train", "validation"}
    assert needed <= set(COLORS)
    assert all(is_color_like(c) for c in COLORS.values())
    # Lines drawn on the same axes must be told apart.
    for group in (("truth", "model", "baseline", "seasonal"), ("state_h", "state_c"),
                  ("train", "validation"), ("truth", "highlight")):
        hexes = [to_hex(COLORS[k]) for k in group]
        assert len(set(hexes)) == len(hexes), group


def test_a_figure_renders_to_png():
    fig, ax = new_figure("Forecast", "year", "sunspot number")
    x = np.arange(10)
    ax.plot(x, x ** 2, color=COLORS["truth"], label="truth")
    ax.plot(x, x ** 2 + 3, color=COLORS["model"], label="model")
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    png = buffer.getvalue()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (640, 288)  # 8 x 3.6 in at 80 dpi
