"""The chronology: every dated expression of the texts, in time order, linked to its place; the dates
without a year (``--09-01``, ``12:00:00``) after it, apart.

A chronology of many dates (:data:`SPLIT_AT`; ``edition_chronology_pages``) is published in HTML as an
overview of its years on its own page and a page per year (and one for the dates without a year), written by
:func:`collect_year_pages` only when what they show changed: the 21,000 dates of the Alfred Escher letters
made one page of 14.7 MB, which every reader loaded whole and every edit of a text wrote again. Other
builders (a single page, an e-book, LaTeX) keep the whole chronology on its page.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

from ..core import dates as core_dates
from ..core import markup
from ..core.dates import has_year, html_datetime, start_year, year_label
from ..core.files import dump_pickle, load_pickle
from ..core.markup import Tag
from ..core.render import DateMention
from ..domain import EditionDomain
from ..nodes import placeholder
from ..sphinx_compat import html_settings_digest
from . import base
from .base import CONTEXT_LABELS, Inputs, Page, Part, digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

#: ``edition_chronology_pages``: a page per year when the chronology holds more than :data:`SPLIT_AT` dates
#: with a year (the default), always, or never
AUTO, BY_YEAR, ONE_PAGE = "auto", "year", "one"
#: with :data:`AUTO`, the most dates with a year a chronology shows on one page (some 500 KB of HTML)
SPLIT_AT = 1000
#: the builders that write a file per page, whose chronology may be split
SPLIT_BUILDERS = frozenset({"html", "dirhtml"})
#: the columns of the chronology's tables, with their widths
COLUMNS = {"Date": 14, "As written": 18, "Context": 56, "Where": 12}
#: the end of the name of the page of the dates without a year, after the chronology's own
WITHOUT_A_YEAR = "without-a-year"


class Chronology(Part):
    kind = directive = "chronology"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        if inputs.builder is not None:
            counts, apart = year_counts(inputs.domain)
            if split_by_year(inputs.builder, docname, counts):  # the overview: the years and their counts
                return digest(["years", sorted(counts.items()), apart])
        return digest(inputs.domain.dated())  # per text: its dates and its title

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        dates = page.domain.all_dates()
        if not dates:
            return [Tag("p", "The texts contain no dates.")]
        counts, apart_count = year_counts(page.domain)
        if split_by_year(page.builder, page.docname, counts):
            return _overview(page, counts, apart_count)
        placed = [(docname, date) for docname, date in dates if has_year(date.start)]
        apart = [(docname, date) for docname, date in dates if not has_year(date.start)]
        kept = KeptRows.for_page(page) if page.builder.format == "html" else None
        out: list[markup.Content] = [_table(page, placed, kept)] if placed else []
        if apart:
            out += [Tag("p", "Dates without a year", classes="rubric", id=WITHOUT_A_YEAR),
                    Tag("p", "These dates name a day, a month or a time of day but no year, so they have no place "
                             "in the chronology above."),
                    _table(page, apart, kept)]
        if kept is not None:
            kept.save()
        return out


def _table(page: Page, dates: list[tuple[str, DateMention]], kept: KeptRows | None) -> markup.Content:
    """One row per date, in the order of ``dates``; in HTML each text's rows are made once and ``kept``
    while its dates and title stay the same."""
    rows: list[list[markup.Content] | markup.Raw]
    if kept is not None:
        rows = [kept.row(docname, date) for docname, date in dates]
    else:
        corrects = {docname: _wrong(page, docname) for docname in {docname for docname, _ in dates}}
        rows = [_cells(page, docname, date, corrects[docname]) for docname, date in dates]
    return markup.table("edition-chronology", COLUMNS, rows)


# -- a page per year ------------------------------------------------------------------------
def year_counts(domain: EditionDomain) -> tuple[dict[int, int], int]:
    """How many dates of the texts fall in each year (by where they start), in time order, and how many have
    no year."""
    counts: Counter[int] = Counter()
    apart = 0
    for docname, _fingerprint in domain.dated():
        for date in domain.dates_of(docname):
            year = start_year(date.start)
            if year is None:
                apart += 1
            else:
                counts[year] += 1
    return dict(sorted(counts.items())), apart


def year_page(docname: str, year: int | None) -> str:
    """The page of the chronology ``docname``'s dates of ``year`` (``None``: the dates without a year)."""
    if year is None:
        return f"{docname}-{WITHOUT_A_YEAR}"
    return f"{docname}-{-year}-bce" if year < 0 else f"{docname}-{year}"


