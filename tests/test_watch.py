"""The editor's loop (issue 16, item 2): ``edition serve PROJECT --watch`` builds, serves, builds again on a
save and reloads the open page. Timings are measured by ``scripts/bench.py``, not here."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from edition.serve import CHROMIUM, CHROMIUM_ARGS, LIVE_PATH
from edition.watch import is_watched, watched_folders

LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>
    <publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Written for the test.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><p>Dear friend, the first version.</p></body></text>
</TEI>
"""


def test_what_is_watched(tmp_path: Path):
    build = tmp_path / "docs" / "_build"
    assert is_watched(tmp_path / "tei" / "letter.xml", build)
    assert is_watched(tmp_path / "docs" / "conf.py", build) and is_watched(tmp_path / "docs" / "index.md", build)
    assert not is_watched(build / "html" / "index.html", build)  # the build's own output
    assert not is_watched(tmp_path / "tei" / ".letter.xml.swp", build)  # an editor's swap file
    assert not is_watched(tmp_path / "tei" / "letter.xml~", build)
    assert not is_watched(tmp_path / ".git" / "index", build)
    folders = watched_folders(tmp_path / "docs", [tmp_path / "tei" / "a.xml", tmp_path / "tei" / "sub" / "b.xml"])
    assert folders == [(tmp_path / "docs").resolve(), (tmp_path / "tei").resolve()]


class Served:
    """A project served with --watch: its URL, its TEI file, its conf.py and what the server has said."""

    def __init__(self, url: str, tei: Path, conf: Path, said: list[str]) -> None:
        self.url, self.tei, self.conf, self.said = url, tei, conf, said

    def __iter__(self):  # url, tei
        return iter((self.url, self.tei))

    def wait_said(self, pattern: str, after: int = 0, timeout: float = 60) -> str:
        """The first line the server said after its ``after``-th that matches ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.said[after:]:
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"the server did not say {pattern!r}: {''.join(self.said)}")


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Served]:
    """A project served with --watch."""
    tei = tmp_path / "letter.xml"
    tei.write_text(LETTER, encoding="utf-8")
    run = [sys.executable, "-m", "edition.cli"]
    subprocess.run([*run, "init", str(tmp_path / "project"), "--tei", str(tei)], check=True, capture_output=True)
    copy = tmp_path / "project" / "tei" / "letter.xml"
    server = subprocess.Popen([*run, "serve", str(tmp_path / "project"), "--watch", "-p", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said: list[str] = []
    threading.Thread(target=lambda: said.extend(server.stdout), daemon=True).start()
    try:
        found = Served("", copy, tmp_path / "project" / "docs" / "conf.py", said)
        found.url = re.search(r"at (http://127\.0\.0\.1:\d+/)", found.wait_said(r"at http://", timeout=120))[1]
        yield found
    finally:
        server.terminate()
        server.wait(timeout=30)


def _playwright():
    if os.environ.get("EDITION_REQUIRE_BROWSER"):
        import playwright.sync_api as playwright_api
    else:
        playwright_api = pytest.importorskip("playwright.sync_api")
        if not Path(CHROMIUM).is_file():
            pytest.skip("needs Debian's chromium")
    return playwright_api


def test_a_saved_tei_file_changes_the_open_page(watched: tuple[str, Path]):
    playwright_api = _playwright()
    url, tei = watched
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}texts/letter.html")
        assert "the first version" in page.locator("section#text").inner_text()
        assert LIVE_PATH in page.content()  # the page listens for new builds
        tei.write_text(LETTER.replace("the first version", "the second version"), encoding="utf-8")
        # (the page is reloaded by the server, not by the test: while it loads, it may have no section yet)
        page.wait_for_function("(document.querySelector('section#text')?.innerText ?? '').includes('the second "
                               "version')", timeout=60000)
        browser.close()


def test_the_search_follows_a_save_after_the_page(watched: tuple[str, Path]):
    """The index is made again in the background once the pages are reloaded; an open search page, which
    searched the index before, reloads itself when the new one is there and finds the new words."""
    playwright_api = _playwright()
    url, tei = watched
    status = "(document.getElementById('edition-search-status')?.textContent ?? '')"  # none while it reloads
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}search.html?q=Quetzalcoatlus")
        page.wait_for_function(f"/Nothing found/.test({status})", timeout=60000)  # the first index, once made
        tei.write_text(LETTER.replace("the first version", "the Quetzalcoatlus version"), encoding="utf-8")
        page.wait_for_function(f"/1 page found/.test({status})", timeout=60000)  # reloaded by the server
        browser.close()


def _open(playwright, url: str):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(url)
    return browser, page


def _shows(page, words: str) -> None:
    """Wait until the open page, reloaded by the server (not by the test), shows ``words`` in its text."""
    page.wait_for_function(f"document.querySelector('section#text') && "
                           f"document.querySelector('section#text').innerText.includes({words!r})", timeout=60000)


def test_two_successive_saves_both_reach_the_open_page(watched: Served):
    playwright_api = _playwright()
    with playwright_api.sync_playwright() as playwright:
        browser, page = _open(playwright, f"{watched.url}texts/letter.html")
        for version in ("the second version", "the third version"):
            watched.tei.write_text(LETTER.replace("the first version", version), encoding="utf-8")
            _shows(page, version)
        browser.close()


def test_a_tei_error_in_a_save_is_reported_and_the_next_good_save_recovers(watched: Served):
    playwright_api = _playwright()
    with playwright_api.sync_playwright() as playwright:
        browser, page = _open(playwright, f"{watched.url}texts/letter.html")
        before = len(watched.said)
        watched.tei.write_text(LETTER.replace("</p>", "</q>", 1), encoding="utf-8")  # not well-formed
        watched.wait_said(r"letter\.xml:\d+.*WARNING", before)  # the file, where, and what
        watched.wait_said(r"1 TEI file that cannot be read", before)
        page.wait_for_function("(document.body?.innerText ?? '').includes('could not be read')", timeout=60000)
        watched.tei.write_text(LETTER.replace("the first version", "the mended version"), encoding="utf-8")
        _shows(page, "the mended version")
        browser.close()


def test_a_change_of_conf_py_is_built_and_later_saves_too(watched: Served):
    playwright_api = _playwright()
    with playwright_api.sync_playwright() as playwright:
        browser, page = _open(playwright, f"{watched.url}texts/letter.html")
        conf = watched.conf.read_text(encoding="utf-8")
        watched.conf.write_text(conf.replace("project = ", "project = 'The renamed edition' or "), encoding="utf-8")
        page.wait_for_function("document.title.includes('The renamed edition')", timeout=60000)
        watched.tei.write_text(LETTER.replace("the first version", "the version after"), encoding="utf-8")
        _shows(page, "the version after")
        assert "The renamed edition" in page.title()
        browser.close()


def _site(folder: Path) -> dict[str, bytes]:
    """The published files of a site, but the search index (made in the background) and Sphinx's build info."""
    left_out = {"pagefind", ".buildinfo", ".buildinfo.bak", ".edition-published.json"}  # not pages
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not left_out & set(p.relative_to(folder).parts)}


