"""TEI from other editions, published with no hand edits: ``edition init`` + ``edition build``.

The samples are read from ``../shared/tei-samples`` (this repository's neighbour; they are not
copied into the project). Each must build without a warning, keep its words (≥ 99.9 % of the
words of its ``text``, in order; notes, which move to the end of the page, as a multiset), link
every name that points into a register (persons, places, organisations, works), and give every
register entry a page and a line in the index of its kind.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from copy import deepcopy
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from edition.core.xmlparse import XML_ID, parse_file, tei

from .conftest import SHARED

SAMPLES = SHARED / "tei-samples"
WORD = re.compile(r"\w+")
#: names in the texts -> the folder of the pages of the entries they name (None: any, by their pointer)
NAMES = {"persName": "persons", "placeName": "places", "geogName": "places", "orgName": "organisations",
         "rs": None, "name": None}
RS_TYPES = {"person": "persons", "place": "places", "org": "organisations", "work": "works"}
ENTRY_FOLDERS = {"person": "persons", "personGrp": "persons", "place": "places", "org": "organisations",
                 "bibl": "works"}

#: parts of the header that instruct software, not shown to readers (see README, "The header")
HEADER_MACHINE_ONLY = {"tagsDecl", "listPrefixDef", "prefixDef", "classDecl", "appInfo", "schemaRef", "schemaSpec",
                       "refsDecl", "styleDefDecl", "rendition", "variantEncoding", "charDecl", "geoDecl", "unitDecl",
                       "namespace", "xenoData", "metDecl"}
#: register entries in the header: each has its page
HEADER_ENTRIES = {"person", "personGrp", "place", "org", "event", "relation"}

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


#: samples whose page images cannot be shown, and the only warnings they give: images named through a prefix
#: their application maps (F-rom), files the sample does not have (graves6), pointers to surfaces the file lacks
#: (Kant)
FACSIMILE_WARNINGS = {
    "eeditiones__tei-publisher-app__F-rom.xml": "1 page image that cannot be shown",
    "eeditiones__tei-publisher-app__graves6.xml": "2 page images that cannot be shown",
    "eeditiones__tei-publisher-app__kant_rvernunft_1781.TEI-P5.xml": "1 unresolved reference",
}


@pytest.fixture(scope="module", params=sorted(p.name for p in SAMPLES.glob("*.xml")))
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sample = SAMPLES / request.param
    project = tmp_path_factory.mktemp("sample") / "edition"
    run = [sys.executable, "-m", "edition.cli"]
    init = subprocess.run([*run, "init", str(project), "--tei", str(sample)], capture_output=True, text=True,
                          check=False)
    assert init.returncode == 0, init.stderr
    expected = FACSIMILE_WARNINGS.get(sample.name)
    build = subprocess.run([*run, "build", str(project), "-q", *([] if expected else ["--strict"])],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr[-3000:]
    if expected:  # these warnings, and no other
        count = expected.split()[0]
        assert f"\n  {expected}: " in build.stderr, build.stderr[-3000:]
        assert f"edition: {count} warning{'s' if count != '1' else ''}:" in build.stderr, build.stderr[-3000:]
    return sample, project / "docs" / "_build" / "html"


def _page(site: Path, sample: Path) -> lxml.html.HtmlElement:
    stem = sample.name[:-4]
    return lxml.html.parse(str(site / "texts" / f"{stem}.html")).xpath('//*[@role="main"]')[0]


def _html_words(element: lxml.html.HtmlElement) -> list[str]:
    """Words per text node, as for the TEI: alternatives shown one at a time (sic/corr) stay two words. The
    data of scripts (the page images' JSON) are not words of the page. The empty mark of a line break inside a
    word (``data-break="no"``: a line linked to its zone) joins the word's halves, as ``break="no"`` does in
    the TEI and as a reader (and the search) reads them."""
    if element.xpath('.//span[@data-break="no"][not(node())]'):
        element = deepcopy(element)
        for mark in element.xpath('.//span[@data-break="no"][not(node())]'):
            mark.drop_tree()
    return [word for text in element.xpath(".//text()[not(ancestor::script)]") for word in WORD.findall(text)]


def _without_header(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The page without what its ``teiHeader`` says (the metadata panel) and the reading key."""
    page = deepcopy(page)
    for panel in page.xpath('.//details[contains(@class, "edition-meta") or contains(@class, "edition-legend")]'):
        panel.drop_tree()
    return page


def header_words(root: etree._Element) -> list[str]:
    """The words of the ``teiHeader``, except those of parts that instruct software (listed here, as the
    README says, not taken from the toolkit) and of register entries (shown on their own pages)."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        local = etree.QName(element).localname
        if local in HEADER_MACHINE_ONLY or local in HEADER_ENTRIES:
            return
        out.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                out.append(" ")
                walk(child)
                out.append(" ")
            out.append(child.tail or "")

    for header in root.iter(tei("teiHeader")):
        walk(header)
    return WORD.findall("".join(out))


def header_words_missing(root: etree._Element, page: lxml.html.HtmlElement) -> Counter[str]:
    """Words of the header that are neither in the metadata panel nor in the page's headings (a corpus's
    documents are sections, each with its header's fields)."""
    shown = [word for node in page.xpath('.//details[contains(@class, "edition-meta")] | .//h1 | .//h2 | .//h3'
                                         ' | .//dl[contains(@class, "tei-member-header")]')
             for word in _html_words(node)]
    return Counter(w.casefold() for w in header_words(root)) - Counter(w.casefold() for w in shown)


def test_no_word_is_lost(published: tuple[Path, Path]):
    sample, site = published
    running, notes = _words_of_text(parse_file(sample).getroot())
    html_words = _html_words(_without_header(_page(site, sample)))
    assert _in_order(running, html_words) >= 0.999 * len(running), "words of the running text lost or reordered"
    missing = Counter(notes) - Counter(html_words)
    assert sum(missing.values()) <= 0.001 * max(len(notes), 1), f"words of notes lost: {missing.most_common(10)}"


def test_the_header_reaches_the_reader(published: tuple[Path, Path]):
    """At least 99 % of the header's words are on the text's page (issue 13, item 4)."""
    sample, site = published
    root = parse_file(sample).getroot()
    missing = header_words_missing(root, _page(site, sample))
    assert sum(missing.values()) <= 0.01 * len(header_words(root)), f"header words lost: {missing.most_common(10)}"


def _entries(root: etree._Element) -> dict[str, str]:
    """Register entries of a file (written out here, not taken from the toolkit): xml:id -> site folder."""
    found = {}
    for element in root.iter(*(tei(n) for n in ENTRY_FOLDERS)):
        local = etree.QName(element).localname
        if local == "bibl" and element.getparent().tag != tei("listBibl"):
            continue
        if element.get(XML_ID):
            found[element.get(XML_ID)] = ENTRY_FOLDERS[local]
    return found


def test_every_resolvable_name_is_a_link(published: tuple[Path, Path]):
    """Each name (persName, placeName, orgName, rs, name) pointing at an entry of its kind in the file
    is a link to that entry's page: counted per entry, in the text and in the HTML."""
    sample, site = published
    root = parse_file(sample).getroot()
    entries = _entries(root)
    expected: Counter[str] = Counter()
    for text in root.iter(tei("text")):
        for element in text.iter(*(tei(n) for n in NAMES)):
            local = etree.QName(element).localname
            folder = NAMES[local] or RS_TYPES.get(element.get("type") or "", "" if element.get("type") else None)
            for pointer in (element.get("ref") or element.get("key") or "").split():
                ident = pointer.rpartition("#")[2]
                if ":" not in pointer and ident in entries and folder in (None, entries[ident]):
                    expected[f"{entries[ident]}/{ident}.html"] += 1
                    break  # the first target is the link, the others follow it
    linked: Counter[str] = Counter()
    for link in _page(site, sample).xpath('.//a[span[contains(concat(" ", @class, " "), " tei-name ")]]'):
        linked[link.get("href").rpartition("../")[2].partition("#")[0]] += 1
    missing = expected - linked
    assert not missing, f"names not linked to their entry: {missing.most_common(10)}"


def test_every_register_entry_has_a_page(published: tuple[Path, Path]):
    """The samples hold their registers themselves (in the header, ``back``, ``standOff``): each entry of a
    text's own gets a page, named or not (only a register file's unnamed entries get none)."""
    sample, site = published
    entries = _entries(parse_file(sample).getroot())
    missing = [f"{folder}/{i}" for i, folder in entries.items() if not (site / folder / f"{i}.html").is_file()]
    assert missing == []
    for folder in set(entries.values()):  # and an index of its kind, listing all of them
        index = lxml.html.parse(str(site / folder / "index.html")).getroot()
        listed = {a.get("href").partition("#")[0] for a in index.xpath('//ul[contains(@class, "entry-index")]//a')}
        assert {f"{i}.html" for i, f in entries.items() if f == folder} <= listed
