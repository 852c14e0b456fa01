"""The chronology: every dated expression of the texts, in time order, linked to its place; the dates
without a year (``--09-01``, ``12:00:00``) after it, apart. Its rows: :mod:`.chronology_rows`; a chronology of
many dates in HTML, an overview and a page per year: :mod:`.chronology_years`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

from ..core import markup
from ..core.dates import has_year
from ..core.markup import Tag
from ..nodes import placeholder
from .base import Inputs, Page, Part, digest
from .chronology_rows import KeptRows, rows_table
from .chronology_years import (
    AUTO,
    BY_YEAR,
    ONE_PAGE,
    SPLIT_AT,
    WITHOUT_A_YEAR,
    collect_year_pages,
    overview,
    split_by_year,
    year_counts,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


class Chronology(Part):
    kind = directive = "chronology"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        if inputs.builder is not None:
            counts, apart = year_counts(inputs.domain)
            if split_by_year(inputs.builder, docname, counts):  # the overview: the years and their counts
                return digest(["years", sorted(counts.items()), apart])
        return digest(inputs.domain.dated())  # per text: its dates and its title

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        counts, apart_count = year_counts(page.domain)
        if not counts and not apart_count:
            return [Tag("p", "The texts contain no dates.")]
        if split_by_year(page.builder, page.docname, counts):
            return overview(page, counts, apart_count)
        dates = page.domain.all_dates()
        placed = [(docname, date) for docname, date in dates if has_year(date.start)]
        apart = [(docname, date) for docname, date in dates if not has_year(date.start)]
        kept = KeptRows.for_page(page) if page.builder.format == "html" else None
        out: list[markup.Content] = [rows_table(page, placed, kept)] if placed else []
        if apart:
            out += [Tag("p", "Dates without a year", classes="rubric", id=WITHOUT_A_YEAR),
                    Tag("p", "These dates name a day, a month or a time of day but no year, so they have no place "
                             "in the chronology above."),
                    rows_table(page, apart, kept)]
        if kept is not None:
            kept.save()
        return out


def config_inited(app: Sphinx, config: Config) -> None:
    """``edition_chronology_pages`` checked."""
    if config.edition_chronology_pages not in (AUTO, BY_YEAR, ONE_PAGE):
        raise ConfigError(f"edition_chronology_pages = {config.edition_chronology_pages!r}: say {AUTO!r} (the "
                          f"default: a page per year when the chronology holds more than {SPLIT_AT:,} dates), "
                          f"{BY_YEAR!r} (always) or {ONE_PAGE!r} (never)")


def setup(app: Sphinx) -> None:
    """The chronology's setting (which writes no page again: the chronology follows it), and its pages of a
    year."""
    app.add_config_value("edition_chronology_pages", AUTO, "", str)
    app.connect("config-inited", config_inited)
    app.connect("html-collect-pages", collect_year_pages)
