"""Page content: text pages, register entry pages, and the computed parts resolved at write time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri

from . import markup
from . import nodes as enodes
from .core.kinds import BY_NAME, KINDS, EntryKind
from .core.register import Entry, Named, Registry
from .core.xmlparse import XML_ID, normalize_space, tei
from .domain import EditionDomain, mentions_label
from .export import CORPUS_NAME, published_name
from .markup import Tag
from .project import TEXTS_DIR, Edition, TextSource, edition_of, file_digest
from .translate import Marks, TextTranslator

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: placeholder kinds of the indexes of entries (``person-index``, ``place-index``…)
INDEX_KINDS = {f"{kind.name}-index" for kind in KINDS}
#: computed content the search finds (its words go with its HTML node; the others have none): the name
#: forms, so that a search for a spelling finds the entry; not the snippets of mentions, the indexes or the
#: chronology, which repeat what the texts say (like Sphinx's general index, which is not searched either)
SEARCHED = {"entry-forms"}
CONTEXT_LABELS = {"text": "", "note": "in an editorial note", "reader": "in a reader's annotation",
                  "header": "in the metadata", "register": "in a register entry"}


def _field(name: str, *content: nodes.Node) -> nodes.field:
    body = nodes.field_body("", nodes.paragraph("", "", *content))
    return nodes.field("", nodes.field_name("", name), body)


def size_label(num: int) -> str:
    return f"{num / 1024:.0f} KB" if num >= 1024 else f"{num} bytes"


TEI_MIME = "application/tei+xml"


def published(name: str) -> str:
    """Where the site keeps its copy of the TEI file ``name``, from the site's root."""
    return f"tei/{published_name(name)}"


def download_link(name: str, label: str | None = None) -> enodes.root_link:
    """A link to the published copy of the TEI file ``name``."""
    return enodes.root_link("", label or name, uri=published(name), download=name, mimetype=TEI_MIME)


def text_page(translator: TextTranslator, text: TextSource, edition: Edition) -> nodes.section:
    """The page of a TEI text: title, metadata panel with downloads, the text, its notes."""
    root = translator.tree.getroot()
    header = root.find(tei("teiHeader"))
    title_el = None
    if header is not None:
        titles = header.findall(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}")
        title_el = next((t for t in titles if t.get("type") in (None, "main")), titles[0] if titles else None)
    title_text = normalize_space("".join(title_el.itertext())) if title_el is not None else text.path.name
    section = nodes.section("", ids=["text"], names=[nodes.fully_normalize_name(title_text)])
    section += nodes.title("", title_text)
    section += metadata_panel(translator, header, text, edition)
    body = translator.translate()
    key = reading_key(translator.marks, header)
    if key is not None:
        section += key
    section.extend(body)
    return section


def _responsible(header: Any, pointer: str) -> str:
    """The name behind a ``@resp`` pointer (``#reader`` → the respStmt's or person's name)."""
    ident = pointer.split()[0].lstrip("#") if pointer else ""
    if header is None or not ident:
        return ""
    for element in header.iter(tei("respStmt"), tei("person"), tei("editor")):
        if element.get(XML_ID) == ident:
            name = element.find(tei("name")) if element.tag == tei("respStmt") else element
            name = element.find(tei("persName")) if name is None else name
            return normalize_space("".join((name if name is not None else element).itertext()))
    return ""


def reading_key(marks: Marks, header: Any) -> nodes.container | None:
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
    for kind, resp in sorted(marks.inline_notes.items()):
        who = _responsible(header, resp)
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
    if not items:
        return None
    listing = nodes.bullet_list(classes=["edition-legend-items"])
    for item in items:
        listing += nodes.list_item("", nodes.paragraph("", "", *item))
    return nodes.container("", nodes.rubric("", "Reading key"), listing, classes=["edition-legend"])


