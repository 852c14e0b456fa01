"""Publishing the TEI: byte-identical copies of the sources and one ``teiCorpus`` export."""

from __future__ import annotations

import dataclasses
import filecmp
import hashlib
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..core.files import dump_pickle, load_pickle, write_atomic
from ..core.pointers import POINTER_ATTRIBUTES, pointed_file, split_pointer
from ..core.xmlparse import TEI_NS, XML_ID, XMLError, parse_bytes, parse_file, require_tei, tei
from ..project import Edition, file_signature

CORPUS_NAME = "edition-corpus.xml"
#: the version of the export's cache (where the files' parts are in the export written last): raise it when it
#: changes
CACHE_FORMAT = 4


#: namespaces whose elements a browser runs or renders as a page (HTML, SVG, MathML): in a published TEI file
#: they would run on the site's origin when a reader opens the copy
ACTIVE_NAMESPACES = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML")
INERT_NAMESPACE = "urn:tei-edition:inert:"


TEI_MIME = "application/tei+xml"


def published(name: str) -> str:
    """Where the site keeps its copy of the TEI file ``name``, from the site's root."""
    return f"tei/{published_name(name)}"


def published_name(name: str) -> str:
    """The name of the site's copy of the TEI file ``name``: it ends in ``.xml``, so that browsers never read
    it as HTML (``letter.html`` is published as ``letter.html.xml``)."""
    return name if name.lower().endswith(".xml") else f"{name}.xml"


#: what :func:`make_inert` changes under an element: the elements of :data:`ACTIVE_NAMESPACES` and the
#: ``xml-stylesheet`` instructions (found by libxml2: most files have none)
_ACTIVE = etree.XPath("descendant-or-self::*[" + " or ".join(f"namespace-uri()='{ns}'" for ns in ACTIVE_NAMESPACES)
                      + "] | descendant::processing-instruction('xml-stylesheet')")
#: the ``xml:id``s of an element and the elements under it, in document order
_IDS = etree.XPath("descendant-or-self::*/@xml:id", smart_strings=False)
_POINTERS = frozenset(POINTER_ATTRIBUTES)
_ANY_POINTER = (XML_ID, *POINTER_ATTRIBUTES)


def make_inert(root: etree._Element) -> int:
    """Move the elements of :data:`ACTIVE_NAMESPACES` under ``root`` into a namespace no browser knows and
    drop ``xml-stylesheet`` instructions; returns how many were changed."""
    changed = 0
    for node in _ACTIVE(root):
        if isinstance(node, etree._ProcessingInstruction):
            node.text = None  # without its type and href it does nothing
        else:
            name = etree.QName(node)
            node.tag = f"{{{INERT_NAMESPACE}{name.namespace}}}{name.localname}"
        changed += 1
    return changed


def inert_copy(path: Path) -> tuple[bytes, int]:
    """The bytes of the site's copy of a TEI file: the file itself, unless it holds HTML, SVG or MathML
    elements or an ``xml-stylesheet`` instruction (which would run when a reader opens it): then those
    made inert (:func:`make_inert`), and how many."""
    data = path.read_bytes()
    if not any(ns.encode() in data for ns in ACTIVE_NAMESPACES) and b"xml-stylesheet" not in data:
        return data, 0
    try:
        tree = parse_bytes(data, str(path))
    except XMLError:
        return data, 0  # not well-formed: a browser shows an error, runs nothing
    root = tree.getroot()
    changed = make_inert(root)
    for sibling in [*root.itersiblings(preceding=True), *root.itersiblings()]:
        if isinstance(sibling, etree._ProcessingInstruction) and sibling.target == "xml-stylesheet":
            sibling.text = None  # without its type and href it does nothing
            changed += 1
    if not changed:
        return data, 0
    etree.cleanup_namespaces(root)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8"), changed


