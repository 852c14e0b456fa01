"""Page content: text pages, register entry pages, and the computed parts resolved at write time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from . import nodes as enodes
from .core.blocks import Block, words_of
from .core.facsimile import page_data, script_json
from .core.kinds import EntryKind
from .core.register import Entry, Named, Registry
from .core.render import Marks, RenderedText
from .doctree import notes, to_doctree
from .parts.downloads import size_label
from .project import Edition, TextSource
from .publish.export import TEI_MIME, published
from .publish.facsimiles import images_url


def _field(name: str, *content: nodes.Node) -> nodes.field:
    body = nodes.field_body("", nodes.paragraph("", "", *content))
    return nodes.field("", nodes.field_name("", name), body)


def download_link(name: str, label: str | None = None) -> enodes.root_link:
    """A link to the published copy of the TEI file ``name``."""
    return enodes.root_link("", label or name, uri=published(name), download=name, mimetype=TEI_MIME)


def text_page(text: RenderedText, source: TextSource, edition: Edition, manifest: str = "") -> nodes.section:
    """The page of a TEI text: title, metadata panel with downloads (and its IIIF ``manifest``), reading key,
    the data of its page images, the text, its notes."""
    section = nodes.section("", ids=["text"], names=[nodes.fully_normalize_name(text.title)])
    section += nodes.title("", text.title)
    section += metadata_panel(text)
    section += downloads_line(source, edition, manifest)
    key = reading_key(text.marks)
    if key is not None:
        section += key
    if text.facsimile.shown:  # the reading view's data (edition/core/facsimile.py, page_data)
        data = script_json(page_data(text.facsimile, manifest, images_url(source.docname)))
        section += nodes.raw("", f'<script type="application/json" class="tei-facsimile-data">{data}</script>\n',
                             format="html")
    section.extend(to_doctree(text.body))
    section.extend(notes(text.notes))
    return section


def reading_key(marks: Marks) -> enodes.details | None:
    """A legend of the marks this text uses (only those the rules that fired in it made), above the text."""
    items: list[list[nodes.Node]] = []
    if marks.names:
        items.append([nodes.inline("", "Names", classes=["tei-name"]),
                      nodes.Text(" are linked to the register; names not identified are underlined with dashes.")])
    if marks.dates:
        items.append([nodes.inline("", "Dates", classes=["edition-legend-date"]),
                      nodes.Text(" show their normalised value when you point at them or tab to them.")])
    if marks.numbered_notes:
        items.append([nodes.superscript("", "1", classes=["edition-legend-noteref"]),
                      nodes.Text(" Numbered notes: select the number to read the note in place (Escape closes "
                                 "it); all notes are also listed after the text.")])
    for kind, who in sorted(marks.inline_notes.items()):
        items.append([nodes.inline("", "(a remark)", classes=["tei-note", f"tei-note-{kind}"]),
                      nodes.Text(f" An annotation in the running text, of type “{kind}”"
                                 + (f", by {who}" if who else "") + ": part of the transcription, not of "
                                 "the source's own text.")])
    if marks.choices:
        items.append([nodes.inline("", "Wavy underlines", classes=["tei-choice-pair"]),
                      nodes.Text(" mark the source's spelling; point at them for the editors' reading, or switch "
                                 "to the corrected reading with the button below.")])
    if marks.page_breaks:
        items.append([nodes.inline("", "", classes=["tei-pb"]), nodes.Text(" marks a page break of the source.")])
    if marks.milestones:
        items.append([nodes.inline("", "¦ section", classes=["edition-legend-milestone"]),
                      nodes.Text(" marks where a section of the source begins (a column, an entry…: it says "
                                 "which).")])
    items += transcription_key(marks)
    if not items:
        return None
    listing = nodes.bullet_list(classes=["edition-legend-items"])
    for item in items:
        listing += nodes.list_item("", nodes.paragraph("", "", *item))
    return enodes.details("", enodes.summary("", "Reading key"), listing, classes=["edition-legend"])


#: the marks of a transcription of the source (``mark`` of the rules): a sample, its classes, what it means
TRANSCRIPTION_KEY: dict[str, tuple[str, list[str], str]] = {
    "deletion": ("Struck through", ["tei-del"], ": deleted in the source (a deletion across lines is struck through "
                 "from its start to its end); the corrected reading leaves it out."),
    "restoration": ("Dotted", ["tei-restore", "tei-del"], ": a deletion cancelled in the source (restored)."),
    "retracing": ("Bold", ["tei-retrace"], ": written over again (retraced)."),
    "metamark": ("^", ["tei-metamark"], " A sign of the writer's (an insertion mark, a cross…): point at it for what "
                 "it does."),
    "damage": ("Shaded", ["tei-damage"], ": damaged in the source (point at it for how)."),
    "unclear": ("Unclear", ["tei-unclear"], ": a reading that is not certain."),
    "gap": ("[…]", ["tei-gap"], " Text not transcribed (point at it for how much and why)."),
}
#: where additions stand, as the reading key says it
PLACEMENT_KEY = {"above": "raised: above the line", "below": "lowered: below the line", "inline": "on the line",
                 "margin": "boxed: in the margin"}


def transcription_key(marks: Marks) -> list[list[nodes.Node]]:
    """The reading key's entries for a transcription of the source: surfaces, additions, deletions, hands…"""
    items: list[list[nodes.Node]] = []
    if marks.surfaces:
        items.append([nodes.strong("", "Diplomatic transcription"), nodes.Text(
            ": each surface of the source (a page, a leaf) line by line, with its image beside it where there is "
            "room" + ("; what is written in a margin stands beside the line it belongs to." if marks.margins
                      else "."))])
    if "addition" in marks.transcription:
        places = [PLACEMENT_KEY[place] for place in marks.placements if place in PLACEMENT_KEY]
        items.append([nodes.inline("", "Dotted underline", classes=["tei-add"]), nodes.Text(
            ": added in the source" + (f" ({'; '.join(places)})." if places else "."))])
    for mark, (sample, classes, meaning) in TRANSCRIPTION_KEY.items():
        if mark in marks.transcription:
            items.append([nodes.inline("", sample, classes=classes), nodes.Text(meaning)])
    if marks.hands:
        hands = [nodes.inline("", name, classes=classes.split()) if classes
                 else nodes.inline("", f"{name} (the main hand, plain)") for name, classes in marks.hands.values()]
        items.append([nodes.Text("Hands: "), *enodes.joined(hands, " · "),
                      nodes.Text(". Each hand in its own colour; its name marks where it takes over.")])
    return items


