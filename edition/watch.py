"""The editor's loop: ``edition serve PROJECT --watch`` builds the site, serves it, builds it again on every
save of a TEI file, a register, a page or ``conf.py``, and reloads the open pages.

It keeps one process for the whole session, so that Sphinx and the toolkit are imported once, and one Sphinx
application for as long as it can (:class:`KeptApplication`), so that the environment stays in memory
instead of being loaded from disk at every save; each build is the incremental build of ``edition build``
(only what changed is read again), published the same way. Files are watched with ``watchfiles`` (as
sphinx-autobuild does); the pages reload through :class:`edition.serve.LiveReload`.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .publish.buildreport import BuildReport
    from .publish.search import Indexed

from .core.facsimile import LOCAL_IMAGES

#: folders never watched: builds, version control, environments, caches
IGNORED_DIRS = frozenset({"_build", ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
                          ".mypy_cache", ".ruff_cache", ".pytest_cache"})
#: what a save of can change the site: TEI, pages, configuration, styles and templates
WATCHED_SUFFIXES = frozenset({".xml", ".tei", ".md", ".rst", ".txt", ".py", ".css", ".js", ".html", ".rng",
                              ".rnc", ".sch", *LOCAL_IMAGES})


#: what a kept application takes in a rebuild as a fresh one would: TEI, pages, styles and scripts copied at
#: every build, page images. Anything else (conf.py, Python modules it may import, templates) makes a new one.
KEPT_APPLICATION_TAKES = frozenset({".xml", ".tei", ".md", ".rst", ".txt", ".css", ".js", ".rng", ".rnc", ".sch",
                                    *LOCAL_IMAGES})


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


#: seconds the background work of a build waits after its pages are reloaded before a full collection (which
#: holds every thread, the one serving the pages too), when one is due
RELOAD_GRACE = 0.5

#: builds whose garbage may stay frozen before a build frees it itself (saves quicker than the background
#: work, which frees it when done, would otherwise make the process grow by a build's garbage at each save)
MOST_FROZEN_BUILDS = 3


#: the collector's threshold for its youngest generation while a kept application builds again (Python's is
#: 700): such a build makes a few pages but a million short-lived objects (the edition read again, Sphinx's
#: bookkeeping of 10,000 pages), and with the default its full passes took 0.7 s of each save at the Escher
#: letters; the cycles of a few pages' doctrees wait a little longer to be freed
KEPT_BUILD_THRESHOLD = 100_000


def freeze_kept() -> None:
    """Leave every object the process holds now (the kept application's environment, the edition: millions at
    the scale of the Escher letters) out of the cyclic garbage collector's full passes, which would walk them
    all during each build (about 1 s of each there); :func:`collect_frozen` frees what they leave."""
    gc.freeze()


def collect_frozen() -> None:
    """Free the garbage the frozen objects became (the doctrees and the edition of the builds before, held in
    cycles), then freeze what is left again: in the idle time after a build's background work."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class KeptApplication:
    """One Sphinx application kept alive across the builds of the watch mode: its environment stays in memory,
    instead of being loaded from disk, and the extension's state set up once, at every save.

    A build reuses it (:meth:`application`) only when it would build what a fresh one builds: ``conf.py`` is
    as it was (Sphinx reads the configuration once, when the application starts), the files saved are only
    of the kinds it takes (:data:`KEPT_APPLICATION_TAKES`), and no other build (``edition build`` in another
    terminal) wrote the environment on disk meanwhile. Otherwise, and after a build that failed (an
    exception, a file that could not be written), the next build makes a new one. docutils' registries and
    patches (:func:`sphinx.util.docutils.docutils_namespace`, :func:`~sphinx.util.docutils.patch_docutils`)
    stay entered for the application's life. The warnings of every build go to one :class:`BuildReport`,
    started again before each."""

    def __init__(self, confdir: Path, report: BuildReport) -> None:
        self.confdir = confdir
        self.report = report
        self._application: Sphinx | None = None
        self._stack: contextlib.ExitStack | None = None
        self._conf: bytes | None = None
        self._environment: tuple[int, int] | None = None
        #: builds whose garbage is frozen with what the application holds, since it was last collected
        self._frozen_builds = 0
        #: whether the garbage of the builds before is to be freed (:meth:`collect_if_due`)
        self.collect_due = False
        #: the collector's thresholds before a build of the kept application raised them, while it runs
        self._thresholds: tuple[int, int, int] | None = None

    @property
    def app(self) -> Sphinx | None:
        """The application kept for the next build, if any."""
        return self._application

    def application(self, make: Callable[[], Sphinx], changed: set[Path] | None = None) -> Sphinx:
        """The application for the next build: the kept one, made ready for it, or one made by ``make()``."""
        from .extension import prepare_build

        if self._application is not None and self._reusable(changed):
            self.report.listen()  # Sphinx's logging is the kept application's: the report listens again
            if self._thresholds is None:  # (else raised already, by a build that did not get to built())
                self._thresholds = gc.get_threshold()
                gc.set_threshold(max(KEPT_BUILD_THRESHOLD, self._thresholds[0]), *self._thresholds[1:])
            try:
                prepare_build(self._application)
            except BaseException:
                self._restore_thresholds()
                raise
            return self._application
        self.close()
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        stack = contextlib.ExitStack()
        try:
            stack.enter_context(patch_docutils(self.confdir))
            stack.enter_context(docutils_namespace())
            conf = self._conf_now()
            app = make()
        except BaseException:
            stack.close()
            raise
        self._application, self._stack, self._conf = app, stack, conf
        return app

    def built(self, complete: bool) -> None:
        """After a build of :meth:`application`: keep the application for the next one if it was complete."""
        self._restore_thresholds()
        if not complete or self._application is None:
            self.close()
            return
        self._environment = self._environment_now()
        self.collect_if_due()  # if the background work never got to free it: now, before more is kept
        self._frozen_builds += 1
        if self._frozen_builds > MOST_FROZEN_BUILDS:  # saves kept stopping the background work that frees it
            self.collect_due = True  # freed after the pages are shown (:meth:`collect_if_due`), not before
        else:
            freeze_kept()

    def collect_if_due(self) -> None:
        """Free the garbage of the builds whose background work was stopped, if :data:`MOST_FROZEN_BUILDS` of them
        left theirs (a full collection: about a second at the Escher letters' scale, during which no thread
        runs): by the background work of a build once its pages are reloaded, or else by the next build."""
        if self.collect_due:
            collect_frozen()
            self._frozen_builds = 0
            self.collect_due = False

    def close(self) -> None:
        """Let go of the kept application (the next build makes a new one)."""
        self._application = self._environment = self._conf = None
        self._restore_thresholds()
        self._frozen_builds, self.collect_due = 0, False
        gc.unfreeze()  # the application let go: its objects can be collected
        if self._stack is not None:
            stack, self._stack = self._stack, None
            stack.close()

    def _restore_thresholds(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def _reusable(self, changed: set[Path] | None) -> bool:
        if changed is None or any(Path(path).suffix.lower() not in KEPT_APPLICATION_TAKES for path in changed):
            return False
        return self._conf_now() == self._conf and self._environment_now() == self._environment

    def _conf_now(self) -> bytes | None:
        try:
            return (self.confdir / "conf.py").read_bytes()
        except OSError:
            return None

    def _environment_now(self) -> tuple[int, int] | None:
        """The modification time and size of the environment Sphinx saved (another build would change it)."""
        from sphinx.application import ENV_PICKLE_FILENAME

        try:
            found = (Path(self._application.doctreedir) / ENV_PICKLE_FILENAME).stat()  # type: ignore[union-attr]
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size


class BackgroundIndexing:
    """The search index of the last build, made in a thread once its pages are published and reloaded (the
    changed page first, the search a few seconds later); stopped when a new build begins, which makes it again.
    Until it is done the site keeps the index of an earlier build, which its search page can still use. Once
    done, the garbage of the builds before is freed (:func:`collect_frozen`)."""

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
        if not cancel.is_set():
            collect_frozen()

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

    def __init__(self, build: Callable[[Callable[[Callable[..., Indexed]], None], set[Path] | None], int],
                 on_built: Callable[[], None],
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
        status = self.build(pending.append, changed)
        self.on_built()
        self.say(f"edition: built in {time.monotonic() - started:.1f} s"
                 + ("" if status == 0 else " (with problems: see above)") + "; watching for changes (Ctrl+C stops)")
        for index in pending:
            if self.indexing is not None:
                self.indexing.start(index)
        return status
