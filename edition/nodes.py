"""Docutils nodes for edition content, and their HTML rendering."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from lxml import etree
from lxml import html as lxml_html
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from .core import markup
from .core.markup import DOC_LINK, Content, start_tag

#: in a start tag only (text never holds a raw ``<``): running text may say ``href="tei-doc:…"`` itself
_DOC_HREF = re.compile(r'(<a\s[^<>]*?\bhref=")tei-doc:([^"#]*)')


def resolve_links(html: str, builder: Any) -> str:
    """``html`` with its ``tei-doc:`` links made relative to the page being written."""
    if DOC_LINK not in html:
        return html
    here = builder.current_docname
    uris: dict[str, str] = {}

    def relative(match: re.Match[str]) -> str:
        target = match[2]
        if target not in uris:
            uris[target] = builder.get_relative_uri(here, target) if target != here else ""
        return f"{match[1]}{uris[target]}"

    return _DOC_HREF.sub(relative, html)




#: docutils node for each element name
_NODES: dict[str, type[nodes.Element]] = {
    "p": nodes.paragraph, "span": nodes.inline, "strong": nodes.strong, "em": nodes.emphasis,
    "a": nodes.reference, "ul": nodes.bullet_list, "ol": nodes.enumerated_list, "li": nodes.list_item,
    "div": nodes.container, "time": nodes.inline, "sup": nodes.superscript, "code": nodes.literal,
    "table": nodes.table, "thead": nodes.thead, "tbody": nodes.tbody, "tr": nodes.row, "th": nodes.entry,
    "td": nodes.entry,
}


def to_docutils(content: Iterable[Content]) -> list[nodes.Node]:
    """``content`` as docutils nodes, for builders that do not write HTML."""
    return [_node(item) for item in content]


def _node(item: Content) -> nodes.Node:
    if isinstance(item, str):
        return nodes.Text(item)
    classes = item.attrs.get("classes", "").split()
    if item.name == "p" and "rubric" in classes:
        node: nodes.Element = nodes.rubric(classes=[c for c in classes if c != "rubric"])
    else:
        node = _NODES[item.name](classes=classes)
    for key, value in item.attrs.items():
        if key == "href":
            node["refuri"], node["internal"] = value, True
        elif key == "title":
            node["reftitle" if item.name == "a" else "title"] = value
        elif key == "id":
            node["ids"] = [value]
        elif key not in ("classes", "widths"):
            node[key] = value
    children = to_docutils(item.children)
    if item.name == "table":  # docutils wants a group with the column widths
        widths = [int(width) for width in item.attrs["widths"].split()]
        group = nodes.tgroup(cols=len(widths))
        group += [nodes.colspec(colwidth=width) for width in widths]
        group += children
        children = [group]
    node += children
    return node


def joined(parts: list[nodes.Node], separator: str) -> list[nodes.Node]:
    """``parts`` with a text ``separator`` between each two (``a · b · c``)."""
    out: list[nodes.Node] = []
    for index, part in enumerate(parts):
        if index:
            out.append(nodes.Text(separator))
        out.append(part)
    return out


class time(nodes.Inline, nodes.TextElement):  # noqa: N801 - docutils naming
    """A normalised date: ``<time datetime="1924-01-21" title="…">``."""


class note_list(nodes.General, nodes.Element):  # noqa: N801
    """The numbered list of notes at the end of a text."""


class note_item(nodes.General, nodes.Element):  # noqa: N801
    """One note in a :class:`note_list`, with a link back to its marker."""


class language(nodes.General, nodes.Element):  # noqa: N801
    """Blocks in a language (``lang``) and a direction of writing (``dir``) of their own."""


class details(nodes.General, nodes.Element):  # noqa: N801
    """A part of a page folded under its :class:`summary` (``<details>``), open when ``open`` is true. Other
    builders show what it holds, without the summary."""


class summary(nodes.Inline, nodes.TextElement):  # noqa: N801
    """The always visible line of a :class:`details`."""


class root_link(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A link to a file given relative to the root of the built site (e.g. ``tei/x.xml``)."""


class placeholder(nodes.General, nodes.Element):  # noqa: N801
    """Content computed from the whole edition at write time (mentions, indexes, chronology)."""


