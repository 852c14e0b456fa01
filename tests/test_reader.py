"""What a reader does, in a real browser: Debian's Chromium driven by Playwright, headless.

The showcase edition is built once with ``edition build`` and served on 127.0.0.1. Every page
a test opens must log no console error and make no failed request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import pytest

from edition.serve import CHROMIUM, serving

from .conftest import EDITION_TEXT, REPO

TEXT = "texts/stalin-general-secretary.html"
PAGES = {"home": "index.html", "text": TEXT, "person": "persons/kamenev.html", "index": "persons/index.html"}

if os.environ.get("EDITION_REQUIRE_BROWSER"):  # CI: missing parts are an error, not a reason to skip
    import playwright.sync_api as playwright_api

    assert Path(CHROMIUM).is_file(), "the browser tests need Debian's chromium (apt-get install chromium)"
else:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need Playwright")
    if not Path(CHROMIUM).is_file():
        pytest.skip("the browser tests need Debian's chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "edition.cli", "build", str(REPO), "-q", "--strict", "-o",
                             str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


class Reader:
    """A browser tab that records console errors and failed requests."""

    def __init__(self, context, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        # a request the browser cancels (net::ERR_ABORTED: the page went on to another, with its favicon still
        # loading) is not a problem of the site; a missing file is an HTTP 404, below
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}")
                     if "ERR_ABORTED" not in (r.failure or "") else None)
        self.page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 else None)

    def open(self, path: str):
        self.page.goto(urljoin(self.base_url, path))
        self.page.wait_for_load_state("load")
        return self.page

    def path(self) -> str:
        return urlsplit(self.page.url).path.lstrip("/")


@pytest.fixture
def reader(browser, base_url: str) -> Iterator[Reader]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = Reader(context, base_url)
    yield tab
    context.close()
    assert tab.problems == []


def _in_viewport(page, selector: str) -> bool:
    """Whether the element is (or, once scrolling has finished, comes) into view."""
    try:
        page.wait_for_function(
            """(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
                 return box.top >= 0 && box.bottom <= window.innerHeight; }""", arg=selector, timeout=3000)
    except playwright_api.TimeoutError:
        return False
    return True


def test_from_a_name_to_the_person_and_back_to_the_exact_place(reader: Reader):
    page = reader.open(TEXT)
    page.locator('a.reference[href$="persons/kamenev.html"]').first.click()
    page.wait_for_url("**/persons/kamenev.html")
    assert page.locator("h1").inner_text().startswith("Lev Kamenev")
    mentions = page.locator("ol.entry-mentions a.reference")
    assert mentions.count() == 7  # every mention of Kamenev in the text
    target = mentions.nth(3).get_attribute("href")
    mentions.nth(3).click()
    page.wait_for_url(re.compile(r".*/texts/stalin-general-secretary\.html#.+"))
    anchor = urldefrag(page.url).fragment
    assert _in_viewport(page, f"#{anchor}")
    highlight = page.evaluate(f"getComputedStyle(document.getElementById('{anchor}')).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "Kamenev" in page.locator(f"#{anchor}").inner_text()
    assert target.endswith(f"#{anchor}")
    page.go_back()
    page.wait_for_url("**/persons/kamenev.html")


def test_a_note_opens_in_place_with_the_keyboard(reader: Reader):
    page = reader.open(TEXT)
    for _ in range(400):  # a keyboard user tabs through the page to the first note marker
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tei-noteref')"):
            break
    else:
        pytest.fail("no note marker reachable with Tab")
    marker = page.locator(f"#{page.evaluate('document.activeElement.id')}")
    number = marker.inner_text().strip()
    assert marker.get_attribute("aria-haspopup") == "dialog" and marker.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    dialog = page.locator("#edition-note-popover")
    assert dialog.is_visible() and dialog.get_attribute("role") == "dialog"
    assert page.evaluate("document.activeElement.id") == "edition-note-popover"
    assert marker.get_attribute("aria-expanded") == "true"
    assert page.locator("#edition-note-popover-title").inner_text() == f"Note {number}"
    endnote = page.locator(f"li#{marker.get_attribute('href')[1:]}").inner_text().replace("↩", "").strip()
    assert dialog.locator(".edition-note-popover-body").inner_text().strip() == endnote
    assert reader.path() == TEXT and urldefrag(page.url).fragment == ""  # the place is not lost
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('tei-noteref')")
    assert marker.get_attribute("aria-expanded") == "false"


def test_the_readers_annotations_look_different_and_the_key_says_so(reader: Reader):
    page = reader.open(TEXT)
    legend = page.locator(".edition-legend")
    assert legend.is_visible() and legend.locator("summary").inner_text() == "Reading key"  # folded
    legend.locator("summary").click()
    assert "by an unidentified reader of the article" in legend.inner_text()
    colour = "el => getComputedStyle(el).color"
    reader_note = page.locator("section#text p .tei-note-reader").first.evaluate(colour)
    editors_note = page.locator("a.tei-noteref").first.evaluate(colour)
    body_text = page.locator("section#text p").first.evaluate(colour)
    assert len({reader_note, editors_note, body_text}) == 3


def test_a_date_shows_its_normalised_value_on_focus(reader: Reader):
    page = reader.open(TEXT)
    date = page.locator('time.tei-date[datetime="1924-01-21"]').first
    date.focus()
    shown = date.evaluate("el => getComputedStyle(el, '::after').content")
    assert shown == '"21 January 1924"'
    supplied = page.locator('time.tei-date[datetime="1924-01-27"]').first
    supplied.hover()
    assert "year supplied by the editors" in supplied.evaluate("el => getComputedStyle(el, '::after').content")


def test_the_reading_view_is_kept_across_pages(reader: Reader):
    page = reader.open(TEXT)
    misspelt = page.locator(".tei-choice-pair:has(.tei-choice-orig)").first
    assert misspelt.locator(".tei-choice-orig").is_visible() and not misspelt.locator(".tei-choice-reg").is_visible()
    page.get_by_role("button", name="Show corrected readings").click()
    assert misspelt.locator(".tei-choice-reg").is_visible() and not misspelt.locator(".tei-choice-orig").is_visible()
    page.locator('a.reference[href$="persons/kollontai.html"]').first.click()
    page.wait_for_url("**/persons/kollontai.html")
    page.locator("ol.entry-mentions a.reference").first.click()
    page.wait_for_url("**/texts/stalin-general-secretary.html#*")
    assert page.locator(".tei-choice-pair .tei-choice-reg").first.is_visible()
    assert not page.locator(".tei-choice-pair .tei-choice-orig").first.is_visible()
    assert page.get_by_role("button", name="Show the text as transcribed").get_attribute("aria-pressed") == "true"


def test_the_index_jumps_by_letter_and_filters_by_name(reader: Reader, browser, base_url: str):
    page = reader.open(PAGES["index"])
    page.locator(".entry-index-letters a", has_text="T").click()
    assert urldefrag(page.url).fragment == "letter-T" and _in_viewport(page, "#letter-T")
    page.get_by_label("Filter by name").fill("Kamanev")  # the misspelt form of the text finds Kamenev
    visible = page.locator("ul.entry-index > li:visible")
    assert visible.count() == 1 and visible.first.inner_text().startswith("Kamenev, Lev")
    assert page.get_by_role("status").inner_text() == "1 person found"
    page.get_by_label("Filter by name").fill("")
    assert page.locator("ul.entry-index > li:visible").count() == 26
    # without JavaScript: a plain list, no filter box, the letters still jump
    plain = browser.new_context(java_script_enabled=False)
    try:
        static = plain.new_page()
        static.goto(urljoin(base_url, PAGES["index"]))
        assert static.locator("ul.entry-index > li").count() == 26
        assert static.locator(".entry-index-filter").count() == 0
        static.locator(".entry-index-letters a", has_text="S").click()
        assert urldefrag(static.url).fragment == "letter-S"
    finally:
        plain.close()


def _search(reader: Reader, query: str):
    """The search page for ``query`` (``q=…&kind=…``), once its results are shown."""
    page = reader.open(f"search.html?{query}")
    page.wait_for_function("/found/.test(document.getElementById('edition-search-status').textContent)",
                           timeout=15000)
    return page


def _found(page) -> set[str]:
    return {urlsplit(link).path.split("/", 1)[1] for link in
            page.locator("ul.search li > a").evaluate_all("links => links.map(a => a.href)")}


def test_search_finds_a_variant_spelling(reader: Reader):
    page = _search(reader, "q=Kamanev")
    assert {"persons/kamenev.html", TEXT} <= _found(page)
    assert page.locator("#edition-search-q").input_value() == "Kamanev"
    # the excerpt reads as the text does (issue 13, item 11): one reading of the correction, no note numbers
    excerpt = page.locator(f'ul.search li:has(a[href*="{TEXT}"]) p.context').first
    words = excerpt.inner_text()
    assert "Kamanev" in words and not re.search(r"Kamanev\s*Kamenev", words), words
    assert not re.search(r"[A-Za-z][.,;:]\d", words), words  # "War.14 However": a note's number glued to the text
    assert excerpt.locator("mark").first.inner_text() == "Kamanev"  # the keyword in its context
    person = page.locator('ul.search li:has(a[href*="persons/kamenev.html"])')
    assert "person" in person.locator(".edition-search-kind").inner_text()
    assert "Kamanev" in person.locator("p.context").inner_text()  # the forms the texts give the name


def test_search_finds_the_corrected_reading_and_the_theme_box_goes_there(reader: Reader):
    page = reader.open(PAGES["home"])
    page.locator("form.sidebar-search-container input[name=q]").fill("Kollontai")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=Kollontai*")
    page.wait_for_function("/found/.test(document.getElementById('edition-search-status').textContent)",
                           timeout=15000)
    assert {"persons/kollontai.html", TEXT} <= _found(page)


def test_a_search_filter_narrows_the_results(reader: Reader):
    page = _search(reader, "q=Kamenev")
    everything = _found(page)
    assert {"persons/kamenev.html", TEXT} <= everything
    page.get_by_label("Kind of page").select_option("person")
    page.wait_for_function("document.querySelectorAll('ul.search li > a').length > 0 && "
                           "[...document.querySelectorAll('ul.search li > a')].every(a => /persons/.test(a.href))",
                           timeout=15000)
    persons = _found(page)
    assert "persons/kamenev.html" in persons and persons < everything
    assert "kind=person" in page.url and "q=Kamenev" in page.url  # the address keeps the search
    page = _search(reader, "q=Kamenev&kind=text&year=1924")
    assert _found(page) == {TEXT}
    assert page.get_by_label("Year").input_value() == "1924"
    page.get_by_label("Year").select_option("2003")
    page.wait_for_function("/Nothing found|1 page/.test(document.getElementById('edition-search-status').textContent)",
                           timeout=15000)


def test_the_search_works_with_the_keyboard_and_for_every_reader(reader: Reader):
    axe = pytest.importorskip("axe_playwright_python", reason="axe-core comes with axe-playwright-python")
    page = reader.open("search.html")
    page.get_by_label("Search the edition").focus()
    page.keyboard.type("Zinoviev")
    page.keyboard.press("Enter")
    page.wait_for_function("/found/.test(document.getElementById('edition-search-status').textContent)",
                           timeout=15000)
    assert page.get_by_role("status").inner_text().endswith("found for “Zinoviev”.")
    page.wait_for_load_state("networkidle")  # the page's own requests (the favicon) done before leaving it
    for _ in range(20):  # from the query, through the filters, to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('ul.search') !== null"):
            break
    else:
        pytest.fail("no result reachable with Tab")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.wait_for_function("document.querySelectorAll('ul.search li').length > 0", timeout=15000)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_search_says_it_needs_a_server_when_opened_from_a_file(browser, site: Path):
    """Pagefind loads its index with ``fetch`` and its script as a module: Chromium refuses both to a page
    opened from ``file://`` (origin ``null``). The page says what to do instead of searching nothing."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((site / "search.html").as_uri() + "?q=Kamanev")
        page.wait_for_function("/serve the site/.test(document.getElementById('edition-search-status').textContent)",
                               timeout=15000)
        assert page.locator("ul.search li").count() == 0
    finally:
        context.close()