def _two_letters(tmp_path: Path) -> tuple[Path, argparse.Namespace]:
    """A project of two letters (``edition init``), and the arguments of ``edition build`` for it."""
    from edition.cli import main

    tei = tmp_path / "letter.xml"
    tei.write_text(LETTER, encoding="utf-8")
    (tmp_path / "other.xml").write_text(LETTER.replace("A letter", "Another letter"), encoding="utf-8")
    assert main(["init", str(tmp_path / "project"), "--tei", str(tei), str(tmp_path / "other.xml")]) == 0
    project = tmp_path / "project"
    return project, argparse.Namespace(project=str(project), output=None, jobs="1", strict=False, verbose=False,
                                       quiet=True)


def _done_now(later: Callable[[threading.Event], object]) -> None:
    """Do at once the work a watch mode's build leaves for after its pages (the export, the search index)."""
    later(threading.Event())


def test_a_kept_application_builds_what_a_fresh_build_builds(tmp_path: Path, capsys):
    """The watch mode's builds, with one Sphinx application kept between saves, publish what ``edition
    build`` publishes from the same files (once the work they leave for after the pages is done); a broken
    save, a mended one and a change of conf.py included."""
    from edition.cli import cmd_build, main
    from edition.publish.buildreport import BuildReport
    from edition.watch import KeptApplication

    project, args = _two_letters(tmp_path)
    letter, conf = project / "tei" / "letter.xml", project / "docs" / "conf.py"
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    try:
        assert cmd_build(args, _done_now, kept) == 0
        first = kept.app
        letter.write_text(LETTER.replace("the first version", "the second version"), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {letter}) == 0
        assert kept.app is first  # kept
        letter.write_text(LETTER.replace("</p>", "</q>", 1), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {letter}) == 1  # a TEI file that cannot be read
        assert "1 TEI file that cannot be read" in capsys.readouterr().err
        assert kept.app is first  # a problem of the data, not of the build
        letter.write_text(LETTER.replace("the first version", "the mended version"), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {letter}) == 0
        assert "cannot be read" not in capsys.readouterr().err  # each build reports its own warnings
        conf.write_text(conf.read_text(encoding="utf-8") + "html_title = 'Renamed'\n", encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {conf}) == 0
        assert kept.app is not first  # conf.py is read when an application starts: a new one
        second = kept.app
        letter.write_text(LETTER.replace("the first version", "the last version"), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {letter}) == 0
        assert kept.app is second
    finally:
        kept.close()
    assert main(["build", "-q", str(project), "-o", str(tmp_path / "fresh")]) == 0
    watched_site, fresh_site = _site(project / "docs" / "_build" / "html"), _site(tmp_path / "fresh")
    assert b"the last version" in watched_site["texts/letter.html"] and b"Renamed" in watched_site["index.html"]
    assert watched_site.keys() == fresh_site.keys()
    assert [name for name in watched_site if watched_site[name] != fresh_site[name]] == []


