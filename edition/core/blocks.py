"""The neutral result of rendering a text: blocks of content, each with its running text as light markup.

A publisher turns them into its own form (the Sphinx adapter: :mod:`edition.doctree`); nothing here
knows of docutils. ``classes`` and ``ids`` are those of the HTML the blocks become.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .images import Image
from .markup import Content, words

#: inline content: text and elements (see :mod:`edition.core.markup`)
Inline = list[Content]


@dataclass(slots=True)
class Paragraph:
    """A block of running text: a paragraph, a verse line, a speaker, a stage direction…"""

    content: Inline
    classes: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    #: ``data-`` attributes of its element (``data-facs-zone``: the zones of a page image it shows)
    data: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Heading:
    """A heading that is not a section's title (of a list, a table, a figure, a floating ``head``)."""

    content: Inline
    classes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Group:
    """Blocks that belong together (a ``div`` without heading, a stanza, a speech, a figure…)."""

    children: list[Block]
    classes: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Section:
    """A division with a title: it appears in the page's table of contents."""

    ident: str
    title: Inline
    children: list[Block]
    classes: list[str] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ItemList:
    """A list; each item is blocks."""

    items: list[list[Block]]
    classes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cell:
    """A cell of a table, spanning ``span`` columns."""

    content: Inline
    span: int = 1
    classes: list[str] = field(default_factory=lambda: ["tei-cell"])


@dataclass(slots=True)
class Table:
    """A table of ``width`` columns: header rows, then body rows."""

    width: int
    head: list[list[Cell]]
    body: list[list[Cell]]
    classes: list[str] = field(default_factory=lambda: ["tei-table"])


@dataclass(slots=True)
class Note:
    """A numbered note, shown after the text: its marker in the text links to ``note-N``, and back."""

    number: int
    kind: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return f"note-{self.number}"

    @property
    def marker(self) -> str:
        """The id of its marker in the text."""
        return f"noteref-{self.number}"


@dataclass(slots=True)
class Language:
    """Blocks in another language than around them (``xml:lang``): ``lang``, and ``dir`` for the way it is
    written (``rtl`` for Arabic or Hebrew)."""

    lang: str
    dir: str
    children: list[Block]


@dataclass(slots=True)
class Fields:
    """Labelled parts of a description (the header's fields: "Author", "Manuscript"…), each blocks."""

    items: list[tuple[str, list[Block]]]
    classes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Surface:
    """A written surface of the source (a ``surface`` of a ``sourceDoc``): its label, its images (shown from
    their address beside the transcription) and its transcription: zones and lines, in document order."""

    ident: str
    label: str
    images: list[Image]
    children: list[Block]
    classes: list[str] = field(default_factory=lambda: ["tei-surface"])


Block = Paragraph | Heading | Group | Section | ItemList | Table | Language | Fields | Surface


def words_of(blocks: list[Block]) -> str:
    """The words of ``blocks`` in order, each block's running text apart (for checks that nothing is lost)."""
    pieces: list[str] = []

    def walk(items: list[Block]) -> None:
        for block in items:
            if isinstance(block, Section):
                pieces.append(words(block.title))
            elif isinstance(block, Surface):
                pieces.append(block.label)
            if isinstance(block, Paragraph | Heading):
                pieces.append(words(block.content))
            elif isinstance(block, Group | Section | Language | Surface):
                walk(block.children)
            elif isinstance(block, ItemList):
                for item in block.items:
                    walk(item)
            elif isinstance(block, Table):
                pieces.extend(words(cell.content) for row in block.head + block.body for cell in row)
            elif isinstance(block, Fields):
                for _label, blocks in block.items:
                    walk(blocks)

    walk(blocks)
    return " ".join(piece for piece in pieces if piece)
