"""Real TEI of editions the toolkit had not seen (issue 13, items 1, 2, 3 and 7): ``@key`` is one value,
``xml:id``s are normalised, every W3C date TEI allows is read, and names of no kind are on no index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from edition.core.authorities import key_authority
from edition.core.dates import has_year, is_valid_iso, readable_date, sort_key

from .conftest import build_root, page


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_root("test-keys", tmp_path_factory.mktemp("keys"), warningiserror=False)


def _warnings(app) -> list[str]:
    return [line for line in strip_colors(app.warning.getvalue()).splitlines()
            if "WARNING" in line and "is already registered" not in line]


def test_the_only_warnings_are_the_day_that_does_not_exist_and_a_script(built):
    """153,807 false warnings on the Escher letters came from splitting @key on spaces; keys of other
    databases (perseus,Rome), pointers into them (oape:pers:707) and ids with spaces around them are no
    fault; a javascript: pointer is."""
    date, script = _warnings(built)
    assert "invalid date value '1924-02-30'" in date and "letter.xml:" in date
    assert "unsupported URI scheme in 'javascript:alert(1)'" in script
    text = page(built, "texts/letter")
    (zaydan,) = text.xpath('//a[.//span[normalize-space() = "Zaydan"]]')
    assert zaydan.get("href") == "https://viaf.org/viaf/49218655"
    (sarruf,) = text.xpath('//span[contains(@class, "tei-name")][normalize-space() = "Sarruf"]')
    assert sarruf.get("title") == "ref: oape:pers:707" and sarruf.getparent().tag != "a"


def test_a_key_is_one_value_matched_to_an_id_n_or_idno(built):
    text = page(built, "texts/letter")

    def href(words: str) -> str | None:
        (link,) = text.xpath(f'//a[.//span[contains(@class, "tei-name")][normalize-space() = "{words}"]]')
        return link.get("href")

    assert href("Glarus town") == "../places/glarus-town.html"  # by @n, not the canton
    assert href("Escher") == "../persons/escher.html"
    assert href("Bern") == "../places/bern.html"  # by idno
    assert href("Rome") == "http://vocab.getty.edu/page/tgn/7021127"  # an authority file's key
    (roma,) = text.xpath('//span[contains(@class, "tei-name")][normalize-space() = "Roma"]')
    assert roma.get("title") == "key: perseus,Rome" and roma.getparent().tag != "a"
    glarus = page(built, "places/glarus-town")
    assert "Glarus town" in glarus.xpath('string(//section[@id="mentions"])')


def test_an_id_with_spaces_around_it_is_the_id(built):
    outdir = Path(built.outdir)
    assert (outdir / "places" / "Viciale.html").is_file()
    assert not any(" " in p.name for p in outdir.rglob("*.html"))
    text = page(built, "texts/letter")
    assert text.xpath('//a[@href="../places/Viciale.html"]')


def test_every_w3c_date_reads_and_the_yearless_are_apart(built):
    text = page(built, "texts/letter")
    shown = {t.text_content(): t.get("data-normal") for t in text.xpath('//time[contains(@class, "tei-date")]')}
    assert shown["the first of September"] == "1 September"
    assert shown["September"] == "September"
    assert shown["the fifteenth"] == "day 15"
    assert shown["half past twelve"] == "12:30"
    assert shown["21 January 1924 at 10.30"] == "21 January 1924, 10:30"
    assert shown["12000 BCE"] == "12000 BCE"
    assert shown["the third week of 1924"] == "1924-W03"
    chronology = page(built, "chronology")
    placed, apart = chronology.xpath('//table[contains(@class, "edition-chronology")]')
    assert [r.xpath("string(td[2])") for r in placed.xpath(".//tbody/tr")] == [
        "12000 BCE", "the third week of 1924", "21 January 1924 at 10.30"]  # a week: by its year
    assert {r.xpath("string(td[2])") for r in apart.xpath(".//tbody/tr")} == {
        "the first of September", "September", "the fifteenth", "half past twelve"}


def test_names_of_no_kind_are_on_no_index(built):
    """``<name>``, ``<rs>`` without type or pointer ("brown", "cane", "girl's") are not persons."""
    persons = page(built, "persons/index").text_content()
    assert "brown" not in persons and "cane" not in persons and "girl" not in persons


@pytest.mark.parametrize(("value", "valid", "readable"), [
    ("1924", True, "1924"), ("1924-01-21", True, "21 January 1924"), ("-0044", True, "44 BCE"),
    ("12000", True, "12000"), ("--09-01", True, "1 September"), ("--02-29", True, "29 February"),
    ("--09", True, "September"), ("---15", True, "day 15"), ("12:30:00", True, "12:30"),
    ("1924-01-21T10:30:15Z", True, "21 January 1924, 10:30:15 (Z)"), ("1924-01-21+01:00", True, "21 January 1924"),
    ("1923-02-29", False, None), ("--02-30", False, None), ("1924-13", False, None), ("924", False, None),
    ("01924", False, None), ("25:00:00", False, None), ("1924/1925", False, None),
])
def test_w3c_values(value: str, valid: bool, readable: str | None):
    assert is_valid_iso(value) is valid
    if readable is not None:
        assert readable_date(value) == readable


def test_iso_attributes_take_iso_forms_and_sorting_puts_the_yearless_last():
    assert is_valid_iso("1924-W03", iso=True) and not is_valid_iso("1924-W03")
    assert not is_valid_iso("soon", iso=True)
    assert not has_year("--09-01") and has_year("-0044")
    assert sorted(["--01-01", "1924", "-0044"], key=sort_key) == ["-0044", "1924", "--01-01"]


def test_keys_of_authority_files():
    assert key_authority("tgn,7021127").url == "http://vocab.getty.edu/page/tgn/7021127"
    assert key_authority("pleiades:423025").url == "https://pleiades.stoa.org/places/423025"
    assert key_authority("wikidata:Q42").label == "Wikidata"
    assert key_authority("perseus,Rome") is None and key_authority("Glarus (Gemeinde)") is None


def test_only_entries_the_texts_mention_get_pages(tmp_path: Path):
    """Four letters with their edition's registers gave 5,940 pages and an index of 3,700 persons with
    "0 mentions": an entry no text names stays in the register's file, unless edition_unmentioned = "page"."""
    app = build_root("test-keys", tmp_path / "mentioned", warningiserror=False)
    outdir = Path(app.outdir)
    assert (outdir / "places" / "glarus-town.html").is_file() and (outdir / "places" / "bern.html").is_file()
    assert not (outdir / "places" / "glarus-canton.html").exists()  # named only by another entry of the register
    index = page(app, "places/index").text_content()
    assert "Bern" in index and "0 mentions" not in index
    town = page(app, "places/glarus-town")
    assert not town.xpath('//a[contains(@href, "glarus-canton")]') and "Kanton Glarus" in town.text_content()
    assert "glarus-canton" in (outdir / "tei" / "places.xml").read_text(encoding="utf-8")  # the register has it
    every = build_root("test-keys", tmp_path / "all", warningiserror=False,
                       confoverrides={"edition_unmentioned": "page"})
    assert (Path(every.outdir) / "places" / "glarus-canton.html").is_file()
    assert page(every, "places/glarus-town").xpath('//a[contains(@href, "glarus-canton")]')