def publish_sources(edition: Edition, outdir: Path,
                    made_inert: Callable[[Path, int], None] | None = None) -> list[Path]:
    """Copy every TEI text and register to ``outdir/tei/`` unchanged (files already there are kept), except
    what would run in a browser (:func:`inert_copy`: ``made_inert`` is told of each such file)."""
    target = outdir / "tei"
    target.mkdir(parents=True, exist_ok=True)
    copied: list[Path] = []
    for path in [t.path for t in edition.texts] + list(edition.registers):
        destination = target / published_name(path.name)
        if not (destination.is_file() and filecmp.cmp(path, destination, shallow=True)):
            data, changed = inert_copy(path)
            write_atomic(destination, data)
            if changed and made_inert is not None:
                made_inert(path, changed)
            shutil.copystat(path, destination)  # the modification time: the next build compares cheaply
        copied.append(destination)
    kept = {path.name for path in copied} | {CORPUS_NAME}  # a set: an edition has thousands of files
    for old in target.glob("*.xml"):  # a file no longer in the edition: as a clean build, without it
        if old.name not in kept:
            old.unlink()
    return copied


class ExportCancelledError(Exception):
    """The export was stopped (a new build began): nothing was written."""


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelledError


@dataclass
class _Member:
    """Where a file's part is in the export written last, kept between builds: unchanged files are not parsed
    again, their parts are taken from that export (not kept twice: 60 MB at the Escher letters, written again at
    every build)."""

    signature: tuple[int, int]  # modification time and size of the file
    ids: list[str]
    renames: str  # digest of the id renaming the member was written with
    start: int  # its bytes in the export
    end: int
    #: each pointer into a file of the edition it has (that file, the id), and whether it was made local (whether
    #: that file had that id): the part is made again when one no longer is as it was
    pointed: frozenset[tuple[str, str, bool]] = frozenset()


