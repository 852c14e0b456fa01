"""The generated parts of pages, one home each: what a part shows, what that depends on, how it is rendered
and its directive. A new kind is one module here and one line in :data:`PARTS`.

A page holds a part as a :class:`~edition.nodes.placeholder` (put there by the parser, or by the part's
directive on a hand-written page), which is filled in after the post-transforms, when the page is written,
with what the whole edition knows (:func:`fill`): as HTML for HTML builders (an entry page of a large
edition lists thousands of mentions, which Sphinx's transforms and writer would otherwise walk node by
node), as docutils nodes for the others. A page is written again whenever the inputs of one of its parts
changed (:func:`outdated`): Sphinx does not know these dependencies, so the fingerprints are kept in the
domain (pickled with the environment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import nodes as enodes
from ..core.kinds import LIBRARY_KINDS
from ..domain import EditionDomain
from ..project import Edition
from . import chronology
from .base import Inputs, Page, Part, digest
from .chronology import Chronology
from .downloads import Downloads
from .entries import EntryForms, EntryMentions
from .indexes import KindIndex
from .texts import TextIndex, TextNavigation

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: every kind of generated part
PARTS: dict[str, Part] = {part.kind: part for part in (
    EntryForms(), EntryMentions(), *(KindIndex(kind.name) for kind in LIBRARY_KINDS), Chronology(), TextIndex(),
    TextNavigation(), Downloads(),
)}


def register(part: Part, app: Sphinx | None = None) -> None:
    """Add a kind of generated part, and with ``app`` its directive (an extension calls it in ``setup``).
    Registering the same part again (a second build in one process) changes nothing."""
    if part.kind in PARTS and type(PARTS[part.kind]) is not type(part):
        raise ValueError(f"a generated part {part.kind!r} exists already ({type(PARTS[part.kind]).__name__})")
    PARTS[part.kind] = part
    if app is not None and part.directive:
        app.add_directive(part.directive, directive_for(part), override=True)


def placeholder_for(env: BuildEnvironment, kind: str, **attributes: str) -> enodes.placeholder:
    """A part of kind ``kind`` on the page being read: filled in when it is written, written again when
    the part's inputs change."""
    if kind not in PARTS:
        raise KeyError(f"no generated part {kind!r}")
    domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
    domain.note_computed_page(env.docname, kind)
    return enodes.placeholder(kind=kind, **attributes)


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: fill in the page's parts with what the whole edition knows."""
    page = Page(app.builder, docname)
    for node in list(doctree.findall(enodes.placeholder)):
        part = PARTS[node["kind"]]
        content = part.render(page, node)
        if app.builder.format == "html":
            node.replace_self(enodes.html_node(content, searched=part.searched))
        else:
            node.replace_self(enodes.to_docutils(content))


def outdated(domain: EditionDomain, edition: Edition, files: list[tuple[str, tuple[int, int]]],
             builder: Builder | None = None) -> list[str]:
    """The pages some part of which shows something else than when the page was last written (by
    ``builder``)."""
    inputs = Inputs(domain, edition, files, builder)
    written = domain.fingerprints()
    current = {docname: digest([(kind, PARTS[kind].inputs(inputs, docname)) for kind in sorted(kinds)])
               for docname, kinds in domain.parts_of_pages().items() if all(kind in PARTS for kind in kinds)}
    domain.note_fingerprints(current)
    return sorted(docname for docname, fingerprint in current.items() if written.get(docname) != fingerprint)


def directive_for(part: Part) -> type[SphinxDirective]:
    """The directive that puts ``part`` on a hand-written page (``chronology``, ``person-index``…)."""

    class PartDirective(SphinxDirective):
        __doc__ = type(part).__doc__

        def run(self) -> list[nodes.Node]:
            return [placeholder_for(self.env, part.kind)]

    PartDirective.__name__ = f"{type(part).__name__}Directive"
    return PartDirective


def setup(app: Sphinx) -> None:
    """The parts' directives, and their filling in when pages are written."""
    for part in PARTS.values():
        if part.directive:
            app.add_directive(part.directive, directive_for(part))
    app.connect("doctree-resolved", fill)
    chronology.setup(app)  # its setting, and its pages of a year


__all__ = ["PARTS", "Inputs", "KindIndex", "Page", "Part", "fill", "outdated", "placeholder_for", "register", "setup"]
