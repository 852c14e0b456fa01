"""The chronology: every dated expression of the texts, in time order, linked to its place."""

from __future__ import annotations

from typing import Any

from ..core import markup
from ..core.markup import Tag
from ..nodes import placeholder
from .base import CONTEXT_LABELS, Inputs, Page, Part, digest


class Chronology(Part):
    kind = directive = "chronology"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        return digest(inputs.domain.dated())  # per text: its dates and its title

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        dates = page.domain.all_dates()
        if not dates:
            return [Tag("p", "The texts contain no dates.")]
        rows: list[list[markup.Content]] = []
        for docname, date in dates:
            normal = date.start + (f" – {date.end}" if date.end and date.end != date.start else "")
            where = CONTEXT_LABELS.get(date.context, "") or "in the text"
            rows.append([
                page.link(docname, date.anchor, Tag("time", normal, datetime=date.start),
                          title="go to this place in the text"),
                date.form + (" [year supplied]" if date.supplied else ""),
                Tag("span", date.before, Tag("strong", date.form), date.after),
                Tag("span", page.link(docname, "", page.text_title(docname)), f", {where}"),
            ])
        return [markup.table("edition-chronology", {"Date": 14, "As written": 18, "Context": 56, "Where": 12}, rows)]