def test_the_watch_mode_writes_the_export_after_the_pages(tmp_path: Path):
    """The watch mode's build leaves the teiCorpus export to the work done after its pages are published and
    reloaded (with the search index): the page shows the save first, the export follows; stopped by a new
    build, that work leaves the export as it was, and the next one writes it."""
    from edition.cli import cmd_build
    from edition.publish.buildreport import BuildReport
    from edition.publish.export import CORPUS_NAME
    from edition.watch import KeptApplication

    project, args = _two_letters(tmp_path)
    letter, site = project / "tei" / "letter.xml", project / "docs" / "_build" / "html"
    corpus = site / "tei" / CORPUS_NAME
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    later: list[Callable[[threading.Event], object]] = []
    try:
        assert cmd_build(args, later.append, kept) == 0
        _done_now(later.pop())
        assert b"Another letter" in corpus.read_bytes()
        letter.write_text(LETTER.replace("the first version", "the second version"), encoding="utf-8")
        assert cmd_build(args, later.append, kept, {letter}) == 0
        assert b"the second version" in (site / "texts" / "letter.html").read_bytes()
        assert b"the second version" not in corpus.read_bytes()  # not yet
        stopped = threading.Event()
        stopped.set()  # a new build began
        later.pop()(stopped)
        assert b"the second version" not in corpus.read_bytes()
        letter.write_text(LETTER.replace("the first version", "the third version"), encoding="utf-8")
        assert cmd_build(args, later.append, kept, {letter}) == 0
        _done_now(later.pop())
        assert b"the third version" in corpus.read_bytes()
    finally:
        kept.close()


def test_a_kept_application_is_left_out_of_the_collectors_full_passes(tmp_path: Path):
    """The objects a kept application holds (millions at the Escher letters' scale) are frozen after each build,
    so that the garbage collector does not walk them all during the next; let go when the application is."""
    import gc

    from edition.cli import cmd_build
    from edition.publish.buildreport import BuildReport
    from edition.watch import KeptApplication

    project, args = _two_letters(tmp_path)
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    try:
        assert cmd_build(args, _done_now, kept) == 0
        assert gc.get_freeze_count() > 0
    finally:
        kept.close()
    assert gc.get_freeze_count() == 0


