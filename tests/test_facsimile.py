"""Facsimiles: the page images a text names, the reading view's data, and IIIF manifests (issue 14, items 1
and 3).

A small edition is made in the test (its images are tiny PNGs written here: no network): a letter with a
``facsimile`` (a surface with its coordinates, a local image, a zone by coordinates and one by points) and a
prefix of its ``listPrefixDef`` naming local images (with a region by ``#xywh=`` and one by IIIF's
``…/x,y,w,h``); and a text whose surface's image is a IIIF service through a prefix of ``conf.py``, with a
missing image and a pointer to nowhere. Then TEI Publisher's Osiński dictionary (``iiif:kamlot.jpg/…`` with no
``listPrefixDef``), with its images made here, published with ``edition init`` and ``edition build``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from iiif_prezi3 import Manifest

from edition.core.facsimile import script_json
from edition.publish.facsimiles import FacsimileRecord, manifest_bytes

from .conftest import SHARED, png
from .test_samples import _html_words, _in_order, _words_of_text

TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'
BASE = "https://edition.example.org/"



LETTER = f"""<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made</p></sourceDesc></fileDesc>
<encodingDesc><listPrefixDef><prefixDef ident="img" matchPattern="(.+)" replacementPattern="images/$1"/>
</listPrefixDef></encodingDesc></teiHeader>
<facsimile>
 <surface xml:id="s1" n="1r" ulx="0" uly="0" lrx="200" lry="300">
  <graphic url="images/p1.png"/>
  <zone xml:id="z1" ulx="10" uly="20" lrx="110" lry="60"/>
  <zone xml:id="z2" points="10,100 50,100 50,140"/>
 </surface>
</facsimile>
<text><body>
<pb n="1r" facs="#s1"/>
<p facs="#z1">First paragraph of the letter.</p>
<lg><l facs="#z2">A verse line here</l></lg>
<pb n="2r" facs="img:p2.png"/>
<p>Second <seg facs="img:p2.png#xywh=5,6,7,8">page</seg> words <lb facs="images/p2.png/1,2,3,4"/>again
  and a<lb break="no" facs="images/p2.png/9,10,11,12"/>gain <cb facs="images/p2.png/1,2,3,4"/>here.</p>
</body></text></TEI>"""

REMOTE = f"""<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>Leaves</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made</p></sourceDesc></fileDesc></teiHeader>
<facsimile>
 <surface xml:id="r1" n="leaf 1" ulx="0" uly="0" lrx="1000" lry="1500">
  <graphic url="iiif:leaf1"/><zone xml:id="rz" ulx="100" uly="200" lrx="300" lry="400"/>
 </surface>
</facsimile>
<text><body>
<pb facs="#r1"/>
<p><hi facs="#rz">Zoned</hi> words on the leaf.</p>
<pb n="2" facs="nothere.png"/>
<p>More words.</p>
<pb n="3" facs="#nowhere"/>
<p>Last words.</p>
</body></text></TEI>"""

CONF = f"""
extensions = ["myst_parser", "edition"]
project = "Facsimiles"
edition_texts = ["tei/letter.xml", "tei/remote.xml"]
edition_prefixes = {{"iiif": "https://iiif.example.org/iiif/$1"}}
html_baseurl = {BASE!r}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_colors

    src = tmp_path_factory.mktemp("facsimile") / "src"
    (src / "tei" / "images").mkdir(parents=True)
    (src / "tei" / "letter.xml").write_text(LETTER, encoding="utf-8")
    (src / "tei" / "remote.xml").write_text(REMOTE, encoding="utf-8")
    (src / "tei" / "images" / "p1.png").write_bytes(png(400, 600))
    (src / "tei" / "images" / "p2.png").write_bytes(png(100, 80))
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Facsimiles\n\n```{edition-downloads}\n```\n\n```{toctree}\n:hidden:\n\n"
                                  "texts/index\n```\n", encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=warnings)
    app.build()
    app.cleanup()
    return Path(app.outdir), strip_colors(warnings.getvalue())


def _page(site: tuple[Path, str], name: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site[0] / "texts" / f"{name}.html")).getroot()