def metadata_panel(text: RenderedText) -> enodes.details:
    """What the text's ``teiHeader`` says (every field of :mod:`edition.core.header`), folded under "About
    this text" so that the text starts on the first screen; open when the text has no words of its own
    (a manuscript's catalogue record is all header)."""
    fields = nodes.field_list(classes=["edition-meta-fields"])
    for label, blocks in text.fields:
        fields += nodes.field("", nodes.field_name("", label), nodes.field_body("", *to_doctree(blocks)))
    summary = enodes.summary("", "About this text")
    if text.authors:
        summary += nodes.inline("", f": {'; '.join(text.authors)}", classes=["edition-meta-authors"])
    panel = enodes.details("", summary, classes=["edition-meta"], open=not words_of(text.body))
    if text.fields:
        panel += fields
    else:
        panel += nodes.paragraph("", "The TEI header of this text says nothing more than its title.")
    return panel


def downloads_line(source: TextSource, edition: Edition, manifest: str = "") -> nodes.paragraph:
    """The TEI of the text and the registers, for download (always in view, under the text's title), and the
    IIIF manifest of its page images."""
    size = size_label(source.path.stat().st_size)
    links: list[nodes.Node] = [download_link(source.path.name, f"TEI XML ({source.path.name}, {size})")]
    for register in edition.registers:
        links += [nodes.Text(" · "), download_link(register.name, f"register ({register.name})")]
    if manifest:
        links += [nodes.Text(" · "), nodes.reference("", "IIIF manifest", refuri=manifest, classes=["edition-manifest"],
                                                     reftitle="the page images: open in any IIIF viewer"),
                  nodes.Text(" (open in any IIIF viewer)")]
    return nodes.paragraph("", "", nodes.Text("Download: "), *links, classes=["edition-downloads-line"])


