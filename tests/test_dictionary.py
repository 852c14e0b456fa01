"""Dictionaries (TEI Guidelines, chapter 9), on the built HTML of ``tests/roots/test-dictionary``: each entry a
block with its anchor, its headword strong, its senses numbered, cross references linked, translations marked
with their language, and every word of the dictionary on the page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html

from edition.core.model import LIBRARY_MODEL
from edition.core.xmlparse import parse_file, tei

from .conftest import ROOTS, SHARED, build_root, page

WORD = re.compile(r"\w+")
SAMPLE = SHARED / "tei-samples" / "kinds" / "dictionary" / "wol-fra.tei.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_root("test-dictionary", tmp_path_factory.mktemp("dictionary"))


@pytest.fixture(scope="module")
def text(built) -> html.HtmlElement:
    return page(built, "texts/dictionary")


def _classes(*names: str) -> str:
    return " and ".join(f'contains(concat(" ", @class, " "), " {name} ")' for name in names)


def _entry(text: html.HtmlElement, ident: str) -> html.HtmlElement:
    found = text.xpath(f'//div[@id="{ident}"][{_classes("tei-dict-entry")}]')
    assert found, ident
    return found[0]


def _words(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _labels(element: html.HtmlElement) -> list[str]:
    return [label.text_content() for label in element.xpath(f'.//span[{_classes("tei-sense-n")}]')]


def test_each_entry_is_a_block_with_its_anchor(text):
    """``xml:id``, else an anchor made of the headword (and the homograph number), unique on the page."""
    entries = text.xpath(f'//div[{_classes("tei-dict-entry")}]')
    assert [entry.get("id") for entry in entries] == [
        "entry-abandon", "entry-abandon-1", "entry-abandon-2", "bray", "entry-bevvy", "entry-bevvied", "colour",
        "entry-couleur", "entry-couleur-2"]
    assert [entry.get("class").split()[0] for entry in entries] == [
        "tei-superEntry", "tei-entry", "tei-entry", "tei-entry", "tei-entry", "tei-entry", "tei-entryFree", "tei-entry",
        "tei-entry"]
    assert "tei-entry-derived" in entries[5].get("class")  # a related entry, inside its entry


def test_the_headword_is_strong_and_first(text):
    bevvy = _entry(text, "entry-bevvy")
    first = bevvy.xpath(".//p")[0]
    assert _words(first) == "bevvy bEvI pl bevvies Dialect"
    assert first.xpath(f'.//*[{_classes("tei-headword")}]')[0].tag == "strong"
    assert [strong.text_content() for strong in bevvy.xpath(".//strong")] == ["bevvy", "bevvied"]  # and its re
    assert bevvy.xpath(f'.//span[{_classes("tei-form", "tei-form-inflected")}]/span[{_classes("tei-orth")}]'
                       )[0].text_content() == "bevvies"
    assert "tei-slashes" in first.xpath(f'.//span[{_classes("tei-pron")}]')[0].get("class")  # shown /bEvI/
    bray = _entry(text, "bray")
    assert "tei-slashes" not in bray.xpath(f'.//span[{_classes("tei-pron")}]')[0].get("class")  # has its own


def test_senses_are_numbered_by_n_or_counted_and_a_single_sense_is_not(text):
    assert _labels(_entry(text, "entry-abandon-1")) == ["1.", "2."]  # @n
    assert _labels(_entry(text, "entry-bevvy")) == ["1.", "2.", "a.", "b."]  # counted, by depth
    assert _labels(_entry(text, "bray")) == ["I.", "II."]  # homographs within an entry (hom)
    couleur = _entry(text, "entry-couleur")
    assert _labels(couleur) == []
    assert _words(couleur.xpath(".//p")[0]) == "couleur n f colour, hue"  # the sense goes on the headword's line
    nested = _entry(text, "entry-bevvy").xpath(f'.//div[{_classes("tei-dict-numbered")}]'
                                               f'/div[{_classes("tei-dict-numbered")}]')
    assert [_words(sense) for sense in nested] == ["a. Brit. at the pub", "b. Law in court"]


def test_a_super_entry_holds_its_numbered_homographs(text):
    abandon = _entry(text, "entry-abandon")
    assert _words(abandon.xpath("./p")[0]) == 'abandon a|ban|don @"band@n'
    homographs = abandon.xpath(f'./div[{_classes("tei-dict-entry")}]')
    assert [h.xpath(f'string(.//span[{_classes("tei-hom-n")}])') for h in homographs] == ["1", "2"]
    assert _words(homographs[1]) == "2 n U the state when one's feelings and actions are uncontrolled"


def test_cross_references_link_to_the_entries(text):
    colour = _entry(text, "colour")
    link = colour.xpath(f'.//span[{_classes("tei-xr", "tei-xr-syn")}]//a')[0]
    assert link.get("href") == "#bray" and _entry(text, "bray") is not None
    see = _entry(text, "entry-couleur").xpath(f'.//span[{_classes("tei-xr")}]')[0]
    assert _words(see) == "See colour and the entry for bray."  # an empty ptr shows the headword it points at
    for anchor in text.xpath('//section[@id="text"]//a[starts-with(@href, "#")]'):
        assert text.xpath(f'//*[@id="{anchor.get("href")[1:]}"]'), anchor.get("href")


def test_an_entry_free_keeps_its_words_and_punctuation(text):
    assert _words(_entry(text, "colour")) == ("colour or U.S. color, n. the quality of an object with respect to "
                                              "light; see also compare bray.")


def test_translations_carry_their_language(text):
    sense = _entry(text, "entry-abandon-1").xpath(f'.//div[{_classes("tei-dict-sense")}]')[0]
    translations = sense.xpath(f'.//span[{_classes("tei-translation")}]')
    assert [(t.getparent().get("lang"), t.get("data-lang"), t.text_content()) for t in translations] == [
        ("fr", "fr", "abandonner"), ("de", "de", "verlassen")]
    assert _words(sense) == "1. to leave completely and for ever; desert abandonner; verlassen"


def test_usage_etymology_examples_and_notes(text):
    bevvy = _entry(text, "entry-bevvy")
    usage = bevvy.xpath(f'.//span[{_classes("tei-usg", "tei-usg-geo")}]')[0]
    assert usage.text_content() == "Brit." and usage.get("title") == "usage: geographic area"
    assert _words(bevvy.xpath(f'./p[{_classes("tei-etym")}]')[0]) == "probably from Old French bevee drinking"
    example = bevvy.xpath(f'.//p[{_classes("tei-cit", "tei-cit-example")}]')[0]
    assert _words(example) == "we had a few bevvys last night Anonymous, 1932"  # the headword for its oRef
    assert _words(bevvy.xpath(f'./p[{_classes("tei-note")}]')[0]) == "Chiefly heard in the north."


def test_the_rules_of_dictionaries_apply_in_entries_only():
    tree = parse_file(ROOTS / "test-dictionary" / "tei" / "dictionary.xml")
    cit = next(tree.iter(tei("cit")))
    assert LIBRARY_MODEL.match(cit).behaviour == "entry_part"
    outside = etree.SubElement(tree.getroot().find(f".//{tei('front')}/{tei('p')}"), tei("cit"))
    assert LIBRARY_MODEL.match(outside).behaviour == "inline"
    assert LIBRARY_MODEL.match(etree.Element(tei("re"))).behaviour == "entry"  # a related entry (older TEI)


def test_the_dates_of_entries_are_not_in_the_chronology(built, text):
    assert text.xpath('//time[@datetime="1932"]')  # shown in its entry
    chronology = page(built, "chronology").text_content()
    assert "1989" in chronology and "1932" not in chronology


def _body_words(path: Path) -> list[str]:
    """The words of a TEI document's ``body``, element boundaries separating words (as they do in the HTML)."""
    body = parse_file(path).getroot().find(f".//{tei('body')}")
    return WORD.findall(" ".join(body.xpath(".//text()")))


