"""The index of one kind of entry (persons, places, organisations, works): letters, entries with their
counts and forms, and the names no register identifies."""

from __future__ import annotations

from typing import Any

from ..core import markup
from ..core.kinds import EntryKind
from ..core.markup import Tag
from ..domain import mentions_label
from ..nodes import placeholder
from ..project import edition_of
from .base import Inputs, Page, Part


class KindIndex(Part):
    """``person-index`` (``place-index``…): on the generated index pages, and as a directive. The kind is
    the edition's (``edition_kinds`` may replace a library kind's words or folder): read when rendered."""

    def __init__(self, name: str) -> None:
        self.entry_kind = name
        self.kind = self.directive = f"{name}-index"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        domain = inputs.domain
        present = sorted({entry.kind for entry in domain.all_entries().values()})  # the indexes link each other
        # what the index shows of each entry, in its order (an edit near a name does not make the index again)
        entries = [(ident, inputs.index_row(ident)) for ident, _entry in domain.sorted_entries(self.entry_kind)]
        unidentified = [(d, inputs.title.get(d), vars(m)) for d, m in domain.unidentified_names(self.entry_kind)]
        registry = inputs.edition.registry
        return [present, entries, unidentified, registry.kinds.by_name.get(self.entry_kind),
                registry.count(self.entry_kind)]

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        kind, domain = edition_of(page.env).registry.kinds.by_name[self.entry_kind], page.domain
        groups = dict(domain.entries_by_initial(kind.name))
        letters: list[markup.Content] = []
        for letter in groups:
            letters += [" ", Tag("a", letter, classes="reference internal", href=f"#letter-{letter}")]
        out: list[markup.Content] = [Tag("p", *letters[1:], classes="entry-index-letters")]
        for letter, entries in groups.items():
            out.append(Tag("p", letter, id=f"letter-{letter}", classes="entry-index-letter rubric"))
            listing = Tag("ul", classes=f"entry-index entry-index-of-{kind.name} simple", **_words(kind))
            for ident, entry in entries:
                paragraph = Tag("p", page.link(entry.docname, "", entry.sort_key))
                if entry.lifespan:
                    paragraph.append(f" ({entry.lifespan})")
                paragraph.append(Tag("span", f" {mentions_label(domain.mention_count(ident))}",
                                     classes="entry-index-count"))
                written = [form for form in {*entry.variants, *domain.forms_of(ident)} if form and form != entry.name]
                if written:
                    paragraph.append(Tag("span", " — also written: " + ", ".join(sorted(written)),
                                         classes="entry-index-forms"))
                if entry.description:
                    paragraph.append(Tag("span", " — " + entry.description, classes="entry-index-descr"))
                listing.append(Tag("li", paragraph))
            out.append(listing)
        if not groups:
            registered = edition_of(page.env).registry.count(kind.name)
            out.append(Tag("p", f"The texts name none of the {registered} {kind.plural} of the registers (they are "
                                "in the register files, under Downloads)." if registered else
                                f"The registers of the edition have no {kind.plural}."))
        unidentified = domain.unidentified_names(kind.name)
        if unidentified:
            out.append(Tag("p", "Names not identified", id="unidentified",
                           classes="entry-index-letter entry-index-unidentified rubric"))
            listing = Tag("ul", classes=f"entry-index entry-index-of-{kind.name} entry-index-unidentified simple",
                          **_words(kind))
            for docname, mention in unidentified:
                listing.append(Tag("li", Tag(
                    "p", page.link(docname, mention.anchor, mention.form, title="go to this place in the text"),
                    Tag("span", f" in {page.text_title(docname)}: {mention.before}{mention.form}"
                                f"{mention.after}", classes="entry-index-descr"))))
            out.append(listing)
        return out


def _words(kind: EntryKind) -> dict[str, str]:
    """What the index's filter calls one entry and several (``edition.js``)."""
    return {"data-singular": kind.singular, "data-plural": kind.plural}
