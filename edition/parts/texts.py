"""The list of the edition's texts, and the links between neighbouring texts."""

from __future__ import annotations

from typing import Any

from ..core import markup
from ..core.markup import Tag
from ..nodes import placeholder
from ..project import TEXTS_DIR, edition_of
from .base import Inputs, Page, Part


class TextIndex(Part):
    """``texts/index``: every text in the edition's order, with its numbers of names and dates."""

    kind = "text-index"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        return inputs.texts

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        rows: list[list[markup.Content]] = []
        for docname in (text.docname for text in edition_of(page.env).texts):
            names, dates = page.domain.counts(docname)
            rows.append([page.link(docname, "", page.text_title(docname)), str(names), str(dates)])
        if not rows:
            return [Tag("p", "The edition has no texts yet.")]
        return [markup.table("edition-texts", {"Text": 70, "Names": 15, "Dates": 15}, rows)]


class TextNavigation(Part):
    """Under each text: links to the previous and the next text, and to the list of texts."""

    kind = "text-nav"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        here = inputs.position.get(docname, -1)
        return inputs.texts[max(here - 1, 0):here + 2] if here >= 0 else []

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        order = [text.docname for text in edition_of(page.env).texts]
        here = order.index(page.docname) if page.docname in order else -1
        bar = Tag("p", classes="edition-text-nav")
        if here > 0:
            bar.append(page.link(order[here - 1], "", "← " + page.text_title(order[here - 1]),
                                 title="previous text"), " · ")
        bar.append(page.link(f"{TEXTS_DIR}/index", "", "all texts"))
        if 0 <= here < len(order) - 1:
            bar.append(" · ", page.link(order[here + 1], "", page.text_title(order[here + 1]) + " →",
                                        title="next text"))
        return [Tag("div", bar, classes="edition-text-nav docutils container")]