def test_the_garbage_of_frozen_objects_is_freed_once_the_background_work_is_done():
    import gc
    import weakref

    from edition.publish.search import Indexed
    from edition.watch import BackgroundIndexing, freeze_kept

    class Cycle:
        pass

    garbage = Cycle()
    garbage.itself = garbage
    gone = weakref.ref(garbage)
    try:
        freeze_kept()
        del garbage
        gc.collect()
        assert gone() is not None  # frozen: left alone
        indexing = BackgroundIndexing(lambda line: None, lambda: None)
        indexing.start(lambda cancel: Indexed(ran=False))
        indexing.wait()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_saves_quicker_than_the_background_work_do_not_keep_every_builds_garbage(tmp_path: Path):
    """The background work frees the frozen garbage when it is done; an editor saving again and again before it
    is would freeze one more build's garbage at each save: after MOST_FROZEN_BUILDS builds, it is freed once the
    build's pages are shown (by its background work: a full collection stops every thread for a second at the
    Escher letters' scale), or else by the next build."""
    import gc
    import weakref

    from edition.cli import cmd_build
    from edition.publish.buildreport import BuildReport
    from edition.watch import MOST_FROZEN_BUILDS, KeptApplication, freeze_kept

    class Cycle:
        pass

    project, args = _two_letters(tmp_path)
    saved = {project / "tei" / "letter.xml"}  # a save: the application is kept
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    try:
        assert cmd_build(args, _done_now, kept) == 0
        garbage = Cycle()
        garbage.itself = garbage
        gone = weakref.ref(garbage)
        del garbage
        freeze_kept()  # as the first build's garbage is
        for _ in range(MOST_FROZEN_BUILDS - 1):
            assert cmd_build(args, _done_now, kept, saved) == 0  # the background work never ran (_done_now)
            assert gone() is not None  # frozen with the build's objects
        assert cmd_build(args, _done_now, kept, saved) == 0
        assert kept.collect_due and gone() is not None  # not on the way from the save to the page
        kept.collect_if_due()
        assert gone() is None and not kept.collect_due
        assert gc.get_freeze_count() > 0  # what the application holds: frozen again

        garbage = Cycle()
        garbage.itself = garbage
        gone = weakref.ref(garbage)
        del garbage
        freeze_kept()
        while not kept.collect_due:
            assert cmd_build(args, _done_now, kept, saved) == 0
        assert gone() is not None
        assert cmd_build(args, _done_now, kept, saved) == 0  # the background work did not free it: this build does
        assert gone() is None
    finally:
        kept.close()


def test_a_kept_applications_build_runs_with_fewer_collections_and_restores_them(tmp_path: Path):
    """A build after a save makes a few pages but, at the Escher letters' scale, a million short-lived objects:
    the collector's youngest threshold is raised while it runs (its full passes took 0.7 s of each save), and
    set back after it, whether it succeeded or not."""
    import gc

    from edition.cli import cmd_build
    from edition.publish.buildreport import BuildReport
    from edition.watch import KEPT_BUILD_THRESHOLD, KeptApplication

    project, args = _two_letters(tmp_path)
    letter = project / "tei" / "letter.xml"
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    before = gc.get_threshold()
    try:
        assert cmd_build(args, _done_now, kept) == 0
        assert gc.get_threshold() == before
        app = kept.application(lambda: None, {letter})  # the kept one: no new application is made
        assert gc.get_threshold()[0] == KEPT_BUILD_THRESHOLD
        app.build()
        kept.built(complete=True)
        assert gc.get_threshold() == before
        kept.application(lambda: None, {letter})
        kept.built(complete=False)  # a build that failed
        assert gc.get_threshold() == before
        assert cmd_build(args, _done_now, kept) == 0
        letter.write_text("<TEI", encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("edition.extension.prepare_build", _fails)
            with pytest.raises(OSError):
                kept.application(lambda: None, {letter})  # preparing the build failed
        assert gc.get_threshold() == before
    finally:
        kept.close()
    assert gc.get_threshold() == before


def _fails(*_args: object) -> None:
    raise OSError("the disk is full")


def test_a_kept_application_does_not_save_what_it_read_and_a_later_build_reads_what_changed(tmp_path: Path,
                                                                                            monkeypatch):
    """The watch mode keeps what it read of the edition in its process, and does not write it to the build's
    state again at each save (0.1 s of each save at the Escher letters): a later ``edition build`` finds that
    state older than the files and reads again those that changed since."""
    from edition.cli import cmd_build, main
    from edition.publish.buildreport import BuildReport
    from edition.watch import KeptApplication

    header = ('<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt><publicationStmt><p>Test.</p>'
              '</publicationStmt><sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader>')
    register = tmp_path / "persons.xml"
    register.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{header.format("Persons")}<text><body>'
                        '<listPerson><person xml:id="anna"><persName>Anna Arndt</persName></person></listPerson>'
                        '</body></text></TEI>', encoding="utf-8")
    (tmp_path / "letter.xml").write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{header.format("A letter")}<text><body><p>Dear '
        '<persName ref="persons.xml#anna">Anna</persName>.</p></body></text></TEI>', encoding="utf-8")
    project = tmp_path / "project"
    assert main(["init", str(project), "--tei", str(tmp_path / "letter.xml"), "--register", str(register)]) == 0
    args = argparse.Namespace(project=str(project), output=None, jobs="1", strict=False, verbose=False, quiet=True)
    copied = project / "tei" / "persons.xml"
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    try:
        assert cmd_build(args, _done_now, kept) == 0
        (state,) = (project / "docs" / "_build").rglob("edition-registry.pickle")
        saved = state.read_bytes()
        copied.write_text(copied.read_text(encoding="utf-8").replace("Anna Arndt", "Anna Berg"), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {copied}) == 0
        assert state.read_bytes() == saved  # kept in the process, not written again
        person = project / "docs" / "_build" / "html" / "persons" / "anna.html"
        assert "Anna Berg" in person.read_text(encoding="utf-8")
    finally:
        kept.close()
    copied.write_text(copied.read_text(encoding="utf-8").replace("Anna Berg", "Anna Cramer"), encoding="utf-8")
    import edition.core.register as register_module

    read, real = [], register_module.read_file_entries
    monkeypatch.setattr(register_module, "read_file_entries",
                        lambda path, *args: read.append(path.name) or real(path, *args))
    assert main(["build", "-q", str(project)]) == 0
    assert "Anna Cramer" in person.read_text(encoding="utf-8")
    assert read == ["persons.xml"]  # the letter, unchanged since the state was written, is not read again
    assert state.read_bytes() != saved  # a one-off build writes it


