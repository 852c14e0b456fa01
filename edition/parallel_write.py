"""Writing the pages of a parallel build (``-j N``) with what the main process holds kept small.

Sphinx's own parallel writing resolves every page in the main process and gives them, a chunk at a time, to
N - 1 writing processes without waiting for them. Resolving a page is about three times faster than writing
it, so the main process soon holds most of the site's pages, resolved, until the last one is written: at the
Alfred Escher letters (10,579 pages, ``-j 2``) it grew by 400–500 MB, to 1.26 GB. And with ``-j 2`` only one
process writes while the main one waits for it.

Here N processes write (:meth:`BoundedHTMLBuilder.write_documents`, the method Sphinx documents for builders
to override), and the main process resolves the next chunk while they do, then waits for one of them to end
before handing it over: it holds at most N + 1 chunks, and the pages are written by N processes. Each chunk's
warnings are given back to the main process's log, as Sphinx does. Only the ``html`` builder is replaced
(``dirhtml`` and ``singlehtml`` write as Sphinx does).

Reading is Sphinx's, with one condition added: it is parallel only when a quarter of the site's pages or more
are read (:func:`read_in_parallel`). Each of Sphinx's reading processes sends the whole environment back, pickled,
however few pages it read; the main process unpickles and merges it. At the Alfred Escher letters that is
31 MB for each chunk, which costs more than reading the few pages a rebuild reads.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import traceback
from collections.abc import Iterator, Sequence, Set
from multiprocessing.connection import Connection, wait
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxParallelError
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.display import status_iterator
from sphinx.util.parallel import make_chunks

from .collector import Pause, collect_own_objects

#: the most pages a writing process writes. A process copies the pages of memory of the doctrees it writes (the
#: main process resolved them before it forked, and Python writes to an object it reads: its reference count),
#: so it grows by 0.5-1 MB with each page it writes; Sphinx's chunks are 230 pages at the Alfred Escher letters
#: (about 250 MB for each writing process). Smaller chunks cost a process each, which starts without the caches
#: the one before filled: measured at the Escher letters (``scripts/build_memory.py``, ``-j 2``), Sphinx's
#: chunks wrote the pages in 109 s, chunks of 96 in 84 and 94 s, of 48 in 120 s (at 1,000 letters 19 % slower)
WRITE_CHUNK = 96

#: Sphinx reads in parallel only when at least this share of the site's pages are read (a first build, a
#: changed configuration, many texts changed): below it, the environment sent back from each reading process
#: costs about what the second process saves (estimated, not measured; a one-letter rebuild was measured)
PARALLEL_READ_SHARE = 0.25

logger = logging.getLogger(__name__)

Chunk = list[tuple[str, nodes.document]]


class BoundedHTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, writing the pages of a parallel build as the module says."""

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        self.jobs = app.parallel
        #: the ``-j`` of a build reading few pages, lowered to 1 while it reads (:func:`_read_few_serially`)
        self.lowered_from = 0

    def write_documents(self, docnames: Set[str]) -> None:
        if not self.parallel_ok or len(docnames) < 2:
            super().write_documents(docnames)
            return
        first, *rest = sorted(docnames)
        ((docname, doctree),) = _resolved(self, [first])  # written here: the templates are compiled once,
        self.phase = BuildPhase.WRITING  # before the writing processes fork
        self.write_doc(docname, doctree)
        write_bounded(self, rest, self.jobs)


def write_bounded(builder: StandaloneHTMLBuilder, docnames: Sequence[str], jobs: int) -> None:
    """Write ``docnames`` in ``jobs`` forked processes, resolving each chunk in this one once a process is free
    for it (see the module)."""
    chunks = write_chunks(docnames, jobs)
    progress = status_iterator(chunks, "writing output... ", "darkgreen", len(chunks), builder.config.verbosity)
    writing: dict[Connection, multiprocessing.process.BaseProcess] = {}
    context = multiprocessing.get_context("fork")
    try:
        with _heap_frozen() if len(chunks) > 1 else contextlib.nullcontext(False) as paused:
            for chunk in chunks:
                docs = _resolved(builder, chunk)
                while len(writing) >= jobs:
                    _end_one(writing, progress)
                receiver, sender = context.Pipe(duplex=False)
                try:
                    process = context.Process(target=_write_chunk, args=(builder, docs, sender, paused))
                    process.start()  # in this process, start() lets go of the arguments
                except BaseException:
                    receiver.close()
                    raise
                finally:
                    sender.close()  # the writing process's end: its end of file once it is gone
                writing[receiver] = process
                del docs
                if paused:
                    gc.collect()  # the chunk's doctrees, handed over (their nodes refer to each other)
        while writing:
            _end_one(writing, progress)
    finally:
        for receiver, process in writing.items():  # a failure: the others stop too
            process.terminate()
            process.join()
            receiver.close()
    logger.info("")


