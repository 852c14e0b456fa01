"""Registers: loading their entries (persons, places, organisations, works) and resolving ``@ref``s to them."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from .authorities import AUTHORITIES, Authority, authority, key_authority
from .dates import ISO_DATE, date_range, is_valid_iso, readable_date, year_of
from .kinds import LIBRARY_KINDS, EntryKind, Kinds
from .markup import DOC_LINK, Content, Tag
from .pointers import SAFE_SCHEMES, Prefixes, expand_prefix, pointed_file, prefix_definitions, split_pointer, uri_scheme
from .xinclude import load_tei
from .xmlparse import XML_ID, Problem, XMLError, element_position, normalize_space, plain_text, tei

#: URL templates for the authority files an ``idno/@type`` may name.
#: what a ``@key`` is compared with, in order, unless an edition says otherwise (``edition_key_match``)
KEY_MATCH = ("xml:id", "n", "idno")


def key_match_from_config(value: object) -> tuple[str, ...]:
    """``edition_key_match`` checked: a list of ``xml:id``, ``n`` and ``idno``."""
    if not isinstance(value, list | tuple) or not all(item in KEY_MATCH for item in value):
        raise ValueError(f"edition_key_match: {value!r}: a list of {', '.join(map(repr, KEY_MATCH))}, in the order "
                         "a @key is compared with them")
    return tuple(value)


@dataclass(frozen=True)
class LifeDate:
    """A date of birth or death: the register's wording and its ISO value."""

    text: str
    when: str


@dataclass(frozen=True)
class Named:
    """A place an entry is located in, or the author of a work: a name, linked when it is an entry too."""

    label: str
    target: str = ""  # xml:id of the register entry it names, if any


#: the ``@type``s of the ``note`` that describes an entry (the first is its description)
DESCRIPTIONS = (None, "description", "bio")


@dataclass(frozen=True)
class Entry:
    """One entry of a register: a person, place, organisation or work."""

    kind: str
    id: str
    name: str
    sort_key: str
    variants: tuple[str, ...]
    birth: LifeDate | None
    death: LifeDate | None
    description: str
    authorities: tuple[Authority, ...]
    path: str
    line: int
    fingerprint: str
    #: its page (``persons/lenin``)
    docname: str
    #: what a ``@key`` may name it by besides its ``xml:id``: (``n`` or ``idno``, value)
    keys: tuple[tuple[str, str], ...] = ()
    #: the places a place or organisation is in; the authors and editors of a work
    located: tuple[Named, ...] = ()
    #: latitude and longitude, from ``location/geo``
    geo: tuple[float, float] | None = None

    @property
    def lifespan(self) -> str:
        """``1870–1924``, ``born 1925`` or ``""``, for indexes."""
        birth = year_of(self.birth.when) if self.birth and self.birth.when else ""
        death = year_of(self.death.when) if self.death and self.death.when else ""
        if birth and death:
            return f"{birth}–{death}"
        if birth:
            return f"born {birth}"
        if death:
            return f"died {death}"
        return ""

    @property
    def as_named(self) -> str:
        """What a text that names the entry shows of it: its kind (the page its names link to, the checks of
        their pointers), name and dates (the title of the links). Other changes concern the entry's page only."""
        return f"{self.kind}|{self.name}|{self.lifespan}"


