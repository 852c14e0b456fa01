"""The edition as one document (LaTeX, Texinfo, EPUB): texts and entries in it; in LaTeX, notes as
footnotes and the names in the book's index.

A website lists its texts and register entries on generated index pages, outside the toctree, so that the
sidebar stays small. Builders that assemble one document from the toctree would leave them out: for them
the index pages also hold a hidden toctree of their texts or entries (:func:`contents`). The environment
records what each index page's toctree listed, and reads the page again when that is no longer what the
builder needs: a build of the other way, or texts and entries that came, went or moved (:func:`outdated`).
For LaTeX, a text's notes become footnotes at their markers, every name linked to an entry becomes an
entry of the book's index, and the reading key of the web page is left out (:class:`NotesAsFootnotes`,
:class:`NamesInIndex`, :class:`WebOnly`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import nodes as enodes
from .core.markup import DOC_LINK
from .project import TEXTS_DIR, edition_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import EditionDomain

#: builders that make one document by following the toctree from the root page
ASSEMBLING = frozenset({"latex", "texinfo", "epub"})
#: builders whose notes become footnotes and whose names go into the document's index (Texinfo cannot nest
#: footnotes, and its headings cannot hold index entries: it keeps the notes after each text)
PRINTED = frozenset({"latex"})


def _domain(env: BuildEnvironment) -> EditionDomain:
    return env.domains["tei"]  # type: ignore[return-value]


def _book_pages(env: BuildEnvironment, of: str) -> list[str]:
    """The pages the book has under an index page: the texts (``of="text"``) or the entries of a kind."""
    edition = edition_of(env)
    if of == "text":
        docnames = [text.docname for text in edition.texts]
    else:
        entries = sorted((e for e in edition.registry.entries.values()
                          if e.kind == of and edition.registry.is_published(e.id)),
                         key=lambda e: (e.sort_key.casefold(), e.id))
        docnames = [entry.docname for entry in entries]
    return [docname for docname in docnames if docname in env.found_docs]


def contents(env: BuildEnvironment, of: str) -> list[nodes.Node]:
    """For a builder that assembles one document: a hidden toctree of the texts (``of="text"``) or of the
    entries of a kind, for the index page being read; nothing for the others."""
    docnames = _book_pages(env, of) if _domain(env).assembling else []
    if not docnames:
        return []
    toctree = addnodes.toctree(parent=env.docname, entries=[(None, d) for d in docnames], includefiles=docnames,
                               maxdepth=-1, caption=None, glob=False, hidden=True, includehidden=False,
                               numbered=0, titlesonly=False)
    return [nodes.compound("", toctree, classes=["toctree-wrapper"])]


def index_pages(env: BuildEnvironment) -> dict[str, str]:
    """The generated index pages whose toctree depends on the builder, and what each lists."""
    pages = {f"{TEXTS_DIR}/index": "text"}
    pages.update((kind.index_docname, kind.name) for kind in edition_of(env).registry.kinds)
    return {docname: of for docname, of in pages.items() if docname in env.found_docs}


def outdated(env: BuildEnvironment) -> list[str]:
    """The index pages to read again (``env-get-outdated``): all of them when they were read for a builder of
    the other way; while assembling, those whose texts or entries came, went or moved."""
    domain = _domain(env)
    pages = index_pages(env)
    listed = {docname: _book_pages(env, of) if domain.assembling else [] for docname, of in pages.items()}
    before = domain.book_contents()
    domain.note_book_contents(listed)
    return sorted(docname for docname in pages if before.get(docname) != listed[docname])


def _documents(node: nodes.Element, docname: str) -> Iterator[tuple[nodes.Element, nodes.Element, str]]:
    """Every element of an assembled doctree with its parent and the page it came from, walked from the top
    (Sphinx moves each included page's nodes under a ``start_of_file`` without making it their parent)."""
    for child in node.children:
        if isinstance(child, nodes.Element):
            page = child["docname"] if isinstance(child, addnodes.start_of_file) else docname
            yield child, node, page
            yield from _documents(child, page)


class NotesAsFootnotes(SphinxPostTransform):
    """LaTeX: a text's notes as footnotes at their markers, instead of a list after the text."""

    default_priority = 6  # after the running text became nodes (RunningTextAsNodes), before Sphinx's footnotes
    builders = tuple(PRINTED)

    def run(self, **kwargs: Any) -> None:
        markers: dict[tuple[str, str], tuple[nodes.Element, nodes.Element]] = {}
        listings = []
        for node, parent, page in _documents(self.document, self.env.docname):
            if isinstance(node, enodes.element) and node["tag"] == "a" \
                    and "tei-noteref" in node["attrs"].get("classes", "").split():
                markers[page, node["attrs"].get("id", "")] = (node, parent)
            elif isinstance(node, enodes.note_list):
                listings.append((node, parent, page))
        for listing, parent, page in listings:
            footnotes, kept = [], []
            for item in listing.children:
                found = markers.get((page, item["backref"]))
                if found is None:  # a note whose marker is gone: it stays in the list after the text
                    kept.append(item)
                    continue
                marker, holder = found
                label, ident = str(item["number"]), f"{page}-{item['ids'][0]}"
                footnotes.append(nodes.footnote("", nodes.label("", label), *item.children, ids=[ident], auto=1,
                                                docname=page))
                reference = nodes.footnote_reference("", label, refid=ident, auto=1, docname=page)
                if isinstance(holder, enodes.element) and holder["tag"] == "sup" and len(holder.children) == 1:
                    holder.replace_self(reference)  # the marker's <sup>
                else:
                    holder.replace(marker, reference)
            position = parent.index(listing)
            for offset, footnote in enumerate(footnotes):  # anywhere: Sphinx moves each to its reference
                parent.insert(position + offset, footnote)
            listing.children = []
            listing.extend(kept)
            if not kept:
                heading = parent[position - 1] if position else None
                if isinstance(heading, nodes.rubric) and "tei-notes-heading" in heading["classes"]:
                    parent.remove(heading)
                parent.remove(listing)


class NamesInIndex(SphinxPostTransform):
    """LaTeX: every name linked to an entry is an entry of the book's index, under the entry's sort key
    (``Kamenev, Lev``), so that the index of the book gives the pages where each is named."""

    default_priority = 6
    builders = tuple(PRINTED)

    def run(self, **kwargs: Any) -> None:
        keys = {f"{DOC_LINK}{entry.docname}": entry.sort_key for entry in _domain(self.env).all_entries().values()}
        found = [(node, parent) for node, parent, _ in _documents(self.document, self.env.docname)
                 if isinstance(node, enodes.element) and node["tag"] == "a" and node["attrs"].get("href") in keys]
        for node, parent in found:
            inner = node.children[0] if node.children and isinstance(node.children[0], enodes.element) else None
            target = inner["attrs"].get("id", "") if inner is not None else ""
            entry = addnodes.index(entries=[("single", keys[node["attrs"]["href"]], target, "", None)])
            parent.insert(parent.index(node), entry)


class WebOnly(SphinxPostTransform):
    """LaTeX: what speaks of the web page only (the reading key: pointing, tabbing, the reading switch)."""

    default_priority = 6
    builders = tuple(PRINTED)

    def run(self, **kwargs: Any) -> None:
        for node, parent, _ in list(_documents(self.document, self.env.docname)):
            if isinstance(node, nodes.Element) and "edition-legend" in node["classes"]:  # a details now
                parent.remove(node)


def _builder_inited(app: Sphinx) -> None:
    _domain(app.env).assembling = app.builder.name in ASSEMBLING


def _env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                      removed: set[str]) -> list[str]:
    return outdated(env)


def setup(app: Sphinx) -> None:
    """Register the hidden toctrees' bookkeeping and LaTeX's footnotes and index."""
    app.connect("builder-inited", _builder_inited, priority=400)  # before the parser can run
    app.connect("env-get-outdated", _env_get_outdated)
    app.add_post_transform(NotesAsFootnotes)
    app.add_post_transform(NamesInIndex)
    app.add_post_transform(WebOnly)