def metadata_panel(translator: TextTranslator, header: Any, text: TextSource, edition: Edition) -> nodes.container:
    """Author, editors, source, licence and downloads of a text, from its ``teiHeader``."""
    fields = nodes.field_list(classes=["edition-meta-fields"])

    def inline_of(element: Any) -> list[nodes.Node]:
        holder = nodes.inline()
        translator.inline_block(element, holder, "header")
        return list(holder.children)

    if header is not None:
        file_desc = header.find(tei("fileDesc"))
        title_stmt = file_desc.find(tei("titleStmt")) if file_desc is not None else None
        if title_stmt is not None:
            for subtitle in title_stmt.findall(tei("title")):
                if subtitle.get("type") == "sub":
                    fields += _field("Subtitle", *inline_of(subtitle))
            authors = title_stmt.findall(tei("author"))
            if authors:
                content: list[nodes.Node] = []
                for index, author in enumerate(authors):
                    if index:
                        content.append(nodes.Text("; "))
                    content.extend(inline_of(author))
                fields += _field("Author" if len(authors) == 1 else "Authors", *content)
            for resp_stmt in title_stmt.findall(tei("respStmt")):
                resp = resp_stmt.find(tei("resp"))
                names = [n for n in resp_stmt if n.tag in (tei("name"), tei("persName"), tei("orgName"))]
                if resp is not None and names:
                    content = []
                    for name in names:
                        content.extend(inline_of(name))
                    label = normalize_space("".join(resp.itertext()))
                    fields += _field(label[:1].upper() + label[1:], *content)
        edition_el = header.find(f".//{tei('editionStmt')}/{tei('edition')}")
        if edition_el is not None:
            fields += _field("Edition", *inline_of(edition_el))
        source = header.find(f".//{tei('sourceDesc')}/{tei('bibl')}")
        if source is not None:
            fields += _field("Source", *[n for n in inline_of(_without_notes(source))])
        licence = header.find(f".//{tei('availability')}/{tei('licence')}")
        if licence is not None:
            fields += _field("Licence", *inline_of(licence))
    size = size_label(text.path.stat().st_size)
    links: list[nodes.Node] = [download_link(text.path.name, f"TEI XML ({text.path.name}, {size})")]
    for register in edition.registers:
        links += [nodes.Text(" · "), download_link(register.name, f"register ({register.name})")]
    fields += _field("Download", *links)
    return nodes.container("", fields, classes=["edition-meta"])


def _without_notes(element: Any) -> Any:
    from copy import deepcopy

    copy = deepcopy(element)
    for note in copy.findall(tei("note")):
        tail = note.tail
        parent = note.getparent()
        previous = note.getprevious()
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(note)
    return copy


def entry_page(entry: Entry, registry: Registry) -> nodes.section:
    """The page of a register entry, with the parts that depend on the texts left as placeholders."""
    anchor = BY_NAME[entry.kind].anchor(entry.id)
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
        label = "By" if entry.kind == "work" else "Located in"
        fields += _field(label, *enodes.joined([_named(place, registry) for place in entry.located], "; "))
    if entry.geo is not None:
        lat, lon = entry.geo
        fields += _field("Coordinates", nodes.reference(
            "", f"{lat:g}, {lon:g}", classes=["entry-map"], reftitle="show on OpenStreetMap",
            refuri=f"https://www.openstreetmap.org/?mlat={lat:g}&mlon={lon:g}#map=13/{lat:g}/{lon:g}"))
    fields += nodes.field("", nodes.field_name("", "Name forms in the texts"),
                          nodes.field_body("", enodes.placeholder(kind="entry-forms", entry=entry.id)))
    if entry.authorities:
        fields += _field("Authority files", *enodes.joined(
            [nodes.reference("", f"{a.label} {a.value}" if a.value != a.url else a.label, refuri=a.url,
                             reftitle=a.url, classes=["entry-authority"]) for a in entry.authorities], " · "))
    fields += _field("Register entry", nodes.literal("", f"{entry.id}"),
                     nodes.Text(" in "), download_link(Path(entry.path).name))
    section += fields
    mentions = nodes.section("", nodes.title("", "Mentions"), ids=["mentions"], names=["mentions"])
    mentions += enodes.placeholder(kind="entry-mentions", entry=entry.id)
    section += mentions
    return section


def _named(named: Named, registry: Registry) -> nodes.Node:
    """A place (or author) an entry names: a link when it is an entry of the registers too."""
    target = registry.entries.get(named.target) if named.target else None
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