def test_an_unknown_unmentioned_setting_stops_the_build(tmp_path: Path):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="edition_unmentioned: 'pages'"):
        build_root("test-keys", tmp_path, confoverrides={"edition_unmentioned": "pages"})


def test_what_a_text_names_is_read_in_its_encoding_and_keys_are_whole(tmp_path: Path):
    """A Latin-1 text's "Müller Carl" was read as "M�ller Carl" (its entry got no page); the words of a key
    ("Bern (Stadt)") each published an entry of that id (Bern)."""
    from edition.core.register import named_in

    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><p><persName key="Müller Carl"/></p>'.encode("latin-1")
    assert "Müller Carl" in named_in(latin)
    assert named_in(b'<p><placeName key="Bern (Stadt)"/><persName ref="a.xml#x #y"/></p>') == {"Bern (Stadt)", "x", "y"}


def test_life_dates_of_any_year_read_as_years():
    from edition.core.kinds import PERSON
    from edition.core.register import read_entry
    from edition.core.xmlparse import parse_bytes

    person = parse_bytes(b'<person xmlns="http://www.tei-c.org/ns/1.0" xml:id="c"><persName>Caesar</persName>'
                         b'<birth when="-0100-07-12"/><death when="-0044-03-15"/></person>', "p.xml").getroot()
    entry = read_entry(person, PERSON, "p.xml")
    assert entry.lifespan == "100 BCE–44 BCE" and entry.death.text == "15 March 44 BCE"


