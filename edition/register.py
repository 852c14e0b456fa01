"""The register of persons: loading ``person`` entries and resolving ``@ref``s to them."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from .xinclude import load_tei
from .xmlparse import XML_ID, Problem, XMLError, element_position, normalize_space, plain_text, tei

#: URL templates for the authority files an ``idno/@type`` may name.
AUTHORITY_URLS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "geonames": "https://www.geonames.org/{}",
}
AUTHORITY_LABELS = {"wikidata": "Wikidata", "viaf": "VIAF", "gnd": "GND", "geonames": "GeoNames"}
SAFE_SCHEMES = ("http", "https")
ISO_DATE = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Authority:
    """An authority record for a person (Wikidata, VIAF, GND or a plain URI)."""

    label: str
    value: str
    url: str


@dataclass(frozen=True)
class LifeDate:
    """A date of birth or death: the register's wording and its ISO value."""

    text: str
    when: str


@dataclass(frozen=True)
class Person:
    """One ``person`` of a register."""

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

    @property
    def lifespan(self) -> str:
        """``1870–1924``, ``born 1925`` or ``""``, for indexes."""
        birth = self.birth.when[:4].lstrip("-") if self.birth and self.birth.when else ""
        death = self.death.when[:4].lstrip("-") if self.death and self.death.when else ""
        if birth and death:
            return f"{birth}–{death}"
        if birth:
            return f"born {birth}"
        if death:
            return f"died {death}"
        return ""


@dataclass
class Registry:
    """All persons of an edition, with the means to resolve references to them."""

    persons: dict[str, Person] = field(default_factory=dict)
    #: (resolved file path, xml:id) -> local name of the element with that id, for register files
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def add_file(self, tree: etree._ElementTree, path: Path) -> None:
        """Take the ``person`` entries (and the ids, for messages) of a parsed TEI file."""
        resolved = str(path.resolve())
        self.files.add(resolved)
        for element in tree.iter():
            ident = element.get(XML_ID) if isinstance(element.tag, str) else None
            if ident:
                self.ids.setdefault((resolved, ident), etree.QName(element).localname)
        for element in tree.iter(tei("person")):
            person = read_person(element, resolved)
            if person is None:
                continue
            first = self.persons.get(person.id)
            if first is not None:
                line, col = element_position(element, str(path))
                self.problems.append(Problem(str(path), line, col, f"duplicate person id {person.id!r}; "
                                             f"first defined at {first.path}:{first.line}", "warning"))
                continue
            self.persons[person.id] = person

    def resolve(self, token: str, base: str) -> tuple[Person | None, str | None]:
        """Resolve one pointer of a ``@ref`` in the file ``base``.

        Returns the person, or ``None`` and a message saying why not (``None`` for
        both when the pointer is an external URI, which is not an error).
        """
        scheme = urlsplit(token).scheme.lower()
        if scheme and len(scheme) > 1:
            return None, None if scheme in SAFE_SCHEMES else f"unsupported URI scheme in {token!r}"
        if "#" in token:
            file_part, _, ident = token.partition("#")
            target = pointed_file(base, file_part)
        else:  # a bare id, as in @key
            ident, target = token, None
        if not ident:
            return None, f"empty pointer {token!r}"
        person = self.persons.get(ident)
        if person is not None and (target is None or person.path == target):
            return person, None
        if target is not None and target not in self.files:
            return None, (
                f"{token!r} points into {Path(target).name}, which is not a register of this edition; "
                "add the file to edition_registers (or --register)"
            )
        kind = self.ids.get((target, ident)) if target else None
        if kind is not None:
            return None, f"{token!r} points to a <{kind}>, not to a <person>"
        return None, f"{token!r}: no person with xml:id {ident!r} in the register{_suggest(ident, self.persons)}"


