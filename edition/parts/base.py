"""What every generated part of a page shares: the part itself (:class:`Part`), the page it is written into
(:class:`Page`: addresses of other pages from it), and what the parts' inputs are computed from
(:class:`Inputs`, once per build)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sphinx.errors import NoUri

from ..core import markup
from ..core.markup import Tag
from ..domain import EditionDomain, EntryRecord
from ..project import Edition

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from ..nodes import placeholder

#: where a mention or a date is, in words (the context the translator gave it)
CONTEXT_LABELS = {"text": "", "note": "in an editorial note", "reader": "in a reader's annotation",
                  "header": "in the metadata", "register": "in a register entry",
                  "sent": "in the letter's sending (metadata)", "received": "in the letter's receipt (metadata)",
                  "correspondence": "in the letter's correspondence (metadata)"}


def digest(value: Any) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()


class Inputs:
    """What the parts of the pages depend on, computed at most once per build (``env-get-updated``)."""

    def __init__(self, domain: EditionDomain, edition: Edition, files: list[tuple[str, tuple[int, int]]],
                 builder: Builder | None = None) -> None:
        self.domain = domain
        self.edition = edition
        #: the builder the pages are written by (a part may show itself differently to each)
        self.builder = builder
        #: the edition's files (path, signature): what the downloads show
        self.files = files
        self.order = [text.docname for text in edition.texts]
        self.position = {docname: index for index, docname in enumerate(self.order)}
        self.title = {docname: domain.text_title(docname) for docname in self.order}
        self._entry_digests: dict[str, str] | None = None
        self._index_rows: dict[str, str] | None = None
        self._texts: list[tuple] | None = None

    def entry_digest(self, docname: str) -> str:
        """What the page of an entry shows of the edition: its record and every mention of it (with the
        title of its text). Only entries whose texts or record were read again in this build can change."""
        if self._entry_digests is None:
            self._entry_digests = self._per_entry(
                self.domain.entry_digests(), lambda ident, entry: entry.docname,
                lambda ident, entry: digest([entry, self.domain.mentions_fingerprint(ident)]))
            self.domain.note_entry_digests(self._entry_digests)
        return self._entry_digests.get(docname, "")

    def index_row(self, ident: str) -> str:
        """What the index of an entry's kind shows of it: its record, how often the texts name it and the forms
        they give it (not the words around each mention, which its own page shows). As for
        :meth:`entry_digest`, only the entries whose texts or record were read again are looked at again:
        each build of the Escher letters spent 0.2 s making the rows of all 10,000 entries anew."""
        if self._index_rows is None:
            self._index_rows = self._per_entry(
                self.domain.index_rows(), lambda ident, entry: ident,
                lambda ident, entry: digest([entry, self.domain.mention_count(ident),
                                             sorted(self.domain.forms_of(ident))]))
            self.domain.note_index_rows(self._index_rows)
        return self._index_rows.get(ident, "")

    def _per_entry(self, kept: Mapping[str, str], key: Callable[[str, EntryRecord], str],
                   make: Callable[[str, EntryRecord], str]) -> dict[str, str]:
        """For each entry, under ``key(ident, entry)``: what ``kept`` holds of it from a build before, or
        ``make(ident, entry)`` where ``kept`` has nothing or where the entry's texts or record were read again
        in this build (the domain's touched entries)."""
        touched = self.domain.touched_entries
        found: dict[str, str] = {}
        for ident, entry in self.domain.all_entries().items():
            name = key(ident, entry)
            found[name] = make(ident, entry) if ident in touched or name not in kept else kept[name]
        return found

    @property
    def texts(self) -> list[tuple]:
        """Each text in the edition's order: its page, title and numbers of names and dates."""
        if self._texts is None:
            self._texts = [(d, self.domain.text_title(d) or None, *self.domain.counts(d)) for d in self.order]
        return self._texts


class Page:
    """The page a part is written into: addresses of other pages from it, as the builder writes them."""

    def __init__(self, builder: Builder, docname: str) -> None:
        self.builder = builder
        self.env = builder.env
        self.docname = docname
        self.domain: EditionDomain = builder.env.domains["tei"]  # type: ignore[assignment]
        self._uris: dict[str, str | None] = {}

    def uri(self, docname: str, anchor: str = "") -> str | None:
        """The address of ``docname#anchor`` from this page (``#anchor`` on the page itself); ``None`` when
        the builder has no address for it (LaTeX: a page that is not part of the document)."""
        if docname == self.docname:
            return f"#{anchor}" if anchor else ""
        if docname not in self._uris:
            try:
                self._uris[docname] = self.builder.get_relative_uri(self.docname, docname)
            except NoUri:
                self._uris[docname] = None
        uri = self._uris[docname]
        return None if uri is None else uri + (f"#{anchor}" if anchor else "")

    def link(self, docname: str, anchor: str, *children: markup.Content, title: str = "") -> Tag:
        uri = self.uri(docname, anchor)
        return Tag("span", *children) if uri is None else markup.link(uri, *children, title=title)

    def text_title(self, docname: str) -> str:
        return self.domain.text_title(docname, docname)


class Part:
    """A part of a page computed from the whole edition when the page is written.

    ``kind`` names its placeholder; ``directive`` (if any) puts it on a hand-written page; ``inputs``
    says what it shows of the edition (the page is written again when that changes: its fingerprint is
    derived from the inputs of its parts); ``render`` makes it, as light markup.
    """

    kind: str = ""
    directive: str = ""
    #: whether the search indexes its words (the name forms: a spelling finds its entry)
    searched: bool = False

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        raise NotImplementedError

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        raise NotImplementedError
