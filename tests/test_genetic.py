"""Genetic transcriptions (``sourceDoc``): each surface of the source with its anchor, label and image, its
zones and lines; additions placed, deletions struck (a ``delSpan`` up to its anchor, and nothing more), the
hand changing at each ``handShift``, all named in the reading key (issue 14, item 4).

The test root ``test-genetic`` is a small notebook: two surfaces (the second pulled in by ``xi:include``),
a text beside them, a register of persons. The last tests read the Shelley-Godwin Archive's Frankenstein
notebook from ``../shared/tei-samples/kinds/genetic`` (the repository's neighbour; not copied into the
project) and publish it with ``edition init`` and ``edition build``, as an editor would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from edition.core.blocks import words_of
from edition.core.model import ProcessingModel
from edition.core.register import load_registry
from edition.core.render import MAX_NESTING, render_text
from edition.core.xmlparse import parse_bytes
from edition.doctree import to_doctree

from .conftest import SHARED, build_root, page

TEXT = "texts/notebook"
WORD = re.compile(r"\w+")
TEI_NS = "http://www.tei-c.org/ns/1.0"
XI = "{http://www.w3.org/2001/XInclude}include"


def _has(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return build_root("test-genetic", tmp_path_factory.mktemp("genetic"))


@pytest.fixture(scope="module")
def text(site) -> lxml.html.HtmlElement:
    return page(site, TEXT)


def _surface(text: lxml.html.HtmlElement, ident: str) -> lxml.html.HtmlElement:
    found = text.xpath(f'//section[@id="{ident}"]')
    assert len(found) == 1, ident
    return found[0]


def _words(element: lxml.html.HtmlElement, marked: str) -> list[tuple[str, bool]]:
    """The words of a surface's transcription (not its captions), each with whether an element around it has
    the class ``marked``."""
    out = []
    for piece in element.xpath(f'.//*[{_has("tei-surface-text")}]//text()[not(ancestor::*[{_has("tei-zone-label")}])]'):
        holder = piece.getparent().getparent() if piece.is_tail else piece.getparent()  # a tail is after its element
        inside = bool(holder.xpath(f'ancestor-or-self::*[{_has(marked)}]'))
        out += [(word, inside) for word in WORD.findall(piece)]
    return out


def test_each_surface_is_a_block_with_its_anchor_label_and_image(text):
    surfaces = text.xpath(f'//section[{_has("tei-surface")}]')
    assert [s.get("id") for s in surfaces] == ["f1r", "f1v"]  # the second from its xi:include, in order
    assert [s.xpath("string(h3)").rstrip("¶") for s in surfaces] == ["1r", "1v"]
    iiif = surfaces[0].xpath(f'.//*[{_has("tei-surface-images")}]//img')[0]
    assert iiif.get("src") == "https://iiif.example.org/iiif/image/f1r/full/!800,800/0/default.jpg"
    assert iiif.get("loading") == "lazy" and iiif.get("alt") == "Image of 1r"
    assert (iiif.get("width"), iiif.get("height")) == ("533", "800")  # the surface's proportions, kept
    assert iiif.getparent().get("href") == "https://iiif.example.org/iiif/image/f1r/full/max/0/default.jpg"
    plain = surfaces[1].xpath(".//img")[0]
    assert plain.get("src") == "https://images.example.org/notebook/f1v.jpg"  # an image, as it is
    lines = surfaces[0].xpath(f'.//p[{_has("tei-line")}]')
    assert lines[0].text_content() == "The first line with tall words" and len(lines) == 8  # and the margin's


def test_the_text_and_the_transcription_are_each_headed(text):
    headings = [h.text_content().rstrip("¶") for h in text.xpath("//section/h2")]
    assert headings == ["Text", "Diplomatic transcription"]
    assert "The reading text of the notebook." in text.xpath("string(//section[h2='Text¶'])")


def test_deletions_are_struck_and_a_delspan_strikes_the_words_up_to_its_anchor_and_no_more(text):
    words = _words(_surface(text, "f1r"), "tei-del")
    assert [word for word, struck in words if struck] == ["wrong", "struck", "alpha", "beta", "gamma", "delta"]
    assert ("before", False) in words and ("kept", False) in words and ("epsilon", False) in words


def test_additions_are_placed_above_or_below(text):
    above = text.xpath(f'//span[{_has("tei-add")}][{_has("place-above")}]')
    below = text.xpath(f'//span[{_has("tei-add")}][{_has("place-below")}]')
    assert [a.text_content() for a in above] == ["tall"] and [b.text_content() for b in below] == ["added below"]
    assert below[0].xpath(f'.//*[{_has("tei-hand-pencil")}]')  # in the hand its @hand names


def test_the_hand_changes_at_each_hand_shift_and_the_reading_key_names_the_hands(text):
    words = _words(_surface(text, "f1r"), "tei-hand-pencil")
    pencil = [word for word, inside in words if inside]
    assert pencil == ["Ben", "Corrector", "the", "corrector", "here", "still", "corrector"]  # its name, then its words
    assert ("written", False) in words and ("back", False) in words and ("ink", False) in words
    shift = text.xpath(f'//span[{_has("tei-handShift")}]')[0]
    assert shift.text_content() == "Ben Corrector" and "edition-hand-1" in shift.get("class")
    key = text.xpath(f'//details[{_has("edition-legend")}]')[0]
    assert key.xpath(f'.//span[{_has("edition-hand-1")}]')[0].text_content() == "Ben Corrector"
    assert "Ada Writer (the main hand" in key.text_content()


def test_metamarks_unclear_readings_and_gaps_are_marked_and_named_in_the_reading_key(text):
    metamark = _surface(text, "f1r").xpath(f'.//span[{_has("tei-metamark")}]')[0]
    assert metamark.text_content() == "^" and metamark.get("title") == "metamark: insert"
    unclear = _surface(text, "f1r").xpath(f'.//span[{_has("tei-unclear")}]')[0]
    assert unclear.text_content() == "faint" and unclear.get("title") == "unclear: faded"
    gap = _surface(text, "f1r").xpath(f'.//span[{_has("tei-gap")}]')[0]
    assert gap.text_content() == "[…]" and gap.get("title") == "gap 3 words illegible"
    key = text.xpath(f'string(//details[{_has("edition-legend")}])')
    for said in ("Diplomatic transcription", "added in the source", "raised: above the line", "lowered: below the line",
                 "deleted in the source", "A sign of the writer's", "not certain", "Text not transcribed", "Hands:"):
        assert said in key, said


def test_a_zone_in_the_margin_stands_beside_the_line_it_points_into(text):
    margin = text.xpath(f'//div[{_has("tei-zone-margin")}]')[0]
    assert margin.xpath(f'string(p[{_has("tei-zone-label")}])') == "left margin"
    line = margin.getnext()
    assert line.get("class") == "tei-line" and line.text_content().startswith("a wrong right word")
    assert margin.getparent().get("class").startswith("tei-zone tei-zone-main")


def test_names_and_dates_in_the_transcription_are_mentions_with_their_context(site):
    mention = page(site, "persons/ada").xpath('//ol[contains(@class, "entry-mentions")]/li')[0].text_content()
    assert "back to ink a gap" in mention and "Ada wrote on 16 June 1816 at home" in mention  # read on across lines
    chronology = page(site, "chronology")
    assert chronology.xpath('//a[contains(@href, "texts/notebook.html#")]') and "1816" in chronology.text_content()


def test_the_book_has_the_transcription_and_its_images_as_links(tmp_path: Path):
    app = build_root("test-genetic", tmp_path, buildername="latex")  # fails on any warning
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    for said in ("Diplomatic transcription", "struck alpha beta", "The verso line one", "Image of 1r"):
        assert said in tex, said
    assert r"\sphinxAtStartPar" + "\nThe first line with tall words" in tex  # a line a paragraph, its marks text
    assert "element" not in tex and "textless" not in tex  # no markup written as text
    assert r"\sphinxhref{https://iiif.example.org/iiif/image/f1r/full/max/0/default.jpg}" in tex


# -- the core, on TEI made here ------------------------------------------------------------------------------
def _rendered(source: str):
    tree = parse_bytes(source.encode(), "made.xml")
    return render_text(tree, "made.xml", load_registry([], [], Path(".")), model=ProcessingModel())


def _document(body: str) -> str:
    return (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
            "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
            f"<sourceDoc>{body}</sourceDoc></TEI>")


def test_a_span_pointing_nowhere_or_backwards_is_a_warning_and_strikes_nothing():
    rendered = _rendered(_document(
        '<surface><zone><line><anchor xml:id="before"/>one <delSpan spanTo="#missing"/>two</line>'
        '<line>three <delSpan spanTo="#before"/>four</line></zone></surface>'))
    messages = [problem.message for problem in rendered.problems]
    assert any("points at no element of this document" in m for m in messages), messages
    assert any("points at an element before it" in m for m in messages), messages
    assert "tei-del" not in repr([block for block in rendered.body])
    assert words_of(rendered.body).endswith("one two three four")


def test_zones_nested_deeper_than_the_limit_keep_their_words_and_make_a_doctree():
    depth = MAX_NESTING * 2
    rendered = _rendered(_document(f"<surface>{'<zone>' * depth}<line>deep words</line>{'</zone>' * depth}</surface>"))
    assert "deep words" in words_of(rendered.body)
    assert "deep words" in "".join(node.astext() for node in to_doctree(rendered.body))
    assert any("nested more than" in problem.message for problem in rendered.problems)


# -- the Frankenstein notebook of the Shelley-Godwin Archive -------------------------------------------------------
GENETIC = SHARED / "tei-samples" / "kinds" / "genetic"
SAMPLE = GENETIC / "ox-ms_abinger_c57.xml"
#: replaces the socket functions in the build's process: any connection (or name lookup) is written down and fails
NO_NETWORK = """
import os, socket

