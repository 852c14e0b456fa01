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


GERMAN = ("Ich habe die Ehre, Ihnen mitzuteilen, dass der Bericht über die Bahn nicht mehr auf sich warten lässt "
          "und wir mit dem Bau bald beginnen werden. Der Rat hat auch nach der Sitzung noch nicht entschieden, ob "
          "die Gesellschaft für diese Linie eine neue Anleihe aufnehmen kann oder ob sie mit den Mitteln, die ihr "
          "der Kanton gewährt hat, auskommen wird. ") * 3
FRENCH = ("Monsieur, j'ai reçu votre lettre avec le plus grand plaisir et je vous remercie des nouvelles que vous "
          "me donnez de la ville. Nous sommes arrivés hier au soir, et il fait un temps très beau; elle se porte "
          "bien et vous fait ses compliments. Les affaires ne sont pas encore réglées, mais cette semaine ") * 3


def test_the_language_of_texts_that_do_not_say_it_is_guessed_from_their_words(tmp_path: Path):
    """The 5,019 letters to Alfred Escher, in German, say no language anywhere: published as English."""
    german = _undeclared(tmp_path / "brief.xml", f"<p>{GERMAN}</p>")
    project = tmp_path / "p"
    result = run("init", str(project), "--tei", str(german))
    assert result.returncode == 0
    assert "the text does not say its language" in result.stdout and "look German" in result.stdout
    assert 'language = "de"' in (project / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')
    unknown = _undeclared(tmp_path / "list.xml", "<p>A1 B2 C3</p>")
    result = run("init", str(tmp_path / "q"), "--tei", str(unknown))
    assert result.returncode == 0 and "so the site's language is 'en'" in result.stdout
    assert 'language = "en"' in (tmp_path / "q" / "docs" / "conf.py").read_text(encoding="utf-8").replace("'", '"')


def test_the_texts_that_do_not_say_their_language_count_as_their_words_look():
    """An English introduction (``xml:lang="en"``) and many undeclared German letters: German; the texts are
    sampled evenly, so that the first texts do not decide; a few words tell nothing."""
    from lxml import etree

    from edition.core.languages import guessed_language, texts_language

    def root(body: str, lang: str = "") -> etree._Element:
        return etree.fromstring(f'<TEI {NS}{f" xml:lang={lang!r}" if lang else ""}><text><body><p>{body}</p>'
                                "</body></text></TEI>")

    found = texts_language([root("An introduction to the letters.", "en")] + [root(GERMAN)] * 3)
    assert (found.language, found.undeclared, found.guessed) == ("de", 3, "de")
    assert guessed_language([root(FRENCH)] * 300 + [root(GERMAN)] * 700) == "de"
    assert guessed_language([root("Anno Domini 1650 die 3 Maii")]) == ""
    assert guessed_language([root(FRENCH)]) == "fr"


def test_what_a_header_says_of_the_language():
    """``langUsage`` decides when it names one language, or when ``@usage`` says which is used most; codes that
    name no language (``und``, ``mul``, ``zxx``, ``x-…``, ``qaa``–``qtz``) say nothing."""
    from lxml import etree

    from edition.core.languages import declared_language

    def said(header: str, lang: str = "") -> str:
        return declared_language(etree.fromstring(
            f'<TEI {NS}{f" xml:lang={lang!r}" if lang else ""}><teiHeader><profileDesc><langUsage>{header}'
            "</langUsage></profileDesc></teiHeader><text><body><p>x</p></body></text></TEI>"))

    assert said('<language ident="ger"/>') == "de"
    assert said('<language ident="en"/><language ident="ara"/>') == ""  # listed first is not used most
    assert said('<language ident="en"/><language ident="ara" usage="5"/>') == ""
    assert said('<language ident="en" usage="95"/><language ident="ara" usage="5"/>') == "en"
    assert said('<language ident="mul"/><language ident="pol"/>') == "pl"
    assert said('<language ident="fr"/>', lang="und") == "fr"
    assert [said("", lang=tag) for tag in ("und", "zxx", "x-klingon", "qab", "de-CH")] == ["", "", "", "", "de-CH"]


def test_three_letter_language_codes():
    from edition.core.languages import two_letter_tag

    assert [two_letter_tag(tag) for tag in ("deu", "ger-CH", "ara", "grc", "de-AT")] == ["de", "de-CH", "ar", "grc",
                                                                                         "de-AT"]
    assert [direction(tag) for tag in ("ara", "heb", "per", "pus", "snd", "arb", "lat")] == \
        ["rtl", "rtl", "rtl", "rtl", "rtl", "rtl", "ltr"]
