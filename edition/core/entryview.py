"""All a register entry says, for its page: the parts its page does not show by themselves.

An entry's page shows its names, its dates of birth and death, its description, its place and its authority
records (:class:`~edition.core.register.Entry`). Everything else of the entry (the notes of other types, a
bibliography, an occupation, an affiliation, a figure, an identifier of no known authority…) is shown as
labelled fields, rendered as a header's are (:class:`~edition.core.header.HeaderView`): nothing the register
says is lost.
"""

from __future__ import annotations

from lxml import etree

from .blocks import Block
from .classes import local_name
from .kinds import EntryKind
from .model import LIBRARY_MODEL, ProcessingModel
from .register import Entry, Registry, description_of
from .xmlparse import Problem, tei


def shown_by_the_page(element: etree._Element, entry: Entry, kind: EntryKind) -> list[etree._Element]:
    """The children of the entry's element its page shows by themselves: names, birth and death, the
    description, the location, and the identifiers that are authority records."""
    shown = [child for child in element if isinstance(child.tag, str) and local_name(child) in kind.entry_names]
    for name in ("birth", "death"):
        shown += element.findall(tei(name))[:1]
    description = description_of(element)
    if description is not None:
        shown.append(description)
    if entry.located or entry.geo is not None:
        shown += element.findall(tei("location"))
    authorities = {value for record in entry.authorities for value in (record.value, record.url)}
    shown += [idno for idno in element.findall(tei("idno")) if " ".join((idno.text or "").split()) in authorities]
    return shown


def entry_fields(element: etree._Element, entry: Entry, kind: EntryKind, registry: Registry,
                 model: ProcessingModel = LIBRARY_MODEL) -> tuple[list[tuple[str, list[Block]]], list[Problem]]:
    """The fields of what the entry ``element`` says besides what its page shows by itself, and the problems
    met rendering them (a name pointing nowhere…). A bibliographic entry is its whole reference already."""
    from .header import HeaderView  # the header's fields render with the text renderer, as this does
    from .render import TextRenderer

    if kind.bibliographic:
        return [], []
    renderer = TextRenderer(element.getroottree(), entry.path, registry, model)
    fields = HeaderView(renderer, element, {}).fields_of(element, shown_by_the_page(element, entry, kind), "register")
    return fields, renderer.problems
