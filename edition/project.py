"""The edition as configured in ``conf.py``: its TEI texts, its registers, their entries."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .core.files import dump_pickle, load_pickle
from .core.kinds import LIBRARY_KINDS, Kinds
from .core.register import KEY_MATCH, Entry, FileCache, Registry, file_signature, load_registry
from .core.xinclude import load_tei
from .core.xmlparse import XML_ID, XMLError

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: the version of what is kept between builds (registers read): raise it when Edition, Registry or Entry change
STATE_FORMAT = 9
TEXTS_DIR = "texts"
#: ``edition_unmentioned``: give a page to every entry of the registers, mentioned in the texts or not
UNMENTIONED_PAGE = "page"


def unmentioned_from_config(value: object) -> str:
    """``edition_unmentioned`` checked: ``""`` (entries no text mentions get no page) or ``"page"``."""
    if value not in ("", UNMENTIONED_PAGE):
        raise ValueError(f"edition_unmentioned: {value!r}: \"page\" (every entry of the registers gets a page) or "
                         "\"\" (only the entries the texts mention; the default)")
    return value


@dataclass(frozen=True)
class TextSource:
    """A TEI text of the edition and the page it is published on."""

    path: Path
    docname: str


@dataclass(frozen=True)
class Edition:
    """Everything the extension knows about the edition before reading any page."""

    texts: tuple[TextSource, ...]
    registers: tuple[Path, ...]
    registry: Registry
    #: the project directory: ``xi:include`` may not reach outside it
    root: Path

    def text_for(self, docname: str) -> TextSource | None:
        return self._by_docname.get(docname)

    @cached_property
    def _by_docname(self) -> dict[str, TextSource]:
        return {text.docname: text for text in self.texts}

    @cached_property
    def text_names(self) -> dict[str, str]:
        """The page of each text by its file's name and by its stem (``L03893.xml``, ``L03893``): how the
        header of a letter names the previous and the next."""
        names: dict[str, str] = {}
        for text in self.texts:
            names.setdefault(text.path.name, text.docname)
            names.setdefault(text.path.stem, text.docname)
        return names

    def register_element(self, entry: Entry) -> etree._Element | None:
        """The element of ``entry`` in its file, for its page; each file is parsed once per process (a
        register's problems are reported when it is loaded, not here)."""
        ids = self._register_ids.get(entry.path)
        if ids is None:
            try:
                tree = load_tei(entry.path, self.root, [])
            except XMLError:
                tree = None
            ids = {} if tree is None else {e.get(XML_ID): e for e in tree.iter() if e.get(XML_ID)}
            self._register_ids[entry.path] = ids
        return ids.get(entry.id)

    @cached_property
    def _register_ids(self) -> dict[str, dict[str | None, etree._Element]]:
        return {}

    def text_fingerprints(self) -> dict[str, str]:
        """``text:<name>`` → page, for each name of :attr:`text_names`: a text that names another is read
        again when that text comes or goes (see :meth:`~edition.domain.EditionDomain.texts_to_reread`)."""
        return {f"text:{name}": docname for name, docname in self.text_names.items()}


def _stat_key(paths: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(path), *file_signature(path)) for path in paths)


def text_source(path: Path) -> TextSource:
    """A TEI text and the page it is published on (``texts/<name>``)."""
    return TextSource(path, f"{TEXTS_DIR}/{docname_stem(path)}")


def unique_pages(texts: tuple[Path, ...]) -> tuple[TextSource, ...]:
    """The texts and their pages; a text whose page name another took (``a b.xml``, ``a-b.xml``) gets a
    name with a digest of its file name, so that no text is left without a page."""
    sources, taken = [], set()
    for path in texts:
        source = text_source(path)
        if source.docname in taken:
            digest = hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
            source = TextSource(path, f"{source.docname}-{digest}")
        taken.add(source.docname)
        sources.append(source)
    return tuple(sources)


def docname_stem(path: Path) -> str:
    """The page name of a TEI file: its file name without ``.xml``, made URL-safe."""
    stem = path.name[:-4] if path.name.lower().endswith(".xml") else path.stem
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).lstrip(".")
    return "index-text" if safe == "index" else safe or "text"  # texts/index is the list of texts


