"""The ``tei`` Sphinx domain: register entries, mentions and dates of the edition.

All cross-document state lives in the domain data, keyed by the document it came
from, so that :meth:`EditionDomain.clear_doc` and :meth:`EditionDomain.merge_domaindata`
keep incremental and parallel builds identical to a clean build.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .core.dates import sort_key, start_year, years_of
from .core.kinds import LIBRARY_KINDS, PERSON, EntryKind, Kinds
from .core.model import LIBRARY_MODEL, ProcessingModel
from .core.render import DateMention, Mention, corrected_dates
from .core.xmlparse import Problem
from .forklocal import ForkLocalDict
from .publish.facsimiles import FacsimileRecord

if TYPE_CHECKING:
    from .project import Edition, Loaded


T = TypeVar("T", Mention, DateMention)


class Packed(Sequence[T]):
    """The mentions (or dates) of one text, pickled with the environment as one compressed string: as
    objects they were two thirds of its pickle (22 MB at 500 texts) and of the time to load and save it, on
    every build, while a build reads them only for the pages that list them. Unpacked when first read."""

    __slots__ = ("_count", "_items", "_kind", "_packed")

    def __init__(self, kind: type[T], packed: bytes, count: int, items: tuple[T, ...] | None = None) -> None:
        self._kind, self._packed, self._count, self._items = kind, packed, count, items

    @classmethod
    def of(cls, kind: type[T], items: Iterable[T]) -> Packed[T]:
        """``items`` (their fields in order: their ``__init__``'s arguments), packed."""
        items = tuple(items)
        fields = json.dumps([list(vars(item).values()) for item in items], ensure_ascii=False,
                            separators=(",", ":"))
        return cls(kind, zlib.compress(fields.encode("utf-8"), 1), len(items), items)

    def _unpacked(self) -> tuple[T, ...]:
        if self._items is None:
            self._items = tuple(self._kind(*fields) for fields in json.loads(zlib.decompress(self._packed)))
        return self._items

    def __reduce__(self) -> tuple:
        return (type(self), (self._kind, self._packed, self._count))

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return iter(self._unpacked())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._unpacked()[index]


class EntryRole(XRefRole):
    """``{person}`stalin```, ``{place}`moscow``` (also ``{tei:person}``…): a link to an entry's page."""

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # registered as ``person`` and as ``tei:person``: always the ``tei`` domain
        self.refdomain, self.reftype = "tei", self.name.rpartition(":")[2]
        self.classes = ["xref", self.refdomain, f"{self.refdomain}-{self.reftype}"]
        return self.create_non_xref_node() if self.disabled else self.create_xref_node()

    def process_link(self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool,
                     title: str, target: str) -> tuple[str, str]:
        target = target.lstrip("#")
        refnode["refwarn"] = True
        return title, target


def _initial(sort_key: str) -> str:
    first = unicodedata.normalize("NFKD", sort_key[:1]).encode("ascii", "ignore").decode() or sort_key[:1]
    return first.upper() if first.isalpha() else "#"


def mentions_label(count: int) -> str:
    """``1 mention``, ``35 mentions``."""
    return f"{count} mention" + ("" if count == 1 else "s")


class EntryIndex(Index):
    """All entries of one kind (persons by surname, places…), with their number of mentions."""

    kind: EntryKind = PERSON

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: EditionDomain = self.domain  # type: ignore[assignment]
        content = []
        for letter, entries in domain.entries_by_initial(self.kind.name):
            found = [
                IndexEntry(entry.sort_key, 0, entry.docname, self.kind.anchor(eid),
                           mentions_label(domain.mention_count(eid)),
                           "", "; ".join(part for part in (entry.lifespan, entry.description) if part))
                for eid, entry in entries
                if docnames is None or entry.docname in docnames
            ]
            if found:
                content.append((letter, found))
        return content, False


def _dangling(kind: EntryKind) -> str:
    """The message for a role naming no entry of the kind (``{person}`x```)."""
    return f"unknown {kind.singular} %(target)r: no {kind.singular} with this xml:id in the registers"


def _index_class(kind: EntryKind) -> type[EntryIndex]:
    """The domain index of a kind (``tei-persons.html``, ``tei-places.html``…)."""
    attributes = {"kind": kind, "name": kind.folder, "localname": kind.index_title, "shortname": kind.plural,
                  "__doc__": f"All {kind.plural} of the registers, with their number of mentions."}
    return type(f"{kind.name.capitalize()}Index", (EntryIndex,), attributes)


@dataclass(frozen=True)
class EntryRecord:
    """What the domain knows of a register entry: its page, and what links, indexes and its page show of it."""

    docname: str
    kind: str
    name: str
    sort_key: str
    lifespan: str = ""
    description: str = ""
    #: the name forms the register lists besides the name
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextRecord:
    """What the domain knows of a text: its title (as the page has it), its file and its authors."""

    title: str
    path: str
    authors: tuple[str, ...] = ()
    #: the language of its text (``xml:lang``; the edition's when it says none)
    language: str = ""


class EditionDomain(Domain):
    """Entries of the registers, the texts that mention them, and the dates of the texts."""

    name = "tei"
    label = "TEI edition"
    data_version = 9  # 2: typed records (EntryRecord, TextRecord); 3: mentions from edition.core.render; 4: problems
    # with their kind; 5: the texts' page images; 6: the mentions and dates of a text packed; 7: what each text names;
    # 8: and the forms it gives them; 9: the years of its dates
    #: the library's kinds of entry; an edition's own are added by :meth:`add_kinds`
    object_types = {kind.name: ObjType(kind.singular, kind.name) for kind in LIBRARY_KINDS}
    roles = {kind.name: EntryRole() for kind in LIBRARY_KINDS}
    indices = [_index_class(kind) for kind in LIBRARY_KINDS]
    dangling_warnings = {kind.name: _dangling(kind) for kind in LIBRARY_KINDS}
    initial_data: dict[str, Any] = {
        "entries": {},  # entry id -> EntryRecord
        "texts": {},  # docname -> TextRecord
        "mentions": {},  # docname -> Packed[Mention]
        "named": {},  # docname -> {entry id: Named}: how often the text names it, a fingerprint of how, its forms
        "dates": {},  # docname -> Packed[DateMention]
        "pages": {},  # docname -> kind of computed page content ("chronology", "person-index")
        "written": {},  # page docname -> fingerprint of the computed content last written (edition.parts)
        "entry_digests": {},  # entry page docname -> what it shows of the edition, as last computed
        "index_rows": {},  # entry id -> what the index of its kind shows of it, as last computed
        "problems": {},  # docname -> [Problem] found in its TEI, replayed when the page is not re-read
        "pointers": {},  # docname -> ids its names point at (resolved or not)
        "unidentified": {},  # docname -> [Mention] of names with no pointer
        "register": {},  # entry id -> what the texts show of it, as of the last build
        "dated": {},  # docname -> fingerprint of its dates (what the chronology shows of it)
        "dated_years": {},  # docname -> {year or None: (its dates, fingerprint of what the chronology shows)}
        "years": {},  # docname -> the years its dates fall in, in order (what the search filters by)
        "book": {},  # index page -> the pages its hidden toctree listed for a builder that makes one document
        "facsimiles": {},  # docname -> FacsimileRecord: its page images and manifest (texts with images only)
    }
    #: the data kept per document (purged and merged by docname)
    PER_DOCUMENT = ("texts", "mentions", "named", "dates", "pages", "problems", "pointers", "unidentified", "dated",
                    "dated_years", "years", "facsimiles")

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        for key, value in self.data.items():  # a reading process sends back only what it read (edition.forklocal)
            if type(value) is dict:
                self.data[key] = ForkLocalDict(value)
        #: the edition this build publishes, read at ``builder-inited`` (not pickled with the environment)
        self.edition: Edition | None = None
        #: the processing model: the edition's rules (``edition_model``), then the library's
        self.model: ProcessingModel = LIBRARY_MODEL
        #: the documents this build reads
        self.reading: set[str] = set()
        #: entry id -> the texts that name it, in document order (from ``named``: no mentions unpacked)
        self._naming: dict[str, list[str]] | None = None
        #: docname -> its mentions by entry, for the texts whose mentions a page of this build listed
        self._grouped: dict[str, dict[str, list[Mention]]] = {}
        self._entry_pages: dict[str, list[str]] | None = None
        #: entries whose page may change in this build: their record or their mentions were read again
        self._touched: set[str] = set()
        #: whether this build's builder makes one document from the toctree (see :mod:`edition.book`)
        self.assembling = False
        #: what the last build read of the edition and the stubs it wrote (for the next build of this application)
        self.loaded: Loaded | None = None
        self.stubs: dict[str, str] | None = None

    def _replace_table(self, key: str, values: dict[str, Any]) -> None:
        """Put ``values`` in the place of the table ``key`` of the domain's data: as a :class:`ForkLocalDict`,
        as every table is, so that a reading process sends back only what it set."""
        self.data[key] = ForkLocalDict(values)

    def begin_build(self) -> None:
        """Forget what the build before noted for itself only (an application may build several times: the
        watch mode keeps one alive)."""
        self.reading = set()
        self._touched = set()
        self._naming = self._entry_pages = None
        self._grouped = {}

    def add_kinds(self, kinds: Kinds) -> None:
        """The edition's own kinds of entry (``edition_kinds``): their object type, role (``{tei:event}``),
        index (``tei-events.html``) and message for a missing entry."""
        self.dangling_warnings = dict(self.dangling_warnings)
        for kind in kinds:
            if any(getattr(index, "kind", None) == kind for index in self.indices):
                continue  # a library kind, as the library has it
            self.add_object_type(kind.name, ObjType(kind.singular, kind.name))
            self.roles[kind.name] = EntryRole()
            self.indices = [index for index in self.indices if getattr(index, "kind", None) is None
                            or index.kind.name != kind.name] + [_index_class(kind)]
            self.dangling_warnings[kind.name] = _dangling(kind)

    # -- recording (during reading) ---------------------------------------------------
    def note_entry(self, docname: str, ident: str, *, kind: str, name: str, sort_key: str, lifespan: str = "",
                   description: str = "", variants: Iterable[str] = ()) -> None:
        before = self.data["entries"].get(ident)
        self.data["entries"][ident] = EntryRecord(docname, kind, name, sort_key, lifespan, description,
                                                  tuple(variants))
        self._touched.add(ident)
        if self._entry_pages is not None:  # kept up to date, not made again for each page read (n² in a build)
            if before is not None and ident in self._entry_pages.get(before.docname, ()):
                self._entry_pages[before.docname].remove(ident)
            self._entry_pages[docname].append(ident)

    def note_text(self, docname: str, title: str, path: str, mentions: list[Mention],
                  dates: list[DateMention], authors: list[str] = (), language: str = "") -> None:
        self.data["texts"][docname] = TextRecord(title, path, tuple(authors), language)
        self.data["mentions"][docname] = Packed.of(Mention, mentions)
        self.data["named"][docname] = _named(title, mentions)
        self.data["dates"][docname] = Packed.of(DateMention, dates)
        self.data["dated"][docname] = _digest([title, [vars(date) for date in dates]])  # the chronology shows both
        self.data["dated_years"][docname] = _year_digests(title, dates)
        self.data["years"][docname] = years_of(dates)  # not unpacked from its dates by every build
        self._touched.update(mention.entry for mention in mentions)
        self._forget_mentions_of(docname)

    def note_facsimile(self, record: FacsimileRecord) -> None:
        """The page images of a text with images, and its manifest (published when the build finishes)."""
        self.data["facsimiles"][record.docname] = record

    def facsimiles(self) -> list[FacsimileRecord]:
        """The texts' page images and manifests, in page order."""
        return [self.data["facsimiles"][docname] for docname in sorted(self.data["facsimiles"])]

    def note_problem(self, docname: str, problem: Problem) -> None:
        self.data["problems"].setdefault(docname, []).append(problem)

    def note_unidentified(self, docname: str, names: list[Mention]) -> None:
        if names:
            self.data["unidentified"][docname] = names

    def unidentified_names(self, kind: str) -> list[tuple[str, Mention]]:
        """Names of this kind that no register identifies, by name form, then in text order."""
        found = [(d, m) for d in sorted(self.data["unidentified"]) for m in self.data["unidentified"][d]
                 if m.kind == kind]
        return sorted(found, key=lambda item: item[1].form.casefold())

    def note_pointers(self, docname: str, idents: set[str]) -> None:
        self.data["pointers"][docname] = sorted(idents)

    def pointed_by_texts(self) -> set[str]:
        """Everything the texts point at or depend on (entries, other texts, ``image:`` files)."""
        return {name for names in self.data["pointers"].values() for name in names}

    def texts_to_reread(self, fingerprints: dict[str, str]) -> list[str]:
        """Texts that point at a register entry that was added, removed or changed since the last build.

        Texts do not depend on the register files as a whole: editing one entry re-reads only the texts
        that name that entry (their links and warnings may change), not every text. ``fingerprints`` say
        what the texts show of each entry (:attr:`~edition.register.Entry.as_named`).
        """
        previous = self.data["register"]
        changed = {i for i in previous.keys() | fingerprints.keys() if previous.get(i) != fingerprints.get(i)}
        self._replace_table("register", fingerprints)
        if not changed:
            return []
        return sorted(d for d, idents in self.data["pointers"].items() if changed.intersection(idents))

    def problems_of(self, docnames: Iterable[str]) -> list[Problem]:
        """The TEI problems recorded for these pages, in page order."""
        return [item for docname in sorted(docnames) for item in self.data["problems"].get(docname, [])]

    def note_computed_page(self, docname: str, kind: str) -> None:
        self.data["pages"].setdefault(docname, set()).add(kind)

    # -- purge and merge -------------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        self._touched.update(self.data["named"].get(docname, ()))
        for key in self.PER_DOCUMENT:
            self.data[key].pop(docname, None)
        for ident in self._idents_by_page().pop(docname, []):
            self.data["entries"].pop(ident, None)
            self._touched.add(ident)
        self._forget_mentions_of(docname)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        docnames = set(docnames)
        for key in self.PER_DOCUMENT:
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = value
        for docname in docnames:
            self._touched.update(otherdata["named"].get(docname, ()))
            self._forget_mentions_of(docname)
        for ident, record in otherdata["entries"].items():
            if record.docname in docnames:
                self.data["entries"][ident] = record
                self._touched.add(ident)
        self._entry_pages = None

    # -- queries -------------------------------------------------------------------
    def mentions_of(self, ident: str) -> list[tuple[str, Mention]]:
        """Every mention of an entry, as ``(docname, mention)`` in document order: only the mentions of the
        texts that name it are unpacked (each text's once per build, grouped by entry)."""
        found: list[tuple[str, Mention]] = []
        for docname in self.texts_naming(ident):
            grouped = self._grouped.get(docname)
            if grouped is None:
                grouped = self._grouped[docname] = defaultdict(list)
                for mention in self.data["mentions"][docname]:
                    grouped[mention.entry].append(mention)
            found += [(docname, mention) for mention in grouped[ident]]
        return found

    def texts_naming(self, ident: str) -> list[str]:
        """The texts that name an entry, in document order (without unpacking their mentions)."""
        if self._naming is None:
            naming: dict[str, list[str]] = defaultdict(list)
            for docname in sorted(self.data["named"]):
                for named in self.data["named"][docname]:  # (not ``ident``: the entry asked for)
                    naming[named].append(docname)
            self._naming = dict(naming)
        return self._naming.get(ident, [])

    def mention_count(self, ident: str) -> int:
        """How many times the texts name an entry."""
        return sum(self.data["named"][docname][ident][0] for docname in self.texts_naming(ident))

    def forms_of(self, ident: str) -> set[str]:
        """The forms the texts give an entry's name (quotations left out), without unpacking their mentions."""
        return {form for docname in self.texts_naming(ident) for form in self.data["named"][docname][ident][2]}

    def mentions_fingerprint(self, ident: str) -> list[tuple[str, bytes]]:
        """What changes when a mention of the entry does (its words, its place, the title of its text): per
        text that names it, a fingerprint of how."""
        return [(docname, self.data["named"][docname][ident][1]) for docname in self.texts_naming(ident)]

    def _forget_mentions_of(self, docname: str) -> None:
        self._naming = None
        self._grouped.pop(docname, None)

    def sorted_entries(self, kind: str | None = None) -> list[tuple[str, EntryRecord]]:
        """The entries (of one kind), by sort key."""
        return sorted(((i, e) for i, e in self.data["entries"].items() if kind is None or e.kind == kind),
                      key=lambda item: (item[1].sort_key.casefold(), item[0]))

    def entries_by_initial(self, kind: str) -> list[tuple[str, list[tuple[str, EntryRecord]]]]:
        """The entries of a kind grouped by the initial of their sort key, letters in order."""
        groups: dict[str, list[tuple[str, EntryRecord]]] = defaultdict(list)
        for ident, entry in self.sorted_entries(kind):
            groups[_initial(entry.sort_key)].append((ident, entry))
        return sorted(groups.items())

    def all_dates(self) -> list[tuple[str, DateMention]]:
        """Every dated expression, in time order (then text order)."""
        found = [(docname, date) for docname in sorted(self.data["dates"]) for date in self.data["dates"][docname]]
        return sorted(found, key=time_order)

    def entry(self, ident: str) -> EntryRecord | None:
        return self.data["entries"].get(ident)

    def all_entries(self) -> dict[str, EntryRecord]:
        """Every entry, by id."""
        return self.data["entries"]

    def text(self, docname: str) -> TextRecord | None:
        return self.data["texts"].get(docname)

    def all_texts(self) -> dict[str, TextRecord]:
        """Every text, by page."""
        return self.data["texts"]

    def dates_of(self, docname: str) -> Sequence[DateMention]:
        """The dated expressions of a text, in text order."""
        return self.data["dates"].get(docname, ())

    def years_searched(self, docname: str) -> tuple[int, ...]:
        """The years a text's dates fall in (:func:`~edition.core.dates.years_of`), in order."""
        return self.data["years"].get(docname, ())

    def entries_on_page(self, docname: str) -> list[EntryRecord]:
        """The register entries a page is about (an entry page: its one entry)."""
        return [self.data["entries"][ident] for ident in self._idents_by_page().get(docname, [])]

    def _idents_by_page(self) -> dict[str, list[str]]:
        if self._entry_pages is None:
            self._entry_pages = defaultdict(list)
            for ident, record in self.data["entries"].items():
                self._entry_pages[record.docname].append(ident)
        return self._entry_pages

    def text_title(self, docname: str, default: str = "") -> str:
        text = self.data["texts"].get(docname)
        return text.title if text is not None else default

    def counts(self, docname: str) -> tuple[int, int]:
        """How many names and how many dates a text has."""
        return len(self.data["mentions"].get(docname, [])), len(self.data["dates"].get(docname, []))

    def dated(self) -> list[tuple[str, str]]:
        """Each text with the fingerprint of its dates and title (what the chronology shows of it)."""
        return sorted(self.data["dated"].items())

    def years_of_texts(self) -> dict[str, dict[int | None, tuple[int, str]]]:
        """Each text with, for each year it has dates in (``None``: dates without a year), how many, and the
        fingerprint of what the chronology's page of that year shows of it (kept packed: their dates are not
        unpacked)."""
        return self.data["dated_years"]

    def book_contents(self) -> dict[str, list[str]]:
        """What the hidden toctree of each index page listed when it was last read (see :mod:`edition.book`)."""
        return self.data.get("book", {})

    def note_book_contents(self, contents: dict[str, list[str]]) -> None:
        self._replace_table("book", contents)

    def pages_with_problems(self) -> list[str]:
        return sorted(self.data["problems"])

    def parts_of_pages(self) -> dict[str, set[str]]:
        """Each page with generated parts, and their kinds."""
        return self.data["pages"]

    def fingerprints(self) -> dict[str, str]:
        """What each page with generated parts showed when it was last written."""
        return self.data["written"]

    def note_fingerprints(self, current: dict[str, str]) -> None:
        self._replace_table("written", current)

    def entry_digests(self) -> dict[str, str]:
        """What each entry's page showed of the edition, as last computed (kept between builds)."""
        return self.data.setdefault("entry_digests", ForkLocalDict())

    def note_entry_digests(self, digests: dict[str, str]) -> None:
        self._replace_table("entry_digests", digests)

    def index_rows(self) -> dict[str, str]:
        """What the index of each entry's kind showed of it, as last computed (kept between builds)."""
        return self.data.setdefault("index_rows", ForkLocalDict())

    def note_index_rows(self, digests: dict[str, str]) -> None:
        self._replace_table("index_rows", digests)

    @property
    def touched_entries(self) -> set[str]:
        """Entries whose record or mentions were read again in this build (their pages may have changed)."""
        return self._touched

    # -- cross-references ------------------------------------------------------------
    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
                     target: str, node: pending_xref, contnode: Element) -> Element | None:
        entry = self.data["entries"].get(target)
        if entry is None or entry.kind != typ:
            return None
        title = entry.name + (f" ({entry.lifespan})" if entry.lifespan else "")
        if not node.get("refexplicit"):  # {person}`lenin` shows the standard name
            contnode = nodes.inline("", entry.name, classes=contnode.get("classes", []))
        return make_refnode(builder, fromdocname, entry.docname, "", contnode, title)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
                         node: pending_xref, contnode: Element) -> list[tuple[str, Element]]:
        entry = self.data["entries"].get(target)
        if entry is None:
            return []
        resolved = self.resolve_xref(env, fromdocname, builder, entry.kind, target, node, contnode)
        return [(f"tei:{entry.kind}", resolved)] if resolved is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for ident, entry in self.sorted_entries():
            if ident.isprintable() and not any(c.isspace() for c in ident):  # one line each in objects.inv
                yield ident, entry.name, entry.kind, entry.docname, "", 1