def _html_words(element: html.HtmlElement) -> list[str]:
    return [word for piece in element.itertext() for word in WORD.findall(piece)]


def _in_order(expected: list[str], found: list[str]) -> list[str]:
    """The words of ``expected`` not found in ``found`` in the same order."""
    missing, position = [], 0
    for word in expected:
        try:
            position = found.index(word, position) + 1
        except ValueError:
            missing.append(word)
    return missing


def test_no_word_of_the_dictionary_is_lost(text):
    main = text.xpath('//section[@id="text"]')[0]
    assert _in_order(_body_words(ROOTS / "test-dictionary" / "tei" / "dictionary.xml"), _html_words(main)) == []


@pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{SAMPLE} not available")
def test_a_freedict_dictionary(tmp_path: Path):
    """FreeDict's Wolof–French dictionary, read from ../shared/tei-samples (not part of this repository), with
    ``edition init`` and ``edition build``: 595 entries, each a block with its headword; every word on the page."""
    run = [sys.executable, "-m", "edition.cli"]
    project = tmp_path / "edition"
    subprocess.run([*run, "init", str(project), "--tei", str(SAMPLE)], capture_output=True, check=True)
    build = subprocess.run([*run, "build", str(project), "-q", "--allow-warnings"], capture_output=True, text=True,
                           check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    main = html.parse(str(project / "docs" / "_build" / "html" / "texts" / "wol-fra.tei.html")).xpath(
        '//section[@id="text"]')[0]
    entries = main.xpath(f'.//div[{_classes("tei-entry")}]')
    assert len(entries) == 595
    assert all(len(entry.xpath(f'.//strong[{_classes("tei-headword")}]')) == 1 for entry in entries)
    assert len({entry.get("id") for entry in entries}) == 595
    assert _in_order(_body_words(SAMPLE), _html_words(main)) == []
