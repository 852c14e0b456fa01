"""The reading view in a real browser (Debian's Chromium, headless): the page image beside the text on a wide
screen, following the reader, zones linked to the text both ways, the image on demand on a phone, and the
page breaks' links to their images without JavaScript.

The site is built with ``edition init`` and ``edition build`` from a small TEI written here, with local images
made here (PNGs written with zlib) and a IIIF Image API service at ``https://iiif.test/`` that the browser
never reaches: the test answers it from files of its own (a level 0 ``info.json`` with one tile, and the
tile). Nothing leaves 127.0.0.1. Beside it, a text as Transkribus exports it (PAGE to TEI): regions and lines
by ``@points``, and a ``lb/@facs`` at the start of each line, some inside a word or an element.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from edition.serve import serving

from .conftest import png
from .test_reader import Reader

PAGE = "texts/letter.html"
LINES = "texts/transkribus.html"
IIIF = "https://iiif.test/iiif/page-2"
FILLER = ("The writing runs on in an even hand, line after line, with the ink fading towards the edge of the "
          "leaf and darkening again where the pen was dipped. ")



def filler(count: int) -> str:
    return "".join(f"<p>{FILLER * 3}</p>\n" for _ in range(count))


def write_sources(folder: Path) -> Path:
    """A letter of three pages: a local PNG (its zones in coordinates twice the image's pixels), a IIIF image
    and a TIFF (a link); each page long enough to scroll. Returns the TEI file."""
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "page-1.png").write_bytes(png(200, 300))
    (folder / "images" / "page-3.tif").write_bytes(b"II*\x00")
    tei = folder / "letter.xml"
    tei.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A letter in three pages</title></titleStmt>
    <publicationStmt><p>A test of the reading view.</p></publicationStmt>
    <sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>
  <facsimile>
    <surface xml:id="s1" ulx="0" uly="0" lrx="400" lry="600">
      <graphic url="images/page-1.png" mimeType="image/png"/>
      <zone xml:id="z1-1" ulx="40" uly="40" lrx="360" lry="100"/>
      <zone xml:id="z1-2" ulx="40" uly="120" lrx="360" lry="180"/>
      <zone xml:id="z1-3" points="40,200 360,200 360,260 40,300"/>
    </surface>
    <surface xml:id="s2" ulx="0" uly="0" lrx="1000" lry="1500">
      <graphic url="{IIIF}/info.json"/>
      <zone xml:id="z2-1" ulx="100" uly="100" lrx="900" lry="250"/>
    </surface>
    <surface xml:id="s3" ulx="0" uly="0" lrx="400" lry="600">
      <graphic url="images/page-3.tif" mimeType="image/tiff"/>
    </surface>
  </facsimile>
  <text><body>
    <div><head>The letter</head>
      <pb n="1r" facs="#s1"/>
      <p xml:id="line-1" facs="#z1-1">Dear friend, the first line of the letter.</p>
      <p xml:id="line-2" facs="#z1-2">The second line, as the image shows it.</p>
      <p xml:id="line-4" facs="#z1-3">A line that slopes down the page.</p>
      {filler(8)}
      <pb n="1v" facs="#s2"/>
      <p xml:id="line-3" facs="#z2-1">The first line of the second page.</p>
      {filler(8)}
    </div>
    <div><head>A postscript</head>
      <pb n="2r" facs="#s3"/>
      <p>The third page, whose image is a file browsers do not show.</p>
      {filler(8)}
    </div>
  </body></text>
</TEI>
""", encoding="utf-8")
    return tei


