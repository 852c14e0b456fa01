"""The parts of an entry's page computed from the texts: the forms of its name and every mention of it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..core import markup
from ..core.markup import Tag
from ..domain import mentions_label
from ..nodes import placeholder
from ..project import edition_of
from .base import CONTEXT_LABELS, Inputs, Page, Part


class EntryForms(Part):
    """How the texts write the entry's name, with counts (and the register's variants): searched, so that
    a spelling finds its entry."""

    kind = "entry-forms"
    searched = True

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        return inputs.entry_digest(docname)

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        ident = node["entry"]
        counts = Counter(m.form for _, m in page.domain.mentions_of(ident) if not m.quoted)
        record = page.domain.entry(ident)
        for variant in record.variants if record is not None else ():
            counts.setdefault(variant, 0)
        if not counts:
            return [Tag("p", "none: the texts do not name it", classes="entry-unmentioned")]
        items = Tag("ul", classes="entry-forms simple")
        for form, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            times = f"{count}×" if count else "listed in the register only"
            items.append(Tag("li", Tag("p", Tag("span", form, classes="entry-form"), f" ({times})")))
        return [items]


class EntryMentions(Part):
    """Every place the texts name the entry, by text, each with its words around it, linked to the place."""

    kind = "entry-mentions"

    def inputs(self, inputs: Inputs, docname: str) -> Any:
        return inputs.entry_digest(docname)

    def render(self, page: Page, node: placeholder) -> list[markup.Content]:
        mentions = page.domain.mentions_of(node["entry"])
        record = page.domain.entry(node["entry"])
        kinds = edition_of(page.env).registry.kinds
        kind = kinds.by_name.get(record.kind, kinds.default) if record is not None else kinds.default
        if not mentions:
            return [Tag("p", f"This {kind.singular} is not mentioned in the texts of the edition.")]
        out: list[markup.Content] = [Tag("p", f"{mentions_label(len(mentions))} in the texts of the edition.",
                                         classes="entry-count")]
        by_doc: dict[str, list[Any]] = {}
        for docname, mention in mentions:
            by_doc.setdefault(docname, []).append(mention)
        for docname, items in by_doc.items():
            out.append(Tag("p", page.link(docname, "", page.text_title(docname)),
                           classes="entry-mentions-text rubric"))
            listing = Tag("ol", classes="simple entry-mentions")
            for mention in items:
                paragraph = Tag("p", Tag("span", mention.before, classes="snippet-before"),
                                page.link(docname, mention.anchor, Tag("strong", mention.form),
                                          title="go to this place in the text"),
                                Tag("span", mention.after, classes="snippet-after"))
                label = ", ".join(part for part in ("quoted" if mention.quoted else "",
                                                    CONTEXT_LABELS.get(mention.context, "")) if part)
                if label:
                    paragraph.append(Tag("span", f" ({label})", classes="mention-context"))
                listing.append(Tag("li", paragraph))
            out.append(listing)
        return out
