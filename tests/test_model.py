"""The processing model, one behaviour at a time, on the built HTML of ``tests/roots/test-model``."""

from __future__ import annotations

import pytest
from lxml import html

from edition.core.model import DEFAULT_RULES, LIBRARY_MODEL, ModelError, ProcessingModel, rule, rules_from_config
from edition.core.xmlparse import parse_file

from .conftest import ROOTS, build_root, page


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_root("test-model", tmp_path_factory.mktemp("model"), warningiserror=False)


@pytest.fixture(scope="module")
def text(built) -> html.HtmlElement:
    return page(built, "texts/model")


def _one(root: html.HtmlElement, xpath: str) -> html.HtmlElement:
    """The first element ``xpath`` finds in the text (not in the reading key, whose samples have its classes)."""
    found = [e for e in root.xpath(xpath) if not e.xpath('ancestor::*[contains(@class, "edition-legend")]')]
    assert found, xpath
    return found[0]


def _classes(*names: str) -> str:
    return " and ".join(f'contains(concat(" ", @class, " "), " {name} ")' for name in names)


def test_every_omitted_element_says_why():
    assert all(r.param("reason") for r in DEFAULT_RULES if r.behaviour == "omit")


def test_unknown_and_foreign_elements_keep_their_text(text):
    assert "foreign element" in _one(text, f'//span[{_classes("tei-ext-custom")}]').text_content()
    assert _one(text, f'//span[{_classes("tei-hi")}][.="an unknown attribute"]') is not None
    tree = parse_file(ROOTS / "test-model" / "tei" / "model.xml")
    assert LIBRARY_MODEL.match(next(tree.iter("{urn:x-other}custom"))).behaviour == "inline"


def test_front_matter_and_sections(text):
    assert _one(text, f'//p[{_classes("tei-titlePart")}]').text_content() == "A Test Book"
    assert "by Nobody" in " ".join(_one(text, f'//*[{_classes("tei-byline")}]').text_content().split())
    assert _one(text, '//section[h2 = "Act One¶" or starts-with(normalize-space(h2), "Act One")]') is not None


def test_drama_speaker_lines_and_stage(text):
    speech = _one(text, f'//div[{_classes("tei-sp")}]')
    assert _one(speech, f'./p[{_classes("tei-speaker")}]').text_content() == "Romeo."
    lines = speech.xpath(f'./p[{_classes("tei-l")}]')
    assert [line.xpath(f'string(span[{_classes("tei-l-n")}])') for line in lines] == ["1", "2"]
    assert lines[1].xpath('.//a[contains(@href, "persons/juliet.html")]')
    assert _one(speech, f'./p[{_classes("tei-stage", "tei-stage-exit")}]').text_content() == "Exit."
    cast = [li.text_content() for li in text.xpath(f'//ul[{_classes("tei-castList")}]/li')]
    assert cast == ["Romeo, a lover", "Juliet"]


def test_verse_lines_without_n_are_numbered_every_fifth_line(text):
    stanza = _one(text, f'//div[{_classes("tei-lg", "tei-lg-stanza")}]')
    numbers = [line.xpath(f'string(span[{_classes("tei-l-n")}])') for line in stanza.xpath("./p")]
    assert numbers == ["", "", "5", "", ""]  # counting on from the numbered lines before (1, 2)


def test_highlighting_and_transcription_marks(text):
    paragraph = _one(text, '//p[contains(., "A paragraph with")]')
    for cls, words in (("rend-italic", "italics"), ("rend-g", "spaced"), ("tei-emph", "emphasis"),
                       ("tei-foreign", "verbum"), ("tei-term", "term"), ("tei-unclear", "unclear"),
                       ("tei-supplied", "supplied"), ("tei-add", "addition"), ("tei-del", "deletion"),
                       ("tei-seg", "segment")):
        assert _one(paragraph, f'.//span[{_classes(cls)}]').text_content() == words, cls
    assert _one(paragraph, '//*[@id="here"]') is not None


def test_choices_have_both_readings(text):
    for original, regular in (("vnto", "unto"), ("Dr.", "Doctor"), ("teh", "the")):
        pair = _one(text, f'//span[{_classes("tei-choice-pair")}][span = "{original}"]')
        assert _one(pair, f'./span[{_classes("tei-choice-reg")}]').text_content() == regular


def test_apparatus_lemma_in_the_text_readings_in_a_note(text):
    lemma = _one(text, f'//span[{_classes("tei-app")}]')
    assert lemma.text_content() == "lemma words"
    marker = _one(lemma, 'following-sibling::sup[1]/a')
    note = _one(text, f'//li[@id="{marker.get("href")[1:]}"]')
    assert " ".join(note.text_content().split()).startswith("lemma words ] variant words B C; om. D")