@contextlib.contextmanager
def _heap_frozen() -> Iterator[bool]:
    """While the main process resolves the chunks: the garbage collector paused, run once, and what the process
    holds then frozen (:class:`edition.collector.Pause`, on top of what was frozen before: the environment
    merged while reading must not be walked at each chunk); the collector runs once a chunk is handed over,
    not while the doctrees are unpickled and resolved.

    Unpickling a doctree makes thousands of objects, and while it does the collector runs full collections
    over everything the process holds: at the Alfred Escher letters, loading the doctrees took 40 s of the main
    process's 117 s of resolving, on which the writing processes wait. The writing processes start with the
    collector paused and what they inherit frozen; each resumes it (:func:`_write_chunk`), walking only what it
    makes. (Not for a single chunk: the collection before freezing costs more than it saves.) Yields whether it
    paused the collector (not if it was paused already)."""
    pause = Pause(collect_first=True)
    paused = pause.start()
    try:
        yield paused
    finally:
        pause.end()


def write_chunks(docnames: Sequence[str], jobs: int) -> list[Sequence[str]]:
    """The pages in chunks as Sphinx makes them, of at most :data:`WRITE_CHUNK` pages each."""
    size = min(len(make_chunks(docnames, jobs)[0]), WRITE_CHUNK) if docnames else 1
    return [docnames[start:start + size] for start in range(0, len(docnames), size)]


def _resolved(builder: StandaloneHTMLBuilder, chunk: Sequence[str]) -> Chunk:
    builder.phase = BuildPhase.RESOLVING
    docs = []
    for docname in chunk:
        doctree = builder.env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
        builder.write_doc_serialized(docname, doctree)
        docs.append((docname, doctree))
    return docs


def _end_one(writing: dict[Connection, Any], progress: Iterator[Any]) -> None:
    """Wait for a writing process to end; log what it logged, raise what it failed with."""
    receiver = wait(list(writing))[0]
    process = writing.pop(receiver)
    try:
        failed, logs, result = receiver.recv()  # EOFError: the process was killed
    finally:
        receiver.close()
        process.join()
    if failed:
        raise SphinxParallelError(*result)
    for record in logs:
        logger.handle(record)
    next(progress, None)


def _write_chunk(builder: StandaloneHTMLBuilder, docs: Chunk, sender: Connection, paused: bool) -> None:
    """In a writing process: write the pages, send back what was logged and whether it failed. ``paused``: the
    main process paused the collector (:func:`_heap_frozen`); it runs again here, over what this process makes
    (what it inherited stays frozen)."""
    if paused:
        collect_own_objects(freeze_inherited=False)  # frozen by the main process (_heap_frozen)
    collector = logging.LogCollector()
    try:
        with collector.collect():
            builder.phase = BuildPhase.WRITING
            for docname, doctree in docs:
                builder.write_doc(docname, doctree)
        failed, result = False, None
    except BaseException as exc:  # the main process raises it
        failed = True
        result = (traceback.format_exception_only(type(exc), exc)[0].strip(), traceback.format_exc())
    logging.convert_serializable(collector.logs)
    sender.send((failed, collector.logs, result))
    sender.close()


def read_in_parallel(reading: int, pages: int) -> bool:
    """Whether reading ``reading`` pages of a site of ``pages`` pays for sending the environment back from each
    reading process (see the module)."""
    return reading >= PARALLEL_READ_SHARE * pages


def _read_few_serially(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: a parallel build reads serially when it reads few of the site's pages; its
    writing stays parallel (:func:`_restore_parallel`)."""
    builder = app.builder
    if not isinstance(builder, BoundedHTMLBuilder):
        return
    _restore_parallel(app)  # left lowered by a build stopped while it read (a KeyboardInterrupt)
    if app.parallel > 1 and not read_in_parallel(len(docnames), len(env.found_docs)):
        builder.lowered_from, app.parallel = app.parallel, 1


def _restore_parallel(app: Sphinx, *_: object) -> None:
    """``env-updated``, and ``build-finished`` for a build that failed while reading: the ``-j`` that
    :func:`_read_few_serially` lowered, if it did."""
    builder = app.builder
    if isinstance(builder, BoundedHTMLBuilder) and builder.lowered_from:
        app.parallel, builder.lowered_from = builder.lowered_from, 0


def setup(app: Sphinx) -> None:
    app.add_builder(BoundedHTMLBuilder, override=True)
    app.connect("env-before-read-docs", _read_few_serially, priority=900)  # the list as other handlers left it
    app.connect("env-updated", _restore_parallel)
    app.connect("build-finished", _restore_parallel)
