"""“How to cite” on every page, and the same citation as metadata that Zotero reads.

Zotero's embedded-metadata translator reads Highwire Press ``citation_*`` and Dublin Core
``DC.*`` meta tags; both are written into the page head. The stable URL is
``html_baseurl`` + the page; without ``html_baseurl`` the box shows the address the page is
read at (filled in by ``edition.js``) and no URL goes into the metadata.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..domain import EditionDomain


def _page_title(doctree: nodes.document | None, context: dict[str, Any]) -> str:
    title = doctree.next_node(nodes.title) if doctree is not None else None
    if title is not None:
        return title.astext()
    return unescape(re.sub(r"<[^>]+>", "", context.get("title") or ""))


def citation(app: Sphinx, pagename: str, doctree: nodes.document | None, context: dict[str, Any]) -> dict[str, Any]:
    """The parts of the citation of a page: authors, editors, title, edition, version, date, URL."""
    config = app.config
    domain: EditionDomain = app.env.domains["tei"]  # type: ignore[assignment]
    text = domain.text(pagename)
    editors = [config.author] if config.author else []
    authors = list(text.authors) if text is not None else []
    url = ""
    if config.html_baseurl:
        url = config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
    return {
        "authors": authors or editors,
        "editors": editors if authors else [],
        "title": _page_title(doctree, context),
        "edition": config.project,
        "version": config.release or config.version,
        "date": config.edition_published,
        "url": url,
        "language": config.language or "",
    }


def cite_box(parts: dict[str, Any], pagename: str, relative_url: str) -> str:
    """The HTML of the “How to cite this page” box."""
    pieces = []
    if parts["authors"]:
        pieces.append(escape("; ".join(parts["authors"])) + ".")
    pieces.append(f"“{escape(parts['title'])}.”")
    editors = f"edited by {escape('; '.join(parts['editors']))}" if parts["editors"] else ""
    if parts["title"] != parts["edition"]:
        pieces.append(f"In <cite>{escape(parts['edition'])}</cite>" + (f", {editors}" if editors else "") + ".")
    elif editors:
        pieces.append(editors[0].upper() + editors[1:] + ".")
    edition = []
    if parts["version"]:
        edition.append(f"Version {escape(parts['version'])}")
    if parts["date"]:
        edition.append(escape(parts["date"]))
    if edition:
        pieces.append(", ".join(edition) + ".")
    url = escape(parts["url"] or relative_url)
    live = "" if parts["url"] else ' data-edition-here=""'
    pieces.append(f'<a class="edition-cite-url" href="{url}"{live}>{url}</a>')
    return (
        '<aside class="edition-cite" aria-labelledby="edition-cite-title">'
        '<p class="edition-cite-title" id="edition-cite-title">How to cite this page</p>'
        f'<p class="edition-cite-text">{" ".join(pieces)}</p></aside>'
    )


def meta_tags(parts: dict[str, Any]) -> str:
    """Highwire Press and Dublin Core tags for reference managers (Zotero, Mendeley, …)."""
    tags = [("citation_title", parts["title"])]
    tags += [("citation_author", author) for author in parts["authors"]]
    if parts["title"] != parts["edition"]:
        tags.append(("citation_book_title", parts["edition"]))
    if parts["date"]:
        tags.append(("citation_publication_date", parts["date"].replace("-", "/")))
    if parts["url"]:
        tags.append(("citation_public_url", parts["url"]))
    if parts["language"]:
        tags.append(("citation_language", parts["language"]))
    tags += [("DC.title", parts["title"]), ("DC.type", "Text")]
    tags += [("DC.creator", author) for author in parts["authors"]]
    tags += [("DC.contributor", editor) for editor in parts["editors"]]
    tags += [("DC.publisher", parts["edition"])]
    if parts["date"]:
        tags.append(("DC.date", parts["date"]))
    if parts["url"]:
        tags.append(("DC.identifier", parts["url"]))
    if parts["version"]:
        tags.append(("DC.relation.isVersionOf", f"{parts['edition']}, version {parts['version']}"))
    return "".join(f'<meta name="{name}" content="{escape(value, quote=True)}" />\n' for name, value in tags)


def add_citation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: nodes.document | None) -> None:
    """``html-page-context``: the cite box under the page body and the metadata in its head."""
    if doctree is None or "body" not in context:
        return  # generated pages (search, general index) are not cited
    parts = citation(app, pagename, doctree, context)
    relative = app.builder.get_target_uri(pagename).split("/")[-1]
    context["body"] += cite_box(parts, pagename, relative)
    context["metatags"] = context.get("metatags", "") + meta_tags(parts)