def write_transkribus(folder: Path) -> Path:
    """Two pages as Transkribus exports them: a text region of lines on each (zones by ``@points``, the lines
    inside their region), ``ab/@facs`` for a region, ``lb/@facs`` starting each line (one inside a word,
    ``break="no"``, and inside an element); long enough between the pages to scroll."""
    (folder / "tk-1.png").write_bytes(png(250, 350))
    (folder / "tk-2.png").write_bytes(png(250, 350))

    def line(ident: str, top: int) -> str:
        return (f'<zone xml:id="{ident}" rendition="Line" '
                f'points="90,{top} 910,{top} 910,{top + 60} 90,{top + 60}"/>')

    tei = folder / "transkribus.xml"
    tei.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A Transkribus export</title></titleStmt>
    <publicationStmt><p>A test of lines.</p></publicationStmt>
    <sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>
  <facsimile>
    <surface xml:id="facs_1" ulx="0" uly="0" lrx="1000" lry="1400">
      <graphic url="tk-1.png" width="1000px" height="1400px"/>
      <zone xml:id="r1" rendition="TextRegion" points="80,80 920,80 920,400 80,400">
        {line("r1l1", 90)}{line("r1l2", 170)}{line("r1l3", 250)}
      </zone>
    </surface>
    <surface xml:id="facs_2" ulx="0" uly="0" lrx="1000" lry="1400">
      <graphic url="tk-2.png" width="1000px" height="1400px"/>
      <zone xml:id="r2" rendition="TextRegion" points="80,80 920,80 920,400 80,400">
        {line("r2l1", 90)}{line("r2l2", 170)}
      </zone>
    </surface>
  </facsimile>
  <text><body>
    <pb facs="#facs_1" n="1"/>
    <ab facs="#r1"><lb facs="#r1l1" n="N001"/>We have your letter of the fifth and
<lb facs="#r1l2" n="N002"/>thank you <hi rend="underline">warmly for the long</hi> ac<hi rend="underline">count<lb
    facs="#r1l3" n="N003" break="no"/>ing</hi> of the journey home.</ab>
    {filler(10)}
    <pb facs="#facs_2" n="2"/>
    <ab facs="#r2"><lb facs="#r2l1" n="N001"/>The second page begins here
<lb facs="#r2l2" n="N002"/>and ends the letter.</ab>
    {filler(4)}
  </body></text>
