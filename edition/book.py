"""The edition as one document (LaTeX, Texinfo, EPUB): texts and entries in it, notes as
footnotes, the names in the book's index.

A website lists its texts and register entries on generated index pages, outside the toctree, so that the
sidebar stays small. Builders that assemble one document from the toctree would leave them out: for them
the index pages also hold a hidden toctree of their texts or entries (:func:`contents`). The environment
records which way the index pages were read, and reads them again when a build of the other way uses it
(:func:`outdated`). For LaTeX, a text's notes become footnotes at their markers and every name linked to
an entry becomes an entry of the book's index (:class:`NotesAsFootnotes`, :class:`NamesInIndex`).
"""

from __future__ import annotations

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
#: builders whose notes become footnotes and whose names go into an index of the document
PRINTED = frozenset({"latex", "texinfo"})


def assembles(builder_name: str) -> bool:
    """Whether the builder called ``builder_name`` makes one document from the toctree."""
    return builder_name in ASSEMBLING


def _domain(env: BuildEnvironment) -> EditionDomain:
    return env.domains["tei"]  # type: ignore[return-value]


def contents(env: BuildEnvironment, of: str) -> list[nodes.Node]:
    """For a builder that assembles one document: a hidden toctree of the texts (``of="text"``) or of the
    entries of a kind, for the index page being read; nothing for the others."""
    if not _domain(env).assembling:
        return []
    edition = edition_of(env)
    if of == "text":
        docnames = [text.docname for text in edition.texts]
    else:
        entries = sorted((e for e in edition.registry.entries.values() if e.kind == of),
                         key=lambda e: (e.sort_key.casefold(), e.id))
        docnames = [entry.docname for entry in entries]
    docnames = [docname for docname in docnames if docname in env.found_docs]
    if not docnames:
        return []
    toctree = addnodes.toctree(parent=env.docname, entries=[(None, d) for d in docnames], includefiles=docnames,
                               maxdepth=-1, caption=None, glob=False, hidden=True, includehidden=False,
                               numbered=0, titlesonly=False)
    return [nodes.compound("", toctree, classes=["toctree-wrapper"])]


def index_pages(env: BuildEnvironment) -> list[str]:
    """The generated pages whose toctree depends on the builder: the list of texts and the indexes."""
    candidates = [f"{TEXTS_DIR}/index", *(kind.index_docname for kind in edition_of(env).registry.kinds)]
    return [docname for docname in candidates if docname in env.found_docs]


def outdated(env: BuildEnvironment) -> list[str]:
    """The index pages to read again because they were read for a builder of the other way (``env-get-outdated``)."""
    domain = _domain(env)
    if domain.read_assembling() == domain.assembling:
        return []
    domain.note_read_assembling(domain.assembling)
    return index_pages(env)


def _note_scope(node: nodes.Node) -> str:
    """The document a node of an assembled doctree came from (notes are numbered per text)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, addnodes.start_of_file):
        parent = parent.parent
    return parent["docname"] if parent is not None else ""


class NotesAsFootnotes(SphinxPostTransform):
    """LaTeX, Texinfo: a text's notes as footnotes at their markers, instead of a list after the text."""

    default_priority = 6  # after the running text became nodes (RunningTextAsNodes), before Sphinx's footnotes
    builders = tuple(PRINTED)

    def run(self, **kwargs: Any) -> None:
        markers = {(_note_scope(node), node["attrs"].get("id")): node for node in self.document.findall(enodes.element)
                   if node["tag"] == "a" and "tei-noteref" in node["attrs"].get("classes", "").split()}
        for listing in list(self.document.findall(enodes.note_list)):
            scope = _note_scope(listing)
            footnotes = []
            for item in listing.children:
                marker = markers.get((scope, item["backref"]))
                if marker is None:
                    continue
                label = str(item["number"])
                ident = f"{scope}-{item['ids'][0]}"
                footnote = nodes.footnote("", nodes.label("", label), *item.children, ids=[ident], auto=1,
                                          docname=scope)
                reference = nodes.footnote_reference("", label, refid=ident, auto=1, docname=scope)
                sup = marker.parent
                (sup if isinstance(sup, enodes.element) and sup["tag"] == "sup" else marker).replace_self(reference)
                footnotes.append(footnote)
            heading = listing.previous_sibling()
            if isinstance(heading, nodes.rubric) and "tei-notes-heading" in heading["classes"]:
                heading.parent.remove(heading)
            listing.replace_self(footnotes)


class NamesInIndex(SphinxPostTransform):
    """LaTeX, Texinfo: every name linked to an entry is an entry of the book's index, under the entry's
    sort key (``Kamenev, Lev``), so that the index of the book gives the pages where each is named."""

    default_priority = 6
    builders = tuple(PRINTED)

    def run(self, **kwargs: Any) -> None:
        keys = {f"{DOC_LINK}{entry.docname}": entry.sort_key for entry in _domain(self.env).all_entries().values()}
        for node in list(self.document.findall(enodes.element)):
            key = keys.get(node["attrs"].get("href", "")) if node["tag"] == "a" else None
            if key:
                target = node["attrs"].get("id", "")
                node.parent.insert(node.parent.index(node), addnodes.index(entries=[("single", key, target, "",
                                                                                       None)]))


def _builder_inited(app: Sphinx) -> None:
    _domain(app.env).assembling = assembles(app.builder.name)


def _env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                      removed: set[str]) -> list[str]:
    return outdated(env)


def setup(app: Sphinx) -> None:
    """Register the hidden toctrees' bookkeeping and LaTeX's footnotes and index."""
    app.connect("builder-inited", _builder_inited, priority=400)  # before the parser can run
    app.connect("env-get-outdated", _env_get_outdated)
    app.add_post_transform(NotesAsFootnotes)
    app.add_post_transform(NamesInIndex)
