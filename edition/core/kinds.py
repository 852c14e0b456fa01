"""The kinds of register entry an edition publishes: persons, places, organisations, works, and any an
edition adds (``edition_kinds`` in ``conf.py``, read by :func:`kinds_from_config`).

One :class:`EntryKind` says where its entries are (``person`` in a ``listPerson``…), how its entries and
the names in the texts that point at them are written (``persName``, ``rs type="person"``…), and where its
pages go. Registers, pages, indexes and the domain are written once for all kinds, and read the kinds of
their edition from a :class:`Kinds`: adding a kind is adding one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields

from lxml import etree

_PAGE_NAME = re.compile(r"\w[\w.-]*")


def page_name(ident: str) -> str:
    """A file and URL name for the page of ``ident``: the id itself when it is a plain name (letters,
    digits, ``.``, ``-``, ``_``, not starting with ``.`` or ``-``, as an ``xml:id`` does), else its safe
    characters and a digest of the whole id, so that no id can name a path, a URL scheme or another
    entry's page (``../x`` and ``javascript:x`` do not leave the folder of their kind)."""
    if _PAGE_NAME.fullmatch(ident) and len(ident) <= 120:
        return ident
    readable = re.sub(r"[^\w.-]+", "-", ident)[:60].strip(".-_") or "entry"
    return f"{readable}-{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


@dataclass(frozen=True)
class EntryKind:
    """A kind of register entry and the names that point at it."""

    #: object type, role (``{place}`...```) and stub kind
    name: str
    #: register elements of this kind (with an ``xml:id``)
    elements: tuple[str, ...]
    #: the names of an entry, inside it (the first of type ``standard``/``reg``/``main``/``pref`` is its name)
    entry_names: tuple[str, ...]
    #: names in the texts that point at entries of this kind
    text_names: tuple[str, ...]
    #: values of ``rs/@type`` and ``name/@type`` meaning this kind
    rs_types: tuple[str, ...]
    #: the folder of its pages in the site
    folder: str
    singular: str
    plural: str
    #: if set, only entries whose parent is one of these elements count (``bibl`` is used everywhere)
    parents: tuple[str, ...] = ()
    #: whether the edition has an index of this kind even with no entries (names without target are listed)
    always_indexed: bool = False
    #: whether names sort by surname (``Kamenev, Lev``), from ``surname`` and ``forename``, or as written
    by_surname: bool = False
    #: entries are references (``bibl``): named by any title, described by the whole reference, with their
    #: authors and editors (instead of the places they are located in)
    bibliographic: bool = False

    @property
    def index_title(self) -> str:
        return f"Index of {self.plural}"

    def docname(self, ident: str) -> str:
        """The page of the entry ``ident`` (``persons/lenin``); ``index`` is the index page itself."""
        if ident == "index":  # the index of the kind has that name
            return f"{self.folder}/index-{hashlib.sha256(b'index').hexdigest()[:12]}"
        return f"{self.folder}/{page_name(ident)}"

    def anchor(self, ident: str) -> str:
        """The id of the entry on its page (``person-lenin``): Sphinx's index templates write it unescaped."""
        return f"{self.name}-{page_name(ident)}"

    @property
    def index_docname(self) -> str:
        return f"{self.folder}/index"


PERSON = EntryKind("person", ("person", "personGrp"), ("persName", "name"), ("persName",), ("person", "persName"),
                   "persons", "person", "persons", always_indexed=True, by_surname=True)
PLACE = EntryKind("place", ("place",), ("placeName", "geogName", "name"), ("placeName", "geogName"),
                  ("place", "placeName", "location"), "places", "place", "places")
ORG = EntryKind("org", ("org",), ("orgName", "name"), ("orgName",), ("org", "orgName", "organisation", "organization",
                                                                      "institution"),
                "organisations", "organisation", "organisations")
WORK = EntryKind("work", ("bibl", "biblStruct"), ("title",), (), ("work", "bibl", "title"), "works", "work", "works",
                 parents=("listBibl",), bibliographic=True)

#: names whose kind comes from their ``@type`` (no type: any kind their pointer finds)
TYPED_NAMES = ("rs", "name")


class Kinds:
    """The kinds of entry of an edition, in order, and what their elements and names mean."""

    def __init__(self, kinds: tuple[EntryKind, ...]) -> None:
        self.all = kinds
        self.by_name = {kind.name: kind for kind in kinds}
        self.entry_elements = {element: kind for kind in kinds for element in kind.elements}
        self._text_names = {element: kind for kind in kinds for element in kind.text_names}
        self._rs_types = {value: kind for kind in kinds for value in kind.rs_types}
        #: the kind of a name without a type (``name``, ``rs``) and without a pointer: persons, else the first
        self.default = self.by_name.get("person", kinds[0])
        #: what a file with register entries (or an ``xi:include`` of them) must contain: an entry element's
        #: start tag (``<place>``, not ``<placeName>``) or, for works, the ``listBibl`` they must be in
        self.entry_marker = re.compile(rb"[<:](?:%s)[\s/>]|include" % b"|".join(
            sorted({re.escape(name.encode()) for kind in kinds for name in (kind.parents or kind.elements)})))

    def __iter__(self):
        return iter(self.all)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Kinds) and other.all == self.all

    def __hash__(self) -> int:
        return hash(self.all)

    def __reduce__(self) -> tuple:
        return (Kinds, (self.all,))

    def entry_kind(self, element: etree._Element) -> EntryKind | None:
        """The kind of a register entry (``person``, ``place`` in a ``listPlace``…), or ``None``."""
        kind = self.entry_elements.get(etree.QName(element).localname)
        if kind is None or not kind.parents:
            return kind
        parent = element.getparent()
        return kind if parent is not None and etree.QName(parent).localname in kind.parents else None

    def name_kind(self, element: etree._Element) -> tuple[bool, EntryKind | None]:
        """Whether a name element names a register entry at all, and of which kind (``None``: any).

        ``persName`` names a person; ``rs type="place"`` a place; ``rs`` without a type whatever its pointer
        finds; ``rs type="event"`` nothing, unless the edition has a kind of entry for events.
        """
        local = etree.QName(element).localname
        if local in self._text_names:
            return True, self._text_names[local]
        if local == "title":  # a title with a pointer names a work (the kind of bibliographic entries)
            return True, next((kind for kind in self.all if kind.bibliographic), None)
        if local in TYPED_NAMES:
            kind_type = (element.get("type") or "").strip()
            if not kind_type:
                return True, None
            return kind_type in self._rs_types, self._rs_types.get(kind_type)
        return False, None