def build_corpus(edition: Edition, title: str, cache: dict[str, _Member] | None = None,
                 cancel: threading.Event | None = None, previous: bytes = b"") -> bytes:
    """All texts and registers of the edition in one ``teiCorpus`` document.

    Files that cannot be read are left out. Pointers between the files (``persons.xml#lenin``) become
    local (``#lenin``); ``xml:id``s that occur in more than one file are prefixed with the file's name.
    With a ``cache`` (kept by the caller between builds) and ``previous``, the export the cache tells of,
    files that did not change are neither parsed nor serialised again unless the renaming of ids changed; the
    cache then tells of the export returned. Raises :class:`ExportCancelledError` once ``cancel`` is set (the
    ``cache`` may then be changed: do not keep it).
    """
    candidates = [t.path for t in edition.texts]
    candidates += [r for r in edition.registers if r not in set(candidates)]
    cache = {} if cache is None else cache
    # each file as read (its bytes, not its tree: the trees of 5,000 letters held at once took 600 MB), or
    # None when its part is cached
    files: list[tuple[Path, str, tuple[int, int], bytes | None, list[str]]] = []
    seen: set[str] = set()
    for path in candidates:  # files by their resolved path, as a string (the cheapest key)
        _check(cancel)
        resolved = str(path.resolve())
        if resolved in seen:  # named twice (or two links to one file): one part, or its ids would be doubled
            continue
        seen.add(resolved)
        signature = file_signature(path)
        known = cache.get(resolved)
        if known is not None and known.signature == signature:
            files.append((path, resolved, signature, None, known.ids))
            continue
        try:
            data = path.read_bytes()
            root = require_tei(parse_bytes(data, str(path)), str(path))
        except (OSError, XMLError):
            continue  # reported where the file is read; the export holds the files that can be read
        if root.getroottree().docinfo.internalDTD is None:
            ids = [ident for ident in _IDS(root) if ident]
        else:  # its ATTLISTs may give an id by default, which get() sees and XPath does not
            ids = [e.get(XML_ID) for e in root.iter(etree.Element) if e.get(XML_ID)]
        files.append((path, resolved, signature, data, ids))
    owners: dict[str, list[str]] = {}
    for _, resolved, _, _, ids in files:
        for ident in ids:
            owners.setdefault(ident, []).append(resolved)
    stems = {resolved: _stem(Path(resolved)) for _, resolved, *_ in files}  # once per file, not per id

    def renamed(path: str, ident: str) -> str:
        """The id ``ident`` of the file ``path`` in the corpus: prefixed with the file's name if others have it."""
        return ident if len(owners[ident]) == 1 else f"{stems[path]}.{ident}"

    # every file and its ids as the export written last had them: so are the renaming and where pointers point
    ids_as_before = bool(cache) and len(cache) == len(files) and all(
        (known := cache.get(resolved)) is not None and (data is None or known.ids == ids)
        for _, resolved, _, data, ids in files)
    if ids_as_before:  # (the renaming of 290,000 shared ids took 0.6 s at the Escher letters)
        renames = next(iter(cache.values())).renames
    else:
        prefixed = sorted((path, ident, renamed(path, ident)) for ident, found in owners.items() if len(found) > 1
                          for path in dict.fromkeys(found))
        renames = hashlib.sha256(repr(prefixed).encode()).hexdigest()

    pointed: set[tuple[str, str, bool]] = set()  # those of the file being made

    def local(token: str, base: str) -> str:
        pointer = split_pointer(token)
        if pointer is None:
            return token
        target, ident = pointed_file(base, pointer[0]), pointer[1]
        found = target in owners.get(ident, ())
        pointed.add((sys.intern(target), ident, found))  # the same file's name, kept once in the cache
        return f"#{renamed(target, ident)}" if found else token

    def as_it_was(known: _Member) -> bool:
        """Whether the pointers of a kept part point as they did (their files have, or lack, their ids still)."""
        return all((target in owners.get(ident, ())) == found for target, ident, found in known.pointed)

    before = memoryview(previous)
    parts: list[bytes | memoryview] = []
    made: list[_Member] = []  # each part's member, but for its place in the export
    for path, resolved, signature, data, ids in files:
        _check(cancel)
        known = cache.get(resolved)
        if data is None and known is not None and known.renames == renames and \
                (ids_as_before or as_it_was(known)) and _is_part(before, known.start, known.end):
            parts.append(before[known.start:known.end])
            made.append(known)
            continue
        pointed.clear()
        # parsed again (not kept from the first pass) and changed in place; a cached part written with other
        # renamings is made again from the file
        try:
            copy = require_tei(parse_file(path) if data is None else parse_bytes(data, str(path)), str(path))
        except (OSError, XMLError):
            if data is None:  # a file kept unchanged that can no longer be read: all made again, each file read
                cache.clear()
                return build_corpus(edition, title, cache, cancel)
            raise
        # the few attributes each element has, not every attribute that may point; but a file's ATTLISTs may
        # give an attribute by default, which get() sees and ``attrib`` does not
        declared = copy.getroottree().docinfo.internalDTD is not None
        for element in copy.iter(etree.Element):
            for attribute in _ANY_POINTER if declared else list(element.attrib):
                if attribute == XML_ID:
                    ident = element.get(XML_ID)
                    if ident:
                        element.set(XML_ID, renamed(resolved, ident))
                elif attribute in _POINTERS:
                    value = element.get(attribute)
                    if value and "#" in value:
                        element.set(attribute, " ".join(local(token, resolved) for token in value.split()))
        make_inert(copy)
        etree.cleanup_namespaces(copy)
        parts.append(etree.tostring(copy, encoding="UTF-8"))
        made.append(_Member(signature, ids, renames, 0, 0, frozenset(pointed)))
    header = etree.tostring(_corpus_header(title, [f[0] for f in files]), encoding="UTF-8")
    start = b"".join([b"<?xml version='1.0' encoding='UTF-8'?>\n", f'<teiCorpus xmlns="{TEI_NS}">'.encode(), header])
    offset = len(start)
    cache.clear()  # the files no longer read are forgotten
    for (_, resolved, *_), member, part in zip(files, made, parts, strict=True):
        cache[resolved] = dataclasses.replace(member, start=offset, end=offset + len(part))
        offset += len(part)
    return b"".join([start, *parts, b"</teiCorpus>\n"])


