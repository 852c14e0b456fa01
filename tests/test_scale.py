"""A register the size of a real one (the Kraus register: 1,700 persons, 2 MB) gives every person a page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html

from edition.core.xmlparse import TEI_NS

PERSONS = 1700


def _register(count: int) -> str:
    """A register of ``count`` persons of about 1.2 KB each, as detailed as a real one (names, dates, ids)."""
    entries = []
    for index in range(count):
        entries.append(
            f'<person xml:id="k{index}"><persName type="main"><forename>Forename{index}</forename> '
            f"<surname>Surname{index:04d}</surname></persName><persName type=\"variant\">F. Surname{index:04d}"
            f'</persName><birth when="{1800 + index % 100}-03-0{1 + index % 9}">born in Vienna</birth>'
            f'<death when="{1870 + index % 60}">died</death><occupation>Writer and critic</occupation>'
            f'<idno type="gnd">1{index:08d}</idno><idno type="wikidata">Q{100000 + index}</idno>'
            f'<idno type="URL" subtype="pmb">https://pmb.acdh.oeaw.ac.at/entity/{index}/</idno>'
            f"<note>Person {index} of the large register: {'a long biographical note, ' * 26}the end.</note>"
            "</person>\n")
    return (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Register</title></titleStmt>'
            "<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc>"
            f"</teiHeader><text><body><listPerson>\n{''.join(entries)}</listPerson></body></text></TEI>\n")


def test_a_register_of_1700_persons_gives_1700_person_pages(tmp_path: Path):
    sources = tmp_path / "sources"
    sources.mkdir()
    register = sources / "register.xml"
    register.write_text(_register(PERSONS), encoding="utf-8")
    assert register.stat().st_size >= 2_000_000
    (sources / "letter.xml").write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>'
        "<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc>"
        '</teiHeader><text><body><p>To <persName ref="register.xml#k0">Forename0</persName> and '
        '<persName ref="register.xml#k1699">Surname1699</persName>.</p></body></text></TEI>', encoding="utf-8")
    run = [sys.executable, "-m", "edition.cli"]
    project = tmp_path / "edition"
    subprocess.run([*run, "init", str(project), "--tei", str(sources / "letter.xml"), "--register", str(register)],
                   check=True, capture_output=True)
    with (project / "docs" / "conf.py").open("a", encoding="utf-8") as conf:  # a page for each, named or not
        conf.write('\nedition_unmentioned = "page"\n')
    build = subprocess.run([*run, "build", str(project), "-q", "--strict", "-j", "auto"], capture_output=True,
                           text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    site = project / "docs" / "_build" / "html"
    pages = {p.stem for p in (site / "persons").glob("*.html")} - {"index"}
    assert pages == {f"k{index}" for index in range(PERSONS)}
    index = lxml.html.parse(str(site / "persons" / "index.html")).getroot()
    assert len(index.xpath('//ul[contains(@class, "entry-index-of-person")]/li')) == PERSONS
    last = lxml.html.parse(str(site / "persons" / "k1699.html")).getroot()
    assert "1 mention" in last.text_content()
    assert last.xpath('//a[@href="https://d-nb.info/gnd/100001699"]')
