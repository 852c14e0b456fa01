"""The translator keeps every word of the source in the page (unit tests on small TEI snippets)."""

from __future__ import annotations

from docutils import nodes

from edition.register import Registry
from edition.translate import TextTranslator
from edition.xmlparse import parse_bytes

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _text_of(body: str) -> str:
    tree = parse_bytes(f"<TEI {NS}><text><body>{body}</body></text></TEI>".encode(), "snippet.xml")
    warnings: list[str] = []
    result = TextTranslator(tree, "snippet.xml", Registry(), lambda m, line: warnings.append(m)).translate()
    return " ".join(node.astext() for node in result if isinstance(node, nodes.Node))


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
