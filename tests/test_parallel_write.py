"""A parallel build (``-j N``) writes its pages in N processes, with the main process holding few of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.errors import SphinxParallelError
from sphinx.util.console import strip_colors
from sphinx.util.parallel import make_chunks

from edition.parallel_write import WRITE_CHUNK, BoundedHTMLBuilder, read_in_parallel, write_chunks

from .conftest import ROOTS, build_root

PAGES = 150

#: added to the small edition's conf.py: in the main process, each page's resolution notes how many of the
#: pages resolved before it are not written yet; a writing process warns on one page and fails on another
CONF = '''
import os
from pathlib import Path

from sphinx.util import logging

_resolved = []


def _note_lag(app, doctree, docname):
    written = sum(1 for _ in Path(app.outdir).rglob("*.html"))
    _resolved.append(docname)
    with open(Path(app.doctreedir) / "lag.txt", "a") as out:
        out.write(f"{len(_resolved) - written}\\n")


def _write_phase(app, pagename, templatename, context, doctree):
    if pagename == "extra/p077":
        logging.getLogger(__name__).warning("seen while writing %s", pagename, type="test")
    if pagename == os.environ.get("EDITION_TEST_FAIL_PAGE"):
        raise RuntimeError(f"failed on {pagename}")


def _read_phase(app, doctree):
    if app.env.docname == os.environ.get("EDITION_TEST_FAIL_READ"):
        raise RuntimeError(f"failed reading {app.env.docname}")
    if app.env.docname == os.environ.get("EDITION_TEST_INTERRUPT_READ"):
        raise KeyboardInterrupt


def setup(app):
    app.connect("doctree-read", _read_phase)
    app.connect("doctree-resolved", _note_lag)
    app.connect("html-page-context", _write_phase)
'''


def _project(where: Path) -> Path:
    src = where / "src"
    shutil.copytree(ROOTS / "test-small", src)
    (src / "conf.py").write_text((src / "conf.py").read_text(encoding="utf-8") + CONF, encoding="utf-8")
    extra = src / "extra"
    extra.mkdir()
    names = [f"p{number:03}" for number in range(PAGES)]
    for name in names:
        (extra / f"{name}.md").write_text(f"# Page {name}\n\n" + "Some words of the page. " * 200 + "\n",
                                          encoding="utf-8")
    (extra / "index.md").write_text("# Extra\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("downloads\n", "downloads\nextra/index\n"),
                     encoding="utf-8")
    return where


def _pages(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def test_the_main_process_resolves_a_chunk_only_while_a_writing_process_is_free(tmp_path: Path):
    app = build_root("test-small", _project(tmp_path / "parallel"), parallel=2, warningiserror=False)
    assert isinstance(app.builder, BoundedHTMLBuilder) and app.builder.parallel_ok
    docs = sorted(app.env.found_docs)
    chunk = len(write_chunks(docs[1:], 2)[0])
    lags = [int(line) for line in (Path(app.doctreedir) / "lag.txt").read_text().split()]
    assert len(lags) == len(docs) > 5 * chunk
    # two chunks being written and the one being resolved (Sphinx's own writing held nearly every page)
    assert max(lags) <= 3 * chunk
    warnings = strip_colors(app.warning.getvalue())
    assert warnings.count("seen while writing extra/p077") == 1  # logged in a writing process, given back
    serial = build_root("test-small", _project(tmp_path / "serial"), warningiserror=False)
    assert _pages(Path(app.outdir)) == _pages(Path(serial.outdir))


def test_a_page_that_fails_in_a_writing_process_fails_the_build(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("EDITION_TEST_FAIL_PAGE", "extra/p100")
    app = build_root("test-small", _project(tmp_path), parallel=2, warningiserror=False, build=False)
    try:
        with pytest.raises(SphinxParallelError, match="failed on extra/p100"):
            app.build()
    finally:
        app.cleanup()  # docutils' roles and directives as they were, for the builds of the next tests


def test_a_writing_process_writes_few_pages():
    """A writing process copies the pages of the doctrees it writes, 0.5-1 MB a page: Sphinx's chunks of 230
    pages at the Escher letters made each writing process 250 MB of its own."""
    pages = [f"texts/letter{number:05}" for number in range(10_579)]
    chunks = write_chunks(pages, 2)
    assert len(make_chunks(pages, 2)[0]) > WRITE_CHUNK
    assert [page for chunk in chunks for page in chunk] == pages
    assert {len(chunk) for chunk in chunks[:-1]} == {WRITE_CHUNK} and 0 < len(chunks[-1]) <= WRITE_CHUNK
    few = pages[:40]
    assert write_chunks(few, 2) == make_chunks(few, 2)  # Sphinx's chunks when they are small
    assert write_chunks([], 2) == []


def test_a_quarter_of_the_pages_or_more_are_read_in_parallel():
    assert read_in_parallel(10_579, 10_579) and read_in_parallel(2_645, 10_579)
    assert not read_in_parallel(2_644, 10_579) and not read_in_parallel(40, 10_579)


@pytest.mark.parametrize("stop", ["EDITION_TEST_FAIL_READ", "EDITION_TEST_INTERRUPT_READ"])
def test_a_build_stopped_while_it_reads_few_pages_leaves_its_jobs_to_the_next(tmp_path: Path, monkeypatch,
                                                                             stop: str):
    """A build that reads few pages reads them serially (``app.parallel`` lowered to 1 while it reads); if it
    fails or is interrupted then (no ``build-finished`` for a ``KeyboardInterrupt``), the next build of the
    application (the watch mode keeps one) still has its ``-j``."""
    app = build_root("test-small", _project(tmp_path), parallel=2, warningiserror=False, build=False)
    try:
        app.build()
        page = Path(app.srcdir) / "extra" / "p010.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        monkeypatch.setenv(stop, "extra/p010")
        with pytest.raises((Exception, KeyboardInterrupt)):
            app.build()
        monkeypatch.delenv(stop)
        app.build()
        assert app.parallel == 2
    finally:
        app.cleanup()
