"""The editor's loop (issue 16, item 2): ``edition serve PROJECT --watch`` builds, serves, builds again on a
save and reloads the open page. Timings are measured by ``scripts/bench.py``, not here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
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


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A project served with --watch: its URL and its TEI file."""
    tei = tmp_path / "letter.xml"
    tei.write_text(LETTER, encoding="utf-8")
    run = [sys.executable, "-m", "edition.cli"]
    subprocess.run([*run, "init", str(tmp_path / "project"), "--tei", str(tei)], check=True, capture_output=True)
    copy = tmp_path / "project" / "tei" / "letter.xml"
    server = subprocess.Popen([*run, "serve", str(tmp_path / "project"), "--watch", "-p", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line, "the server stopped before serving"
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            url = found[1] if found else None
        assert url, "no URL printed"
        yield url, copy
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
        page.wait_for_function("document.querySelector('section#text').innerText.includes('the second version')",
                               timeout=60000)  # reloaded by the server, not by the test
        browser.close()


def test_the_search_follows_a_save_after_the_page(watched: tuple[str, Path]):
    """The index is made again in the background once the pages are reloaded; an open search page, which
    searched the index before, reloads itself when the new one is there and finds the new words."""
    playwright_api = _playwright()
    url, tei = watched
    status = "document.getElementById('edition-search-status').textContent"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}search.html?q=Quetzalcoatlus")
        page.wait_for_function(f"/Nothing found/.test({status})", timeout=60000)  # the first index, once made
        tei.write_text(LETTER.replace("the first version", "the Quetzalcoatlus version"), encoding="utf-8")
        page.wait_for_function(f"/1 page found/.test({status})", timeout=60000)  # reloaded by the server
        browser.close()
