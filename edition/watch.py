"""The editor's loop: ``edition serve PROJECT --watch`` builds the site, serves it, builds it again on every
save of a TEI file, a register, a page or ``conf.py``, and reloads the open pages.

It keeps one process for the whole session, so that Sphinx and the toolkit are imported once; each
build is the incremental build of ``edition build`` (only what changed is read again), published the same
way. Files are watched with ``watchfiles`` (as sphinx-autobuild does); the pages reload through
:class:`edition.serve.LiveReload`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .publish.search import Indexed

from .core.facsimile import LOCAL_IMAGES

#: folders never watched: builds, version control, environments, caches
IGNORED_DIRS = frozenset({"_build", ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                          ".mypy_cache", ".ruff_cache", ".pytest_cache"})
#: what a save of can change the site: TEI, pages, configuration, styles and templates
WATCHED_SUFFIXES = frozenset({".xml", ".tei", ".md", ".rst", ".txt", ".py", ".css", ".js", ".html", ".rng",
                              ".rnc", ".sch", *LOCAL_IMAGES})


def is_watched(path: str | Path, build_dir: Path) -> bool:
    """Whether a change to ``path`` calls for a new build (not the build's own output, not an editor's
    swap or backup file)."""
    path = Path(path)
    if build_dir in path.parents or any(part in IGNORED_DIRS for part in path.parts):
        return False
    name = path.name
    if name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
        return False
    return path.suffix.lower() in WATCHED_SUFFIXES


def watched_folders(confdir: Path, files: Iterable[Path]) -> list[Path]:
    """The folders to watch: the Sphinx project's and those of the TEI files (each once, the outermost)."""
    folders = sorted({confdir.resolve(), *(Path(f).resolve().parent for f in files)},
                     key=lambda p: (len(p.parts), str(p)))
    kept: list[Path] = []
    for folder in folders:
        if not any(folder == k or k in folder.parents for k in kept):
            kept.append(folder)
    return kept


def watch(folders: list[Path], build_dir: Path, rebuild: Callable[[set[Path]], None],
          stop: threading.Event, ready: Callable[[], None] = lambda: None) -> None:
    """Call ``rebuild(changed files)`` after each batch of saves in ``folders`` until ``stop`` is set;
    ``ready()`` once the folders are watched (a save before that would be missed)."""
    from watchfiles import watch as watch_changes

    def wanted(_change: object, path: str) -> bool:
        return is_watched(path, build_dir)

    watching = False
    for changes in watch_changes(*folders, watch_filter=wanted, stop_event=stop, debounce=400, step=50,
                                 rust_timeout=500, yield_on_timeout=True, raise_interrupt=False):
        if not watching:  # the first answer of the watcher (changes, or none in time): it is watching
            watching = True
            ready()
        if changes:
            rebuild({Path(path) for _change, path in changes})


class BackgroundIndexing:
    """The search index of the last build, made in a thread once its pages are published and reloaded (the
    changed page first, the search a few seconds later); stopped when a new build begins, which makes it again.
    Until it is done the site keeps the index of an earlier build, which its search page can still use."""

    def __init__(self, say: Callable[[str], None], on_done: Callable[[], None]) -> None:
        self.say = say
        self.on_done = on_done
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, index: Callable[[threading.Event], Indexed]) -> None:
        """Run ``index(cancel)`` in the background (after stopping the one running)."""
        self.stop()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(index, self._cancel), name="edition-search-index",
                                        daemon=True)
        self._thread.start()

    def _run(self, index: Callable[[threading.Event], Indexed], cancel: threading.Event) -> None:
        from .searchpage import said

        started = time.monotonic()
        try:
            indexed = index(cancel)
        except Exception as exc:  # Pagefind failed, the disk is full, another build holds the project: said
            self.say(f"edition: the search index was not made again: {exc}")
            return
        if cancel.is_set() and not indexed.ran:
            return  # a new build began: it says what it does
        if indexed.ran:
            self.on_done()
        self.say(f"edition: search index {said(indexed)} ({time.monotonic() - started:.1f} s)")

    def stop(self) -> None:
        """Stop the indexing running, if any, and wait for it."""
        if self._thread is not None:
            self._cancel.set()
            self._thread.join()
            self._thread = None

    def wait(self) -> None:
        """Wait for the indexing running, if any, to finish."""
        if self._thread is not None:
            self._thread.join()


class Loop:
    """Build, then build again after each batch of saves; say what changed and how long each build took. The
    search index of each build is made in the background once its pages are published (``indexing``)."""

    def __init__(self, build: Callable[[Callable[[Callable[..., Indexed]], None]], int], on_built: Callable[[], None],
                 say: Callable[[str], None], indexing: BackgroundIndexing | None = None) -> None:
        self.build = build
        self.on_built = on_built
        self.say = say
        self.indexing = indexing

    def run_build(self, changed: set[Path] | None = None) -> int:
        if self.indexing is not None:
            self.indexing.stop()  # Pagefind must not read pages while they are written, nor publish over them
        if changed:
            names = ", ".join(sorted(p.name for p in changed)[:3]) + (" …" if len(changed) > 3 else "")
            self.say(f"edition: changed: {names}; building")
        started = time.monotonic()
        pending: list[Callable[..., Indexed]] = []
        status = self.build(pending.append)
        self.on_built()
        self.say(f"edition: built in {time.monotonic() - started:.1f} s"
                 + ("" if status == 0 else " (with problems: see above)") + "; watching for changes (Ctrl+C stops)")
        for index in pending:
            if self.indexing is not None:
                self.indexing.start(index)
        return status
