"""The renderer keeps every word of the source in the page (unit tests on small TEI snippets)."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from edition.core.blocks import words_of
from edition.core.kinds import PERSON, PLACE
from edition.core.markup import to_html
from edition.core.pointers import expand_prefix
from edition.core.register import Registry
from edition.core.render import render_text
from edition.core.xmlparse import parse_bytes

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _text_of(body: str) -> str:
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), "snippet.xml")
    result = render_text(tree, "snippet.xml", Registry())
    return words_of(result.body + [block for note in result.notes for block in note.blocks])


def test_forme_work_and_inline_registers_keep_their_text():
    text = _text_of('<p>Erste Zeile<fw type="catch">der</fw> <pb n="2"/>der Text</p>'
                    '<listPlace><place xml:id="wien"><placeName>Wien</placeName></place></listPlace>'
                    '<listOrg><org xml:id="o1"><orgName>Burgtheater</orgName></org></listOrg>')
    for word in ("Erste", "der", "Text", "Wien", "Burgtheater"):
        assert word in text


def test_unknown_elements_keep_text():
    text = _text_of("<p>Before <unknownThing>inside</unknownThing> after</p><floatingText><body><p>Nested"
                    "</p></body></floatingText>")
    assert "Before inside after" in text and "Nested" in text


def _registry(body: str) -> tuple[Registry, str]:
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), "register.xml")
    registry = Registry()
    registry.add_file(tree, Path("register.xml"))
    return registry, str(Path("register.xml").resolve())


def test_pointers_resolve_to_entries_of_the_right_kind():
    registry, base = _registry('<listPerson><person xml:id="lenin"><persName>Lenin</persName></person></listPerson>'
                               '<listPlace><place xml:id="moscow"><placeName>Moscow</placeName></place></listPlace>')
    assert registry.resolve("#moscow", base, PLACE)[0].name == "Moscow"
    assert registry.resolve("#moscow", base)[0].kind == "place"  # rs without a type: any kind
    entry, problem = registry.resolve("#moscow", base, PERSON)
    assert entry is None and problem == "'#moscow' points to a <place>, not to a <person>"
    assert registry.resolve("#mosco", base, PLACE)[1].endswith("no place with xml:id 'mosco' in the registers; "
                                                               "did you mean #moscow?")


def test_prefixed_pointers_are_expanded_by_the_prefix_definition():
    prefixes = {"psn": [("([a-z]+)", "persons.xml#$1")], "odd": [("(", "#$1")]}
    assert expand_prefix("psn:lenin", prefixes) == ("persons.xml#lenin", None)
    assert expand_prefix("https://example.org/x", prefixes) == ("https://example.org/x", None)
    assert expand_prefix("psn:Lenin2", prefixes)[1] == "'psn:Lenin2' matches no matchPattern of the prefixDef 'psn'"
    assert "not a regular expression" in expand_prefix("odd:x", prefixes)[1]
    registry, base = _registry('<listPerson><person xml:id="lenin"><persName>Lenin</persName></person></listPerson>')
    assert registry.resolve("p:lenin", base, PERSON, {"p": [("(.+)", "#$1")]})[0].id == "lenin"


def test_an_entry_copied_into_several_files_is_one_entry():
    """Corpora whose letters each carry the entries they name (as ACDH editions do) share one page per id;
    a different entry with an id already taken is reported."""
    registry = Registry()
    for name, person in (("a.xml", "Arthur Schnitzler"), ("b.xml", "Arthur Schnitzler"), ("c.xml", "Hermann Bahr")):
        body = f'<listPerson><person xml:id="pmb2121"><persName>{person}</persName></person></listPerson>'
        tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), name)
        registry.add_file(tree, Path(name))
    assert list(registry.entries) == ["pmb2121"] and registry.entries["pmb2121"].path.endswith("a.xml")
    for name in ("a.xml", "b.xml"):
        assert registry.resolve("#pmb2121", str(Path(name).resolve()), PERSON)[0].name == "Arthur Schnitzler"
    [problem] = registry.problems
    assert problem.path == "c.xml" and problem.severity == "warning"
    assert "is also the id of the person 'Arthur Schnitzler'" in problem.message


def test_texts_without_entries_are_not_parsed_for_the_registry(tmp_path: Path):
    """Names (placeName, orgName) and a source's bibl are no register; a listPlace, a listBibl, a person are."""
    from edition.core.register import _may_hold_entries

    cases = {"names": ("<p><placeName>Wien</placeName>, <orgName>Burgtheater</orgName>, <persName>A</persName>"
                       "</p><bibl>Source</bibl>", False),
             "places": ('<listPlace><place xml:id="w"><placeName>Wien</placeName></place></listPlace>', True),
             "works": ('<listBibl><bibl xml:id="b">A book</bibl></listBibl>', True),
             "group": ('<particDesc><personGrp xml:id="g"/></particDesc>', True)}
    for name, (body, expected) in cases.items():
        for encoding in ("utf-8", "utf-16"):
            path = tmp_path / f"{name}-{encoding}.xml"
            path.write_text(f"<TEI {NS}><text><body>{body}</body></text></TEI>", encoding=encoding)
            assert _may_hold_entries(path.read_bytes()) is expected, (name, encoding)


