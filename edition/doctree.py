"""The rendered blocks of a text (:mod:`edition.core.blocks`) as docutils nodes: one method per kind of block.

The running text of each block stays light markup, held as one :class:`~edition.nodes.text_html` node;
titles become nodes that keep their elements (Sphinx reads their text for the page's table of contents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docutils import nodes

from . import nodes as enodes
from .core.blocks import (
    Block,
    Cell,
    Fields,
    Group,
    Heading,
    Inline,
    ItemList,
    Language,
    Note,
    Paragraph,
    Section,
    Surface,
    Table,
)
from .core.images import image_markup
from .core.markup import Content, Tag


def text_nodes(content: Inline) -> list[nodes.Node]:
    """Running text as the doctree holds it: one node of HTML, or nothing when there is none."""
    return [enodes.html_node(content)] if content else []


def paragraph(block: Paragraph) -> list[nodes.Node]:
    made = enodes.facs_paragraph if block.data else nodes.paragraph
    node = made("", "", *text_nodes(block.content), classes=list(block.classes), ids=list(block.ids))
    if block.data:
        node["data"] = dict(block.data)
    return [node]


def heading(block: Heading) -> list[nodes.Node]:
    return [nodes.rubric("", "", *text_nodes(block.content), classes=list(block.classes))]


def group(block: Group) -> list[nodes.Node]:
    made = enodes.facs_container if block.data else nodes.container
    node = made("", *to_doctree(block.children), classes=list(block.classes), ids=list(block.ids))
    if block.data:
        node["data"] = dict(block.data)
    return [node]


def section(block: Section) -> list[nodes.Node]:
    title = nodes.title("", "", *enodes.to_nodes(block.title))
    made = enodes.facs_section if block.data else nodes.section
    node = made("", title, *to_doctree(block.children), ids=[block.ident], classes=list(block.classes),
                names=[nodes.fully_normalize_name(title.astext())])
    if block.data:
        node["data"] = dict(block.data)
    return [node]


def surface(block: Surface) -> list[nodes.Node]:
    """A surface of the source: its label as the title, its transcription, and its images beside it.

    Its zones and lines are one node of HTML (a notebook has thousands of lines: a node each would be pickled,
    transformed and walked by Sphinx), unless they hold blocks of other kinds."""
    written = _markup(block.children)
    transcription = to_doctree(block.children) if written is None else [enodes.html_node(written)]
    parts: list[nodes.Node] = [nodes.container("", *transcription, classes=["tei-surface-text"])]
    if block.images:
        pictures = [image_markup(image, block.label) for image in block.images]
        parts.append(nodes.container("", nodes.paragraph("", "", enodes.html_node(pictures, searched=False)),
                                     classes=["tei-surface-images"]))
    return [nodes.section("", nodes.title("", block.label), *parts, ids=[block.ident], classes=list(block.classes),
                          names=[nodes.fully_normalize_name(block.label)])]


def _markup(blocks: list[Block]) -> list[Content] | None:
    """Groups and paragraphs (zones and lines) as markup (``div``, ``p``), or ``None`` when ``blocks`` hold
    blocks of another kind."""
    out: list[Content] = []
    for block in blocks:
        if len(getattr(block, "ids", ())) > 1:
            return None
        ident = {"id": block.ids[0]} if getattr(block, "ids", None) else {}
        ident.update(getattr(block, "data", {}))
        if isinstance(block, Paragraph):
            out.append(Tag("p", *block.content, classes=" ".join(block.classes), **ident))
        elif isinstance(block, Group) and (inner := _markup(block.children)) is not None:
            out.append(Tag("div", *inner, classes=" ".join(block.classes), **ident))
        else:
            return None
    return out


def language(block: Language) -> list[nodes.Node]:
    """Blocks in a language of their own: a ``div`` with ``lang`` and ``dir``."""
    return [enodes.language("", *to_doctree(block.children), lang=block.lang, dir=block.dir)]


def item_list(block: ItemList) -> list[nodes.Node]:
    return [nodes.bullet_list("", *(nodes.list_item("", *to_doctree(item)) for item in block.items),
                              classes=list(block.classes))]


def table(block: Table) -> list[nodes.Node]:
    group = nodes.tgroup(cols=block.width)
    group += [nodes.colspec(colwidth=1) for _ in range(block.width)]
    if block.head:
        group += nodes.thead("", *map(_row, block.head))
    group += nodes.tbody("", *map(_row, block.body))
    return [nodes.table("", group, classes=list(block.classes))]


def _row(cells: list[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry("", nodes.paragraph("", "", *text_nodes(cell.content)), classes=list(cell.classes))
        if cell.span > 1:
            entry["morecols"] = cell.span - 1
        row += entry
    return row


def fields(block: Fields) -> list[nodes.Node]:
    """Labelled parts: a field list (``dl`` in HTML)."""
    listing = nodes.field_list(classes=list(block.classes))
    for label, blocks in block.items:
        listing += nodes.field("", nodes.field_name("", label), nodes.field_body("", *to_doctree(blocks)))
    return [listing]


#: the docutils nodes of each kind of block
WRITERS: dict[type, Callable[..., list[nodes.Node]]] = {
    Paragraph: paragraph, Heading: heading, Group: group, Section: section, ItemList: item_list, Table: table,
    Language: language, Fields: fields, Surface: surface,
}


def to_doctree(blocks: Iterable[Block]) -> list[nodes.Node]:
    """``blocks`` as docutils nodes."""
    return [node for block in blocks for node in WRITERS[type(block)](block)]


def notes(items: list[Note]) -> list[nodes.Node]:
    """The notes of a text, after it: a heading and the numbered list, each note linking back to its marker."""
    if not items:
        return []
    listing = enodes.note_list("", *(
        enodes.note_item("", *to_doctree(note.blocks), number=note.number, backref=note.marker, ids=[note.ident],
                         classes=["tei-note", f"tei-note-{note.kind}"]) for note in items))
    return [nodes.rubric("", "Notes", classes=["tei-notes-heading"]), listing]