def time_order(dated: tuple[str, DateMention]) -> tuple:
    """The key that orders a text's date (``(docname, date)``) in time, as :meth:`EditionDomain.all_dates` does."""
    return sort_key(dated[1].start), sort_key(dated[1].end or dated[1].start)


def _year_digests(title: str, dates: list[DateMention]) -> dict[int | None, tuple[int, str]]:
    """For each year a text has dates in, how many, and what the chronology's page of that year shows of it: its
    title, its dates of that year, and the date as it was of each of them the editors corrected (a row shows it
    beside the date that corrects it, whatever its year: :func:`~edition.core.render.corrected_dates`)."""
    correcting = corrected_dates(dates)
    years: dict[int | None, list[DateMention]] = {}
    for date in dates:
        years.setdefault(start_year(date.start), []).append(date)
    return {year: (len(found), _digest([title, [vars(date) for date in found],
                                        [vars(correcting[d.anchor]) for d in found if d.anchor in correcting]]))
            for year, found in years.items()}


def _digest(value: Any) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()


#: how a text names one entry: how many times, a fingerprint of those mentions and of the text's title, and the
#: forms its names have (quotations left out), sorted: what the entry's page and its index show of the text
#: (a plain tuple, the entry's id interned: the 100,000 of a large edition are pickled with the environment)
Named = tuple[int, bytes, tuple[str, ...]]


def _named(title: str, mentions: Iterable[Mention]) -> dict[str, Named]:
    """The entries a text names, each with :data:`Named` (what an entry's page shows of the text)."""
    shown: dict[str, list[tuple]] = defaultdict(list)  # by entry: what its page shows of each mention
    forms: dict[str, set[str]] = defaultdict(set)  # by entry: the forms of its names (not of quotations)
    for m in mentions:
        shown[m.entry].append((m.anchor, m.form, m.before, m.after, m.context, m.quoted))
        if not m.quoted:
            forms[m.entry].add(sys.intern(m.form))
    return {sys.intern(ident): (len(found), hashlib.blake2b(repr([title, found]).encode(), digest_size=8).digest(),
                                tuple(sorted(forms[ident])))
            for ident, found in sorted(shown.items())}