def entry_page(entry: Entry, registry: Registry, part: Callable[..., nodes.Node],
               more: Sequence[tuple[str, list[Block]]] = ()) -> nodes.section:
    """The page of a register entry; ``part(kind, entry=…)`` gives the placeholders of the parts that depend
    on the texts (:mod:`edition.parts`); ``more`` are the fields of all else the entry says
    (:func:`~edition.core.entryview.entry_fields`)."""
    anchor = registry.kinds.by_name[entry.kind].anchor(entry.id)
    section = nodes.section("", ids=[anchor], names=[nodes.fully_normalize_name(entry.name)],
                            classes=["edition-entry", f"edition-{entry.kind}"])
    section += nodes.title("", entry.name)
    section += addnodes.index(entries=[("single", entry.sort_key, anchor, "", None)])
    life = []
    for label, date in (("born", entry.birth), ("died", entry.death)):
        if date is not None:
            inner: nodes.Node = nodes.Text(date.text)
            if date.when:
                inner = enodes.time("", date.text, datetime=date.when, title=date.when)
            life.append(nodes.inline("", "", nodes.Text(f"{label} "), inner, classes=[f"entry-{label}"]))
    if life:
        section += nodes.paragraph("", "", *enodes.joined(life, ", "), classes=["entry-dates"])
    if entry.description:
        section += nodes.paragraph("", entry.description, classes=["entry-description"])
    fields = nodes.field_list(classes=["entry-fields", "compact"])  # compact, as if the forms were nodes
    if entry.located:
        label = "By" if registry.kinds.by_name[entry.kind].bibliographic else "Located in"
        fields += _field(label, *enodes.joined([_named(place, registry) for place in entry.located], "; "))
    if entry.geo is not None:
        lat, lon = entry.geo
        fields += _field("Coordinates", nodes.reference(
            "", f"{lat:g}, {lon:g}", classes=["entry-map"], reftitle="show on OpenStreetMap",
            refuri=f"https://www.openstreetmap.org/?mlat={lat:g}&mlon={lon:g}#map=13/{lat:g}/{lon:g}"))
    for label, blocks in more:
        fields += nodes.field("", nodes.field_name("", label), nodes.field_body("", *to_doctree(blocks)))
    fields += nodes.field("", nodes.field_name("", "Name forms in the texts"),
                          nodes.field_body("", part("entry-forms", entry=entry.id)))
    if entry.authorities:
        fields += _field("Authority files", *enodes.joined(
            [nodes.reference("", f"{a.label} {a.value}" if a.value != a.url else a.label, refuri=a.url,
                             reftitle=a.url, classes=["entry-authority"]) for a in entry.authorities], " · "))
    fields += _field("Register entry", nodes.literal("", f"{entry.id}"),
                     nodes.Text(" in "), download_link(Path(entry.path).name))
    section += fields
    mentions = nodes.section("", nodes.title("", "Mentions"), ids=["mentions"], names=["mentions"])
    mentions += part("entry-mentions", entry=entry.id)
    section += mentions
    return section


def _named(named: Named, registry: Registry) -> nodes.Node:
    """A place (or author) an entry names: a link when it is an entry of the registers too."""
    target = registry.entries.get(named.target) if named.target and registry.is_published(named.target) else None
    if target is None:
        return nodes.Text(named.label)
    return addnodes.pending_xref("", nodes.inline("", named.label), refdomain="tei", reftype=target.kind,
                                 reftarget=target.id, refexplicit=True)


def index_links(kinds: list[EntryKind], current: str) -> nodes.paragraph:
    """Links between the indexes of the edition (persons, places, …), the current one not linked."""
    links: list[nodes.Node] = []
    for kind in kinds:
        if kind.name == current:
            links.append(nodes.strong("", kind.index_title))
        else:
            links.append(addnodes.pending_xref("", nodes.inline("", kind.index_title), refdomain="std",
                                               reftype="doc", reftarget=f"/{kind.index_docname}", refexplicit=True))
    return nodes.paragraph("", "", nodes.Text("Registers: "), *enodes.joined(links, " · "),
                           classes=["entry-index-kinds"])
