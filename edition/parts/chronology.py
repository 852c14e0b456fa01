"""The chronology: every dated expression of the texts, in time order, linked to its place; the dates
without a year (``--09-01``, ``12:00:00``) after it, apart."""

from __future__ import annotations

from typing import Any

from ..core import markup
from ..core.dates import has_year, html_datetime
from ..core.markup import Tag
from ..core.render import DateMention
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
        placed = [(docname, date) for docname, date in dates if has_year(date.start)]
        apart = [(docname, date) for docname, date in dates if not has_year(date.start)]
        out: list[markup.Content] = [self._table(page, placed)] if placed else []
        if apart:
            out += [Tag("p", "Dates without a year", classes="rubric", id="without-a-year"),
                    Tag("p", "These dates name a day, a month or a time of day but no year, so they have no place "
                             "in the chronology above."),
                    self._table(page, apart)]
        return out

    @staticmethod
    def _table(page: Page, dates: list[tuple[str, DateMention]]) -> markup.Content:
        """One row per date. A date the text gives wrongly shows the date as it was beside it, and the date
        as it was (in the editors' note) says which date of the text it corrects."""
        corrects = {(docname, date.corrected_anchor): date for docname, date in dates if date.corrected_anchor}
        rows: list[list[markup.Content]] = []
        for docname, date in dates:
            normal = date.start + (f" – {date.end}" if date.end and date.end != date.start else "")
            where = CONTEXT_LABELS.get(date.context, "") or "in the text"
            when: list[markup.Content] = [page.link(docname, date.anchor, Tag("time", normal,
                                                                                datetime=html_datetime(date.start)),
                                                    title="go to this place in the text")]
            if date.corrected:
                start, _, end = date.corrected.partition("/")
                when += [" ", Tag("span", "as it was: ", page.link(
                    docname, date.corrected_anchor, Tag("time", start + (f" – {end}" if end else ""),
                                                        datetime=html_datetime(start)),
                    title="the editors' correction"), classes="edition-chronology-corrected")]
            wrong = corrects.get((docname, date.anchor))
            if wrong is not None:
                where += f", the date as it was of “{wrong.form}” (as the text says: {wrong.start})"
            rows.append([
                Tag("span", *when),
                date.form + (" [year supplied]" if date.supplied else "") + (" [wrong date]" if date.corrected else ""),
                Tag("span", date.before, Tag("strong", date.form), date.after),
                Tag("span", page.link(docname, "", page.text_title(docname)), f", {where}"),
            ])
        return markup.table("edition-chronology", {"Date": 14, "As written": 18, "Context": 56, "Where": 12}, rows)