def test_html_datetime_is_only_what_html_can_say():
    from edition.core.dates import html_datetime

    assert html_datetime("1924-01-21") == "1924-01-21" and html_datetime("--09-01") == "09-01"
    for value in ("-0044-03-15", "0000", "24:00:00", "1924-01-21Z", "--09", "---15", "1924-W03"):
        assert html_datetime(value) == "", value


def test_a_date_given_only_by_its_attributes_reads_as_a_date():
    """``<date when="1786-03-22"/>`` showed nothing in the text (and the ISO form in a register)."""
    from edition.core.blocks import words_of
    from edition.core.register import Registry
    from edition.core.render import render_text
    from edition.core.xmlparse import parse_bytes

    tree = parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Born on <date when="1786-03-22"/>.'
                       b"</p></body></text></TEI>", "d.xml")
    rendered = render_text(tree, "d.xml", Registry())
    assert words_of(rendered.body) == "Born on 22 March 1786 ."
    assert rendered.dates[0].start == "1786-03-22"


def test_generated_pages_offer_no_view_of_their_stub(built):
    """The theme's "view source" of a text page opened the generated stub; the TEI is under Download."""
    assert not page(built, "texts/letter").xpath('//a[contains(@href, "_sources/")]')
    assert not page(built, "places/bern").xpath('//a[contains(@href, "_sources/")]')
    assert page(built, "index").xpath('//a[contains(@href, "_sources/index")]')  # a page the editors wrote
    copies = {p.relative_to(Path(built.outdir) / "_sources").as_posix()
              for p in (Path(built.outdir) / "_sources").rglob("*") if p.is_file()}
    assert "index.md.txt" in copies and not [copy for copy in copies if ".edition" in copy], copies  # nor a copy


def test_an_entry_page_shows_all_the_register_says(built):
    """An entry's page showed its names, dates, description and authority records only: the register's other
    notes, its bibliography, occupation and identifiers were lost."""
    person = page(built, "persons/escher")
    fields = {name.text_content().strip(" :"): name.getnext().text_content().strip()
              for name in person.xpath('//dl[contains(@class, "entry-fields")]/dt')}
    assert fields["Occupation"] == "politician and railway entrepreneur"
    assert fields["Sources"] == "Also in the Glarus records."
    assert fields["Local"] == "E-17"
    assert fields["Source"].startswith("Vgl.Vergleiche Jung, Joseph: Alfred Escher")  # both readings of Vgl.
    assert person.xpath('//dd//a[contains(@href, "places/")]')  # a name in a note is linked to its entry
    text = person.text_content()
    assert text.count("Swiss politician.") == 1 and text.count("20 February 1819") == 1  # shown once


def test_the_snippet_of_a_letters_date_reads_as_its_header_line():
    """The chronology showed the sending of a letter as "Dominik SteinauerAlfred EscherEinsiedeln30. März
    1848": the header's line put ", " between the names on the page but not in the gathered snippet."""
    from edition.core.blocks import words_of
    from edition.core.register import Registry
    from edition.core.render import render_text
    from edition.core.xmlparse import parse_bytes

    tree = parse_bytes(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A letter</title>'
        b"</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>"
        b'<profileDesc><correspDesc><correspAction type="sent"><persName>Dominik Steinauer</persName>'
        b"<persName>Alfred Escher</persName><placeName>Einsiedeln</placeName>"
        b'<date when="1848-03-30">30. M\xc3\xa4rz 1848</date></correspAction></correspDesc></profileDesc>'
        b"</teiHeader><text><body><p>Text.</p></body></text></TEI>", "k.xml")
    rendered = render_text(tree, "k.xml", Registry())
    line = next(words_of(blocks) for _, blocks in rendered.fields if "Steinauer" in words_of(blocks))
    assert line == "Dominik Steinauer , Alfred Escher , Einsiedeln , 30. März 1848"  # the pieces, apart
    (date,) = rendered.dates
    assert (date.before, date.form, date.after) == ("Dominik Steinauer, Alfred Escher, Einsiedeln, ",
                                                    "30. März 1848", "")