@functools.lru_cache(maxsize=16384)  # one entry per (file, pointed-at file): editions of thousands of texts
def pointed_file(base: str, file_part: str) -> str:
    """The absolute path of the file a pointer names, relative to the file ``base`` it is in."""
    return str((Path(base).parent / file_part).resolve()) if file_part else str(Path(base).resolve())


def _suggest(ident: str, persons: dict[str, Person]) -> str:
    import difflib

    close = difflib.get_close_matches(ident, list(persons), n=1, cutoff=0.7)
    return f"; did you mean #{close[0]}?" if close else ""


def _fingerprint(element: etree._Element) -> str:
    return hashlib.sha1(etree.tostring(element, method="c14n")).hexdigest()[:16]


def _life_date(element: etree._Element | None) -> LifeDate | None:
    if element is None:
        return None
    when = element.get("when") or element.get("notBefore") or element.get("from") or ""
    return LifeDate(plain_text(element) or when, when if ISO_DATE.match(when) else "")


def _name_parts(persname: etree._Element) -> tuple[str, str]:
    """The display name and the sort key (``Surname, Forenames``) of a ``persName``."""
    name = plain_text(persname)
    surnames = [plain_text(s) for s in persname.iter(tei("surname"))]
    forenames = [plain_text(f) for f in persname.iter(tei("forename"))]
    if surnames:
        key = " ".join(surnames) + (", " + " ".join(forenames) if forenames else "")
    else:
        words = name.split()
        key = f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name
    return name, key


def _authorities(person: etree._Element) -> tuple[Authority, ...]:
    found = []
    for idno in person.findall(tei("idno")):
        kind = (idno.get("type") or "").lower()
        value = normalize_space(idno.text or "")
        if not value:
            continue
        if kind in AUTHORITY_URLS:
            found.append(Authority(AUTHORITY_LABELS[kind], value, AUTHORITY_URLS[kind].format(value)))
        elif urlsplit(value).scheme in SAFE_SCHEMES:
            found.append(Authority(kind.upper() or "URI", value, value))
    return tuple(found)


def read_person(element: etree._Element, path: str) -> Person | None:
    """Build a :class:`Person` from a TEI ``person`` element with an ``xml:id``."""
    ident = element.get(XML_ID)
    if not ident:
        return None
    names = element.findall(tei("persName"))
    standard = next((n for n in names if n.get("type") in ("standard", "reg", "main")), names[0] if names else None)
    if standard is not None:
        name, key = _name_parts(standard)
    else:
        name, key = ident, ident
    variants = tuple(dict.fromkeys(plain_text(n) for n in names if n is not standard and plain_text(n)))
    description = next(
        (plain_text(n) for n in element.findall(tei("note")) if n.get("type") in (None, "description", "bio")),
        "",
    )
    return Person(
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
    )


#: bytes that a file with ``person`` entries (or an ``xi:include`` of them) must contain
PERSON_MARKERS = (b"<person", b":person", b"include", "<person".encode("utf-16-le"), "<person".encode("utf-16-be"))


def _may_hold_persons(path: Path) -> bool:
    """Whether a text may contain ``person`` entries (or include them): a byte search, no parsing."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(marker in data for marker in PERSON_MARKERS)


def load_registry(register_files: list[Path], text_files: list[Path] = (), root: Path | None = None) -> Registry:
    """Read the persons of the register files and of any register inside the texts.

    ``root`` is the project directory, the limit for ``xi:include`` (default: each file's folder).
    """
    registry = Registry()
    registers = set(register_files)
    for path in [*register_files, *text_files]:
        if path not in registers and not _may_hold_persons(Path(path)):
            continue  # most texts have no register of their own: do not parse them twice
        # a text's reading problems are reported with its page, a register's here
        problems = registry.problems if path in registers else []
        try:
            tree = load_tei(path, root or Path(path).resolve().parent, problems)
        except XMLError as exc:
            problems.append(exc.problem)
            continue
        registry.add_file(tree, Path(path))
    return registry