@dataclass
class Registry:
    """All register entries of an edition, with the means to resolve references to them."""

    #: the kinds of entry of the edition
    kinds: Kinds = LIBRARY_KINDS
    #: what a ``@key`` is compared with, in order (``edition_key_match``): ``xml:id``, ``n``, ``idno``
    key_match: tuple[str, ...] = KEY_MATCH
    entries: dict[str, Entry] = field(default_factory=dict)
    #: (resolved file path, xml:id) -> the entry an element with that id in that file stands for: its own,
    #: or, for a copy of an entry in another file (letters that each carry the entries they name), the first
    by_file: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (resolved file path, xml:id) -> local name of the element with that id, for register files
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    #: what the texts' names and quotations may point at (see :func:`named_in`)
    named: set[str] = field(default_factory=set)
    #: the entries that get a page: those the texts mention or hold themselves (``None``: every entry;
    #: ``edition_unmentioned``)
    published: frozenset[str] | None = None
    #: the entries a text holds itself (in its header, ``back``, ``standOff``…), not a register file
    in_texts: set[str] = field(default_factory=set)
    _keys: dict[tuple[str, str], str] | None = field(default=None, repr=False, compare=False)
    #: the kinds of the entries, once known (every text rendered asks)
    _present: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def count(self, kind: str) -> int:
        """How many entries of the kind ``kind`` the registers have, published or not."""
        return sum(1 for entry in self.entries.values() if entry.kind == kind)

    def mentioned(self, entry: Entry) -> bool:
        """Whether a text may name ``entry``: by its id, or by a key of it (see :func:`named_in`)."""
        return entry.id in self.named or any(value in self.named for name, value in entry.keys
                                             if name in self.key_match)

    def publish_mentioned(self) -> None:
        """Give pages only to the entries the texts mention, and those a text holds itself; the others stay in
        the register files (a large database's registers hold thousands no text of the edition names)."""
        self.published = frozenset(ident for ident, entry in self.entries.items()
                                   if ident in self.in_texts or self.mentioned(entry))

    def is_published(self, ident: str) -> bool:
        """Whether the entry ``ident`` has a page."""
        return ident in self.entries and (self.published is None or ident in self.published)

    def indexed_kinds(self) -> list[EntryKind]:
        """The kinds the edition has an index of: those the registers have entries of (published or not: an
        index stays when the last name of its kind goes from the texts), and persons (a kind ``always_indexed``)
        when a text has names of persons, which are listed there even when no register identifies them."""
        if self._present is None:
            self._present = frozenset(entry.kind for entry in self.entries.values())
        present = self._present
        return [kind for kind in self.kinds
                if kind.name in present or (kind.always_indexed and names_of(kind) in self.named)]

    def add_file(self, tree: etree._ElementTree, path: Path) -> None:
        """Take the register entries (and the ids, for messages) of a parsed TEI file."""
        self.add(file_entries(tree, path, self.kinds))

    def add(self, part: FileEntries) -> None:
        """Take what one file holds, after the files added before it (the first entry of an id wins)."""
        self.problems.extend(part.problems)
        self.named |= part.named
        if not part.read:
            return
        self.files.add(part.resolved)
        for ident, name in part.ids.items():
            self.ids.setdefault((part.resolved, ident), name)
        self._keys = self._present = None
        for entry, column in part.entries:
            first = self.entries.get(entry.id)
            if first is None:
                self.entries[entry.id] = entry
            elif first.path == entry.path:
                self._duplicate(part, entry, column, f"duplicate register id {entry.id!r}; first defined at "
                                                     f"{first.path}:{first.line}")
            elif (first.kind, first.name) != (entry.kind, entry.name):  # not a copy of the same entry
                singular = {kind.name: kind.singular for kind in self.kinds}
                self._duplicate(part, entry, column, f"register id {entry.id!r} is also the id of the "
                                                     f"{singular[first.kind]} {first.name!r} at {first.path}:"
                                                     f"{first.line}, where pointers to it lead; give this "
                                                     f"{singular[entry.kind]} another xml:id")
            self.by_file.setdefault((part.resolved, entry.id), entry.id)
            if not part.register:
                self.in_texts.add(entry.id)

    def resolve_key(self, key: str, kind: EntryKind | None = None) -> tuple[Entry | None, Authority | None]:
        """The entry a ``@key`` names (one value, not a list: "an externally-defined means of identifying the
        entity"), by what :attr:`key_match` says; else the authority record it names (``tgn,7021127``); else
        neither: a key of a database the edition does not have, which is no fault."""
        key = normalize_space(key)
        for field_name in self.key_match:
            if field_name == "xml:id":
                entry = self.entries.get(key)
            else:
                entry = self.entries.get(self._by_key().get((field_name, key), ""))
            if entry is not None and (kind is None or entry.kind == kind.name):
                return entry, None
        return None, key_authority(key)

    def _by_key(self) -> dict[tuple[str, str], str]:
        if self._keys is None:
            self._keys = {}
            for entry in self.entries.values():
                for pair in entry.keys:
                    self._keys.setdefault(pair, entry.id)
        return self._keys

    def fingerprints(self) -> dict[str, str]:
        """What the texts show of each entry (:attr:`Entry.as_named`), by the ids and keys they may name it by:
        a text is read again when what one of its pointers or keys finds changes."""
        found = {ident: entry.as_named for ident, entry in self.entries.items()}
        for (field_name, value), ident in self._by_key().items():
            if field_name in self.key_match:
                found[f"key:{value}"] = f"{ident}|{self.entries[ident].as_named}"
        return found

    def _duplicate(self, part: FileEntries, entry: Entry, column: int, message: str) -> None:
        self.problems.append(Problem(part.path, entry.line, column, message, "warning", "id"))

    def resolve(self, token: str, base: str, kind: EntryKind | None = None,
                prefixes: Prefixes | None = None) -> tuple[Entry | None, str | None]:
        """Resolve one pointer of a ``@ref`` in the file ``base`` to an entry (of ``kind``, if given).

        Returns the entry, or ``None`` and a message saying why not (``None`` for
        both when the pointer is an external URI, which is not an error).
        """
        token, problem = expand_prefix(token, prefixes or {})
        if problem:
            return None, problem
        scheme = uri_scheme(token)
        if scheme:
            return None, None if scheme in SAFE_SCHEMES else f"unsupported URI scheme in {token!r}"
        local = split_pointer(token)
        if local is not None:
            ident, target = local[1], pointed_file(base, local[0])
        else:  # a bare id, as in @key
            ident, target = token, None
        if not ident:
            return None, f"empty pointer {token!r}"
        wanted = f"<{kind.elements[0]}>" if kind else "register entry"
        entry = self.entries.get(ident if target is None else self.by_file.get((target, ident), ""))
        if entry is not None:
            if kind is not None and entry.kind != kind.name:
                return None, f"{token!r} points to a <{self.ids[(entry.path, ident)]}>, not to a {wanted}"
            return entry, None
        if target is not None and target not in self.files:
            return None, (
                f"{token!r} points into {Path(target).name}, which is not a register of this edition; "
                "add the file to edition_registers (or --register)"
            )
        element = self.ids.get((target, ident)) if target else None
        if element is not None:
            return None, f"{token!r} points to a <{element}>, not to a {wanted}"
        candidates = [e.id for e in self.entries.values() if kind is None or e.kind == kind.name]
        named = kind.singular if kind else "register entry"
        return None, f"{token!r}: no {named} with xml:id {ident!r} in the registers{_suggest(ident, candidates)}"