def test_names_register_authority_and_unidentified(text):
    paragraph = _one(text, '//p[contains(., "Names:")]')
    assert _one(paragraph, './/a[span = "he"]').get("href").endswith("persons/romeo.html")  # @key
    lovers = _one(paragraph, './/a[span = "the lovers"]')
    assert lovers.get("href").endswith("persons/romeo.html")  # the first target, the others after it
    others = _one(lovers, f'following-sibling::sup[1][{_classes("tei-name-others")}]/a')
    assert others.get("href").endswith("persons/juliet.html") and others.text_content() == "Juliet Capulet"
    authority = _one(paragraph, './/a[span = "Romeo (Wikidata)"]')
    assert authority.get("href") == "https://www.wikidata.org/wiki/Q83186"
    assert _one(paragraph, f'.//span[{_classes("tei-name-unidentified")}]').text_content() == "an unknown man"


def test_breaks(text):
    paragraph = _one(text, '//p[contains(., "Breaks:")]')
    words = " ".join(paragraph.text_content().split())
    assert "hyphenated" in words and "line one line two" in words
    assert _one(paragraph, f'.//span[{_classes("tei-pb")}]').get("data-n") == "12"


def test_gap_links_tables_figures_lists(text):
    assert _one(text, f'//span[{_classes("tei-gap")}]').get("title") == "gap 3 words illegible"
    assert _one(text, '//a[. = "the anchor"]').get("href") == "#here"
    assert _one(text, '//a[. = "a site"]').get("href") == "https://example.org/"
    table = _one(text, f'//table[{_classes("tei-table")}]')
    assert [th.text_content() for th in table.xpath(".//thead//th")] == ["Name", "Born"]
    assert [td.text_content() for td in table.xpath(".//tbody//td")] == ["Romeo", "1300"]
    figure = _one(text, f'//div[{_classes("tei-figure")}]')
    assert "What the figure shows." in figure.text_content() and not figure.xpath(".//img")
    assert _one(figure, ".//a").get("href") == "https://example.org/image.png"
    assert [li.text_content() for li in text.xpath(f'//ul[{_classes("tei-list")}]/li')] == ["first item",
                                                                                            "second item"]


def test_letters_opener_and_closer(text):
    opener = _one(text, f'//div[{_classes("tei-opener")}]')
    assert _one(opener, f'./p[{_classes("tei-dateline")}]//time').get("datetime") == "1303-07-01"
    assert _one(opener, f'./p[{_classes("tei-salute")}]').text_content() == "Dear friend,"
    closer = _one(text, f'//div[{_classes("tei-closer")}]')
    assert _one(closer, f'./p[{_classes("tei-signed")}]').text_content() == "Romeo"
    assert "A text within the text." in _one(text, f'//div[{_classes("tei-floatingText")}]').text_content()


def test_nested_notes_are_notes_too(text):
    notes = text.xpath(f'//ol[{_classes("tei-notes")}]/li')
    contents = [" ".join(n.text_content().split()) for n in notes]
    assert any(c.startswith("with") and "inside" in c for c in contents)
    assert any(c.startswith("a nested note") for c in contents)


def test_header_registers_give_pages(text):
    assert text.xpath('//a[contains(@href, "persons/juliet.html")]')


def test_names_nobody_identified_are_listed_on_the_index(built, text):
    index = page(built, "persons/index")
    assert _one(index, '//p[@id="unidentified"]').text_content() == "Names not identified"
    entry = _one(index, f'//ul[{_classes("entry-index-unidentified")}]/li')
    link = _one(entry, ".//a")
    assert link.text_content() == "an unknown man" and link.get("href").startswith("../texts/model.html#")
    assert text.xpath(f'//*[@id="{link.get("href").split("#")[1]}"]')
    assert "in Every behaviour:" in entry.text_content()


def test_a_note_in_the_back_appears_where_it_points(text):
    glossed = _one(text, '//span[@id="glossed"]')
    marker = _one(glossed, "following-sibling::sup[1]/a")
    note = _one(text, f'//li[@id="{marker.get("href")[1:]}"]')
    assert note.text_content().startswith("A commentary note kept in the back.")
    assert len(text.xpath('//*[contains(text(), "A commentary note kept in the back.")]')) == 1  # not twice


def test_names_of_places_organisations_and_works_link_to_their_pages(text):
    paragraph = _one(text, '//p[contains(., "Other registers")]')
    links = {a.text_content(): a.get("href") for a in paragraph.xpath(".//a[span]")}
    assert links["Verona"].endswith("places/verona.html")
    assert links["Capulets"].endswith("organisations/capulets.html")
    assert links["Romeo and Juliet"].endswith("works/play.html")
    assert links["Italian"].endswith("places/italy.html")  # rs type="place"
    assert links["Romeo by prefix"].endswith("persons/romeo.html")  # psn:romeo, by the file's prefixDef


