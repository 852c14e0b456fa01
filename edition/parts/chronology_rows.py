"""The chronology's rows: one per date, with its place, the words around it and its text; in HTML each text's
rows are kept between builds (:class:`KeptRows`)."""

from __future__ import annotations

import contextlib
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import dates as core_dates
from ..core import markup
from ..core.dates import html_datetime
from ..core.files import dump_pickle, load_pickle
from ..core.markup import Tag
from ..core.render import DateMention, corrected_dates
from . import base
from .base import CONTEXT_LABELS, Page, digest

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: the columns of the chronology's tables, with their widths
COLUMNS = {"Date": 14, "As written": 18, "Context": 56, "Where": 12}


def rows_table(page: Page, dates: list[tuple[str, DateMention]], kept: KeptRows | None) -> markup.Content:
    """One row per date, in the order of ``dates``; in HTML each text's rows are made once and ``kept``
    while its dates and title stay the same."""
    rows: list[list[markup.Content] | markup.Raw]
    if kept is not None:
        rows = [kept.row(docname, date) for docname, date in dates]
    else:
        corrects = {docname: _wrong(page, docname) for docname in {docname for docname, _ in dates}}
        rows = [_cells(page, docname, date, corrects[docname]) for docname, date in dates]
    return markup.table("edition-chronology", COLUMNS, rows)


def settings_digest(builder: Builder, categories: tuple[str, ...] = ("env", "html")) -> str:
    """What the builder writes a page with besides its content: the settings that make Sphinx read or write
    every page again (of ``categories``; a function by its name, as Sphinx hashes them) and its tags."""
    values = sorted((item.name, _stable(item.value)) for item in builder.config.filter(categories))
    return digest([values, sorted(builder.tags)])


def _stable(value: Any) -> str:
    """A setting's value as text that is the same from one process to the next where the value is."""
    if isinstance(value, dict):
        return repr(sorted((_stable(key), _stable(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return repr([_stable(item) for item in value])
    if isinstance(value, (set, frozenset)):
        return repr(sorted(_stable(item) for item in value))
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


def _wrong(page: Page, docname: str) -> dict[str, DateMention]:
    """The dates of a text the editors corrected, by the place of the date as it was."""
    return corrected_dates(page.domain.dates_of(docname))


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
    """The chronology's rows in HTML, each text's kept between builds in a folder of the build (the rows of
    thousands of letters take seconds to make; one edited letter changes its own). A text's rows are made
    again when its dates or title change (the domain's fingerprint of them), and all of them when the page,
    the builder, its settings (a link's suffix) or this code changes.

    The texts are kept in :data:`SHARDS` files by a hash of their name: a build loads those of the texts whose
    rows it shows and writes again only those it changed (one file of all of them, 11.5 MB at 500 texts, was
    loaded and written again whenever an edit changed the page of a year)."""

    FILE = "edition-chronology-rows"
    SHARDS = 64

    def __init__(self, page: Page, folder: Path, version: str) -> None:
        self.page = page
        self.folder = folder
        self.version = version
        self.fingerprints = dict(page.domain.dated())
        self._shards: dict[str, dict[str, tuple[str, list[str]]]] = {}  # those loaded (by name): each text's rows
        self._changed: set[str] = set()
        self._current: dict[str, dict[int, markup.Raw]] = {}

    @classmethod
    def for_page(cls, page: Page) -> KeptRows:
        version = digest([page.builder.name, page.docname, ROWS_CODE, settings_digest(page.builder, ("html",))])
        return cls(page, Path(page.builder.doctreedir) / f"{cls.FILE}-{page.builder.name}", version)

    @classmethod
    def shard_of(cls, docname: str) -> str:
        """The name of the file (in the folder of the kept rows) that keeps the rows of the text ``docname``."""
        return f"{zlib.crc32(docname.encode('utf-8')) % cls.SHARDS:02d}"

    def row(self, docname: str, date: DateMention) -> markup.Raw:
        rows = self._current.get(docname)
        if rows is None:
            rows = self._current[docname] = self._rows_of(docname)
        return rows[id(date)]

    def _shard(self, name: str) -> dict[str, tuple[str, list[str]]]:
        texts = self._shards.get(name)
        if texts is None:
            saved = load_pickle(self.folder / name)
            texts = self._shards[name] = (
                saved["texts"] if isinstance(saved, dict) and saved.get("version") == self.version else {})
            gone = texts.keys() - self.fingerprints.keys()
            for docname in gone:  # texts no longer there, forgotten when their file is next read
                del texts[docname]
            if gone:
                self._changed.add(name)
        return texts

    def _rows_of(self, docname: str) -> dict[int, markup.Raw]:
        dates = self.page.domain.dates_of(docname)
        fingerprint = self.fingerprints.get(docname, "")
        name = self.shard_of(docname)
        texts = self._shard(name)
        kept = texts.get(docname)
        if kept is None or kept[0] != fingerprint or len(kept[1]) != len(dates):
            corrects = _wrong(self.page, docname)
            kept = (fingerprint, [markup.row_html(_cells(self.page, docname, date, corrects)) for date in dates])
            texts[docname] = kept
            self._changed.add(name)
        return {id(date): markup.Raw(html) for date, html in zip(dates, kept[1], strict=True)}

    def save(self) -> None:
        """Write down the files whose rows changed."""
        if not self._changed:
            return
        with contextlib.suppress(OSError):  # a cache: the next build makes the rows again
            if self.folder.is_file():  # where versions before kept all rows in one file
                self.folder.unlink()
            self.folder.mkdir(parents=True, exist_ok=True)
            for name in sorted(self._changed):
                dump_pickle(self.folder / name, {"version": self.version, "texts": self._shards[name]})
        self._changed.clear()


#: the code that makes the rows: kept rows made by another version of it are made again
ROWS_CODE = digest([Path(file).read_bytes()
                    for file in (__file__, markup.__file__, core_dates.__file__, base.__file__)])
