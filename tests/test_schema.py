"""The edition's TEI customisation (RELAX NG) and its Schematron rules."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from edition.check.rules import EditionFile, check_rules, compile_rules
from edition.check.validate import Report, check_schema
from edition.core.xmlparse import parse_bytes, parse_file, tei

from .conftest import EDITION_REGISTER, EDITION_TEXT, REPO

SCHEMA = REPO / "tei" / "schema"


@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(parse_file(SCHEMA / "edition.rng"))


@pytest.mark.skipif(not shutil.which("java"), reason="trang needs Java")
def test_the_rng_is_generated_from_the_rnc():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "make_schema.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_edition_is_valid_against_its_customisation(relaxng: etree.RelaxNG):
    for path in (EDITION_TEXT, EDITION_REGISTER):
        assert relaxng.validate(parse_file(path)), relaxng.error_log


def _text_with(change) -> etree._ElementTree:
    tree = copy.deepcopy(parse_file(EDITION_TEXT))
    change(tree)
    return tree


def _first(tree: etree._ElementTree, name: str) -> etree._Element:
    return next(tree.iter(tei(name)))


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: _first(t, "p").append(etree.Element(tei("foo"))), id="unknown element"),
    pytest.param(lambda t: _first(t, "persName").append(etree.Element(tei("quote"))), id="quote inside a name"),
    pytest.param(lambda t: _first(t, "date").set("when", "1924-13-45"), id="impossible date"),
    pytest.param(lambda t: _first(t, "date").set("when", "21.01.1924"), id="non-ISO date"),
    pytest.param(lambda t: _first(t, "persName").set("ref", "javascript:alert(1)"), id="script pointer"),
    pytest.param(lambda t: _first(t, "title").set("level", "x"), id="unknown title level"),
    pytest.param(lambda t: _first(t, "choice").remove(_first(t, "corr")), id="choice without corr"),
    pytest.param(lambda t: _first(t, "p").set("style", "color: red"), id="unknown attribute"),
])
def test_the_customisation_rejects(relaxng: etree.RelaxNG, change):
    assert not relaxng.validate(_text_with(change))


SUBSET_SAMPLES = [
    # structures the customisation allows beyond what the edition happens to use
    """<div><head>H</head><quote><p>Quoted paragraph <persName ref="persons.xml#lenin">Lenin</persName>.</p></quote>
       <note type="editorial" resp="#editors" place="end"><p>One.</p><p>Two.</p></note><pb n="2"/>
       <div><p><choice><corr>than</corr><sic>that</sic></choice> <hi rend="bold">b</hi> <emph>e</emph>
       <foreign xml:lang="ru">da</foreign> <date from="1922-04-03" to="1923-04-25" cert="medium">then</date></p></div></div>""",
]


def test_what_the_customisation_allows_is_valid_tei(relaxng: etree.RelaxNG, tei_all_rng: Path, tmp_path: Path):
    """A sample of what the customisation allows (beyond the edition) is valid against tei_all too."""
    files = []
    for index, sample in enumerate(SUBSET_SAMPLES):
        tree = copy.deepcopy(parse_file(EDITION_TEXT))
        body = _first(tree, "body")
        body.append(etree.fromstring(f'<wrapper xmlns="{tei("")[1:-1]}">{sample}</wrapper>')[0])
        assert relaxng.validate(tree), relaxng.error_log
        path = tmp_path / f"sample-{index}.xml"
        tree.write(str(path), encoding="UTF-8", xml_declaration=True)
        files.append(path)
    report = Report()
    check_schema(files, tei_all_rng, report)
    assert [str(p) for p in report.problems] == []


@pytest.fixture(scope="module")
def rules():
    return compile_rules(SCHEMA / "edition.sch")


def test_the_edition_follows_its_rules(rules):
    files = [EditionFile(p, parse_file(p)) for p in (EDITION_TEXT, EDITION_REGISTER)]
    assert [str(p) for p in check_rules(rules, files, REPO)] == []


HEADER = ('<teiHeader><fileDesc><titleStmt><title>T</title><respStmt xml:id="ed"><resp>r</resp><name>n</name>'
          '</respStmt></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>'
          '</fileDesc></teiHeader>')
REGISTER = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body>
<listPerson>
<person xml:id="kamenev"><persName>Lev Kamenev</persName><birth when="1883-07-18"/><death when="1936-08-25"/>
<idno type="wikidata">Q193036</idno></person>
<person xml:id="backwards"><persName>B</persName><birth when="1950"/><death when="1900"/></person>
<person xml:id="bad-ids"><persName>C</persName><idno type="wikidata">855</idno><idno type="viaf">12a</idno>
<idno type="gnd">1185X4023</idno><note type="unmentioned">Kept for the test.</note></person>
<person xml:id="nobody"><persName>N</persName></person>
</listPerson><listPlace><place xml:id="moscow"><placeName>Moscow</placeName></place></listPlace>
</body></text></TEI>"""