</TEI>
""", encoding="utf-8")
    return tei


def iiif_files() -> dict[str, tuple[bytes, str]]:
    """The IIIF service's answers by path: a level 0 ``info.json`` (one size, one tile covering the image) and
    that image at any size."""
    info = {"@context": "http://iiif.io/api/image/3/context.json", "id": IIIF, "type": "ImageService3",
            "protocol": "http://iiif.io/api/image", "profile": "level0", "width": 2000, "height": 3000,
            "sizes": [{"width": 2000, "height": 3000}], "tiles": [{"width": 4096, "scaleFactors": [1]}]}
    return {"info.json": (json.dumps(info).encode(), "application/json"), "": (png(100, 150, 0xBB), "image/png")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("facsimile")
    tei = write_sources(where / "sources")
    lines = write_transkribus(where / "sources")
    out = where / "site"
    for command in (["init", str(where / "project"), "--tei", str(tei), str(lines)],
                    ["build", str(where / "project"), "-q", "--strict", "-o", str(out)]):
        result = subprocess.run([sys.executable, "-m", "edition.cli", *command], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


def _answer_iiif(route) -> None:
    files = iiif_files()
    path = urlsplit(route.request.url).path
    body, kind = files["info.json"] if path.endswith("/info.json") else files[""]
    if path.startswith(urlsplit(IIIF).path + "/"):
        route.fulfill(body=body, content_type=kind, headers={"Access-Control-Allow-Origin": "*"})
    else:
        route.fulfill(status=404, body=b"")


def open_reader(browser, base_url: str, width: int, *, javascript: bool = True) -> Reader:
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    context.route(re.compile(r"^https://iiif\.test/"), _answer_iiif)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|iiif\.test/)"), lambda route: route.abort())
    reader = Reader(context, base_url)
    reader.requests = []
    reader.page.on("request", lambda request: reader.requests.append(request.url))
    return reader


@pytest.fixture
def wide(browser, base_url: str) -> Iterator[Reader]:
    reader = open_reader(browser, base_url, 1400)
    yield reader
    reader.context.close()
    assert reader.problems == []


@pytest.fixture
def phone(browser, base_url: str) -> Iterator[Reader]:
    reader = open_reader(browser, base_url, 375)
    yield reader
    reader.context.close()
    assert reader.problems == []


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def _zone(page, line: str, where: str = ""):
    """The zone over the image that the line ``line`` of the text is linked to."""
    zone = page.locator(f"#{line}").get_attribute("data-facs-zone").split()[0]
    return page.locator(f'{where} .edition-facs-zone[data-zone="{zone}"]'.strip())


def _shown_page(page) -> str:
    return page.locator(".edition-facs-status").inner_text()


def test_on_a_wide_screen_the_image_stands_beside_the_text(wide: Reader):
    page = wide.open(PAGE)
    panel = page.locator("section.edition-facs")
    panel.wait_for(state="visible")
    text, image = _box(page, "section#text"), _box(page, ".edition-facs-plain img")
    assert image["x"] >= text["x"] + text["width"] and image["y"] < 800 and image["width"] > 200
    page.wait_for_function("() => { const i = document.querySelector('.edition-facs-plain img');"
                           " return i.complete && i.naturalWidth === 200; }")
    assert _shown_page(page).startswith("Page 1r")
    # the zone is placed in the page's coordinates (400 × 600), whatever the image's pixels (200 × 300)
    zone = _zone(page, "line-1").bounding_box()
    assert abs(zone["x"] - image["x"] - image["width"] * 0.1) < 2 and abs(zone["width"] - image["width"] * 0.8) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400


def test_a_focused_line_lights_its_zone_and_a_focused_zone_its_line(wide: Reader):
    page = wide.open(PAGE)
    line, zone = page.locator("#line-2"), _zone(page, "line-2")
    assert line.get_attribute("tabindex") == "0"  # reachable with the keyboard
    line.focus()
    assert "edition-facs-lit" in zone.get_attribute("class")
    assert "edition-facs-lit" not in (_zone(page, "line-1").get_attribute("class"))
    page.locator("#line-1").focus()
    assert "edition-facs-lit" not in zone.get_attribute("class")
    zone.focus()
    assert "edition-facs-lit" in line.get_attribute("class")
    assert "second line" in zone.get_attribute("aria-label")
    page.locator("#line-1").hover()
    assert "edition-facs-lit" in _zone(page, "line-1").get_attribute("class")
    # a zone by @points: its box, cut to its polygon
    sloping = _zone(page, "line-4")
    assert sloping.evaluate("b => b.style.clipPath").startswith("polygon(")
    sloping.hover()
    assert "edition-facs-lit" in page.locator("#line-4").get_attribute("class")


def test_the_image_follows_the_reader_to_a_later_page(wide: Reader):
    page = wide.open(PAGE)
    assert _shown_page(page).startswith("Page 1r")
    page.locator("span.tei-pb[data-facs-page]").nth(1).evaluate("pb => pb.scrollIntoView({block: 'start'})")
    page.wait_for_function("() => document.querySelector('.edition-facs-status').textContent.startsWith('Page 1v')")
    # a IIIF page: deep zoom from the service's info.json, its zone over the image
    _zone(page, "line-3", ".edition-facs-deepzoom").wait_for(state="attached")
    assert any(url == f"{IIIF}/info.json" for url in wide.requests)
    page.locator("#line-3").focus()
    assert "edition-facs-lit" in _zone(page, "line-3").get_attribute("class")
    page.evaluate("document.activeElement.blur()")
    page.mouse.move(0, 0)
    assert page.locator(".edition-facs-lit").count() == 0
    _zone(page, "line-3").click()  # a click on the image's zone, not a drag
    assert "edition-facs-lit" in page.locator("#line-3").get_attribute("class")
    # choosing a page in the panel takes the text there; the previous page's break link shows it again
    page.locator(".edition-facs-next").click()
    assert _shown_page(page).startswith("Page 2r")
    assert page.locator(".edition-facs-stage a").get_attribute("href").endswith(".tif")
    breaks = page.locator("span.tei-pb[data-facs-page] a.tei-pb-image")
    breaks.nth(0).scroll_into_view_if_needed()
    breaks.nth(0).click()
    assert _shown_page(page).startswith("Page 1r") and wide.path() == PAGE


def test_on_a_phone_the_image_opens_on_demand(phone: Reader):
    page = phone.open(PAGE)
    assert not page.locator("section.edition-facs").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    link = page.locator("span.tei-pb[data-facs-page] a.tei-pb-image").first
    link.click()
    dialog = page.locator("dialog.edition-facs-dialog")
    assert dialog.is_visible() and _shown_page(page).startswith("Page 1r")
    image = _box(page, "dialog .edition-facs-plain img")
    assert image["x"] >= 0 and image["x"] + image["width"] <= 375
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('tei-pb-image')")
    page.locator(".edition-facs-toggle").click()
    assert dialog.is_visible()
    page.locator(".edition-facs-close").click()
    assert not dialog.is_visible()
    # deep zoom in the dialog; choosing a zone closes it and shows its words in the text
    page.locator(".edition-facs-toggle").click()
    page.locator(".edition-facs-pick select").select_option(label="p. 1v")
    zone = _zone(page, "line-3", ".edition-facs-deepzoom")
    zone.wait_for(state="visible")
    zone.click()
    assert not dialog.is_visible() and "edition-facs-lit" in page.locator("#line-3").get_attribute("class")
    line = _box(page, "#line-3")
    assert line["y"] >= 0 and line["y"] + line["height"] <= 800
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_without_javascript_every_page_break_links_to_its_image(browser, base_url: str):
    reader = open_reader(browser, base_url, 1400, javascript=False)
    page = reader.open(PAGE)
    links = page.locator("span.tei-pb[data-facs-page] a.tei-pb-image")
    assert links.count() == 3 and all(links.nth(i).is_visible() for i in range(3))
    targets = [links.nth(i).get_attribute("href") for i in range(3)]
    assert targets[1].startswith(IIIF + "/") and targets[2].endswith(".tif")
    page.wait_for_load_state("networkidle")  # the favicon too: the image opened next does not cut it off
    response = page.goto(page.url.rsplit("/", 1)[0] + "/" + targets[0])
    assert response.ok and response.headers["content-type"] == "image/png"
    reader.context.close()
    assert reader.problems == []


@pytest.mark.parametrize(("width", "shown"), [(1400, "1r"), (1400, "1v"), (375, "1r")])
def test_the_reading_view_has_no_serious_accessibility_violation(browser, base_url: str, width: int, shown: str):
    axe = pytest.importorskip("axe_playwright_python", reason="axe-core comes with axe-playwright-python")
    reader = open_reader(browser, base_url, width)
    page = reader.open(PAGE)
    if width < 1100:
        page.locator(".edition-facs-toggle").click()  # the dialog open
    page.locator(".edition-facs-pick select").select_option(label=f"p. {shown}")
    if shown == "1v":  # deep zoom, its zone over the image
        _zone(page, "line-3", ".edition-facs-deepzoom").wait_for(state="attached")
    else:
        page.locator("section.edition-facs .edition-facs-plain img").wait_for(state="visible")
    serious = _serious_violations(page, axe)
    reader.context.close()
    assert serious == []
    assert reader.problems == []


def _serious_violations(page, axe) -> list[str]:
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def test_only_the_text_with_images_loads_the_reading_view(site: Path):
    def scripts(name: str) -> list[str]:
        html = (site / name).read_text(encoding="utf-8")
        return [Path(urlsplit(src).path).name for src in re.findall(r'<script[^>]* src="([^"]+)"', html)]

    text = scripts(PAGE)
    assert text.index("openseadragon.min.js") < text.index("facsimile.js")
    for other in ("index.html", "texts/index.html", "search.html"):
        assert not {"openseadragon.min.js", "facsimile.js"} & set(scripts(other)), other
    assert (site / "_static" / "openseadragon" / "LICENSE.txt").is_file()


def test_a_link_into_the_text_opens_beside_the_page_it_lands_on(wide: Reader):
    page = wide.open(PAGE + "#line-3")
    page.wait_for_function("() => document.querySelector('.edition-facs-status').textContent.startsWith('Page 1v')")
    assert page.locator(".edition-facs-pick select").evaluate("s => s.selectedOptions[0].textContent") == "p. 1v"


# -- lines: a Transkribus export's lb/@facs ------------------------------------------------------------------------
def _line(page, zone: str):
    """The marker of the line break linked to the zone ``zone`` (its xml:id)."""
    return page.locator(f'span.edition-facs-line[data-facs-zone="facs-{zone}"]')


def _zone_of(page, zone: str):
    return page.locator(f'.edition-facs-zone[data-zone="facs-{zone}"]')


def _lit(page, zone: str) -> bool:
    return "edition-facs-lit" in (_zone_of(page, zone).get_attribute("class") or "")


def _highlighted(page, name: str = "edition-facs-lit") -> list[str]:
    """The words of each range of the highlight ``name`` (CSS Custom Highlight API)."""
    return page.evaluate("name => { const h = CSS.highlights.get(name);"
                         " return h ? [...h].map(r => r.toString().replace(/\\s+/g, ' ').trim()) : []; }", name)


def _parts(page, name: str = "edition-facs-lit") -> str:
    """The words of the spans lit ``name`` (without the Highlight API)."""
    return page.evaluate("name => [...document.querySelectorAll('.edition-facs-line-part.' + name)]"
                         ".map(p => p.textContent).join('').replace(/\\s+/g, ' ').trim()", name)


def _word(page, word: str) -> tuple[float, float]:
    """The middle of ``word`` in the text, where a reader points at it."""
    box = page.evaluate("""word => {
      const walker = document.createTreeWalker(document.querySelector('section#text'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + word.length);
        const r = range.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
      }
      return null; }""", word)
    return box["x"], box["y"]


def _open_lines(reader: Reader):
    page = reader.open(LINES)
    page.locator("section.edition-facs .edition-facs-plain img").wait_for(state="visible")
    _zone_of(page, "r1l1").wait_for(state="attached")
    page.wait_for_load_state("networkidle")  # the favicon too: the next page opened does not cut it off
    return page


def test_a_line_of_a_transkribus_export_and_its_zone_light_each_other(wide: Reader):
    page = _open_lines(wide)
    second = _line(page, "r1l2")
    assert second.get_attribute("tabindex") == "0"  # each line reached with the keyboard
    assert "thank you warmly" in second.get_attribute("aria-label")
    # focusing a line (its marker) lights its zone, and marks the line's words: to the next line break
    second.focus()
    assert _lit(page, "r1l2") and not _lit(page, "r1l1") and not _lit(page, "r1")
    assert _highlighted(page) == ["thank you warmly for the long account"]
    assert _highlighted(page, "edition-facs-focus") == ["thank you warmly for the long account"]
    page.keyboard.press("Tab")  # the next line, inside a word and an element (lb break="no")
    assert page.evaluate("document.activeElement.getAttribute('data-facs-zone')") == "facs-r1l3"
    assert _lit(page, "r1l3") and not _lit(page, "r1l2")
    assert _highlighted(page) == ["ing of the journey home."]
    assert _highlighted(page, "edition-facs-focus") == ["ing of the journey home."]
    page.evaluate("document.activeElement.blur()")
    assert _highlighted(page) == [] and _highlighted(page, "edition-facs-focus") == []
    # pointing at a line's words lights its zone (not its region's), from one line to the next
    page.mouse.move(*_word(page, "fifth"))
    assert _lit(page, "r1l1") and not _lit(page, "r1")
    assert _highlighted(page) == ["We have your letter of the fifth and"]
    page.mouse.move(*_word(page, "journey"))
    assert _lit(page, "r1l3") and not _lit(page, "r1l1")
    page.mouse.move(*_word(page, "second page"))  # a line of another page: not the one shown
    assert page.locator(".edition-facs-lit").count() == 0 and _highlighted(page) == []
    # a zone of the image lights its line's words, named by them
    zone = _zone_of(page, "r1l1")
    assert "We have your letter of the fifth and" in zone.get_attribute("aria-label")
    zone.hover()
    assert _highlighted(page) == ["We have your letter of the fifth and"]
    page.mouse.move(0, 0)
    assert _highlighted(page) == []
    # choosing a zone brings its line into view
    page.evaluate("window.scrollBy(0, document.querySelector('p.tei-ab[data-facs-zone]').getBoundingClientRect()"
                  ".bottom + 20)")
    assert _shown_page(page).startswith("Page 1,")
    _zone_of(page, "r1l2").click()
    box = page.evaluate("() => { const m = document.querySelector('span[data-facs-zone=\"facs-r1l2\"]');"
                        " const r = m.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }")
    assert box["top"] >= 0 and box["bottom"] <= 800
    assert _highlighted(page) == ["thank you warmly for the long account"]
    # the lines of the next page, once it is shown
    page.locator("span.tei-pb[data-facs-page]").nth(1).evaluate("pb => pb.scrollIntoView({block: 'start'})")
    page.wait_for_function("() => document.querySelector('.edition-facs-status').textContent.startsWith('Page 2')")
    _line(page, "r2l2").focus()
    assert _lit(page, "r2l2") and _highlighted(page) == ["and ends the letter."]


def test_without_the_highlight_api_the_lines_words_are_lit_all_the_same(browser, base_url: str):
    reader = open_reader(browser, base_url, 1400)
    plain = _open_lines(reader).evaluate("document.querySelector('section#text').textContent")
    reader.context.add_init_script("delete CSS.highlights; delete window.Highlight;")
    page = _open_lines(reader)
    assert page.evaluate("!('highlights' in CSS)")
    assert page.evaluate("document.querySelector('section#text').textContent") == plain  # the words unchanged
    _line(page, "r1l2").focus()
    assert _lit(page, "r1l2") and _parts(page) == "thank you warmly for the long account"
    assert _parts(page, "edition-facs-focus") == "thank you warmly for the long account"
    _zone_of(page, "r1l3").hover()
    assert _parts(page) == "ing of the journey home."
    page.mouse.move(*_word(page, "fifth"))
    assert _lit(page, "r1l1") and _parts(page) == "We have your letter of the fifth and"
    reader.context.close()
    assert reader.problems == []


def test_the_text_line_by_line_as_the_source_has_it(wide: Reader):
    page = _open_lines(wide)
    assert page.locator(".edition-facs-lines-toggle").count() == 1
    page = wide.open(PAGE)
    page.locator("section.edition-facs .edition-facs-plain img").wait_for(state="visible")
    assert page.locator(".edition-facs-lines-toggle").count() == 0  # no lines linked to zones
    page.wait_for_load_state("networkidle")
    page = _open_lines(wide)
    def rows() -> list[float]:  # the row of the start of each line
        return [round(_word(page, words)[1]) for words in ("We have", "thank you", "of the journey")]

    assert rows()[0] == rows()[1]  # run on: the first two lines share a row
    toggle = page.locator(".edition-facs-lines-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    after = rows()
    assert after[0] < after[1] < after[2]  # each line on a row of its own (the third from inside a word)
    block = page.evaluate("document.querySelector('p.tei-ab[data-facs-zone=\"facs-r1\"]').getBoundingClientRect()")
    assert after[0] - block["top"] < 20  # no empty row before the first
    toggle.click()
    assert rows()[0] == rows()[1]


@pytest.mark.parametrize("width", [1400, 375])
def test_the_lines_have_no_serious_accessibility_violation(browser, base_url: str, width: int):
    axe = pytest.importorskip("axe_playwright_python", reason="axe-core comes with axe-playwright-python")
    reader = open_reader(browser, base_url, width)
    page = reader.open(LINES)
    page.locator(".edition-facs-lines-toggle").click()
    if width < 1100:
        page.locator(".edition-facs-toggle").click()  # the dialog open, its zones named by their lines
        _zone_of(page, "r1l2").wait_for(state="visible")
    else:
        _zone_of(page, "r1l2").wait_for(state="attached")
        _line(page, "r1l2").focus()
    serious = _serious_violations(page, axe)
    reader.context.close()
    assert serious == []
    assert reader.problems == []
