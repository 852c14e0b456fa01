"""Reading the pages of a parallel build (``-j N``) without Python's garbage collector walking the whole heap.

Sphinx reads in forked processes, each sending back the environment it holds, pickled; the main process
unpickles and merges each (``env-merge-info``). Unpickling makes hundreds of thousands of objects (the tables of
contents and titles are docutils nodes), and while it does, the garbage collector runs full collections over
everything the main process holds: at the first 1,000 Alfred Escher letters, unpickling the 28 chunks' 70 MB took
15.6 s of the main process's time, and 3.0 s with the collector paused (the whole site: about a minute against
twelve seconds, while the reading processes wait for a processor).

So while a parallel build reads (``env-before-read-docs`` to ``env-updated``; :mod:`edition.collector`):

- the main process pauses the collector, and runs one full collection at each merge, which frees the copy of the
  environment the merge before left (its nodes hold references to each other, so only the collector frees them);
- what the main process held before is frozen (``gc.freeze``) unless something is frozen already (``edition
  build`` freezes the application it loaded), so that those collections walk only what the merges add;
- each reading process, at its first page, freezes what it inherited and turns its collector on again: its
  collections walk only what it makes. As Python's documentation advises for forked processes, this also keeps
  it from writing to every inherited object's memory, which each process would otherwise copy.

A build that reads in the main process after all (an extension not safe for parallel reading) resumes the
collector at its first page.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .collector import Pause, collect_own_objects

#: the builder's attribute holding the pause of a parallel reading (:class:`edition.collector.Pause`)
PAUSE = "edition_reading_pause"


def _pause_of(app: Sphinx) -> Pause | None:
    return getattr(app.builder, PAUSE, None)


def _pause(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``, after :func:`edition.parallel_write._read_few_serially` decided: a parallel
    reading pauses the main process's collector (without collecting first: what it held is frozen only if
    nothing is frozen yet)."""
    _resume(app)  # left paused by a build stopped while it read
    if app.parallel > 1 and len(docnames) > 1:
        pause = Pause(collect_first=False)
        if pause.start():
            setattr(app.builder, PAUSE, pause)


def _page_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: in a reading process, at its first page, its collector walks only what it makes; in the
    main process, the reading is serial after all, so its collector resumes."""
    pause = _pause_of(app)
    if pause is None or not pause.paused_in:
        return
    if pause.here:
        _resume(app)
    elif not gc.isenabled():
        collect_own_objects(freeze_inherited=True)  # the main process may have frozen none of it


def _merged(app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: free what the merge before left (see the module)."""
    pause = _pause_of(app)
    if pause is not None and pause.here:
        gc.collect()


def _resume(app: Sphinx, *_: object) -> None:
    """``env-updated``, and ``build-finished`` for a build that failed while reading: the collector as it was."""
    pause = _pause_of(app)
    if pause is not None and pause.here:
        pause.end()
        setattr(app.builder, PAUSE, None)


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _pause, priority=950)  # after the decision to read in parallel (900)
    app.connect("source-read", _page_read, priority=100)
    app.connect("env-merge-info", _merged, priority=900)  # after the merges of the other handlers
    app.connect("env-updated", _resume, priority=100)
    app.connect("build-finished", _resume)