def _data(page: lxml.html.HtmlElement) -> dict:
    scripts = page.xpath('//script[@type="application/json"][@class="tei-facsimile-data"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_the_letters_pages_zones_and_anchors(site):
    page = _page(site, "letter")
    data = _data(page)
    assert data["manifest"] == "../_manifests/letter.json"
    first, second = data["pages"]
    assert [first["label"], second["label"]] == ["1r", "2r"]
    assert (first["width"], first["height"]) == (200, 300)  # the surface's coordinates, not the image's pixels
    assert (second["width"], second["height"]) == (100, 80)  # a local image's pixels
    assert first["image"]["kind"] == second["image"]["kind"] == "image"
    assert first["image"]["url"].startswith("../_images/facsimile/p1-") and first["image"]["service"] == ""
    assert (site[0] / first["image"]["url"].removeprefix("../")).is_file()  # copied into the site
    z1, z2 = first["zones"]
    assert (z1["x"], z1["y"], z1["w"], z1["h"], z1["points"]) == (10, 20, 100, 40, [])
    assert (z2["x"], z2["y"], z2["w"], z2["h"]) == (10, 100, 40, 40)
    assert z2["points"] == [[10, 100], [50, 100], [50, 140]]
    paragraph = page.get_element_by_id(z1["targets"][0])
    assert paragraph.tag == "p" and paragraph.get("data-facs-zone") == z1["id"]
    assert "First paragraph" in paragraph.text_content()
    line = page.get_element_by_id(z2["targets"][0])
    assert "tei-l" in line.get("class") and line.get("data-facs-zone") == z2["id"]
    regions = {(z["x"], z["y"], z["w"], z["h"]): z for z in second["zones"]}
    assert set(regions) == {(5, 6, 7, 8), (1, 2, 3, 4), (9, 10, 11, 12)}  # #xywh= and IIIF's /x,y,w,h
    seg = page.get_element_by_id(regions[5, 6, 7, 8]["targets"][0])
    assert seg.text_content() == "page" and seg.get("data-facs-zone") == regions[5, 6, 7, 8]["id"]
    breaks = page.xpath('//span[contains(@class, "tei-pb")][@data-facs-page]')
    assert [b.get("data-facs-page") for b in breaks] == [first["id"], second["id"]]
    assert [b.get("id") for b in breaks] == first["breaks"] + second["breaks"]
    link = breaks[0].xpath('a[@class="tei-pb-image"]')[0]
    assert link.text_content() == "image of page 1r" and link.get("href") == first["image"]["full"]


def test_a_line_break_pointing_at_a_zone_marks_the_line_that_follows(site):
    """``lb/@facs`` (a Transkribus export's lines): ``span.tei-lb.edition-facs-line``, which the reading view
    links to the words up to the next break; inside a word (``break="no"``) an empty one, adding no space. A
    column break keeps its zone, but is no line."""
    page = _page(site, "letter")
    regions = {(z["x"], z["y"], z["w"], z["h"]): z for z in _data(page)["pages"][1]["zones"]}
    lines = page.xpath('//span[contains(@class, "edition-facs-line")]')
    assert [line.get("data-facs-zone") for line in lines] == [regions[1, 2, 3, 4]["id"], regions[9, 10, 11, 12]["id"]]
    assert all(line.get("class") == "tei-lb edition-facs-line" and line.get("id") for line in lines)
    assert lines[0].text == " " and lines[1].text is None and lines[1].get("data-break") == "no"
    assert lines[1].get("data-pagefind-ignore") == "all"  # the search would cut the word at its id
    assert "again and again here." in " ".join(lines[0].getparent().text_content().split())
    (column,) = page.xpath('//span[@class="tei-lb"][@data-facs-zone]')
    assert column.get("data-facs-zone") == regions[1, 2, 3, 4]["id"]


def test_a_iiif_service_through_a_prefix_of_conf_py_and_the_problems(site):
    page = _page(site, "remote")
    data = _data(page)
    (leaf,) = data["pages"]
    assert leaf["image"] == {"kind": "iiif", "service": "https://iiif.example.org/iiif/leaf1",
                             "url": "https://iiif.example.org/iiif/leaf1/full/!800,800/0/default.jpg",
                             "full": "https://iiif.example.org/iiif/leaf1/full/max/0/default.jpg"}
    assert leaf["label"] == "leaf 1" and (leaf["width"], leaf["height"]) == (1000, 1500)
    (zone,) = leaf["zones"]
    assert page.get_element_by_id(zone["targets"][0]).text_content() == "Zoned"
    breaks = page.xpath('//span[contains(@class, "tei-pb")][not(ancestor::details)]')  # not the reading key's
    assert len(breaks) == 3 and [b.get("data-facs-page") for b in breaks] == [leaf["id"], None, None]
    assert not breaks[1].xpath("a") and not breaks[2].xpath("a")  # a page break without an image stays as it is
    warnings = site[1]
    assert "remote.xml:13" in warnings and "'nothere.png' is not a file beside the TEI" in warnings
    assert "facs='#nowhere' points at no surface, zone or graphic" in warnings
    assert "letter.xml" not in warnings and "Traceback" not in warnings
    assert warnings.count("[tei.") == 2, warnings


def test_every_word_reaches_the_page(site):
    from edition.core.xmlparse import parse_bytes

    for name, source in (("letter", LETTER), ("remote", REMOTE)):
        running, _ = _words_of_text(parse_bytes(source.encode(), f"{name}.xml").getroot())
        main = _page(site, name).xpath('//*[@role="main"]')[0]
        assert _in_order(running, _html_words(main)) == len(running)


def test_the_manifests_load_in_iiif_prezi3(site):
    outdir = site[0]
    for name, canvases in (("letter", 2), ("remote", 1)):
        data = json.loads((outdir / "_manifests" / f"{name}.json").read_bytes())
        manifest = Manifest(**data)
        assert str(manifest.id) == f"{BASE}_manifests/{name}.json"
        assert len(data["items"]) == canvases
    data = json.loads((outdir / "_manifests" / "letter.json").read_bytes())
    first = data["items"][0]
    assert (first["width"], first["height"], first["label"]) == (200, 300, {"none": ["1r"]})
    body = first["items"][0]["items"][0]["body"]
    assert body["id"].startswith(f"{BASE}_images/facsimile/p1-") and body["format"] == "image/png"
    links = first["annotations"][0]["items"]
    assert [link["motivation"] for link in links] == ["linking", "linking"]
    assert links[0]["target"].endswith("#xywh=10,20,100,40")
    assert links[0]["body"]["id"].startswith(f"{BASE}texts/letter.html#")
    assert links[1]["target"]["selector"]["type"] == "SvgSelector"
    remote = json.loads((outdir / "_manifests" / "remote.json").read_bytes())
    service = remote["items"][0]["items"][0]["items"][0]["body"]["service"][0]
    assert service["@id"] == "https://iiif.example.org/iiif/leaf1"
    downloads = lxml.html.parse(str(outdir / "index.html")).getroot()
    hrefs = [a.get("href") for a in downloads.xpath('//a[contains(@class, "edition-manifest")]')]
    assert hrefs == ["_manifests/letter.json", "_manifests/remote.json"]
    text = _page(site, "letter").xpath('//a[contains(@class, "edition-manifest")]')[0]
    assert text.get("href") == "../_manifests/letter.json" and "IIIF viewer" in text.getparent().text_content()


def test_a_manifest_without_html_baseurl_is_relative_to_itself(site):
    from edition.core.facsimile import Page
    from edition.core.images import image_of

    page = Page("p", "1r", image_of("https://iiif.example.org/iiif/x"), 10, 20)
    written = manifest_bytes(FacsimileRecord("texts/x", "X", (page,), "x.json"), "").decode()
    data = json.loads(written)
    assert data["id"] == "../_manifests/x.json" and "https://tei-edition" not in written
    assert Manifest(**json.loads(written.replace('"../', f'"{BASE}')))  # valid once resolved against the site


def test_the_json_is_safe_in_a_script():
    text = script_json({"label": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"label": "</script><b>&"}


OSINSKI = SHARED / "tei-samples" / "kinds" / "facsimile" / "osinski.xml"


@pytest.mark.skipif(not OSINSKI.is_file(), reason=f"{OSINSKI} not available")
def test_the_osinski_dictionary_links_its_headwords_to_their_regions(tmp_path: Path):
    """``iiif:kamlot.jpg/1,10,235,293`` without a listPrefixDef: the undeclared prefix's rest is the image
    beside the TEI, which ``edition init`` copies and the build publishes."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(OSINSKI, source / "osinski.xml")
    (source / "kamlot.jpg").write_bytes(png(460, 650))  # a PNG by another name: Pillow reads what it is
    (source / "kamyk.jpg").write_bytes(png(500, 650))
    project = tmp_path / "edition"
    run = [sys.executable, "-m", "edition.cli"]
    init = subprocess.run([*run, "init", str(project), "--tei", str(source / "osinski.xml")], capture_output=True,
                          text=True, check=False)
    assert init.returncode == 0, init.stderr
    assert (project / "tei" / "kamlot.jpg").is_file() and (project / "tei" / "kamyk.jpg").is_file()
    build = subprocess.run([*run, "build", str(project), "-q", "--strict"], capture_output=True, text=True,
                           check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    site = project / "docs" / "_build" / "html"
    page = lxml.html.parse(str(site / "texts" / "osinski.html")).getroot()
    data = _data(page)
    assert [p["label"] for p in data["pages"]] == ["t. 867 p. 1/36A", "t. 867 p. 3/36R"]
    zones = [zone for p in data["pages"] for zone in p["zones"]]
    assert len(zones) == 16
    headwords = 0
    for zone in zones:
        (target,) = zone["targets"]
        element = page.get_element_by_id(target)
        assert zone["id"] in element.get("data-facs-zone").split()
        headwords += "tei-headword" in element.get("class", "")
    assert headwords >= 10
    assert (zones[0]["x"], zones[0]["y"], zones[0]["w"], zones[0]["h"]) == (1, 10, 235, 293)
    manifest = json.loads((site / "_manifests" / "osinski.json").read_bytes())
    assert len(manifest["items"]) == 2
    running, _ = _words_of_text(lxml.etree.parse(str(OSINSKI)).getroot())
    main = page.xpath('//*[@role="main"]')[0]
    assert _in_order(running, _html_words(main)) >= 0.999 * len(running)


def test_a_local_image_browsers_do_not_show_is_a_link():
    """A local tif was "image" in the page's data, which the reader's browser cannot show."""
    from edition.core.facsimile import Page

    assert Page("p3", "3r", local="/edition/tei/images/p3.tif", published="facsimile/p3-0a1b.tif").kind == "link"
    assert Page("p1", "1r", local="/edition/tei/images/p1.PNG", published="facsimile/p1-0a1b.png").kind == "image"


GENETIC = f"""<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>Leaf</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made</p></sourceDesc></fileDesc></teiHeader>
<sourceDoc><surface xml:id="f1" n="1r" ulx="0" uly="0" lrx="40" lry="60"><graphic url="images/f1.png"/>
<zone><line>A line of the leaf</line></zone></surface></sourceDoc></TEI>"""


def _leaf_project(where: Path, tei: str) -> None:
    """A project of one text, ``tei/leaf.xml``, beside an ``images`` folder."""
    (where / "tei" / "images").mkdir(parents=True)
    (where / "tei" / "leaf.xml").write_text(tei, encoding="utf-8")
    (where / "conf.py").write_text('extensions = ["myst_parser", "edition"]\nproject = "Leaf"\n'
                                   'edition_texts = ["tei/leaf.xml"]\n', encoding="utf-8")
    (where / "index.md").write_text("# Leaf\n\n```{toctree}\n:hidden:\n\ntexts/index\n```\n", encoding="utf-8")


def _build_leaf(where: Path) -> tuple[Path, lxml.html.HtmlElement]:
    """Build the project of :func:`_leaf_project` (again: Sphinx's incremental build); the site and the text's page."""
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=where, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()
    return Path(app.outdir), lxml.html.parse(str(Path(app.outdir) / "texts" / "leaf.html")).getroot()


def test_a_surface_of_a_genetic_transcription_shows_its_local_image_from_the_site(tmp_path: Path):
    """A local graphic of a ``sourceDoc`` surface was named "(not published)" beside the surface, though the
    build copies it into the site."""
    _leaf_project(tmp_path, GENETIC)
    (tmp_path / "tei" / "images" / "f1.png").write_bytes(png(40, 60))
    outdir, page = _build_leaf(tmp_path)
    (image,) = page.xpath('//section[@id="f1"]//*[contains(@class, "tei-surface-image")]//img')
    assert image.get("src").startswith("../_images/facsimile/f1-") and "not published" not in page.text_content()
    assert (outdir / "texts" / image.get("src")).resolve().read_bytes() == png(40, 60)


def test_an_image_put_beside_the_tei_after_a_build_is_shown_by_the_next(tmp_path: Path):
    """A text was not read again when a page image it names came: the page went on without it (an image is not
    a file Sphinx knows the text depends on)."""
    _leaf_project(tmp_path, f"<TEI {TEI}><teiHeader><fileDesc><titleStmt><title>Leaf</title></titleStmt>"
                            "<publicationStmt><p>t</p></publicationStmt><sourceDesc><p>t</p></sourceDesc></fileDesc>"
                            '</teiHeader><text><body><pb n="1" facs="images/one.png"/><p>One.</p>'
                            '<pb n="2" facs="images/two.png"/><p>Two.</p></body></text></TEI>')
    (tmp_path / "tei" / "images" / "one.png").write_bytes(png(40, 60))

    def kinds() -> list[tuple[str, str]]:
        return [(shown["label"], shown["image"]["kind"]) for shown in _data(_build_leaf(tmp_path)[1])["pages"]]

    assert kinds() == [("1", "image")]
    (tmp_path / "tei" / "images" / "two.png").write_bytes(png(40, 60))
    assert kinds() == [("1", "image"), ("2", "image")]
    (tmp_path / "tei" / "images" / "one.png").unlink()
    assert kinds() == [("2", "image")]
