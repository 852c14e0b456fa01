"""Whether the previous build finished: a build killed at any moment is followed by a complete one.

Sphinx keeps what it read (the environment, the doctrees) and what it wrote (pages, whose modification
times say which are up to date, ``.buildinfo``) between builds, and trusts both. A build killed while it
writes leaves pages that are not what their sources make (the lists computed from the whole edition not
yet brought up to date) but newer than them, or a ``.buildinfo`` cut short: the next build would keep
them so for good. (The search index is made whole again whenever a page changed: :mod:`edition.publish.search`.)

So each builder marks in the doctree folder (``edition-build-state-<builder>-<output folder>``) that a build is running
when it starts, and that it finished when it did, with every file written. When the next build finds
no mark of a finished build, it re-reads and rewrites every page and drops the ``.buildinfo`` that may be
cut short: the site equals a clean build's.

Test-only: ``EDITION_TEST_STOP=read:N`` (``write:N``, ``finish:1``) kills the build with ``SIGKILL`` once
N pages were read (N pages are about to be written, the build is finishing), for the tests that
interrupt builds.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from .core.files import write_atomic
from .publish.sitebuild import FileSystemWarnings, test_stop

if TYPE_CHECKING:
    from sphinx.application import Sphinx

COMPLETE, RUNNING, RUNNING_AFTER_UNFINISHED = "complete", "running", "running after an unfinished build"


def _marker(app: Sphinx) -> Path:
    """The mark of this builder writing into this output folder (several may share a doctree folder)."""
    where = hashlib.sha256(str(Path(app.outdir).resolve()).encode()).hexdigest()[:12]
    return Path(app.doctreedir) / f"edition-build-state-{app.builder.name}-{where}"


def _state(app: Sphinx) -> str:
    try:
        return _marker(app).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def start(app: Sphinx) -> None:
    """``builder-inited``: note that a build is running, and whether the one before finished."""
    previous = _state(app)
    if previous != COMPLETE:
        with contextlib.suppress(OSError):
            (Path(app.outdir) / ".buildinfo").unlink()  # possibly cut short; Sphinx writes it again
    write_atomic(_marker(app), RUNNING if previous == COMPLETE else RUNNING_AFTER_UNFINISHED)
    sphinx_logger = logging.getLogger("sphinx")
    if not any(isinstance(handler, FileSystemWarnings) for handler in sphinx_logger.handlers):
        sphinx_logger.addHandler(FileSystemWarnings())


def must_rewrite_everything(app: Sphinx) -> bool:
    """Whether the build before this one did not finish (so nothing it left is to be trusted)."""
    return _state(app) == RUNNING_AFTER_UNFINISHED


def finish(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (after the edition's own files): mark the build finished if it wrote everything."""
    sphinx_logger = logging.getLogger("sphinx")
    watchers = [h for h in sphinx_logger.handlers if isinstance(h, FileSystemWarnings)]
    for watcher in watchers:
        sphinx_logger.removeHandler(watcher)
    if exception is None and not any(watcher.errors for watcher in watchers):
        write_atomic(_marker(app), COMPLETE)


def remove_outputs(app: Sphinx, removed: set[str]) -> None:
    """``env-get-outdated``: remove the pages of documents that are gone (a text taken out of
    ``edition_texts``, an entry out of a register), and their copies in ``_sources/`` (Sphinx leaves both)."""
    output_of = getattr(app.builder, "get_outfilename", None)
    if output_of is None:
        return
    sources = Path(app.outdir) / "_sources"
    for docname in removed:
        with contextlib.suppress(OSError):
            Path(output_of(docname)).unlink(missing_ok=True)
        folder, _, name = (sources / docname).as_posix().rpartition("/")
        for copy in Path(folder).glob(f"{glob.escape(name)}.*"):
            with contextlib.suppress(OSError):
                copy.unlink()


def install_test_stops(app: Sphinx) -> None:
    """Test-only: kill the build at the moment named by ``$EDITION_TEST_STOP`` (see the module's doc)."""
    stop = test_stop()
    if stop is None:
        return
    (moment, limit), seen = stop, [0]

    def tick(*_args: object) -> None:
        seen[0] += 1
        if seen[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    event = {"read": "source-read", "write": "html-page-context", "finish": "build-finished"}.get(moment)
    if event is not None:
        app.connect(event, tick, priority=100 if moment == "finish" else 500)