def test_a_place_page_has_its_location_map_authority_and_mentions(built, text):
    verona = page(built, "places/verona")
    assert _one(verona, "//h1").text_content().startswith("Verona")
    assert "A city in the Veneto." in verona.text_content()
    assert _one(verona, '//a[.="Italy"]').get("href") == "italy.html"  # located in, linked to its entry
    osm = _one(verona, f'//a[{_classes("entry-map")}]')
    assert osm.text_content() == "45.4386, 10.9928" and "mlat=45.4386&mlon=10.9928" in osm.get("href")
    assert _one(verona, '//a[contains(., "GeoNames")]').get("href") == "https://www.geonames.org/3164527"
    forms = [li.text_content() for li in verona.xpath(f'//ul[{_classes("entry-forms")}]/li')]
    assert forms == ["Verona (1×)", "Bern (listed in the register only)"]
    mentions = verona.xpath(f'//ol[{_classes("entry-mentions")}]//a')
    assert len(mentions) == 1  # the header's register is not part of the text
    for link in mentions:
        anchor = link.get("href").partition("#")[2]
        assert _one(text, f'//*[@id="{anchor}"]').text_content() == "Verona"


def test_each_kind_has_an_index_with_its_unidentified_names(built):
    places = page(built, "places/index")
    listed = [a.get("href") for a in places.xpath(f'//ul[{_classes("entry-index-of-place")}]//a')]
    assert listed[:2] == ["italy.html", "verona.html"]
    assert _one(places, f'//ul[{_classes("entry-index-unidentified")}]/li//a').text_content() == "a nameless town"
    kinds = _one(places, f'//p[{_classes("entry-index-kinds")}]')
    assert [a.text_content() for a in kinds.xpath(".//a")] == ["Index of persons", "Index of organisations",
                                                              "Index of works"]
    persons = page(built, "persons/index")  # a nameless town is not a person
    assert "a nameless town" not in persons.text_content()
    works = page(built, "works/play")
    assert "William Shakespeare" in _one(works, f'//dl[{_classes("entry-fields")}]').text_content()
    mentions = works.xpath(f'//ol[{_classes("entry-mentions")}]/li')  # named once, quoted once (@source)
    assert [" ".join(m.text_content().split()) for m in mentions][1].endswith(
        "As the play says, parting is such sweet sorrow. (quoted)")
    forms = [li.text_content() for li in works.xpath(f'//ul[{_classes("entry-forms")}]/li')]
    assert forms == ["Romeo and Juliet (2×)"]  # the rs and the title (issue 15, item 14); not the quotation
    assert [" ".join(m.text_content().split()) for m in mentions][2].startswith("A title of the work: Romeo")
    title = _one(page(built, "texts/model"), '//a[span[contains(@class, "tei-title")]]')
    assert title.get("href").endswith("works/play.html") and "rend-italic" in title[0].get("class")
    assert [a.get("href") for a in page(built, "tei-places").xpath('//table//a')] == [
        "places/italy.html#place-italy", "places/verona.html#place-verona"]
    assert page(built, "places/italy").xpath('//section[@id="place-italy"]')


def test_roles_link_to_places_and_organisations(built):
    index = page(built, "index")
    assert _one(index, '//a[.="Verona"]').get("href") == "places/verona.html"
    assert _one(index, '//a[.="House of Capulet"]').get("href") == "organisations/capulets.html"


# -- the model as data: an edition's rules -------------------------------------------------------------------
def test_rules_match_by_element_then_predicate_in_order():
    from lxml import etree

    tei = "http://www.tei-c.org/ns/1.0"
    note = etree.fromstring(f'<note xmlns="{tei}" type="reader" resp="#editors"/>')
    model = ProcessingModel([rule("note", "note", "@resp = '#editors'", role="editorial"),
                             rule("note", "omit", "@type = 'reader'", reason="not published")])
    assert model.match(note).param("role") == "editorial"  # the first rule that matches
    assert ProcessingModel([rule("note", "omit", "@type = 'reader'", reason="x")]).match(note).behaviour == "omit"
    assert LIBRARY_MODEL.match(note).behaviour == "note" and not LIBRARY_MODEL.match(note).param("role")
    editorial = etree.fromstring(f'<note xmlns="{tei}" type="commentary"/>')
    assert LIBRARY_MODEL.match(editorial).param("role") == "editorial"
    # an edition's rule for any element comes before the library's rule for one element
    caps = etree.fromstring(f'<hi xmlns="{tei}" rend="caps"/>')
    assert ProcessingModel([rule("*", "inline", "@rend = 'caps'", css="caps")]).match(caps).css == "caps"


