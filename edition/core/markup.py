"""Light markup for the bulk of an edition: the running text of the TEI, mention lists, indexes, chronology.

A text of the edition holds about a thousand inline elements (names, dates, note markers…), an entry
page hundreds of mentions. Built as docutils nodes, each would be pickled, unpickled and walked by a
dozen transforms and by the writer, for every page and every build. Built as :class:`Tag` trees, they
are written straight to HTML (:func:`to_html`, as Sphinx's HTML writer would write the same nodes):
the running text of a block is one :class:`~edition.nodes.text_html` node of the doctree. Builders
that do not write HTML (LaTeX, text…) get docutils nodes instead (:func:`edition.nodes.to_docutils` for
lists and tables, :func:`edition.nodes.from_html` for running text).

Links to other pages are written ``href="tei-doc:<docname>#anchor"`` and made relative to the page
they are written in (:func:`edition.nodes.resolve_links`): what the core makes does not depend on the
builder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

#: the start of a link to a page of the site, made relative when the page is written
DOC_LINK = "tei-doc:"


class Tag:
    """An HTML element: a name, attributes (``classes`` is written ``class``; ``widths`` of a table is not
    written: it gives docutils its column widths) and children."""

    __slots__ = ("attrs", "children", "name")

    def __init__(self, name: str, *children: Content, **attrs: str) -> None:
        self.name = name
        self.children = list(children)
        self.attrs = attrs

    def append(self, *children: Content) -> Tag:
        self.children.extend(children)
        return self


class Raw(str):
    """HTML written before (a long table's row kept between builds): written as it is, not escaped."""

    __slots__ = ()


Content = Tag | str


def to_html(content: Iterable[Content]) -> str:
    """The HTML of ``content``, as Sphinx writes the same elements (see :func:`start_tag`)."""
    out: list[str] = []
    _write(content, out)
    return "".join(out)


def _write(content: Iterable[Content], out: list[str], parent: str = "") -> None:
    append = out.append
    for item in content:
        if isinstance(item, str):
            append(item if type(item) is Raw else _text(item))
            continue
        name = item.name
        append(start_tag(name, item.attrs))
        if name in _VOID:
            continue
        _write(item.children, out, name)
        if name in _BLOCKS and not (name == "p" and parent in _COMPACT):
            append(f"</{name}>\n")
        else:
            append(f"</{name}>")


def start_tag(name: str, attrs: dict[str, str]) -> str:
    """``<name a="…" b="…">``: attributes in alphabetical order, as docutils writes them; empty ones left out."""
    if len(attrs) == 1:  # most elements: a class alone
        for key, value in attrs.items():
            if value and key != "widths":
                return f'<{name} {"class" if key == "classes" else key}="{_attribute(value)}">'
        return f"<{name}>"
    written = sorted(("class" if key == "classes" else key, value) for key, value in attrs.items()
                     if value and key != "widths")
    return f"<{name}" + "".join(f' {key}="{_attribute(value)}"' for key, value in written) + ">"


def _text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or '"' in value:
        return _text(value).replace('"', "&quot;")
    return value


def words(content: Iterable[Content]) -> str:
    """The text of ``content``, its pieces (the text of one element, of the next…) apart."""
    pieces: list[str] = []

    def gather(items: Iterable[Content]) -> None:
        for item in items:
            if type(item) is Raw:
                item = html.unescape(re.sub(r"<[^>]*>", " ", item))
                pieces.extend(item.split())
            elif isinstance(item, str):
                if item.strip():
                    pieces.append(item.strip())
            else:
                gather(item.children)

    gather(content)
    return " ".join(pieces)


def has_words(content: Iterable[Content]) -> bool:
    """Whether ``content`` has any text but whitespace (as :func:`words` would be non-empty), without joining
    its words: it stops at the first."""
    for item in content:
        if type(item) is Raw:
            if html.unescape(re.sub(r"<[^>]*>", " ", item)).strip():
                return True
        elif isinstance(item, str):
            if item.strip():
                return True
        elif has_words(item.children):
            return True
    return False


def edge(content: list[Content], *, end: bool = False) -> str:
    """The first (or, with ``end``, the last) character of the text of ``content``; ``""`` when it has none."""
    for item in reversed(content) if end else content:
        found = (item[-1:] if end else item[:1]) if isinstance(item, str) else edge(item.children, end=end)
        if found:
            return found
    return ""


def trim(content: list[Content], *, end: bool = False) -> bool:
    """Remove the whitespace at the start (or, with ``end``, the end) of the text of ``content``, inside its
    elements too; whether any text is left."""
    for index in reversed(range(len(content))) if end else range(len(content)):
        item = content[index]
        if isinstance(item, str):
            content[index] = item.rstrip() if end else item.lstrip()
            if content[index]:
                return True
        elif trim(item.children, end=end):
            return True
    return False


def joined(parts: list[Content], separator: str) -> list[Content]:
    """``parts`` with ``separator`` between each two (``a, b, c``)."""
    out: list[Content] = []
    for index, part in enumerate(parts):
        if index:
            out.append(separator)
        out.append(part)
    return out


#: elements followed by a line break, as Sphinx writes them
_BLOCKS = frozenset({"p", "li", "ul", "ol", "tr", "table", "thead", "tbody", "div"})
#: elements without content or end tag
_VOID = frozenset({"img", "br", "wbr"})
#: elements whose paragraphs are written without one (``<li><p>…</p></li>``)
_COMPACT = frozenset({"li", "th", "td"})

def link(href: str, *children: Content, title: str = "") -> Tag:
    """A link within the site (``class="reference internal"``, as Sphinx writes them)."""
    return Tag("a", *children, classes="reference internal", href=href, title=title)


def table(classes: str, columns: dict[str, int], rows: Iterable[list[Content] | Raw]) -> Tag:
    """A table with a header row (column title -> relative width in percent) and one cell per item; a row
    may also be given as its cells written before (:func:`row_html`)."""

    def row(tag: str, index: int, cells: list[Content] | Raw) -> Content:
        parity = "row-odd" if index % 2 else "row-even"
        if isinstance(cells, Raw):  # as the Tag would be written
            return Raw(f'<tr class="{parity}">{cells}</tr>\n')
        kind = "head" if tag == "th" else ""
        return Tag("tr", *(Tag(tag, Tag("p", cell), classes=kind) for cell in cells), classes=parity)

    return Tag("table", Tag("thead", row("th", 1, list(columns))),
               Tag("tbody", *(row("td", index, cells) for index, cells in enumerate(rows, start=2))),
               classes=f"{classes} docutils align-default", widths=" ".join(map(str, columns.values())))


def row_html(cells: list[Content]) -> Raw:
    """A body row of :func:`table` written as HTML, without its ``<tr>``: to keep and give to :func:`table`
    again (for HTML only)."""
    return Raw(to_html(Tag("td", Tag("p", cell), classes="") for cell in cells))