def _suggest(ident: str, candidates: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ident, candidates, n=1, cutoff=0.7)
    return f"; did you mean #{close[0]}?" if close else ""


def _fingerprint(element: etree._Element) -> str:
    return hashlib.sha1(etree.tostring(element, method="c14n")).hexdigest()[:16]


def _life_date(element: etree._Element | None) -> LifeDate | None:
    if element is None:
        return None
    when, _ = date_range(element)
    valid = when if ISO_DATE.match(when) and is_valid_iso(when) else ""
    return LifeDate(plain_text(element) or (readable_date(valid) if valid else when), valid)


def _name_parts(persname: etree._Element) -> tuple[str, str]:
    """The display name and the sort key of a ``persName``: ``Surname, Forenames``; a name marked up with a
    forename but no surname (``Jesus`` with the epithet ``Christ``) sorts as written, under its forename;
    a name without markup under its last word."""
    name = plain_text(persname)
    surnames = [plain_text(s) for s in persname.iter(tei("surname"))]
    forenames = [plain_text(f) for f in persname.iter(tei("forename"))]
    if surnames:
        key = " ".join(surnames) + (", " + " ".join(forenames) if forenames else "")
    elif forenames:
        key = name
    else:
        words = name.split()
        key = f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name
    return name, key


def _authorities(entry: etree._Element) -> tuple[Authority, ...]:
    """Authority records of an entry: ``idno`` with a known ``@type`` (or ``@subtype``), or a web address."""
    found = []
    for idno in entry.findall(tei("idno")):
        kind = (idno.get("type") or "").lower()
        if kind in ("url", "uri") and idno.get("subtype"):
            kind = idno.get("subtype", "").lower()
        value = normalize_space(idno.text or "")
        if not value:
            continue
        known = authority(kind, value) if not urlsplit(value).scheme else None
        if known is not None:
            found.append(known)
        elif urlsplit(value).scheme in SAFE_SCHEMES:
            label = AUTHORITIES[kind][0] if kind in AUTHORITIES else kind.upper() or "URI"
            found.append(Authority(label, value, value))
    return tuple(dict.fromkeys(found))


