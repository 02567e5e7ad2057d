"""Author-year citations that tell apart one author's sources of the same year.

sphinxcontrib-bibtex's ``author_year`` style cites three different Keras sources as
"Keras team, 2024", while the bibliography labels them ``Kerasteam24a``, ``Kerasteam24b`` and
``Kerasteam24c``. This extension registers the reference style ``author_year_letter``: the
same style, with the letter of the bibliography label added to the year, so the citation reads
"Keras team, 2024a" and points to the entry labelled ``Kerasteam24a``. Sources whose label has
no letter are cited as before ("Hochreiter and Schmidhuber, 1997").

Select it in _config.yml with ``bibtex_reference_style: author_year_letter``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.richtext import Text
from pybtex.style.template import Node, node
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import year

# The alpha label style appends a letter when labels collide: "Kerasteam24" -> "Kerasteam24a".
LABEL_LETTER = re.compile(r"\d([a-z])$")


@node
def year_with_letter(children, data):
    """The entry's year, followed by the letter of its bibliography label, if it has one."""
    assert not children
    text = year.format_data(data)
    match = LABEL_LETTER.search(data["formatted_entry"].label)
    return Text(text, match.group(1)) if match else text


def _swap_year(template):
    """A copy of ``template`` in which every ``year`` node is ``year_with_letter``."""
    if not isinstance(template, Node):
        return template
    if template.f is year.f:
        return year_with_letter
    copy = template._clone()
    copy.children = [_swap_year(child) for child in template.children]
    return copy


@dataclass
class AuthorYearLetterReferenceStyle(AuthorYearReferenceStyle):
    """``author_year``, with the bibliography label's letter after the year."""

    def inner(self, role_name: str) -> Node:
        return _swap_year(super().inner(role_name))


def setup(app):
    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_letter",
                    AuthorYearLetterReferenceStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
