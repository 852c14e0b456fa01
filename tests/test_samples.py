"""TEI from other editions, published with no hand edits: ``edition init`` + ``edition build``.

The samples are read from ``../shared/tei-samples`` (this repository's neighbour; they are not
copied into the project). Each must build without a warning, keep its words (≥ 99.9 % of the
words of its ``text``, in order; notes, which move to the end of the page, as a multiset), link
every name that points into a register, and give every register entry a page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from edition.register import load_registry
from edition.xmlparse import XML_ID, parse_file, tei

from .conftest import SHARED

SAMPLES = SHARED / "tei-samples"
WORD = re.compile(r"\w+")
NAMES = ("persName", "rs", "name")

if not SAMPLES.is_dir():
    pytest.skip(f"{SAMPLES} not available: the samples of other editions are not part of this repository",
                allow_module_level=True)


def _words_of_text(root: etree._Element) -> tuple[list[str], list[str]]:
    """The words of every ``text`` (not the header): the running text in order, and the words of notes.

    Element boundaries separate words (as they do in the HTML), except a line, column or page break
    with ``break="no"``, which joins the two halves of a word.
    """
    notes: list[str] = []

    def walk(element: etree._Element, out: list[str]) -> None:
        out.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                joins = child.get("break") == "no" and etree.QName(child).localname in ("lb", "pb", "cb")
                separator = "" if joins else " "
                if child.tag == tei("note"):
                    inside: list[str] = []
                    walk(child, inside)
                    notes.append("".join(inside))
                    out.append(" ")
                else:
                    out.append(separator)
                    walk(child, out)
                    out.append(separator)
            out.append(child.tail or "")

    running: list[str] = []
    for text in root.iter(tei("text")):
        if text.getparent() is not None and text.getparent().tag in (tei("TEI"), tei("teiCorpus")):
            walk(text, running)
    return WORD.findall("".join(running)), WORD.findall(" ".join(notes))


def _in_order(expected: list[str], found: list[str], window: int = 300) -> int:
    """How many of ``expected`` occur in ``found`` in the same order (greedy, looking a little ahead)."""
    position, matched = 0, 0
    for word in expected:
        try:
            position = found.index(word, position, position + window) + 1
            matched += 1
        except ValueError:
            continue
    return matched


@pytest.fixture(scope="module", params=sorted(p.name for p in SAMPLES.glob("*.xml")))
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sample = SAMPLES / request.param
    project = tmp_path_factory.mktemp("sample") / "edition"
    run = [sys.executable, "-m", "edition.cli"]
    init = subprocess.run([*run, "init", str(project), "--tei", str(sample)], capture_output=True, text=True,
                          check=False)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([*run, "build", str(project), "-q"], capture_output=True, text=True, check=False)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr[-3000:]
    return sample, project / "docs" / "_build" / "html"


def _page(site: Path, sample: Path) -> lxml.html.HtmlElement:
    stem = sample.name[:-4]
    return lxml.html.parse(str(site / "texts" / f"{stem}.html")).xpath('//*[@role="main"]')[0]


def _html_words(element: lxml.html.HtmlElement) -> list[str]:
    """Words per text node, as for the TEI: alternatives shown one at a time (sic/corr) stay two words."""
    return [word for text in element.itertext() for word in WORD.findall(text)]


def test_no_word_is_lost(published: tuple[Path, Path]):
    sample, site = published
    running, notes = _words_of_text(parse_file(sample).getroot())
    html_words = _html_words(_page(site, sample))
    assert _in_order(running, html_words) >= 0.999 * len(running), "words of the running text lost or reordered"
    missing = Counter(notes) - Counter(html_words)
    assert sum(missing.values()) <= 0.001 * max(len(notes), 1), f"words of notes lost: {missing.most_common(10)}"


def test_every_resolvable_name_is_a_link(published: tuple[Path, Path]):
    sample, site = published
    tree = parse_file(sample)
    registry = load_registry([], [sample])
    resolvable = 0
    for text in tree.getroot().iter(tei("text")):
        for element in text.iter(*(tei(n) for n in NAMES)):
            pointers = (element.get("ref") or element.get("key") or "").split()
            if element.tag != tei("persName") and element.get("type") not in (None, "person"):
                continue
            if any(registry.resolve(p, str(sample.resolve()))[0] is not None for p in pointers):
                resolvable += 1
    linked = _page(site, sample).xpath('.//a[span[contains(concat(" ", @class, " "), " tei-name ")]]')
    assert len(linked) >= resolvable


def test_every_register_entry_has_a_page(published: tuple[Path, Path]):
    sample, site = published
    ids = [p.get(XML_ID) for p in parse_file(sample).getroot().iter(tei("person")) if p.get(XML_ID)]
    missing = [i for i in ids if not (site / "persons" / f"{i}.html").is_file()]
    assert missing == []