def resolve_computed_content(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: fill in the placeholders with what the whole edition knows at write time."""
    ComputedContent(app.builder, doctree, docname).resolve()


class ComputedContent:
    """The content of placeholders: entry forms and mentions, indexes, chronology, text navigation.

    It is built after the post-transforms (at ``doctree-resolved``), with what the whole edition knows,
    as :mod:`edition.markup`: written straight to HTML by HTML builders (an entry page of a large edition
    lists thousands of mentions, which Sphinx's transforms and writer would otherwise walk node by node),
    turned into docutils nodes for the others.
    """

    def __init__(self, builder: Builder, document: nodes.document, docname: str) -> None:
        self.builder = builder
        self.env = builder.env
        self.config = builder.config
        self.document = document
        self.docname = docname
        self._uris: dict[str, str] = {}

    def resolve(self) -> None:
        domain: EditionDomain = self.env.domains["tei"]  # type: ignore[assignment]
        for node in list(self.document.findall(enodes.placeholder)):
            kind = node["kind"]
            method = self._entry_index if kind in INDEX_KINDS else getattr(self, f"_{kind.replace('-', '_')}")
            content = method(domain, node)
            if self.builder.format == "html":
                node.replace_self(enodes.html_node(content, searched=kind in SEARCHED))
            else:
                node.replace_self(markup.to_docutils(content))

    # -- helpers --------------------------------------------------------------------
    def _uri(self, docname: str, anchor: str = "") -> str | None:
        """The address of ``docname#anchor`` from this page (``#anchor`` on the page itself); ``None`` when
        the builder has no address for it (LaTeX: a page that is not part of the document)."""
        if docname == self.docname:
            return f"#{anchor}" if anchor else ""
        if docname not in self._uris:
            try:
                self._uris[docname] = self.builder.get_relative_uri(self.docname, docname)
            except NoUri:
                self._uris[docname] = None
        uri = self._uris[docname]
        return None if uri is None else uri + (f"#{anchor}" if anchor else "")

    def _link(self, docname: str, anchor: str, *children: markup.Content, title: str = "") -> markup.Tag:
        uri = self._uri(docname, anchor)
        return markup.Tag("span", *children) if uri is None else markup.link(uri, *children, title=title)

    def _text_title(self, domain: EditionDomain, docname: str) -> str:
        return domain.data["texts"].get(docname, {}).get("title", docname)

    # -- entry pages ----------------------------------------------------------------
    def _entry_forms(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        ident = node["entry"]
        counts = Counter(m.form for _, m in domain.mentions_of(ident) if not m.quoted)
        known = domain.data["entries"].get(ident, {}).get("variants", [])
        for variant in known:
            counts.setdefault(variant, 0)
        if not counts:
            return [Tag("p", "none: the texts do not name it", classes="entry-unmentioned")]
        items = Tag("ul", classes="entry-forms simple")
        for form, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            times = f"{count}×" if count else "listed in the register only"
            items.append(Tag("li", Tag("p", Tag("span", form, classes="entry-form"), f" ({times})")))
        return [items]

    def _entry_mentions(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        mentions = domain.mentions_of(node["entry"])
        kind = BY_NAME[domain.data["entries"].get(node["entry"], {}).get("kind", "person")]
        if not mentions:
            return [Tag("p", f"This {kind.singular} is not mentioned in the texts of the edition.")]
        out: list[markup.Content] = [Tag("p", f"{mentions_label(len(mentions))} in the texts of the edition.",
                                         classes="entry-count")]
        by_doc: dict[str, list[Any]] = {}
        for docname, mention in mentions:
            by_doc.setdefault(docname, []).append(mention)
        for docname, items in by_doc.items():
            out.append(Tag("p", self._link(docname, "", self._text_title(domain, docname)),
                           classes="entry-mentions-text rubric"))
            listing = Tag("ol", classes="simple entry-mentions")
            for mention in items:
                paragraph = Tag("p", Tag("span", mention.before, classes="snippet-before"),
                                self._link(docname, mention.anchor, Tag("strong", mention.form),
                                           title="go to this place in the text"),
                                Tag("span", mention.after, classes="snippet-after"))
                label = ", ".join(part for part in ("quoted" if mention.quoted else "",
                                                    CONTEXT_LABELS.get(mention.context, "")) if part)
                if label:
                    paragraph.append(Tag("span", f" ({label})", classes="mention-context"))
                listing.append(Tag("li", paragraph))
            out.append(listing)
        return out

    # -- texts ------------------------------------------------------------------------
    def _text_order(self) -> list[str]:
        return [text.docname for text in edition_of(self.env).texts]

    def _text_index(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        rows: list[list[markup.Content]] = []
        for docname in self._text_order():
            names, dates = len(domain.data["mentions"].get(docname, [])), len(domain.data["dates"].get(docname, []))
            rows.append([self._link(docname, "", self._text_title(domain, docname)), str(names), str(dates)])
        if not rows:
            return [Tag("p", "The edition has no texts yet.")]
        return [markup.table("edition-texts", {"Text": 70, "Names": 15, "Dates": 15}, rows)]

    def _text_nav(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        """Links to the previous and the next text, and to the list of texts."""
        order = self._text_order()
        here = order.index(self.docname) if self.docname in order else -1
        bar = Tag("p", classes="edition-text-nav")
        if here > 0:
            bar.append(self._link(order[here - 1], "", "← " + self._text_title(domain, order[here - 1]),
                                  title="previous text"), " · ")
        bar.append(self._link(f"{TEXTS_DIR}/index", "", "all texts"))
        if 0 <= here < len(order) - 1:
            bar.append(" · ", self._link(order[here + 1], "", self._text_title(domain, order[here + 1]) + " →",
                                         title="next text"))
        return [Tag("div", bar, classes="edition-text-nav docutils container")]

    # -- indexes of entries -----------------------------------------------------------
    def _entry_index(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        """An index of one kind of entry: letters, entries with counts and forms, names not identified."""
        kind = BY_NAME[node["kind"].removesuffix("-index")]
        groups = dict(domain.entries_by_initial(kind.name))
        letters: list[markup.Content] = []
        for letter in groups:
            letters += [" ", Tag("a", letter, classes="reference internal", href=f"#letter-{letter}")]
        out: list[markup.Content] = [Tag("p", *letters[1:], classes="entry-index-letters")]
        for letter, entries in groups.items():
            out.append(Tag("p", letter, id=f"letter-{letter}", classes="entry-index-letter rubric"))
            listing = Tag("ul", classes=f"entry-index entry-index-of-{kind.name} simple")
            for ident, entry in entries:
                mentions = domain.mentions_of(ident)
                paragraph = Tag("p", self._link(entry["docname"], "", entry["sort_key"]))
                if entry["lifespan"]:
                    paragraph.append(f" ({entry['lifespan']})")
                paragraph.append(Tag("span", f" {mentions_label(len(mentions))}", classes="entry-index-count"))
                written = [form for form in dict.fromkeys([*entry.get("variants", []),
                                                           *(m.form for _, m in mentions if not m.quoted)])
                           if form and form != entry["name"]]
                if written:
                    paragraph.append(Tag("span", " — also written: " + ", ".join(sorted(written)),
                                         classes="entry-index-forms"))
                if entry["description"]:
                    paragraph.append(Tag("span", " — " + entry["description"], classes="entry-index-descr"))
                listing.append(Tag("li", paragraph))
            out.append(listing)
        if not groups:
            out.append(Tag("p", f"The registers of the edition have no {kind.plural}."))
        unidentified = domain.unidentified_names(kind.name)
        if unidentified:
            out.append(Tag("p", "Names not identified", id="unidentified",
                           classes="entry-index-letter entry-index-unidentified rubric"))
            listing = Tag("ul", classes=f"entry-index entry-index-of-{kind.name} entry-index-unidentified simple")
            for docname, mention in unidentified:
                listing.append(Tag("li", Tag(
                    "p", self._link(docname, mention.anchor, mention.form, title="go to this place in the text"),
                    Tag("span", f" in {self._text_title(domain, docname)}: {mention.before}{mention.form}"
                                f"{mention.after}", classes="entry-index-descr"))))
            out.append(listing)
        return out

    # -- downloads ------------------------------------------------------------------
    def _downloads(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        """The TEI files of the edition with their sizes and SHA-256 checksums, and the corpus export."""
        edition = edition_of(self.env)
        rows: list[list[markup.Content]] = []
        files = [(text.path, "TEI text: " + text.path.name) for text in edition.texts]
        files += [(register, "register: " + register.name) for register in edition.registers]
        for path, label in files:
            rows.append([self._download(path.name, label), size_label(path.stat().st_size),
                         Tag("code", file_digest(path), classes="docutils literal notranslate")])
        rows.append([self._download(CORPUS_NAME, "the whole edition in one file (teiCorpus)"), "—",
                     "generated by each build"])
        return [markup.table("edition-downloads", {"File": 50, "Size": 15, "SHA-256": 35}, rows)]

    def _download(self, name: str, label: str) -> markup.Tag:
        """A link to the published copy of a TEI file, as :func:`download_link` makes it."""
        href = enodes.root_uri(self.builder, self.docname, published(name))
        return Tag("a", label, download=name, href=href, type=TEI_MIME)

    # -- chronology -----------------------------------------------------------------
    def _chronology(self, domain: EditionDomain, node: enodes.placeholder) -> list[markup.Content]:
        dates = domain.all_dates()
        if not dates:
            return [Tag("p", "The texts contain no dates.")]
        rows: list[list[markup.Content]] = []
        for docname, date in dates:
            normal = date.start + (f" – {date.end}" if date.end and date.end != date.start else "")
            where = CONTEXT_LABELS.get(date.context, "") or "in the text"
            rows.append([
                self._link(docname, date.anchor, Tag("time", normal, datetime=date.start),
                           title="go to this place in the text"),
                date.form + (" [year supplied]" if date.supplied else ""),
                Tag("span", date.before, Tag("strong", date.form), date.after),
                Tag("span", self._link(docname, "", self._text_title(domain, docname)), f", {where}"),
            ])
        return [markup.table("edition-chronology", {"Date": 14, "As written": 18, "Context": 56, "Where": 12}, rows)]
