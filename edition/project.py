"""The edition as configured in ``conf.py``: its TEI texts, its registers, their persons."""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .register import Registry, load_registry

if TYPE_CHECKING:
    from sphinx.config import Config

TEXTS_DIR = "texts"
PERSONS_DIR = "persons"


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
        return next((t for t in self.texts if t.docname == docname), None)


def _stat_key(paths: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    key = []
    for path in paths:
        try:
            stat = path.stat()
            key.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            key.append((str(path), -1, -1))
    return tuple(key)


@functools.lru_cache(maxsize=8)
def _load(text_key: tuple, register_key: tuple, root: str) -> Edition:
    texts = tuple(Path(p) for p, _, _ in text_key)
    registers = tuple(Path(p) for p, _, _ in register_key)
    sources = tuple(TextSource(p, f"{TEXTS_DIR}/{docname_stem(p)}") for p in texts)
    return Edition(sources, registers, load_registry(list(registers), list(texts), Path(root)), Path(root))


def docname_stem(path: Path) -> str:
    """The page name of a TEI file: its file name without ``.xml``, made URL-safe."""
    stem = path.name[:-4] if path.name.lower().endswith(".xml") else path.stem
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)
    return "index-text" if safe == "index" else safe or "text"  # texts/index is the list of texts


def resolve_paths(confdir: str | os.PathLike[str], paths: list[str]) -> list[str]:
    """Configured paths made absolute (relative ones are relative to ``conf.py``)."""
    return [str((Path(confdir) / p).resolve()) for p in paths]


def project_root(confdir: str | os.PathLike[str], files: list[str]) -> str:
    """The project directory: the deepest folder holding ``conf.py``'s folder and every configured file."""
    return os.path.commonpath([str(Path(confdir).resolve()), *files])


def load_edition(texts: list[str], registers: list[str], root: str) -> Edition:
    """The edition for the configured files (absolute paths), cached by modification time."""
    return _load(_stat_key(tuple(Path(t) for t in texts)), _stat_key(tuple(Path(r) for r in registers)), root)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, for the downloads page."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


_CURRENT: dict[int, Edition] = {}


def refresh_edition(config: Config) -> Edition:
    """Read the edition configured in ``conf.py`` for this build (at ``builder-inited``)."""
    edition = load_edition(config.edition_texts, config.edition_registers, config.edition_root)
    _CURRENT[id(config)] = edition
    return edition


def edition_of(config: Config) -> Edition:
    """The edition of the running build: read once per build, not once per page."""
    edition = _CURRENT.get(id(config))
    return edition if edition is not None else refresh_edition(config)
