"""Languages (issue 13, item 5): ``xml:lang`` becomes ``lang`` in the HTML, right-to-left scripts get
``dir="rtl"``, and ``edition init`` sets the site's language from the texts'."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from edition.core.languages import direction

from .test_cli import run

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _text(path: Path, lang: str, body: str) -> Path:
    path.write_text(f'<TEI {NS} xml:lang="en"><teiHeader><fileDesc><titleStmt><title xml:lang="{lang}">عنوان</title>'
                    "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>"
                    f'</fileDesc></teiHeader><text xml:lang="{lang}"><body>{body}</body></text></TEI>',
                    encoding="utf-8")
    return path


def test_an_arabic_edition_reads_right_to_left(tmp_path: Path):
    """An Arabic journal issue was shown left to right in an English page."""
    first = _text(tmp_path / "issue.xml", "ar", '<p>نص عربي <foreign xml:lang="en">an English phrase</foreign> '
                  '<foreign xml:lang="ar-Latn-x-ijmes">al-Zuhūr</foreign> و<q xml:lang="he">שלום</q></p>')
    project = tmp_path / "p"
    assert run("init", str(project), "--tei", str(first)).returncode == 0
    assert 'language = "ar"' in (project / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')
    result = run("build", str(project), "-q")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(project / "docs" / "_build" / "html" / "texts" / "issue.html")).getroot()
    assert page.get("lang") == "ar"
    (text,) = page.xpath('//div[contains(@class, "tei-lang")]')
    assert (text.get("lang"), text.get("dir")) == ("ar", "rtl") and "نص عربي" in text.text_content()
    spans = {s.text_content(): (s.get("lang"), s.get("dir")) for s in text.xpath(".//span[@lang]")}
    assert spans["an English phrase"] == ("en", "ltr")
    assert spans["al-Zuhūr"] == ("ar-Latn-x-ijmes", "ltr")  # Arabic in Latin letters reads left to right
    assert spans["שלום"] == ("he", "rtl")


def test_a_text_in_another_language_than_the_site_is_marked(tmp_path: Path):
    polish = _text(tmp_path / "list.xml", "pl", "<p>Szanowny Panie</p>")
    english = _text(tmp_path / "letter.xml", "en", "<p>Dear Sir</p>")
    english2 = _text(tmp_path / "note.xml", "en", "<p>A note</p>")
    project = tmp_path / "p"
    assert run("init", str(project), "--tei", str(polish), str(english), str(english2)).returncode == 0
    assert 'language = "en"' in (project / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')
    assert run("build", str(project), "-q").returncode == 0
    site = project / "docs" / "_build" / "html" / "texts"
    (marked,) = lxml.html.parse(str(site / "list.html")).getroot().xpath('//div[contains(@class, "tei-lang")]')
    assert (marked.get("lang"), marked.get("dir")) == ("pl", "ltr")
    assert not lxml.html.parse(str(site / "letter.html")).getroot().xpath('//div[contains(@class, "tei-lang")]')


def test_direction_of_language_tags():
    assert [direction(tag) for tag in ("ar", "fa-IR", "he", "yi", "ur", "ar-Latn", "en-Arab", "syr", "pl", "ota")] == \
        ["rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "rtl", "rtl", "ltr", "rtl"]