@pytest.mark.parametrize(("rules", "message"), [
    ([{"element": "hi", "behaviour": "sparkle"}], "edition_model, rule hi → sparkle: unknown behaviour 'sparkle'"),
    ([{"element": "hi", "behaviour": "inline", "predicate": "@rend = "}],
     "edition_model, rule hi[@rend = ] → inline: the predicate is not XPath 1.0"),
    ([{"element": "hi", "behaviour": "inline", "params": {"colour": "red"}}],
     "edition_model, rule hi → inline, params {'colour': 'red'}: unknown parameter 'colour' for 'inline'"),
    ([{"element": "p", "behaviour": "paragraph", "params": {"css": "x"}}],
     "edition_model, rule p → paragraph, params {'css': 'x'}: unknown parameter 'css' for 'paragraph'"),
    ([{"element": "date", "behaviour": "date", "predicate": "tei:foo(.)"}],
     "edition_model, rule date[tei:foo(.)] → date: the predicate is not XPath 1.0"),
    ([{"element": "date", "behaviour": "date", "predicate": "$undefined"}],
     "edition_model, rule date[$undefined] → date: the predicate is not XPath 1.0"),
    ([{"element": "note", "behaviour": "omit"}], "edition_model, rule note → omit: 'omit' needs a 'reason'"),
    ([{"element": "note"}], "edition_model, rule 1 ({'element': 'note'}): a dict with 'element' and 'behaviour'"),
    ({"element": "note"}, "edition_model is a list of rules"),
])
def test_a_rule_that_cannot_be_used_is_an_error_that_shows_it(rules, message: str):
    with pytest.raises(ModelError) as error:
        rules_from_config(rules)
    assert str(error.value).startswith(message), str(error.value)


def test_an_editions_rules_change_the_output(tmp_path):
    """``edition_model`` in ``conf.py``: a class for one kind of ``hi``, a kind of note left out (with its
    reason), a title for links of one type; the reading key names only what fired."""
    rules = [
        {"element": "hi", "predicate": "@rend = 'italic'", "behaviour": "inline", "params": {"css": "edition-italic"}},
        {"element": "note", "behaviour": "omit", "params": {"reason": "this test publishes no notes"}},
    ]
    app = build_root("test-model", tmp_path, warningiserror=False, confoverrides={"edition_model": rules})
    text = page(app, "texts/model")
    assert text.xpath(f'//span[{_classes("tei-hi", "edition-italic")}]')
    notes = text.xpath(f'//*[{_classes("tei-note")}]')
    assert [n.get("class") for n in notes] == ["tei-note tei-note-apparatus"]  # the apparatus is not a note
    assert "Numbered notes" not in text.xpath('string(//*[contains(@class, "edition-legend")])')


def test_an_unusable_rule_stops_the_build_with_one_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text(
        'extensions = ["edition"]\nedition_texts = []\n'
        'edition_model = [{"element": "hi", "behaviour": "sparkle"}]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "edition.cli", "build", str(tmp_path), "-q"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("edition: error: edition_model, rule hi → sparkle: unknown behaviour "
                                            "'sparkle'; the behaviours are"), result.stderr
    result = subprocess.run([sys.executable, "-m", "edition.cli", "validate", "-p", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "conf.py: edition_model, rule hi → sparkle" in result.stderr


def test_the_readme_example_rule_works(tmp_path):
    """The README's example of a rule in ``conf.py``, as written there."""
    import re

    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A rule of the processing model in `conf.py`"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)
    tei = tmp_path / "tei"
    tei.mkdir()
    (tei / "t.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
        '<text><body><p><hi rend="caps">Capitals</hi> and a note<note type="todo">check this</note>.</p>'
        "</body></text></TEI>", encoding="utf-8")
    app = build_root("test-model", tmp_path, warningiserror=False,
                     confoverrides={"edition_model": namespace["edition_model"], "edition_texts": [str(tei / "t.xml")],
                                    "edition_registers": []})
    text = page(app, "texts/t")
    assert text.xpath(f'//span[{_classes("tei-hi", "small-caps")}]')
    assert "check this" not in text.text_content()


def test_what_a_rule_leaves_out_is_not_in_the_source_words():
    """The forms and snippets of names (``diplomatic_text``) leave out what an ``omit`` rule leaves out."""
    from lxml import etree

    from edition.core.render import diplomatic_text

    name = etree.fromstring('<persName xmlns="http://www.tei-c.org/ns/1.0">Anna<note type="todo"> check</note>'
                            "</persName>")
    todo = ProcessingModel([rule("note", "omit", "@type = 'todo'", reason="working notes")])
    assert diplomatic_text(name, todo) == "Anna"
    assert diplomatic_text(name) == "Anna check"
