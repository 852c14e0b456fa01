"""The processing model: how each TEI element is published, in one declarative table.

In the spirit of the TEI processing model (as TEI Publisher uses it), every element name maps to
a :class:`Behaviour`: what kind of output it becomes (a section, a paragraph, a verse line, a
speech, a note, a link, a break, …), whether it starts a block of its own when it stands between
blocks, an extra CSS class, and — for elements left out of the running text — the reason why.
:class:`~edition.translate.TextTranslator` implements each kind once (``_block_<kind>`` and
``_inline_<kind>``). An element that is not in the table keeps its text and content, marked with
the class ``tei-<name>`` (its attributes kept as data): it becomes a container when it holds
blocks, a span otherwise. Nothing is ever dropped without a reason given here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .xmlparse import TEI_NS


@dataclass(frozen=True)
class Behaviour:
    """How one TEI element is published."""

    kind: str  # the translator's ``_block_<kind>`` / ``_inline_<kind>``
    block: bool = False  # starts a block of its own when it stands between blocks
    css: str = ""  # an extra CSS class
    reason: str = ""  # for ``omit``: why the element is not part of the running text


def _block(kind: str, css: str = "") -> Behaviour:
    return Behaviour(kind, block=True, css=css)


def _inline(kind: str = "inline", css: str = "") -> Behaviour:
    return Behaviour(kind, css=css)


def _omit(reason: str) -> Behaviour:
    return Behaviour("omit", reason=reason)


MODEL: dict[str, Behaviour] = {
    # -- left out of the running text, and why ------------------------------------------------------
    "teiHeader": _omit("the metadata: shown in the panel above the text"),
    "facsimile": _omit("images of the source: not part of the transcription"),
    "standOff": _omit("registers and annotations: published on their own pages"),
    "sourceDoc": _omit("a diplomatic layout description: not part of the reading text"),
    # -- structure ------------------------------------------------------------------------------------
    **{name: _block("container") for name in (
        "TEI", "teiCorpus", "group", "text", "front", "body", "back", "floatingText", "opener", "closer",
        "postscript", "epigraph", "argument", "docTitle", "titlePage", "performance", "set", "prologue",
        "epilogue", "div0")},
    **{name: _block("section") for name in ("div", "div1", "div2", "div3", "div4", "div5", "div6", "div7")},
    "head": _block("heading"),
    **{name: _block("paragraph") for name in (
        "p", "ab", "salute", "signed", "dateline", "address", "byline", "titlePart", "docImprint", "docAuthor",
        "docDate", "trailer", "imprimatur", "label")},
    # -- verse and drama --------------------------------------------------------------------------------
    "lg": _block("line_group"),
    "l": _block("line"),
    "sp": _block("speech"),
    "speaker": _block("speaker"),
    "stage": _block("stage"),
    "castList": _block("list"),
    "castGroup": _block("list"),
    "roleDesc": _inline(css="tei-roleDesc"),
    # -- lists, tables, figures -----------------------------------------------------------------------------
    "list": _block("list"),
    "listBibl": _block("list"),
    "table": _block("table"),
    "figure": _block("figure"),
    "listPerson": _block("register"),
    "listPlace": _block("register"),
    "listOrg": _block("register"),
    "listEvent": _block("register"),
    "space": _block("space"),
    # -- inline: names, dates, editorial choices, apparatus, notes ------------------------------------------
    **{name: _inline("name") for name in ("persName", "placeName", "geogName", "orgName", "rs", "name")},
    "date": _inline("date"),
    "choice": _inline("choice"),
    "app": _inline("apparatus"),
    "note": _inline("note"),
    # -- inline: links and breaks -----------------------------------------------------------------------------
    "ref": _inline("link"),
    "ptr": _inline("link"),
    "pb": _inline("page_break"),
    "lb": _inline("line_break"),
    "cb": _inline("line_break"),
    "gap": _inline("gap"),
    "title": _inline("title"),
    # -- inline: highlighting and transcription (a span with its class; edition.css styles them) ------------
    **{name: _inline() for name in (
        "hi", "emph", "foreign", "term", "unclear", "supplied", "add", "del", "seg", "anchor", "fw", "q", "quote",
        "cit", "bibl", "soCalled", "mentioned", "num", "measure", "roleName",
        "addName", "forename", "surname", "orig", "reg", "sic", "corr", "abbr", "expan", "c", "w", "pc")},
}

#: what an element not in the table becomes: a span (or a container when it holds blocks)
DEFAULT = _inline()
#: kinds that are blocks of content (an element holding one of them is a container, not a span)
CONTENT_BLOCKS = frozenset({"container", "section", "heading", "paragraph", "line_group", "line", "speech", "speaker",
                            "list", "table", "figure", "register"})


def behaviour_of(element: etree._Element) -> Behaviour:
    """The behaviour of an element: from the table for TEI elements, the default for the rest."""
    qname = etree.QName(element)
    if qname.namespace != TEI_NS:
        return DEFAULT
    return MODEL.get(qname.localname, DEFAULT)