class text_html(nodes.Inline, nodes.TextElement):  # noqa: N801
    """HTML made from :mod:`edition.core.markup`: the running text of one block (a paragraph, a line, a note…),
    or a list computed from the whole edition (see :func:`html_node`).

    The HTML (``html``) is written as it is, its ``tei-doc:`` links made relative to the page. The node's
    text is the words alone, one text piece of the source after the other, for Sphinx's search (which
    indexed them so when each was a node of its own). Builders that do not write HTML get
    :func:`from_html` instead.
    """


def html_node(content: Iterable[Content], *, searched: bool = True) -> text_html:
    """Markup as the doctree holds it: one node of HTML, with its words for the search unless not ``searched``
    (then its elements are also marked ``data-pagefind-ignore``: the site's search leaves them out)."""
    content = list(content)
    if not searched:
        for item in content:
            if isinstance(item, markup.Tag):
                item.attrs["data-pagefind-ignore"] = "index"
    return text_html("", markup.words(content) if searched else "", html=markup.to_html(content))


class element(nodes.Inline, nodes.TextElement):  # noqa: N801
    """An HTML element kept as it is (``tag``, ``attrs``): markup in titles, and running text for
    builders that do not write HTML (which render its text)."""


def to_nodes(content: Iterable[Content]) -> list[nodes.Node]:
    """Markup as docutils nodes that keep every element as it is (for titles, whose text Sphinx reads)."""
    return [nodes.Text(item) if isinstance(item, str)
            else element("", "", *to_nodes(item.children), tag=item.name, attrs=dict(item.attrs))
            for item in content]


def from_html(html: str) -> list[nodes.Node]:
    """Running text written as HTML (a :class:`text_html`), as docutils nodes."""
    return _children(lxml_html.fragment_fromstring(html, create_parent="div", parser=_HTML_PARSER))


_HTML_PARSER = lxml_html.HTMLParser(no_network=True, remove_comments=True)


def _children(parent: etree._Element) -> list[nodes.Node]:
    out: list[nodes.Node] = [nodes.Text(parent.text)] if parent.text else []
    for child in parent:
        attrs = {("classes" if key == "class" else key): value for key, value in child.attrib.items()}
        inner = _children(child)
        if "tei-choice-reg" in attrs.get("classes", "").split():  # no switch on paper: the reading after the source's
            inner = [nodes.Text(" ["), *inner, nodes.Text("]")]
        if child.tag == "img":  # an image of the source: its description (a link to it is around it)
            out.append(nodes.inline("", attrs.get("alt", "")))
        elif child.tag == "p":  # a line of a surface (edition.doctree.surface)
            out.append(nodes.paragraph("", "", *inner, classes=attrs.get("classes", "").split()))
        elif child.tag == "div":  # a zone
            out.append(nodes.container("", *inner, classes=attrs.get("classes", "").split()))
        elif child.tag == "a" and "://" in attrs.get("href", ""):  # a link out of the site: LaTeX, linkcheck…
            out.append(nodes.reference("", "", *inner, refuri=attrs["href"]))
        else:
            out.append(element("", "", *inner, tag=child.tag, attrs=attrs))
        if child.tail:
            out.append(nodes.Text(child.tail))
    return out


class RunningTextAsNodes(SphinxPostTransform):
    """Builders that do not write HTML (LaTeX, text, linkcheck…) get the running text as nodes, before the
    other post-transforms (linkcheck's collector of links among them) look at the doctree."""

    default_priority = 5  # registered at ``builder-inited`` for builders that do not write HTML

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(text_html)):
            node.replace_self(from_html(node["html"]))


def visit_text_html(self: Any, node: text_html) -> None:
    self.body.append(resolve_links(node["html"], self.builder))
    raise nodes.SkipNode


def visit_element(self: Any, node: element) -> None:
    self.body.append(resolve_links(start_tag(node["tag"], node["attrs"]), self.builder))


def depart_element(self: Any, node: element) -> None:
    self.body.append(f"</{node['tag']}>")


def visit_time(self: Any, node: time) -> None:
    """A date of a register entry (dates of the texts are running text: :mod:`edition.core.markup`)."""
    attrs = {"datetime": node["datetime"]}
    if node.get("title"):
        attrs["title"] = node["title"]
    self.body.append(self.starttag(node, "time", "", **attrs))