def resolve_paths(confdir: str | os.PathLike[str], paths: list[str]) -> list[str]:
    """Configured paths made absolute (relative ones are relative to ``conf.py``)."""
    return [str((Path(confdir) / p).resolve()) for p in paths]


def project_root(confdir: str | os.PathLike[str], files: list[str]) -> str:
    """The project directory: the deepest folder holding ``conf.py``'s folder and every configured file."""
    return os.path.commonpath([str(Path(confdir).resolve()), *files])


@dataclass(frozen=True)
class Loaded:
    """What :func:`read_edition` read: the edition, the key of what it was read from, and what each file gave
    (kept in memory by a process that builds again, the watch mode, so that no rebuild reads it from disk)."""

    saved_as: tuple
    edition: Edition
    files: FileCache


def load_edition(texts: list[str], registers: list[str], root: str, state: Path | None = None,
                 kinds: Kinds = LIBRARY_KINDS, key_match: tuple[str, ...] = KEY_MATCH,
                 unmentioned: str = "") -> Edition:
    """The edition for the configured files (absolute paths), with its kinds of entry and what its keys
    are compared with; its entries that no text mentions get no page unless ``unmentioned`` is ``"page"``.

    With ``state`` (a folder of the build), what was read is kept there: while no file changed, a rebuild
    reads nothing again, and when some did, only those are read again for their register entries.
    """
    return read_edition(texts, registers, root, state, kinds, key_match, unmentioned).edition


def read_edition(texts: list[str], registers: list[str], root: str, state: Path | None = None,
                 kinds: Kinds = LIBRARY_KINDS, key_match: tuple[str, ...] = KEY_MATCH,
                 unmentioned: str = "", kept: Loaded | None = None) -> Loaded:
    """:func:`load_edition`, with what it read; with ``kept`` (what the build before read, in this process),
    nothing is read from ``state``: the same when no file changed, else only the changed files are read, and
    ``state`` is not written either (a later process finds it older than the files, and reads again only the
    files changed since it was written)."""
    key = (_stat_key(tuple(Path(t) for t in texts)), _stat_key(tuple(Path(r) for r in registers)), root)
    saved_as = (STATE_FORMAT, key, kinds, key_match, unmentioned)
    stored = state / "edition-registry.pickle" if state is not None else None
    files: FileCache = {}
    if kept is not None:
        if kept.saved_as == saved_as:
            return kept
        saved = (kept.saved_as, kept.edition, kept.files)
    else:
        saved = load_pickle(stored) if stored is not None else None
    if isinstance(saved, tuple) and len(saved) == 3:  # else: missing, damaged or of another version
        saved_key, edition, kept_files = saved
        if saved_key == saved_as:
            return Loaded(saved_as, edition, kept_files)
        if saved_key[0] == STATE_FORMAT and saved_key[2:4] == (kinds, key_match):
            files = kept_files  # only the files that changed are read again
    # the same texts as the build before (the watch mode: a text saved, none added): their pages as they were
    # (5,069 letters' paths and pages took 0.1 s of every save)
    pages = kept.edition.texts if kept is not None and [str(t.path) for t in kept.edition.texts] == texts else None
    text_paths = tuple(text.path for text in pages) if pages is not None else tuple(Path(t) for t in texts)
    register_paths = tuple(Path(r) for r in registers)
    registry = load_registry(list(register_paths), list(text_paths), Path(root), files, kinds, key_match)
    if unmentioned != UNMENTIONED_PAGE:
        registry.publish_mentioned()
    edition = Edition(pages if pages is not None else unique_pages(text_paths), register_paths, registry, Path(root))
    if stored is not None and kept is None:  # a process that keeps what it read needs no copy on disk for its
        dump_pickle(stored, (saved_as, edition, files))  # next build (0.1 s of each save at the Escher letters)
    return Loaded(saved_as, edition, files)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, for the downloads page."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edition_of(env: BuildEnvironment) -> Edition:
    """The edition of the running build (read once per build, at ``builder-inited``, by the domain)."""
    edition = env.domains["tei"].edition  # type: ignore[attr-defined]
    if edition is None:
        raise RuntimeError("the edition is read at builder-inited; this was called before")
    return edition