#: the kinds of the library: an edition's own come after them (``edition_kinds``)
LIBRARY_KINDS = Kinds((PERSON, PLACE, ORG, WORK))


class KindError(ValueError):
    """A kind of entry in ``conf.py`` that cannot be used; the message shows it."""


_REQUIRED = ("name", "elements", "folder")
_LISTS = ("elements", "entry_names", "text_names", "rs_types", "parents")
_WORDS = ("name", "folder", "singular", "plural")
_FLAGS = ("always_indexed", "by_surname", "bibliographic")
_FIELDS = {f.name for f in fields(EntryKind)}
#: names a kind may not take: the toolkit's pages and Sphinx's and docutils' own roles
RESERVED_NAMES = frozenset({
    "text", "index", "doc", "ref", "any", "term", "numref", "download", "keyword", "option", "envvar", "token",
    "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar", "manpage", "menuselection",
    "mimetype", "newsgroup", "program", "regexp", "samp", "pep", "rfc", "math", "eq", "code", "emphasis",
    "strong", "literal", "sub", "sup", "subscript", "superscript", "title", "raw", "chronology",
})


def _kind(value: object) -> EntryKind:
    """One kind of ``edition_kinds``, checked field by field."""
    shown = f"edition_kinds: {value!r}"
    if not isinstance(value, dict):
        raise KindError(f"{shown}: each kind is a dict of name, elements, folder…")
    unknown = set(value) - _FIELDS
    if unknown:
        raise KindError(f"{shown}: unknown field(s) {', '.join(sorted(unknown))}; "
                        f"the fields are {', '.join(sorted(_FIELDS))}")
    missing = [key for key in _REQUIRED if key not in value]
    if missing:
        raise KindError(f"{shown}: {', '.join(missing)} missing")
    given = dict(value)
    for key in _LISTS:
        items = given.get(key, ())
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i.isidentifier() for i in items):
            raise KindError(f"{shown}: {key} is a list of element names (or @type values), such as ['event']")
        given[key] = tuple(items)
    for key in _WORDS:
        if key in given and not (isinstance(given[key], str) and given[key].strip()):
            raise KindError(f"{shown}: {key} is a word")
    for key in _FLAGS:
        if key in given and not isinstance(given[key], bool):
            raise KindError(f"{shown}: {key} is True or False")
    name, folder = given["name"], given["folder"]
    if not (name.isidentifier() and name.isascii()) or name in RESERVED_NAMES:
        raise KindError(f"{shown}: the name is a plain word that is not a role of Sphinx or a page of the toolkit "
                        f"(it names the role {{{name}}} and the index {name}-index)")
    if not _PAGE_NAME.fullmatch(folder) or folder in ("texts", "_build", "_static", "_templates"):
        raise KindError(f"{shown}: the folder is a plain name, and not 'texts' or one of Sphinx's")
    if not given["elements"]:
        raise KindError(f"{shown}: elements lists the register's elements (e.g. ['event'])")
    given.setdefault("entry_names", ("name",))
    given.setdefault("rs_types", (name,))
    given.setdefault("singular", name)
    given.setdefault("plural", folder)
    return EntryKind(**given)


def kinds_from_config(values: list[dict]) -> Kinds:
    """The library's kinds and an edition's own (``edition_kinds``: dicts of :class:`EntryKind`'s fields;
    ``name``, ``elements`` and ``folder`` are required; ``singular`` defaults to the name, ``plural`` to the
    folder, ``rs_types`` to the name, ``entry_names`` to ``name``). A kind with a library kind's name takes
    its place. Two kinds may not share a folder, an element, a name of the texts or a type."""
    if not isinstance(values, list | tuple):
        raise KindError(f"edition_kinds: {values!r}: a list of kinds (dicts)")
    kinds = {kind.name: kind for kind in LIBRARY_KINDS}
    for value in values:
        kind = _kind(value)
        kinds[kind.name] = kind
    for label, of in (("folder", lambda k: (k.folder,)), ("register element", lambda k: k.elements),
                      ("name in the texts", lambda k: k.text_names), ("type", lambda k: k.rs_types)):
        owners: dict[str, str] = {}
        for kind in kinds.values():
            for item in of(kind):
                if owners.setdefault(item, kind.name) != kind.name:
                    raise KindError(f"edition_kinds: the kinds {owners[item]!r} and {kind.name!r} both have the "
                                    f"{label} {item!r}")
    return Kinds(tuple(kinds.values()))
