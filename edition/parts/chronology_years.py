"""A chronology of many dates in HTML: an overview of its years on its own page, and a page per year (and one
for the dates without a year), written by :func:`collect_year_pages` only when what they show changed.

The 21,000 dates of the Alfred Escher letters made one page of 14.7 MB, which every reader loaded whole and
every edit of a text wrote again. Which years there are is known only once the texts are read, so the pages of
the years are not documents of Sphinx's but pages an extension adds (``html-collect-pages``, as Sphinx adds
its general index split by letter).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import buildstate
from ..core import markup
from ..core.dates import start_year, year_label
from ..core.files import dump_pickle, load_pickle
from ..core.markup import Tag
from ..core.render import DateMention
from ..domain import EditionDomain, time_order
from .base import Page, digest
from .chronology_rows import ROWS_CODE, KeptRows, rows_table, settings_digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: ``edition_chronology_pages``: a page per year when the chronology holds more than :data:`SPLIT_AT` dates
#: with a year (the default), always, or never
AUTO, BY_YEAR, ONE_PAGE = "auto", "year", "one"
#: with :data:`AUTO`, the most dates with a year a chronology shows on one page (some 500 KB of HTML)
SPLIT_AT = 1000
#: the builders that write a file per page, whose chronology may be split
SPLIT_BUILDERS = frozenset({"html", "dirhtml"})
#: the end of the name of the page of the dates without a year, after the chronology's own
WITHOUT_A_YEAR = "without-a-year"
#: the pages of the HTML builder that are not documents
BUILDER_PAGES = frozenset({"genindex", "search"})

#: a year (``None``: no year) → its number of dates in a text and the fingerprint of what its page shows of it
Years = dict[int | None, tuple[int, str]]


def year_counts(domain: EditionDomain) -> tuple[dict[int, int], int]:
    """How many dates of the texts fall in each year (by where they start), in time order, and how many have
    no year: from what the domain keeps of each text, without unpacking its dates."""
    counts: Counter[int] = Counter()
    apart = 0
    for years in domain.years_of_texts().values():
        for year, (count, _fingerprint) in years.items():
            if year is None:
                apart += count
            else:
                counts[year] += count
    return dict(sorted(counts.items())), apart


def year_page(docname: str, year: int | None) -> str:
    """The page of the chronology ``docname``'s dates of ``year`` (``None``: the dates without a year)."""
    if year is None:
        return f"{docname}-{WITHOUT_A_YEAR}"
    return f"{docname}-{-year}-bce" if year < 0 else f"{docname}-{year}"


def split_by_year(builder: Builder, docname: str, counts: dict[int, int]) -> bool:
    """Whether the chronology on ``docname``, with ``counts`` dates in each year, is published as a page per
    year: by a builder that writes a file per page, as ``edition_chronology_pages`` says, unless its pages would
    take the name of another page or lie in another folder than the chronology (the rows link from there:
    ``index`` with ``dirhtml``)."""
    if builder.name not in SPLIT_BUILDERS or not counts:
        return False
    mode = builder.config.edition_chronology_pages
    if mode == ONE_PAGE or (mode == AUTO and sum(counts.values()) <= SPLIT_AT):
        return False
    names = [year_page(docname, year) for year in [*counts, None]]
    if any(_taken(builder, name) for name in names):
        return False
    return builder.get_relative_uri(docname, "a/b") == builder.get_relative_uri(names[0], "a/b")


def _taken(builder: Builder, name: str) -> bool:
    """Whether another page of the builder is written where the page ``name`` would be: a document (with
    ``dirhtml``, ``name/index`` too), the general index or the search, a page of ``html_additional_pages``."""
    return (name in builder.env.all_docs or f"{name}/index" in builder.env.all_docs or name in BUILDER_PAGES
            or name in getattr(builder.config, "html_additional_pages", {}))


def overview(page: Page, counts: dict[int, int], apart: int) -> list[markup.Content]:
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


def year_dates(domain: EditionDomain, year: int | None, docnames: list[str],
               grouped: dict[str, dict[int | None, list[DateMention]]]) -> list[tuple[str, DateMention]]:
    """The dates in ``year`` of the texts ``docnames`` (sorted), ordered as
    :meth:`~edition.domain.EditionDomain.all_dates` orders them. Only these texts' dates are unpacked (an edit
    writes again the page of a year or two: every text's dates took 0.1 s of a rebuild at 500 texts), each once
    in a build (``grouped``: each text's dates by year, kept between the pages)."""
    found: list[tuple[str, DateMention]] = []
    for docname in docnames:
        by_year = grouped.get(docname)
        if by_year is None:
            by_year = grouped[docname] = {}
            for date in domain.dates_of(docname):
                by_year.setdefault(start_year(date.start), []).append(date)
        found += [(docname, date) for date in by_year.get(year, ())]
    return sorted(found, key=time_order)