def depart_time(self: Any, node: time) -> None:
    self.body.append("</time>")


def visit_language(self: Any, node: language) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="tei-lang", lang=node["lang"], dir=node["dir"]))


def depart_language(self: Any, node: language) -> None:
    self.body.append("</div>\n")


def visit_details(self: Any, node: details) -> None:
    attrs = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", "", **attrs))


def depart_details(self: Any, node: details) -> None:
    self.body.append("</details>\n")


def visit_summary(self: Any, node: summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary(self: Any, node: summary) -> None:
    self.body.append("</summary>\n")


def visit_note_list(self: Any, node: note_list) -> None:
    self.body.append(self.starttag(node, "ol", "", CLASS="tei-notes", **{"aria-label": "Notes"}))


def depart_note_list(self: Any, node: note_list) -> None:
    self.body.append("</ol>\n")


def visit_note_item(self: Any, node: note_item) -> None:
    self.body.append(self.starttag(node, "li", "", value=str(node["number"])))


def depart_note_item(self: Any, node: note_item) -> None:
    back = node["backref"]
    self.body.append(f'<a class="tei-backref" href="#{back}" role="doc-backlink" aria-label="back to the text">↩</a>')
    self.body.append("</li>\n")


def root_uri(builder: Any, docname: str, uri: str) -> str:
    """The address, from page ``docname``, of ``uri`` given relative to the root of the built site."""
    return relative_uri(builder.get_target_uri(docname), uri)


def visit_root_link(self: Any, node: root_link) -> None:
    attrs = {"href": root_uri(self.builder, self.builder.current_docname, node["uri"])}
    if node.get("download"):
        attrs["download"] = node["download"]
    if node.get("mimetype"):
        attrs["type"] = node["mimetype"]
    self.body.append(self.starttag(node, "a", "", **attrs))


def depart_root_link(self: Any, node: root_link) -> None:
    self.body.append("</a>")


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


#: visitor pairs for :meth:`sphinx.application.Sphinx.add_node`
class facs_paragraph(nodes.paragraph):  # noqa: N801
    """A paragraph with ``data-`` attributes (``node["data"]``: the zones of a page image it shows)."""


class facs_container(nodes.container):  # noqa: N801
    """A container (``div``) with ``data-`` attributes."""


class facs_section(nodes.section):  # noqa: N801
    """A section with ``data-`` attributes."""


def _as(base: str, *, data: bool) -> tuple[Any, Any]:
    """Visitors of a node that is written as its base node (``paragraph``…), with its ``data-`` attributes
    added to the start tag in HTML (``data``)."""

    def visit(self: Any, node: nodes.Element) -> None:
        before = len(self.body)
        getattr(self, f"visit_{base}")(node)
        attrs = node.get("data") or {}
        if data and attrs and len(self.body) > before and self.body[-1].startswith("<"):
            tag = self.body[-1]
            end = tag.rindex(">")
            written = "".join(f' {key}="{self.attval(value)}"' for key, value in sorted(attrs.items()))
            self.body[-1] = tag[:end] + written + tag[end:]

    def depart(self: Any, node: nodes.Element) -> None:
        getattr(self, f"depart_{base}")(node)

    return visit, depart


#: nodes written as their base node, with ``data-`` attributes in HTML
WITH_DATA = {facs_paragraph: "paragraph", facs_container: "container", facs_section: "section"}

HTML_VISITORS = {
    time: (visit_time, depart_time),
    note_list: (visit_note_list, depart_note_list),
    language: (visit_language, depart_language),
    note_item: (visit_note_item, depart_note_item),
    root_link: (visit_root_link, depart_root_link),
    details: (visit_details, depart_details),
    summary: (visit_summary, depart_summary),
    placeholder: (_skip, None),
    text_html: (visit_text_html, None),
    element: (visit_element, depart_element),
}
#: other builders render the text content only
SKIPPED_ELSEWHERE = (placeholder, text_html, summary)
FALLBACK_VISITORS = {node: ((_skip, None) if node in SKIPPED_ELSEWHERE else (_pass, _pass)) for node in HTML_VISITORS}
for _node_class, _base in WITH_DATA.items():
    HTML_VISITORS[_node_class] = _as(_base, data=True)
    FALLBACK_VISITORS[_node_class] = _as(_base, data=False)
