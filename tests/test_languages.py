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


def _undeclared(path: Path, body: str, header: str = "") -> Path:
    """A text that says its language only in ``header`` (the ``profileDesc``'s content), or nowhere."""
    path.write_text(f'<TEI {NS}><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt>'
                    "<p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>"
                    f"{f'<profileDesc>{header}</profileDesc>' if header else ''}</teiHeader>"
                    f"<text><body>{body}</body></text></TEI>", encoding="utf-8")
    return path


def test_the_language_named_in_the_header_is_the_texts(tmp_path: Path):
    """A Polish print and German editions (Kant, Schnitzler's letters) say their language only in
    ``langUsage``, often in three letters (``deu``): they were published as English (its stemmer, ``lang="en"``)."""
    text = _undeclared(tmp_path / "print.xml", "<p>Szanowny Panie, piszę do Pana.</p>",
                       '<langUsage><language ident="lat" usage="10">Latin</language>'
                       '<language ident="pol" usage="90">Polish</language></langUsage>')
    project = tmp_path / "p"
    result = run("init", str(project), "--tei", str(text))
    assert result.returncode == 0 and "do not say their language" not in result.stdout
    assert 'language = "pl"' in (project / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')
    assert run("build", str(project), "-q").returncode == 0
    page = lxml.html.parse(str(project / "docs" / "_build" / "html" / "texts" / "print.html")).getroot()
    assert page.get("lang") == "pl"


def test_the_language_of_texts_that_do_not_say_it_is_guessed_from_their_words(tmp_path: Path):
    """The 5,019 letters to Alfred Escher, in German, say no language anywhere: published as English."""
    german = _undeclared(tmp_path / "brief.xml", "<p>Ich habe die Ehre, Ihnen mitzuteilen, dass der Bericht "
                         "über die Bahn nicht mehr auf sich warten lässt und wir mit dem Bau bald beginnen.</p>")
    project = tmp_path / "p"
    result = run("init", str(project), "--tei", str(german))
    assert result.returncode == 0
    assert "do not say their language" in result.stdout and "look German" in result.stdout
    assert 'language = "de"' in (project / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')
    unknown = _undeclared(tmp_path / "list.xml", "<p>A1 B2 C3</p>")
    result = run("init", str(tmp_path / "q"), "--tei", str(unknown))
    assert result.returncode == 0 and "so the site's language is 'en'" in result.stdout
    assert 'language = "en"' in (tmp_path / "q" / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')


def test_three_letter_language_codes():
    from edition.core.languages import normalized

    assert [normalized(tag) for tag in ("deu", "ger-CH", "ara", "grc", "de-AT")] == ["de", "de-CH", "ar", "grc",
                                                                                     "de-AT"]
    assert [direction(tag) for tag in ("ara", "heb", "per", "lat")] == ["rtl", "rtl", "rtl", "ltr"]