def test_a_note_inside_a_note_of_the_header_is_shown_once():
    """The header's notes follow their line, each once (a note's own notes came twice)."""
    tree = parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
                       b'</titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><bibl>A book <note>outer '
                       b'<note>inner</note> words</note></bibl></sourceDesc></fileDesc></teiHeader><text><body><p>x'
                       b'</p></body></text></TEI>', "t.xml")
    fields = dict(render_text(tree, "t.xml", Registry()).fields)
    assert words_of(fields["Source"]) == "A book outer words inner"


def test_parts_of_a_name_written_together_are_read_as_words():
    """``<forename>Till</forename><surname>Grallert</surname>`` (the Arabic journal's header and text) read
    "TillGrallert"; a space belongs between the parts, and nowhere else."""
    name = '<persName ref="#tg"><forename>Till</forename><surname>Grallert</surname></persName>'
    body = (f"<p>By {name}, <persName><forename>Ahmad</forename> <surname>Shawqi</surname></persName> "
            "and <hi>Ab</hi><hi>cd</hi>.</p>")
    registry, base = _registry(f'<listPerson><person xml:id="tg">{name}</person></listPerson>')
    assert registry.entries["tg"].name == "Till Grallert"
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), base)
    result = render_text(tree, base, registry)
    paragraph = result.body[0].children[0]  # the body's group, its paragraph
    page = lxml.html.fromstring(to_html(paragraph.content)).text_content()
    assert page == "By Till Grallert, Ahmad Shawqi and Abcd."
    assert [mention.form for mention in result.mentions] == ["Till Grallert"]


def test_a_milestone_says_which_section_of_the_source_begins():
    """``milestone`` had no rule: it was an empty span, invisible to a reader."""
    body = ('<p>end of one<milestone unit="column" n="2" xml:id="c2"/>start of the next<milestone/>'
            '<milestone unit="tei:p"/>and a paragraph of the notebook</p>')
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), "snippet.xml")
    result = render_text(tree, "snippet.xml", Registry())
    page = lxml.html.fromstring(to_html(result.body[0].children[0].content))
    marks = page.find_class("tei-milestone")
    assert [(m.get("data-label"), m.get("aria-label"), m.get("id")) for m in marks] == [
        ("column 2", "column 2 begins", "c2"), ("section", "section begins", None),
        ("paragraph", "paragraph begins", None)]  # the Frankenstein notebook's unit="tei:p" read "TEI:P"
    assert result.marks.milestones


def test_a_dates_evidence_says_what_the_editors_did():
    """Every date with ``@evidence`` was labelled "(year supplied by the editors)", also when its words give
    the year (a letter's date in the header, dated from other sources)."""
    body = ('<p><date when="1924-01-27" evidence="internal">27th January</date>, '
            '<date when="1850-03-02" evidence="external">2 March 1850</date>, '
            '<date when="1850" evidence="conjecture">about then</date></p>')
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), "snippet.xml")
    result = render_text(tree, "snippet.xml", Registry())
    page = lxml.html.fromstring(to_html(result.body[0].children[0].content))
    assert [t.get("data-normal") for t in page.iter("time")] == [
        "27 January 1924 (year supplied by the editors, from the text)",
        "2 March 1850 (dated by the editors, from other sources)",
        "1850 (year supplied by the editors, a conjecture)"]
    assert [d.supplied for d in result.dates] == [True, False, True]


def test_a_table_row_written_before_is_written_as_the_row_itself():
    """A long table's rows may be kept as HTML (:func:`markup.row_html`, the chronology's): the table is
    written byte for byte as with the rows' cells, and the words of kept rows are still its words."""
    from edition.core import markup
    from edition.core.markup import Tag

    rows = [["1 May", Tag("span", "a <b> & ", Tag("strong", "c"))], ["2 May", markup.link("x.html#d", "“e”")],
            ["", "f"]]
    columns = {"Date": 20, "What": 80}
    plain = markup.table("t", columns, rows)
    kept = markup.table("t", columns, [markup.row_html(cells) for cells in rows])
    assert markup.to_html([kept]) == markup.to_html([plain])
    assert markup.words([kept]) == markup.words([plain])


def test_has_words_says_what_words_would_without_joining_them():
    from edition.core.markup import Raw, Tag, has_words, words

    cases = [
        [], [" ", "\n\t"], ["a"], [Tag("span", " ", Tag("em", "\n"))], [Tag("span", " ", Tag("em", "x"))],
        [Raw("<br/> <b> </b>")], [Raw("<b>&nbsp;</b>")], [Raw("<i>&amp;</i>")], [" ", Raw("<img src='a'/>"), "b"],
    ]
    for content in cases:
        assert has_words(content) is bool(words(content)), content