def _refused(*args, **kwargs):
    with open(os.environ["EDITION_TEST_NETWORK_LOG"], "a", encoding="utf-8") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError("no network in this build")

socket.socket.connect = socket.socket.connect_ex = _refused
socket.create_connection = socket.getaddrinfo = _refused
"""
sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{GENETIC} not available")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess, Path]:
    """The notebook published with ``edition init`` and ``edition build``, in a process that cannot reach the
    network: the site, the build, the log of attempts to reach it."""
    where = tmp_path_factory.mktemp("notebook")
    guard = where / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    log = where / "network.log"
    paths = [str(guard), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "EDITION_TEST_NETWORK_LOG": str(log),
                   "NO_COLOR": "1"}
    run = [sys.executable, "-m", "edition.cli"]
    init = subprocess.run([*run, "init", str(where / "edition"), "--tei", str(SAMPLE)], capture_output=True,
                          text=True, check=False, env=environment)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([*run, "build", str(where / "edition")], capture_output=True, text=True, check=False,
                           env=environment)
    return where / "edition" / "docs" / "_build" / "html", build, log


def _sample_page(site: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / "texts" / "ox-ms_abinger_c57.html")).getroot()


def _included_surfaces() -> list[etree._Element]:
    """The surfaces the notebook's ``sourceDoc`` includes, read here (not with the toolkit)."""
    root = etree.parse(str(SAMPLE)).getroot()
    source = root.find(f"{{{TEI_NS}}}sourceDoc")
    return [etree.parse(str(SAMPLE.parent / include.get("href"))).getroot() for include in source.iter(XI)]


