"""The TEI edition keeps every character of the transcription, and encodes what the issue asks for."""

from __future__ import annotations

import re

from lxml import etree

from edition.core.dates import is_valid_iso
from edition.core.register import load_registry
from edition.core.xmlparse import XML_ID, parse_file, tei

from .conftest import EDITION_REGISTER, EDITION_TEXT, TRANSCRIPTION

BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def _diplomatic_blocks(element: etree._Element) -> str:
    """Inline text as the transcription writes it: sic not corr, no editorial notes, *italics*, pb = blank line."""
    out: list[str] = []

    def walk(el: etree._Element, top: bool) -> None:
        name = etree.QName(el).localname
        if name in ("corr", "reg", "expan", "supplied") or (name == "note" and el.get("type") == "editorial"):
            out.append(el.tail or "")
            return
        if name == "pb":
            out.append("\n\n" + (el.tail or ""))
            return
        star = "*" if el.get("rend") == "italic" else ""
        out.append(star + (el.text or ""))
        for child in el:
            walk(child, False)
        out.append(star)
        if not top:
            out.append(el.tail or "")

    walk(element, True)
    return re.sub(r" \n\n", "\n\n", "".join(out))


def test_text_equals_transcription_character_for_character():
    body = parse_file(EDITION_TEXT).getroot().find(f"{tei('text')}/{tei('body')}")
    blocks: list[str] = []
    spaces: list[int] = []  # index of the block a vertical space follows
    for div in body.findall(tei("div")):
        for child in div:
            name = etree.QName(child).localname
            if name == "head":
                blocks.append("## " + _diplomatic_blocks(child))
            elif name == "p":
                blocks.extend(_diplomatic_blocks(child).split("\n\n"))
            elif name == "space":
                spaces.append(len(blocks))
    source = TRANSCRIPTION.read_text(encoding="utf-8")
    assert not source.endswith("\n")
    assert blocks == BLANK_LINES.split(source)
    # separators other than one blank line are recorded as vertical <space>
    unusual = [i + 1 for i, sep in enumerate(BLANK_LINES.findall(source)) if sep != "\n\n"]
    assert unusual == spaces


def test_every_name_points_into_the_register_and_every_date_is_iso():
    tree = parse_file(EDITION_TEXT)
    registry = load_registry([EDITION_REGISTER], [EDITION_TEXT])
    names = list(tree.iter(tei("persName")))
    assert len(names) > 140
    for name in names:
        person, problem = registry.resolve(name.get("ref"), str(EDITION_TEXT))
        assert person is not None, (name.sourceline, problem)
    for date in tree.iter(tei("date")):  # a date the sources differ on, or only bounded, has its limits
        values = [date.get(a) for a in ("when", "from", "to", "notBefore", "notAfter") if date.get(a)]
        assert values and all(is_valid_iso(v) for v in values), date.sourceline


def test_misspellings_partial_forms_citations_and_notes_are_encoded():
    tree = parse_file(EDITION_TEXT)
    sics = {s.text for s in tree.iter(tei("sic"))}
    assert {"Kollantai", "Kamanev", "Nickolai", "Maihail", "that"} <= sics
    refs = {n.get("ref") for n in tree.iter(tei("persName")) if "Konstantinovich" in "".join(n.itertext())}
    assert refs == {"persons.xml#ordzhonikidze"}
    citations = [r.get("n") for r in tree.iter(tei("ref")) if r.get("type") == "source-citation"]
    assert citations == [str(n) for n in range(49, 66)]
    reader = [n for n in tree.iter(tei("note")) if n.get("type") == "reader"]
    assert all(n.get("resp") == "#reader" for n in reader)
    assert "Does the triumvirate oppose the ban against factions?" in ["".join(n.itertext()) for n in reader]
    assert len(reader) == 6
    editorial = [n for n in tree.iter(tei("note")) if n.get("type") == "editorial"]
    assert editorial and all(n.get("resp") == "#editors" for n in editorial)
    assert len(list(tree.iter(tei("pb")))) == 3
    supplied = [d for d in tree.iter(tei("date")) if d.get("evidence")]
    assert [d.get("when") for d in supplied] == ["1924-01-27"]


def test_register_entries_are_complete():
    tree = parse_file(EDITION_REGISTER)
    persons = list(tree.iter(tei("person")))
    ids = [p.get(XML_ID) for p in persons]
    assert len(ids) == len(set(ids)) == 26
    for person in persons:
        assert person.find(tei("persName")).get("type") == "standard"
        assert person.find(f"{tei('note')}[@type='description']") is not None
    registry = load_registry([EDITION_REGISTER])
    assert registry.entries["ordzhonikidze"].variants == ("Gregory Ordzhonikidze", "Grigory Konstantinovich")
    assert registry.entries["lenin"].authorities[0].url == "https://www.wikidata.org/wiki/Q1394"
