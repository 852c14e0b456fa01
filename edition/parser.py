"""A Sphinx parser that builds text, entry and index pages from the TEI sources.

It reads the stubs written by :mod:`edition.stubs`, in the manner of MyST-Parser:
a parser for a source that is not reStructuredText.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from docutils import nodes
from sphinx.environment import BuildEnvironment
from sphinx.parsers import Parser
from sphinx.util import logging

from . import book, pages
from .core.blocks import Block
from .core.entryview import entry_fields
from .core.kinds import EntryKind
from .core.languages import declared_language
from .core.pointers import prefixes_from_config
from .core.render import RenderedText, render_text
from .core.xinclude import load_tei, problem_at
from .core.xmlparse import Problem, XMLError
from .domain import EditionDomain
from .parts import placeholder_for
from .project import Edition, edition_of
from .publish.facsimiles import FacsimileRecord, image_fingerprint, images_url, manifest_name, manifest_url
from .stubs import read_stub

logger = logging.getLogger(__name__)


def report(problem: Problem) -> None:
    """A problem of the TEI as a Sphinx warning at ``file:line:col``, of type ``tei`` and its kind as the subtype
    (``tei.ref``, ``tei.date``…: what ``edition build`` groups by, and ``suppress_warnings`` names); notes as
    information."""
    location = f"{problem.path}:{problem.line}:{problem.col}"
    if problem.severity == "info":
        logger.info("%s: note: %s", location, problem.message)
    else:
        logger.warning(problem.message, location=location, type="tei", subtype=problem.kind)


class EditionParser(Parser):
    """Parse ``*.edition`` stubs into documents."""

    supported = ("tei-edition",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        document.settings.smart_quotes = False  # keep the source's quotation marks as they are
        fields = read_stub(inputstring)
        edition = edition_of(env)
        domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
        kind = fields.get("kind")
        if kind == "text":
            self._text(document, env, edition, domain)
        elif kind == "entry":
            self._entry(document, env, edition, domain, fields.get("id", ""))
        elif kind == "index" and fields.get("of") in edition.registry.kinds.by_name:
            kinds = edition.registry.kinds.by_name
            self._index(document, env, kinds[fields["of"]],
                        [kinds[k] for k in fields.get("kinds", "").split() if k in kinds])
        elif kind == "text-index":
            document += self._listing(env, "Texts", "The texts of the edition, in the order of the edition, with "
                                      "the number of names and dates in each.", "text-index")
            document[-1].extend(book.contents(env, "text"))
        else:
            logger.warning("unknown generated page %r; delete it and rebuild", env.docname,
                           location=env.docname, type="tei", subtype="stub")

    @staticmethod
    def _listing(env: BuildEnvironment, title: str, lead: str, kind: str) -> nodes.section:
        """A generated page listing what the whole edition holds (filled in at write time)."""
        ident = nodes.make_id(title)
        section = nodes.section("", nodes.title("", title), ids=[ident], names=[nodes.fully_normalize_name(title)])
        section += nodes.paragraph("", lead)
        section += placeholder_for(env, kind)
        return section

    @staticmethod
    def _orphan(document: nodes.document) -> None:
        """Mark the page as intentionally outside the toctree (like ``:orphan:``)."""
        document += nodes.docinfo("", nodes.field("", nodes.field_name("", "orphan"), nodes.field_body()))

    def _text(self, document: nodes.document, env, edition: Edition, domain: EditionDomain) -> None:
        text = edition.text_for(env.docname)
        if text is None:
            logger.warning("no TEI file for page %r", env.docname, location=env.docname, type="tei", subtype="stub")
            return
        env.note_dependency(str(text.path))  # the registers: see EditionDomain.texts_to_reread
        path = str(text.path)

        def found(problem: Problem) -> None:
            report(problem)
            domain.note_problem(env.docname, problem)  # replayed by later builds that skip this page

        problems: list[Problem] = []
        self._orphan(document)  # listed on texts/index, not in the toctree: the sidebar stays small
        try:
            tree = load_tei(text.path, edition.root, problems)
        except XMLError as exc:
            found(replace(exc.problem, kind="unreadable"))  # the rest of the site is built; the build fails
            section = nodes.section("", nodes.title("", text.path.name), ids=["text"])
            section += nodes.paragraph("", f"This text could not be read: {exc.problem}")
            document += section
            return
        for problem in problems:
            found(problem)
        rendered = render_text(tree, path, edition.registry, title=text.path.name, model=domain.model,
                               language=env.config.language or "en", texts=edition.text_names,
                               prefixes=prefixes_from_config(env.config.edition_prefixes), project=edition.root,
                               image_base=images_url(env.docname))
        for problem in rendered.problems:
            found(problem)
        manifest = self._facsimile(env.docname, rendered, tree, path, domain, found)
        document += pages.text_page(rendered, text, edition, manifest)
        document[-1] += placeholder_for(env, "text-nav")
        domain.note_text(env.docname, rendered.title or text.path.name, path, rendered.mentions, rendered.dates,
                         rendered.authors, declared_language(tree.getroot()) or env.config.language or "en")
        domain.note_pointers(env.docname, rendered.pointed | {image_fingerprint(path)
                                                              for path in rendered.facsimile.looked_for})
        domain.note_unidentified(env.docname, rendered.unidentified)

    @staticmethod
    def _facsimile(docname: str, rendered: RenderedText, tree, path: str, domain: EditionDomain,
                   found: Callable[[Problem], None]) -> str:
        """Record a text's page images; the address of its manifest from its page, ``""`` when it has none
        (no image, or one of unknown size: then a note, since the TEI is not wrong; the page shows the images)."""
        facsimile = rendered.facsimile
        if not facsimile.shown:
            return ""
        problem = facsimile.manifest_problem()
        if problem:
            found(problem_at(tree.getroot(), path, problem, "info", kind="image"))
        name = "" if problem else manifest_name(docname)
        domain.note_facsimile(FacsimileRecord(docname, rendered.title, tuple(facsimile.pages), name))
        return manifest_url(docname) if name else ""

    def _entry(self, document: nodes.document, env, edition: Edition, domain: EditionDomain, ident: str) -> None:
        entry = edition.registry.entries.get(ident)
        if entry is None:
            logger.warning("no entry %r in the registers", ident, location=env.docname, type="tei", subtype="stub")
            return
        self._orphan(document)
        kind = edition.registry.kinds.by_name.get(entry.kind)
        element = edition.register_element(entry) if kind is not None else None
        fields: list[tuple[str, list[Block]]] = []
        if kind is not None and element is not None:
            fields, problems = entry_fields(element, entry, kind, edition.registry, domain.model)
            for problem in problems:
                report(problem)
        document += pages.entry_page(entry, edition.registry, lambda kind, **a: placeholder_for(env, kind, **a),
                                     fields)
        domain.note_entry(env.docname, ident, kind=entry.kind, name=entry.name, sort_key=entry.sort_key,
                          lifespan=entry.lifespan, description=entry.description, variants=list(entry.variants))

    def _index(self, document: nodes.document, env, kind: EntryKind, kinds: list[EntryKind]) -> None:
        self._orphan(document)  # linked from the other indexes: a project need not list every kind in its toctree
        order = ", by surname," if kind.by_surname else ""
        document += self._listing(env, kind.index_title, f"All {kind.plural} of the registers{order} with the number "
                                  "of times the texts mention them.", f"{kind.name}-index")
        if len(kinds) > 1:
            document[-1].insert(1, pages.index_links(kinds, kind.name))
        document[-1].extend(book.contents(env, kind.name))