def split_by_year(builder: Builder, docname: str, counts: dict[int, int]) -> bool:
    """Whether the chronology on ``docname``, with ``counts`` dates in each year, is published as a page per
    year: by a builder that writes a file per page, as ``edition_chronology_pages`` says, and unless a page of
    the project already has the name of one of its pages."""
    if builder.name not in SPLIT_BUILDERS or not counts:
        return False
    mode = builder.config.edition_chronology_pages
    if mode == ONE_PAGE or (mode == AUTO and sum(counts.values()) <= SPLIT_AT):
        return False
    names = [year_page(docname, year) for year in [*counts, None]]
    return not any(name in builder.env.all_docs for name in names)


def _overview(page: Page, counts: dict[int, int], apart: int) -> list[markup.Content]:
    """The chronology's page when each year has a page: the years by decade, each with its number of dates."""
    decades: dict[int, list[int]] = {}
    for year in counts:
        decades.setdefault(year // 10, []).append(year)
    rows: list[list[markup.Content]] = []
    for decade, years in decades.items():
        label = f"{decade * 10}s" if decade >= 0 else f"{year_label(years[0])} – {year_label(years[-1])}"
        links: list[markup.Content] = [
            page.link(year_page(page.docname, year), "", Tag("span", year_label(year), classes="edition-year"),
                      f" ({counts[year]:,})") for year in years]
        rows.append([label, Tag("span", *markup.joined(links, " · "))])
    total = sum(counts.values())
    out: list[markup.Content] = [
        Tag("p", f"{total:,} dates of the texts, in {len(counts):,} years: each year's dates are on a page of "
                 "their own, in time order, each with its words around it and linked to its place in the text.",
            classes="edition-chronology-summary"),
        markup.table("edition-chronology-years", {"Decade": 15, "Years (number of dates)": 85}, rows)]
    if apart:
        out.append(Tag("p", page.link(year_page(page.docname, None), "", "Dates without a year"),
                       f" ({apart:,}): a day, a month or a time of day with no year, so with no place in time.",
                       id=WITHOUT_A_YEAR))
    return out


def collect_year_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the pages of the years of each chronology split by year
    (:func:`split_by_year`), those whose dates, neighbours or frame changed since they were written (see
    :class:`YearPages`); the pages of years no longer there are removed."""
    builder = app.builder
    if builder.name not in SPLIT_BUILDERS:
        return
    pages = YearPages(builder)
    domain: EditionDomain = builder.env.domains["tei"]  # type: ignore[assignment]
    for docname in sorted(d for d, kinds in domain.parts_of_pages().items() if Chronology.kind in kinds):
        if docname in builder.env.all_docs:
            yield from pages.of(Page(builder, docname))
    pages.finish()


class YearPages:
    """The pages of the years of a builder's chronologies: each written when what it shows changed since it was
    last written (its rows' texts in their order, and what each of them shows in that year: the domain's
    :meth:`~edition.domain.EditionDomain.year_fingerprints`; its neighbours; its title), when its file is
    missing, or when the builder writes every page again (its settings or templates changed); the fingerprints
    are kept in a file of the build. An edit of a text writes again the pages of the years whose rows of it
    changed, not every year it has dates in."""

    FILE = "edition-chronology-pages"

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.path = Path(builder.doctreedir) / f"{self.FILE}-{builder.name}"
        saved = load_pickle(self.path)
        self.written: dict[str, str] = saved["pages"] if isinstance(saved, dict) and saved.get("code") == _CODE \
            else {}
        templates = getattr(builder, "templates", None)
        self.frame = digest([html_settings_digest(builder),
                             templates.newest_template_mtime() if templates is not None else 0])
        self.wanted: dict[str, str] = {}

    def of(self, page: Page) -> Iterator[tuple[str, dict[str, Any], str]]:
        """The pages of the chronology on ``page`` that must be written, as ``html-collect-pages`` gives them."""
        counts, _apart = year_counts(page.domain)
        if not split_by_year(self.builder, page.docname, counts):
            return
        groups: dict[int | None, list[tuple[str, DateMention]]] = {}
        for docname, date in page.domain.all_dates():
            groups.setdefault(start_year(date.start), []).append((docname, date))
        years = [year for year in groups if year is not None]
        title = self._title(page.docname)
        kept: KeptRows | None = None
        for year, dates in groups.items():
            name = year_page(page.docname, year)
            here = years.index(year) if year is not None else -1
            before = years[here - 1] if here > 0 else None
            after = years[here + 1] if 0 <= here < len(years) - 1 else None
            heading = f"{title}: {year_label(year)}" if year is not None else f"{title}: dates without a year"
            texts = [docname for docname, _date in dates]  # the rows' texts, in the rows' order
            fingerprint = digest([self.frame, heading, before, after, page.docname, texts, [
                page.domain.year_fingerprints(docname).get(year) for docname in sorted(set(texts))]])
            self.wanted[name] = fingerprint
            if self.written.get(name) == fingerprint and os.path.isfile(self._file(name)):
                continue
            kept = kept or KeptRows.for_page(page)
            body = self._body(Page(self.builder, name), page.docname, heading, year, before, after,
                              _table(page, dates, kept))  # the rows' links: from the chronology's folder
            yield name, {"title": heading, "body": markup.to_html([body])}, "page.html"
        if kept is not None:
            kept.save()

    def finish(self) -> None:
        """Remove the pages of years no longer there, and keep what was written."""
        for gone in sorted(self.written.keys() - self.wanted.keys()):
            with contextlib.suppress(OSError):
                os.unlink(self._file(gone))
        if self.wanted != self.written:
            with contextlib.suppress(OSError):  # a cache: the next build writes the pages again
                dump_pickle(self.path, {"code": _CODE, "pages": self.wanted})

    def _file(self, name: str) -> str:
        return str(self.builder.get_outfilename(name))  # type: ignore[attr-defined]

    def _title(self, docname: str) -> str:
        title = self.builder.env.titles.get(docname)
        return title.astext() if title is not None else "Chronology"

    @staticmethod
    def _body(page: Page, overview: str, heading: str, year: int | None, before: int | None, after: int | None,
              table: markup.Content) -> markup.Content:
        """A year's ``page``: its heading, the way to the years around it and to the ``overview``, its dates."""
        steps: list[markup.Content] = []
        if before is not None:
            steps += [page.link(year_page(overview, before), "", f"← {year_label(before)}",
                                title="the year before"), " · "]
        steps.append(page.link(overview, "", "all years"))
        if after is not None:
            steps += [" · ", page.link(year_page(overview, after), "", f"{year_label(after)} →",
                                       title="the year after")]
        way = Tag("nav", Tag("p", *steps), classes="edition-chronology-way", **{"aria-label": "years"})
        intro = [] if year is not None else [Tag("p", "These dates name a day, a month or a time of day but no "
                                                      "year, so they have no place in the chronology.")]
        return Tag("section", Tag("h1", heading), way, *intro, table, way, id=page.docname.rpartition("/")[2])


def config_inited(app: Sphinx, config: Config) -> None:
    if config.edition_chronology_pages not in (AUTO, BY_YEAR, ONE_PAGE):
        raise ConfigError(f"edition_chronology_pages = {config.edition_chronology_pages!r}: say {AUTO!r} (the "
                          f"default: a page per year when the chronology holds more than {SPLIT_AT:,} dates), "
                          f"{BY_YEAR!r} (always) or {ONE_PAGE!r} (never)")


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_chronology_pages", AUTO, "html", str)
    app.connect("config-inited", config_inited)
    app.connect("html-collect-pages", collect_year_pages)


# -- the rows -------------------------------------------------------------------------------
def _wrong(page: Page, docname: str) -> dict[str, DateMention]:
    """The dates of a text the editors corrected, by the place of the date as it was."""
    return {date.corrected_anchor: date for date in page.domain.dates_of(docname) if date.corrected_anchor}


def _cells(page: Page, docname: str, date: DateMention, corrects: dict[str, DateMention]) -> list[markup.Content]:
    """A date's row. A date the text gives wrongly shows the date as it was beside it, and the date as it was
    (in the editors' note) says which date of the text it corrects (``corrects``: :func:`_wrong`)."""
    normal = date.start + (f" – {date.end}" if date.end and date.end != date.start else "")
    where = CONTEXT_LABELS.get(date.context, "") or "in the text"
    time = Tag("time", normal, datetime=html_datetime(date.start))
    when: list[markup.Content] = [page.link(docname, date.anchor, time, title="go to this place in the text")]
    if date.corrected:
        start, _, end = date.corrected.partition("/")
        when += [" ", Tag("span", "as it was: ", page.link(
            docname, date.corrected_anchor, Tag("time", start + (f" – {end}" if end else ""),
                                                datetime=html_datetime(start)),
            title="the editors' correction"), classes="edition-chronology-corrected")]
    wrong = corrects.get(date.anchor)
    if wrong is not None:
        where += f", the date as it was of “{wrong.form}” (as the text says: {wrong.start})"
    return [
        Tag("span", *when),
        date.form + (" [year supplied]" if date.supplied else "") + (" [wrong date]" if date.corrected else ""),
        Tag("span", date.before, Tag("strong", date.form), date.after),
        Tag("span", page.link(docname, "", page.text_title(docname)), f", {where}"),
    ]


class KeptRows:
    """The chronology's rows in HTML, each text's kept between builds in a file of the build (the rows of
    thousands of letters take seconds to make; one edited letter changes its own). A text's rows are made
    again when its dates or title change (the domain's fingerprint of them), and all of them when the page,
    the builder or this code changes."""

    FILE = "edition-chronology-rows"

    def __init__(self, page: Page, path: Path, version: str) -> None:
        self.page = page
        self.path = path
        self.version = version
        self.fingerprints = dict(page.domain.dated())
        saved = load_pickle(path)
        self.texts: dict[str, tuple[str, list[str]]] = (
            saved["texts"] if isinstance(saved, dict) and saved.get("version") == version else {})
        self.changed = False
        self._current: dict[str, dict[int, markup.Raw]] = {}

    @classmethod
    def for_page(cls, page: Page) -> KeptRows:
        version = digest([page.builder.name, page.docname, _CODE])
        return cls(page, Path(page.builder.doctreedir) / f"{cls.FILE}-{page.builder.name}", version)

    def row(self, docname: str, date: DateMention) -> markup.Raw:
        rows = self._current.get(docname)
        if rows is None:
            rows = self._current[docname] = self._rows_of(docname)
        return rows[id(date)]

    def _rows_of(self, docname: str) -> dict[int, markup.Raw]:
        dates = self.page.domain.dates_of(docname)
        fingerprint = self.fingerprints.get(docname, "")
        kept = self.texts.get(docname)
        if kept is None or kept[0] != fingerprint or len(kept[1]) != len(dates):
            corrects = _wrong(self.page, docname)
            kept = (fingerprint, [markup.row_html(_cells(self.page, docname, date, corrects)) for date in dates])
            self.texts[docname] = kept
            self.changed = True
        return {id(date): markup.Raw(html) for date, html in zip(dates, kept[1], strict=True)}

    def save(self) -> None:
        """Write the rows down if some were made, forgetting the texts that are gone."""
        gone = set(self.texts) - set(self.fingerprints)
        if not self.changed and not gone:
            return
        for docname in gone:
            del self.texts[docname]
        with contextlib.suppress(OSError):  # a cache: the next build makes the rows again
            dump_pickle(self.path, {"version": self.version, "texts": self.texts})
        self.changed = False


#: the code that makes the rows: kept rows made by another version of it are made again
_CODE = digest([Path(file).read_bytes() for file in (__file__, markup.__file__, core_dates.__file__, base.__file__)])