def test_the_tei_download_is_the_source(reader: Reader):
    page = reader.open(TEXT)
    link = page.locator(f'a[download="{EDITION_TEXT.name}"]').first
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == EDITION_TEXT.read_bytes()
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and "xml" in response.headers["content-type"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_says_how_to_cite_it(reader: Reader, name: str):
    page = reader.open(PAGES[name])
    box = page.locator("aside.edition-cite")
    text = box.inner_text()
    for part in ("How to cite this page", "Version 1.0", "2026-11-26", reader.base_url + PAGES[name]):
        assert part in text, (part, text)
    title = page.locator("h1").first.inner_text().rstrip("¶#").strip()
    assert f"“{title}.”" in text
    meta = dict(page.locator("meta[name^=citation_], meta[name^='DC.']").evaluate_all(
        "tags => tags.map(t => [t.name, t.content])"))
    assert meta["citation_title"] == title and meta["citation_publication_date"] == "2026/11/26"
    assert meta["citation_author"] == ("John Simkin" if name == "text" else "the tei-edition editors")


@pytest.mark.parametrize("path", [*PAGES.values(), "chronology.html", "downloads.html", "principles.html"])
def test_a_phone_screen_needs_no_horizontal_scrolling(browser, base_url: str, path: str):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        tab = Reader(context, base_url)
        page = tab.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        if path == TEXT:
            page.locator("a.tei-noteref").first.tap()
            box = page.locator("#edition-note-popover").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert tab.problems == []
    finally:
        context.close()


def test_every_internal_link_and_anchor_exists(site: Path):
    pages = {p.relative_to(site).as_posix(): lxml.html.parse(str(p)).getroot() for p in site.rglob("*.html")}
    ids = {name: set(tree.xpath("//@id")) for name, tree in pages.items()}
    dangling = []
    for name, tree in pages.items():
        for href in tree.xpath("//a/@href | //link/@href | //script/@src | //img/@src"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = urlsplit(urljoin(f"http://site/{name}", href)).path.lstrip("/") if parts.path else name
            if not (site / target).is_file():
                dangling.append(f"{name}: {href} (no file {target})")
            elif parts.fragment and target.endswith(".html") and parts.fragment not in ids.get(target, set()):
                dangling.append(f"{name}: {href} (no id {parts.fragment!r} in {target})")
    assert dangling == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_problems(reader: Reader, name: str):
    axe = pytest.importorskip("axe_playwright_python", reason="axe-core comes with axe-playwright-python")
    page = reader.open(PAGES[name])
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_text_starts_on_the_first_screen_and_its_header_opens(reader: Reader):
    """Issue 13, items 4 and 12: what the header says is folded under "About this text" (the text starts on
    the first screen) and opens with the keyboard; the corrected-reading switch is a styled button."""
    page = reader.open(TEXT)
    # the first paragraph of the text itself: the header's paragraphs are folded away, and where the browser
    # puts the box of a hidden element is its own affair (Chromium gave y=175 on one machine, 1420 on another)
    first = page.locator("section#text p.tei-p:not(details.edition-meta p)").first
    assert first.is_visible() and "Lenin" in first.inner_text()
    assert first.bounding_box()["y"] + 20 < page.viewport_size["height"]
    panel = page.locator("details.edition-meta")
    assert panel.evaluate("d => !d.open")
    panel.locator("summary").focus()
    page.keyboard.press("Enter")
    assert panel.evaluate("d => d.open")
    shown = panel.inner_text()
    assert "Spartacus Educational" in shown and "Editorial principles" in shown and "Revisions" in shown
    button = page.locator(".edition-view-toggle button")
    style = button.evaluate("b => { const s = getComputedStyle(b); "
                            "return [s.borderTopStyle, s.cursor, s.paddingLeft] }")
    assert style[0] == "solid" and style[1] == "pointer" and style[2] != "0px"


def test_the_reading_switch_of_a_page_without_a_reading_key_stands_under_its_title(browser, tmp_path: Path):
    """A register entry whose fields hold a choice (``Vgl.``/``Vergleiche`` in its bibliography) has no reading
    key: the switch was put before the whole page, above the theme's header."""
    from .conftest import build_root

    app = build_root("test-keys", tmp_path, warningiserror=False)
    with serving(Path(app.outdir)) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        reader = Reader(context, url)
        page = reader.open("persons/escher.html")
        switch = page.locator(".edition-view-toggle")
        assert switch.count() == 1
        assert switch.evaluate("e => e.previousElementSibling.tagName === 'H1' && !!e.closest('[role=main]')")
        context.close()
    assert reader.problems == []