@sample
def test_the_notebook_is_published_with_every_surface_and_the_missing_include_is_a_warning(published):
    site, build, _ = published
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr[-3000:]
    assert re.search(r"ox-ms_abinger_c57\.xml:258:\d+: WARNING: xi:include of '\.\./shared/classDecl\.xml'",
                     build.stderr), build.stderr[-3000:]
    surfaces = _included_surfaces()
    shown = _sample_page(site).xpath(f'//section[{_has("tei-surface")}]')
    assert len(shown) == len(surfaces) == 190
    assert [s.get("id") for s in shown] == [s.get("{http://www.w3.org/XML/1998/namespace}id") for s in surfaces]
    assert all(s.xpath('.//img[starts-with(@src, "https://iiif.bodleian.ox.ac.uk/iiif/image/")]') for s in shown)


@sample
def test_at_least_99_percent_of_the_words_of_the_notebook_are_on_its_page(published):
    site, _, _ = published
    expected = Counter(word for surface in _included_surfaces() for piece in surface.xpath(".//text()")
                       for word in WORD.findall(piece))
    shown = _sample_page(site).xpath(f'//section[{_has("tei-sourceDoc")}]') or _sample_page(site).xpath("//body")
    found = Counter(word for piece in shown[0].itertext() for word in WORD.findall(piece))
    missing = expected - found
    assert sum(missing.values()) <= 0.01 * sum(expected.values()), missing.most_common(20)
    assert sum(expected.values()) > 40_000


@sample
def test_the_build_fetches_nothing(published):
    site, build, log = published
    assert build.returncode == 0, build.stderr[-3000:]
    assert not log.exists() or log.read_text() == "", log.read_text()
    assert _sample_page(site).xpath("//img[@loading='lazy']")  # the images are the reader's browser's to fetch
    probe_log = log.parent / "probe.log"
    probe = subprocess.run([sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9')"],
                           capture_output=True, text=True, check=False,
                           env={"PYTHONPATH": str(log.parent / "guard"), "EDITION_TEST_NETWORK_LOG": str(probe_log)})
    assert probe.returncode != 0 and probe_log.read_text()  # the guard does stop a connection
