"""The kinds of register entry an edition publishes: persons, places, organisations, works.

One row per kind says where its entries are (``person`` in a ``listPerson``…), how its
entries and the names in the texts that point at them are written (``persName``,
``rs type="person"``…), and where its pages go. Registers, pages, indexes and the
domain are written once for all kinds; adding a kind is adding a row here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

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
                   "persons", "person", "persons", always_indexed=True)
PLACE = EntryKind("place", ("place",), ("placeName", "geogName", "name"), ("placeName", "geogName"),
                  ("place", "placeName", "location"), "places", "place", "places")
ORG = EntryKind("org", ("org",), ("orgName", "name"), ("orgName",), ("org", "orgName", "organisation", "organization",
                                                                      "institution"),
                "organisations", "organisation", "organisations")
WORK = EntryKind("work", ("bibl", "biblStruct"), ("title",), (), ("work", "bibl", "title"), "works", "work", "works",
                 parents=("listBibl",))

KINDS: tuple[EntryKind, ...] = (PERSON, PLACE, ORG, WORK)
BY_NAME = {kind.name: kind for kind in KINDS}
ENTRY_ELEMENTS = {element: kind for kind in KINDS for element in kind.elements}
_TEXT_NAMES = {element: kind for kind in KINDS for element in kind.text_names}
_RS_TYPES = {value: kind for kind in KINDS for value in kind.rs_types}
#: names whose kind comes from their ``@type`` (no type: any kind their pointer finds)
TYPED_NAMES = ("rs", "name")


def entry_kind(element: etree._Element) -> EntryKind | None:
    """The kind of a register entry (``person``, ``place`` in a ``listPlace``…), or ``None``."""
    kind = ENTRY_ELEMENTS.get(etree.QName(element).localname)
    if kind is None or not kind.parents:
        return kind
    parent = element.getparent()
    return kind if parent is not None and etree.QName(parent).localname in kind.parents else None


def name_kind(element: etree._Element) -> tuple[bool, EntryKind | None]:
    """Whether a name element names a register entry at all, and of which kind (``None``: any).

    ``persName`` names a person; ``rs type="place"`` a place; ``rs`` without a type whatever its pointer
    finds; ``rs type="event"`` nothing the edition has a register for.
    """
    local = etree.QName(element).localname
    if local in _TEXT_NAMES:
        return True, _TEXT_NAMES[local]
    if local in TYPED_NAMES:
        kind_type = (element.get("type") or "").strip()
        if not kind_type:
            return True, None
        return kind_type in _RS_TYPES, _RS_TYPES.get(kind_type)
    return False, None