def collect_year_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the pages of the years of each chronology split by year (:func:`split_by_year`)
    that must be written (see :class:`YearPages`); the pages of years no longer there are removed."""
    builder = app.builder
    if builder.name not in SPLIT_BUILDERS:
        return
    pages = YearPages(builder, trusted=not buildstate.must_rewrite_everything(app))
    domain: EditionDomain = builder.env.domains["tei"]  # type: ignore[assignment]
    for docname in sorted(d for d, kinds in domain.parts_of_pages().items() if "chronology" in kinds):
        if docname in builder.env.all_docs:
            yield from pages.of(Page(builder, docname))
    pages.finish()


class YearPages:
    """The pages of the years of a builder's chronologies. Each is written when what it shows changed since it
    was last written into this output folder: its texts and what each shows in that year (the domain's
    :meth:`~edition.domain.EditionDomain.years_of_texts`, which also decide the rows' order), its neighbours,
    its title; when its file is missing; when the settings that make Sphinx write every page again, the
    builder's tags, extensions or templates changed; or when the build before did not finish. An edit of a text
    writes again the pages of the years whose rows of it changed, not every year it has dates in. The
    fingerprints are kept in a file of the build."""

    FILE = "edition-chronology-pages"

    def __init__(self, builder: Builder, *, trusted: bool = True) -> None:
        """``trusted``: whether the pages the build before wrote are what their fingerprints say (not when it did
        not finish: they are all written again)."""
        self.builder = builder
        self.path = Path(builder.doctreedir) / f"{self.FILE}-{builder.name}"
        self.outdir = str(builder.outdir)
        saved = load_pickle(self.path)
        self.written: dict[str, str] = saved["pages"] if isinstance(saved, dict) and \
            (saved.get("code"), saved.get("outdir")) == (PAGE_CODE, self.outdir) else {}
        if not trusted:
            self.written = dict.fromkeys(self.written, "")  # their names only: those gone are still removed
        templates = getattr(builder, "templates", None)
        self.frame = digest([settings_digest(builder), list(getattr(builder.config, "extensions", [])),
                             templates.newest_template_mtime() if templates is not None else 0])
        self.wanted: dict[str, str] = {}

    def of(self, page: Page) -> Iterator[tuple[str, dict[str, Any], str]]:
        """The pages of the chronology on ``page`` that must be written, as ``html-collect-pages`` gives them."""
        counts, _apart = year_counts(page.domain)
        if not split_by_year(self.builder, page.docname, counts):
            return
        texts: dict[int | None, list[tuple[str, str]]] = {}
        for docname, years in sorted(page.domain.years_of_texts().items()):
            for year, (_count, fingerprint) in years.items():
                texts.setdefault(year, []).append((docname, fingerprint))
        order: list[int | None] = [*counts, *([None] if None in texts else [])]
        title = self._title(page.docname)
        grouped: dict[str, dict[int | None, list[DateMention]]] = {}  # the dates of the texts of the pages written
        kept: KeptRows | None = None
        for here, year in enumerate(order):
            name = year_page(page.docname, year)
            before = order[here - 1] if year is not None and here > 0 else None
            after = order[here + 1] if year is not None and here + 1 < len(counts) else None
            heading = f"{title}: {year_label(year)}" if year is not None else f"{title}: dates without a year"
            fingerprint = digest([self.frame, heading, before, after, page.docname, texts[year]])
            self.wanted[name] = fingerprint
            if self.written.get(name) == fingerprint and os.path.isfile(self._file(name)):
                continue
            if kept is None:
                kept = KeptRows.for_page(page)
            dates = year_dates(page.domain, year, [docname for docname, _ in texts[year]], grouped)
            body = self._body(Page(self.builder, name), page.docname, heading, year, before, after,
                              rows_table(page, dates, kept))  # the rows link from the chronology's folder
            yield name, {"title": heading, "body": markup.to_html([body])}, "page.html"
        if kept is not None:
            kept.save()

    def finish(self) -> None:
        """Remove the pages of years no longer there (not a page that took the name since), and keep what was
        written."""
        for gone in sorted(self.written.keys() - self.wanted.keys()):
            if _taken(self.builder, gone):
                continue
            path = self._file(gone)
            with contextlib.suppress(OSError):
                os.unlink(path)
            if os.path.basename(path) == "index.html":  # dirhtml: its folder, now empty
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.dirname(path))
        if self.wanted != self.written:
            with contextlib.suppress(OSError):  # a cache: the next build writes the pages again
                dump_pickle(self.path, {"code": PAGE_CODE, "outdir": self.outdir, "pages": self.wanted})

    def _file(self, name: str) -> str:
        return str(self.builder.get_outfilename(name))  # type: ignore[attr-defined]

    def _title(self, docname: str) -> str:
        title = self.builder.env.titles.get(docname)
        return title.astext() if title is not None else "Chronology"

    @staticmethod
    def _body(page: Page, chronology: str, heading: str, year: int | None, before: int | None,
              after: int | None, table: markup.Content) -> markup.Content:
        """A year's ``page``: its heading, the way to the years around it and to the ``chronology``, its
        dates, and the way again under them."""
        steps: list[markup.Content] = []
        if before is not None:
            steps += [page.link(year_page(chronology, before), "", f"← {year_label(before)}",
                                title="the year before"), " · "]
        steps.append(page.link(chronology, "", "all years"))
        if after is not None:
            steps += [" · ", page.link(year_page(chronology, after), "", f"{year_label(after)} →",
                                       title="the year after")]
        intro = [] if year is not None else [Tag("p", "These dates name a day, a month or a time of day but no "
                                                      "year, so they have no place in the chronology.")]
        return Tag("section", Tag("h1", heading),
                   Tag("nav", Tag("p", *steps), classes="edition-chronology-way", **{"aria-label": "years"}),
                   *intro, table, Tag("p", *steps, classes="edition-chronology-way"),
                   id=page.docname.rpartition("/")[2])


#: the code that makes the pages of a year: pages written by another version of it are written again
PAGE_CODE = digest([ROWS_CODE, Path(__file__).read_bytes()])