def _keys(entry: etree._Element) -> tuple[tuple[str, str], ...]:
    """The ``@n`` and ``idno``s of an entry, which a ``@key`` may name (``<place n="Paris (F)">``)."""
    found = [("n", normalize_space(entry.get("n") or ""))]
    found += [("idno", normalize_space(idno.text or "")) for idno in entry.findall(tei("idno"))]
    return tuple(dict.fromkeys((name, value) for name, value in found if value))


def _geo(entry: etree._Element) -> tuple[float, float] | None:
    """The coordinates of an entry's own ``location/geo`` (``48.2 16.37``; ``48,2 16,37`` too)."""
    for location in entry.findall(tei("location")):
        geo = location.find(tei("geo"))
        if geo is None or location.find(tei("placeName")) is not None:  # the coordinates of another place
            continue
        parts = normalize_space(geo.text or "").replace(", ", " ").split()
        try:
            lat, lon = (float(part.replace(",", ".")) for part in parts)
        except ValueError:
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    return None


PLACE_PARTS = ("placeName", "settlement", "district", "region", "country", "bloc", "geogName", "address")


def _named(element: etree._Element) -> Named | None:
    label = plain_text(element)
    named = next((n for n in element.iter(tei("persName"), tei("orgName"), tei("name"), tei("placeName"))
                  if n.get("ref") or n.get("key")), element)  # <author><persName ref="…">
    pointer = (element.get("ref") or element.get("key") or named.get("ref") or named.get("key") or "").split()
    return Named(label, pointer[0].rpartition("#")[2] if pointer else "") if label else None


def _located(entry: etree._Element, kind: EntryKind) -> tuple[Named, ...]:
    """The places an entry is located in (``location/placeName``, ``settlement``, ``country``…);
    for a reference (a work), its authors and editors."""
    if kind.bibliographic:
        parts = [p for p in entry.iter(tei("author"), tei("editor"))]
    else:
        parts = [p for location in entry.findall(tei("location")) for p in location
                 if isinstance(p.tag, str) and etree.QName(p).localname in PLACE_PARTS]
    return tuple(dict.fromkeys(n for n in map(_named, parts) if n is not None))


def _names(entry: etree._Element, kind: EntryKind) -> list[etree._Element]:
    names = [child for child in entry if isinstance(child.tag, str)
             and etree.QName(child).localname in kind.entry_names and plain_text(child)]
    if not names and kind.bibliographic:  # a biblStruct: its analytic or monographic title
        names = [t for t in entry.iter(tei("title")) if plain_text(t)]
    return names


def description_of(element: etree._Element) -> etree._Element | None:
    """The part of a register entry that describes it: its first ``note`` of a describing type (see
    :data:`DESCRIPTIONS`) when that has words, else its first ``desc``."""
    note = next((n for n in element.findall(tei("note")) if n.get("type") in DESCRIPTIONS), None)
    if note is not None and plain_text(note):
        return note
    return element.find(tei("desc"))