def test_a_kept_application_keeps_the_chronologys_pages_of_a_year_as_a_fresh_build_makes_them(tmp_path: Path):
    """The pages of a year (``edition_chronology_pages``) are pages of the builder's own, made at the end of
    each build: a kept application writes the changed year again, removes a year no date is in any more, and
    publishes what ``edition build`` publishes."""
    from edition.cli import cmd_build, main
    from edition.publish.buildreport import BuildReport
    from edition.watch import KeptApplication

    project, args = _two_letters(tmp_path)
    letter, conf = project / "tei" / "letter.xml", project / "docs" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "edition_chronology_pages = 'year'\n", encoding="utf-8")
    dated = LETTER.replace("the first version", 'written on <date when="1890-05-01">1 May 1890</date>')
    letter.write_text(dated, encoding="utf-8")
    site = project / "docs" / "_build" / "html"
    kept = KeptApplication((project / "docs").resolve(), BuildReport(sys.stderr))
    try:
        assert cmd_build(args, _done_now, kept) == 0
        assert "1 May 1890" in (site / "chronology-1890.html").read_text(encoding="utf-8")
        letter.write_text(dated.replace("1890", "1891"), encoding="utf-8")
        assert cmd_build(args, _done_now, kept, {letter}) == 0
    finally:
        kept.close()
    assert not (site / "chronology-1890.html").exists()
    assert "1 May 1891" in (site / "chronology-1891.html").read_text(encoding="utf-8")
    assert main(["build", "-q", str(project), "-o", str(tmp_path / "fresh")]) == 0
    watched_site, fresh_site = _site(site), _site(tmp_path / "fresh")
    assert watched_site.keys() == fresh_site.keys()
    assert [name for name in watched_site if watched_site[name] != fresh_site[name]] == []


def test_a_kept_edition_keeps_the_pages_of_its_texts_while_no_text_comes_or_goes(tmp_path: Path):
    """The watch mode reads again only the saved file, and takes the texts' pages as they were (making the paths
    and pages of 5,069 letters again took 0.1 s of every save); a text added gives them anew."""
    from edition.project import read_edition

    project, _args = _two_letters(tmp_path)
    letter, other = project / "tei" / "letter.xml", project / "tei" / "other.xml"
    root = str(project)
    first = read_edition([str(letter), str(other)], [], root)
    letter.write_text(LETTER.replace("the first version", "the second version"), encoding="utf-8")
    again = read_edition([str(letter), str(other)], [], root, kept=first)
    assert again is not first and again.edition.texts is first.edition.texts
    third = project / "tei" / "third.xml"
    third.write_text(LETTER.replace("A letter", "A third letter"), encoding="utf-8")
    added = read_edition([str(letter), str(other), str(third)], [], root, kept=again)
    assert [text.docname for text in added.edition.texts] == ["texts/letter", "texts/other", "texts/third"]