def _stem(path: Path) -> str:
    return path.name[:-4] if path.name.endswith(".xml") else path.name


def _corpus_header(title: str, paths: list[Path]) -> etree._Element:
    header = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = f"{title}: the complete edition in one file"
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("p")).text = (
        "Generated by tei-edition from the TEI files of the edition; each file follows as one TEI document, "
        "with pointers between the files made local to this document."
    )
    source = etree.SubElement(file_desc, tei("sourceDesc"))
    listing = etree.SubElement(source, tei("list"))
    for path in paths:
        etree.SubElement(listing, tei("item")).text = path.name
    return header


def write_corpus(edition: Edition, outdir: Path, title: str, name: str, state: Path | None = None,
                 cancel: threading.Event | None = None) -> Path | None:
    """Write the ``teiCorpus`` export; None if ``cancel`` was set before it was written (nothing changed then).

    ``state`` (a folder of the build, e.g. the doctrees) keeps what the next build needs to skip the
    export when no input changed, and to rebuild only the changed files' parts when one did.
    """
    destination = outdir / "tei" / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    inputs = [t.path for t in edition.texts] + list(edition.registers)
    signature = hashlib.sha256(repr((title, [(str(p), *file_signature(p)) for p in inputs])).encode()).hexdigest()
    stamp, stored = (state / "edition-corpus.stamp", state / "edition-corpus.cache") if state else (None, None)
    # the export there, as written (published as a hard link: a change made to the published file is its too)
    if stamp is not None and stamp.is_file() and stamp.read_text() == f"{signature} {_identity(destination)}":
        return destination
    saved = load_pickle(stored) if stored is not None else None
    # none yet, or from another version, or damaged, or not of the export there: start again
    known = isinstance(saved, tuple) and len(saved) == 3 and saved[0] == CACHE_FORMAT
    previous = _read_if(destination, saved[1]) if known else None
    cache = saved[2] if previous is not None else {}
    try:
        corpus = build_corpus(edition, title, cache, cancel, previous or b"")
        _check(cancel)  # before writing 60 MB at the Escher letters' scale
    except ExportCancelledError:
        return None
    if stored is not None:  # it tells of the export there until the new one is written and the cache with it
        stored.unlink(missing_ok=True)
    write_atomic(destination, corpus)
    if stamp is not None and stored is not None:
        written = _identity(destination)
        dump_pickle(stored, (CACHE_FORMAT, written, cache))
        write_atomic(stamp, f"{signature} {written}")
    return destination


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells one writing of a file from another: its inode (new at each atomic write), time and size."""
    try:
        return _identity_of(path.stat())
    except OSError:
        return None


def _identity_of(found: os.stat_result) -> tuple[int, ...]:
    return found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size


def _read_if(path: Path, identity: Any) -> bytes | None:
    """The bytes of ``path`` if it is the writing ``identity`` tells of (:func:`_identity`), else None."""
    try:
        with path.open("rb") as handle:
            if _identity_of(os.fstat(handle.fileno())) != identity:
                return None
            return handle.read()
    except OSError:
        return None


def _is_part(export: memoryview, start: int, end: int) -> bool:
    """Whether ``export[start:end]`` may be a file's part (an element), as a kept part's place says."""
    return 0 <= start < end <= len(export) and export[start:start + 1] == b"<" and export[end - 1:end] == b">"


@dataclass(frozen=True)
class Export:
    """Writing the ``teiCorpus`` export of a build once its pages are published (the watch mode's, in the
    background): the edition as that build read it, written into its ``outdir`` (see :func:`write_corpus`)."""

    edition: Edition
    outdir: Path
    title: str
    state: Path

    def run(self, cancel: threading.Event | None = None) -> bool:
        """Write the export unless it is up to date; whether it was written (not: cancelled, or up to date)."""
        destination = self.outdir / "tei" / CORPUS_NAME
        before = file_signature(destination)
        written = write_corpus(self.edition, self.outdir, self.title, CORPUS_NAME, self.state, cancel)
        return written is not None and file_signature(destination) != before