def read_entry(element: etree._Element, kind: EntryKind, path: str) -> Entry | None:
    """Build an :class:`Entry` from a register element (``person``, ``place``…) with an ``xml:id``."""
    ident = element.get(XML_ID)
    if not ident:
        return None
    names = _names(element, kind)
    standard = next((n for n in names if n.get("type") in ("standard", "reg", "main", "pref", "full")),
                    names[0] if names else None)
    if standard is None:
        name, key = ident, ident
    elif kind.by_surname:
        name, key = _name_parts(standard)
    else:
        name = key = plain_text(standard)
    forms = [plain_text(n) for n in names if n is not standard]
    variants = tuple(dict.fromkeys(f for f in forms if f and f != name and urlsplit(f).scheme not in SAFE_SCHEMES))
    described = description_of(element)
    description = plain_text(described) if described is not None else ""
    if not description and kind.bibliographic:  # a bibliography's entry: its full reference
        description = plain_text(element)
    return Entry(
        kind=kind.name,
        id=ident,
        name=name or ident,
        sort_key=key or ident,
        variants=variants,
        birth=_life_date(element.find(tei("birth"))),
        death=_life_date(element.find(tei("death"))),
        description=description,
        authorities=_authorities(element),
        path=path,
        line=element.sourceline or 1,
        fingerprint=_fingerprint(element),
        docname=kind.docname(ident),
        keys=_keys(element),
        located=tuple(n for n in _located(element, kind) if n.target != ident and n.label not in (name, *variants)),
        geo=_geo(element),
    )


_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")


