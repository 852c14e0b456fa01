"""Directives for hand-written pages: chronology, indexes of persons (places…), downloads."""

from __future__ import annotations

from docutils import nodes
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from .domain import EditionDomain
from .nodes import placeholder


def computed_content(env: BuildEnvironment, kind: str) -> placeholder:
    """A placeholder for content computed at write time; the page is rewritten when it changes."""
    domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
    domain.note_computed_page(env.docname, kind)
    return placeholder(kind=kind)


class ComputedContent(SphinxDirective):
    """Base for directives whose content is computed from the whole edition at write time."""

    kind = ""

    def run(self) -> list[nodes.Node]:
        return [computed_content(self.env, self.kind)]


class ChronologyDirective(ComputedContent):
    """Every dated expression of the texts, in time order, linked to its place."""

    kind = "chronology"


class EntryIndexDirective(SphinxDirective):
    """The entries of one kind (``person-index``: persons by surname; ``place-index``…), with mention counts."""

    def run(self) -> list[nodes.Node]:
        return [computed_content(self.env, self.name)]  # the directive's name is the kind of index


class DownloadsDirective(ComputedContent):
    """A table of the TEI files of the edition with sizes and checksums (rewritten when a file changes)."""

    kind = "downloads"