def _rule_findings(rules, text: str) -> list[tuple[int, str, str]]:
    files = [EditionFile(Path("text.xml"), parse_bytes(text.encode(), "text.xml")),
             EditionFile(Path("register.xml"), parse_bytes(REGISTER.encode(), "register.xml"))]
    return sorted((p.line, p.severity, p.message.rsplit("[", 1)[1].rstrip("]"))
                  for p in check_rules(rules, files, Path.cwd()))


def test_each_rule_finds_its_mistake(rules):
    text = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body><div>
<p><persName ref="register.xml#kamenev">Kamenev</persName> <persName ref="register.xml#moscow">Moscow</persName></p>
<p><persName key="kamenev">Kamenev</persName> <persName ref="register.xml#kamenev register.xml#backwards">both</persName></p>
<p><persName/> <date when="1924-02-30">x</date> <date when="2024-02-29">leap</date> <date>undated</date></p>
<p xml:id="twice"><date from="1925" to="1924">x</date> <date when="1923-00">x</date></p>
<p xml:id="twice"><note type="editorial" resp="#ed">fine</note><note>bare</note><note type="x" resp="#nobody">x</note></p>
<p><ref target="#nowhere">x</ref> <ref target="#twice">y</ref> <ptr target="data:text/html,hi"/></p>
<p><choice><sic>x</sic></choice></p>
</div></body></text></TEI>"""
    assert _rule_findings(rules, text) == [
        (2, "error", "person-resolves"),  # a place is not a person
        (4, "error", "date-day"),  # 30 February; 29 February 2024 is fine
        (4, "error", "name-not-empty"),
        (4, "warning", "date-normalised"),
        (5, "error", "date-month"),
        (5, "error", "date-order"),
        (5, "error", "id-unique"),
        (5, "error", "life-order"),  # register line 5: born 1950, died 1900
        (6, "error", "id-unique"),
        (6, "error", "note-resp"),
        (6, "error", "note-resp-target"),
        (6, "error", "note-typed"),
        (6, "error", "viaf-shape"),  # register line 6
        (6, "error", "wikidata-shape"),
        (7, "error", "gnd-shape"),  # register line 7
        (7, "error", "link-safe"),
        (7, "error", "target-exists"),  # #nowhere; #twice exists (twice: reported as id-unique)
        (8, "error", "choice-pair"),
        (8, "warning", "entry-mentioned"),  # register line 8: nobody; bad-ids says why it is unmentioned
    ]


def test_the_readme_example_validation_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch):
    """The README's example of a Schematron rule, as written there, on the letter it describes."""
    import re

    from edition.cli import main

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A validation rule"):]
    (tmp_path / "rules.sch").write_text(re.search(r"```xml\n(.*?)```", section, re.S).group(1), encoding="utf-8")
    (tmp_path / "letter.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>\n"
        "<text><body><p>Letter from <persName>Anna</persName>.</p></body></text></TEI>\n", encoding="utf-8")
    monkeypatch.delenv("TEI_ALL_RNG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "letter.xml", "--rules", "rules.sch"]) == 0
    expected = re.search(r"then prints, for .*?:\n`(.*?)`", section, re.S).group(1)
    assert expected in capsys.readouterr().out.splitlines()