def _utf8(data: bytes) -> bytes:
    """A file's bytes as UTF-8, for byte searches (UTF-16 files, and those whose XML declaration names
    another encoding, such as ISO-8859-1, are decoded)."""
    if b"\x00" in data[:4]:  # UTF-16
        encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else (
            "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        return data.decode(encoding, errors="ignore").encode()
    declared = _DECLARED.match(data[:200])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace").encode()
        except LookupError:  # an encoding Python does not know: the parser says so when the page is read
            return data
    return data


def _may_hold_entries(data: bytes, kinds: Kinds = LIBRARY_KINDS) -> bool:
    """Whether a text may contain register entries (or include them): a byte search, no parsing."""
    return kinds.entry_marker.search(_utf8(data)) is not None


#: the attributes with which a text names entries: names (``@ref``, ``@key``) and quotations (``@source``)
_NAMING = re.compile(rb"""[\s:](ref|key|source)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def names_of(kind: EntryKind) -> str:
    """In :attr:`Registry.named`: some text may have names of ``kind`` (not a pointer: no id holds a NUL)."""
    return f"\0names:{kind.name}"


_HEADER_END = re.compile(rb"</(?:[\w.-]+:)?teiHeader\s*>")


def names_of_kinds(data: bytes, kinds: Kinds) -> frozenset[str]:
    """:func:`names_of` each kind indexed even without entries that a text's bytes may name, after its
    header (more than the text names, never less)."""
    data = _utf8(data)
    end = _HEADER_END.search(data)
    text = data[end.end():] if end else data
    found = set()
    for kind in kinds:
        if not kind.always_indexed:
            continue
        elements = b"|".join(re.escape(name.encode()) for name in kind.text_names) or b"(?!)"
        types = b"|".join(re.escape(value.encode()) for value in kind.rs_types) or b"(?!)"
        pattern = (rb"<(?:[\w.-]+:)?(?:" + elements + rb")[\s>/]|<(?:[\w.-]+:)?(?:rs|name)\s[^>]*\btype\s*=\s*[\"'](?:"
                   + types + rb")[\"']")
        if re.search(pattern, text):
            found.add(names_of(kind))
    return frozenset(found)


def named_in(data: bytes, prefixes: Prefixes | None = None) -> frozenset[str]:
    """What a text's names and quotations may point at, from its bytes: each value as written (a ``@key``)
    and the id of each pointer (``persons.xml#lenin``, ``#lenin``, ``psn:lenin`` by the file's prefixes, else
    ``lenin``). More than the names point at, never less: what decides which entries get a page."""
    found: set[str] = set()
    for match in _NAMING.finditer(_utf8(data)):
        value = normalize_space(html.unescape((match.group(2) or match.group(3) or b"").decode("utf-8", "replace")))
        if match.group(1) == b"key":  # one value, never split
            found.add(value)
            continue
        for token in value.split():
            found.add((expand_prefix(token, prefixes)[0] if prefixes else token).rpartition("#")[2])
    return frozenset(found)


@dataclass
class FileEntries:
    """What one TEI file gives the registry: its ids and its entries (kept between builds, by file)."""

    path: str
    resolved: str = ""
    #: whether the file was parsed (texts without entries are not)
    read: bool = False
    ids: dict[str, str] = field(default_factory=dict)  # xml:id -> local name of its element
    entries: list[tuple[Entry, int]] = field(default_factory=list)  # with the column of its element
    problems: list[Problem] = field(default_factory=list)  # of reading a register file
    #: whether it has ``xi:include``s: then its entries depend on other files too, and it is read every time
    includes: bool = False
    #: of a text: what its names and quotations may point at (:func:`named_in`)
    named: frozenset[str] = frozenset()
    #: whether it is a register file (else a text, which may hold entries of its own)
    register: bool = False


def file_entries(tree: etree._ElementTree, path: Path, kinds: Kinds = LIBRARY_KINDS) -> FileEntries:
    """The ids and register entries of a parsed TEI file."""
    resolved = str(path.resolve())
    part = FileEntries(str(path), resolved, read=True)
    for element in tree.iter():
        ident = element.get(XML_ID) if isinstance(element.tag, str) else None
        if ident:
            part.ids.setdefault(ident, etree.QName(element).localname)
    for element in tree.iter(*(tei(name) for name in kinds.entry_elements)):
        kind = kinds.entry_kind(element)
        entry = read_entry(element, kind, resolved) if kind is not None else None
        if entry is not None:
            part.entries.append((entry, element_position(element, str(path))[1]))
    return part


def file_signature(path: Path) -> tuple[int, int]:
    """Modification time and size of a file (``(-1, -1)`` if it is missing): has it changed?"""
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


#: (path, signature, is a register) -> what the file gave at the last reading, in this process or (see
#: :func:`edition.project.load_edition`) in the build before
FileCache = dict[tuple[str, tuple[int, int], bool], FileEntries]


def read_file_entries(path: Path, root: Path | None, register: bool, kinds: Kinds = LIBRARY_KINDS) -> FileEntries:
    """Read one file for the registry (texts only when they may hold entries)."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    includes = b"include" in data
    if not register and not _may_hold_entries(data, kinds) and not includes and b"prefixDef" not in data:
        # most texts have no register of their own: not parsed twice, their names found by a byte search
        return FileEntries(str(path), named=named_in(data) | names_of_kinds(data, kinds))
    problems: list[Problem] = []
    try:
        tree = load_tei(path, root or Path(path).resolve().parent, problems)
        part = file_entries(tree, path, kinds)
    except XMLError as exc:
        part, tree = FileEntries(str(path)), None
        problems.append(replace(exc.problem, kind="unreadable"))
    part.problems = problems if register else []  # a text's reading problems are reported with its page
    part.includes = includes
    part.register = register
    if not register:  # with what its includes bring, and pointers through its prefixes
        whole = etree.tostring(tree) if tree is not None else data
        part.named = named_in(whole, prefix_definitions(tree.getroot()) if tree is not None else None) \
            | names_of_kinds(whole, kinds)
    return part


def load_registry(register_files: list[Path], text_files: list[Path] = (), root: Path | None = None,
                  cache: FileCache | None = None, kinds: Kinds = LIBRARY_KINDS,
                  key_match: tuple[str, ...] = KEY_MATCH) -> Registry:
    """Read the entries of the register files and of any register inside the texts.

    ``root`` is the project directory, the limit for ``xi:include`` (default: each file's folder).
    With a ``cache``, files that did not change since they were last read are not read again (and the
    cache is left holding the files of this edition).
    """
    registry = Registry(kinds, tuple(key_match))
    registers = set(register_files)
    kept: FileCache = {}
    for path in [*register_files, *text_files]:
        key = (str(path), file_signature(Path(path)), path in registers)
        part = cache.get(key) if cache is not None else None
        if part is None:
            part = read_file_entries(Path(path), root, path in registers, kinds)
        if not part.includes:
            kept[key] = part
        registry.add(part)
    if cache is not None:
        cache.clear()
        cache.update(kept)
    return registry


def entry_link(entry: Entry, content: Content) -> Tag:
    """A link to the page of a register entry, titled with its name and dates."""
    title = entry.name + (f" ({entry.lifespan})" if entry.lifespan else "")
    return Tag("a", content, classes="reference internal", href=f"{DOC_LINK}{entry.docname}", title=title)
