"""What a text's ``teiHeader`` tells its reader: every part of it as labelled fields.

Nothing of the header is lost. Each element is shown under a label (:data:`LABELS`, or its name in
words) in the form its content asks for: paragraphs stay paragraphs; a record (an identifier, a
bibliographic reference, a date and place of origin) becomes one line, its parts separated by commas;
a structured description (``msDesc``, ``physDesc``, ``editorialDecl``) becomes fields inside the field.
Some parts get a form of their own: the correspondence (who sent the letter where and when, linked to
the registers and the chronology; the previous and next letters linked when the edition has them), the
revisions, the classification. What only instructs software (:data:`MACHINE_ONLY`) is not shown.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from copy import deepcopy
from typing import TYPE_CHECKING

from lxml import etree

from .blocks import Block, Fields, ItemList, Paragraph
from .classes import local_name as _local
from .dates import readable_date
from .markup import DOC_LINK, Tag, has_words
from .model import CONTENT_BLOCKS
from .pointers import pointed_file
from .register import entry_link
from .xmlparse import TEI_NS, XML_ID, ElementView, normalize_space, tei

if TYPE_CHECKING:
    from .blocks import Inline
    from .render import TextRenderer

#: parts of the header that instruct software rather than tell a reader, and why they are not shown
MACHINE_ONLY: dict[str, str] = {
    "tagsDecl": "how elements are rendered: the build applies it",
    "listPrefixDef": "how pointers are expanded: the build applies it",
    "prefixDef": "how pointers are expanded: the build applies it",
    "classDecl": "the taxonomies that classifications point into: shown where a text is classified",
    "appInfo": "the software that made the file",
    "schemaRef": "the schema the file is checked against",
    "schemaSpec": "a schema specification",
    "refsDecl": "how canonical references are resolved",
    "styleDefDecl": "the language of the rendition styles",
    "rendition": "a rendition style: the build applies it",
    "variantEncoding": "how the apparatus is encoded",
    "charDecl": "declarations of non-standard characters: the text shows the characters",
    "geoDecl": "the notation of coordinates",
    "unitDecl": "definitions of units of measurement",
    "namespace": "how elements of other vocabularies are used",
    "xenoData": "metadata in another vocabulary, for machines",
    "metDecl": "the notation of metrical patterns",
}

#: containers whose parts are shown as fields of their own, without a field for the container
TRANSPARENT = frozenset({"teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "profileDesc",
                         "encodingDesc", "availability", "textClass", "revisionDesc", "listChange",
                         "editionStmt"})

#: containers shown as fields inside their field even when each of their parts is one line
STRUCTURES = frozenset({"correspDesc", "correspContext", "msDesc", "msPart", "msFrag", "msContents", "physDesc",
                        "objectDesc", "history", "additional", "adminInfo", "editorialDecl", "handDesc", "decoDesc",
                        "bindingDesc", "sealDesc", "notesStmt", "particDesc", "settingDesc", "listWit", "witness",
                        "custodialHist", "surrogates", "projectDesc", "seriesStmt"})
#: children shown as blocks, as in the text
BLOCKS = frozenset({"p", "ab", "list", "table", "lg", "figure", "listPerson", "listPlace", "listOrg", "listEvent",
                    "listNym", "listRelation", "div"})

#: the label of each element's field (else its name in words: ``recordHist`` → "Record hist")
LABELS: dict[str, str] = {
    "author": "Author", "editor": "Editor", "funder": "Funder", "sponsor": "Sponsor", "principal": "Principal",
    "meeting": "Meeting", "edition": "Edition", "editionStmt": "Edition", "extent": "Extent",
    "publisher": "Publisher", "distributor": "Distributor", "authority": "Published by", "pubPlace": "Place",
    "date": "Date", "licence": "Licence", "address": "Address", "seriesStmt": "Series", "notesStmt": "Notes",
    "bibl": "Source", "biblStruct": "Source", "biblFull": "Source", "listBibl": "Sources", "listWit": "Witnesses",
    "witness": "Witness", "msDesc": "Manuscript", "msPart": "Part", "msFrag": "Fragment",
    "msIdentifier": "Identifier", "altIdentifier": "Other identifier", "msName": "Name", "msContents": "Contents",
    "msItem": "Item", "msItemStruct": "Item", "summary": "Summary", "textLang": "Language", "incipit": "Incipit",
    "explicit": "Explicit", "rubric": "Rubric", "finalRubric": "Final rubric", "colophon": "Colophon",
    "locus": "Folios", "locusGrp": "Folios", "filiation": "Filiation", "physDesc": "Physical description",
    "objectDesc": "Object", "supportDesc": "Support", "support": "Material", "collation": "Collation",
    "foliation": "Foliation", "condition": "Condition", "layoutDesc": "Layout", "layout": "Layout",
    "handDesc": "Hands", "handNote": "Hand", "handNotes": "Hands", "scriptDesc": "Script", "scriptNote": "Script",
    "decoDesc": "Decoration", "decoNote": "Decoration", "musicNotation": "Music notation",
    "additions": "Additions", "bindingDesc": "Binding", "binding": "Binding", "sealDesc": "Seals", "seal": "Seal",
    "accMat": "Accompanying material", "history": "History", "origin": "Origin", "origDate": "Date",
    "origPlace": "Place", "provenance": "Provenance", "acquisition": "Acquisition", "additional": "Additional",
    "adminInfo": "Administrative information", "recordHist": "Record history", "source": "Source",
    "availability": "Availability", "custodialHist": "Custodial history", "custEvent": "Event",
    "surrogates": "Surrogates", "listChange": "Revisions", "change": "Revision", "projectDesc": "About the project",
    "samplingDecl": "Sampling", "editorialDecl": "Editorial principles", "correction": "Correction",
    "normalization": "Normalisation", "quotation": "Quotation", "hyphenation": "Hyphenation",
    "segmentation": "Segmentation", "interpretation": "Interpretation", "punctuation": "Punctuation",
    "stdVals": "Standard values", "abstract": "Abstract", "creation": "Created", "langUsage": "Languages",
    "language": "Language", "keywords": "Keywords", "classCode": "Classification", "catRef": "Classification",
    "correspDesc": "Correspondence", "correspContext": "Context", "particDesc": "Participants",
    "settingDesc": "Setting", "textDesc": "Text", "calendarDesc": "Calendars", "listTranspose": "Transpositions",
    "recordingStmt": "Recording", "scriptStmt": "Script", "p": "", "ab": "", "note": "Note", "idno": "Identifier",
    "title": "Title", "term": "Keyword", "country": "Country", "region": "Region", "settlement": "Place",
    "institution": "Institution", "repository": "Repository", "collection": "Collection", "dimensions": "Dimensions",
    "measure": "Measure", "material": "Material", "objectType": "Object type", "incident": "Incident",
    "desc": "Description", "respStmt": "Responsibility", "docAuthor": "Author", "head": "",
    "publicationStmt": "Publication", "sourceDesc": "Source", "profileDesc": "Profile", "encodingDesc": "Encoding",
    "fileDesc": "File", "textClass": "Classification", "revisionDesc": "Revisions", "titleStmt": "Title",
    "ref": "Link", "ptr": "Link", "correspAction": "Correspondence",
}

#: several of a label in a row become one field, under this label
PLURALS = {"Author": "Authors", "Editor": "Editors", "Funder": "Funders", "Sponsor": "Sponsors", "Place": "Places",
           "Revision": "Revisions", "Witness": "Witnesses", "Keyword": "Keywords", "Language": "Languages",
           "Source": "Sources", "Note": "Notes", "Part": "Parts", "Item": "Items", "Classification": "Classification"}

#: labels whose fields in a row keep their paragraphs (others of one line each become one line, separated by
#: semicolons: "Authors: Herzl, Theodor; Schnitzler, Arthur")
PARAGRAPHS = frozenset({"Revision", "Note", "Part", "Item", "Witness", "Source", "Incident"})

#: elements whose parts, side by side without punctuation, are joined with a space rather than a comma
_NAMES = frozenset({"persName", "placeName", "orgName", "name", "forename", "surname", "roleName", "addName",
                    "genName", "nameLink", "geogName", "term"})
#: attributes that point somewhere (not shown as words of an empty element)
_POINTERS = frozenset({"ref", "target", "corresp", "ana", "facs", "source", "sameAs", "key", "resp", "who", "hand",
                       "scribeRef", "scriptRef", "synch", "next", "prev", "copyOf", "exclude", "select", "decls",
                       "type", "subtype", "n", "rend", "rendition", "style", "status", "cert", "evidence", "change"})


def humanise(name: str) -> str:
    """An element's or value's name in words: ``recordHist`` → "Record hist", ``previous_letter`` →
    "Previous letter"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    spaced = normalize_space(spaced).lower()
    return spaced[:1].upper() + spaced[1:]


def _elements(element: etree._Element) -> Iterator[etree._Element]:
    return (child for child in element if isinstance(child.tag, str))


def _has_text(element: etree._Element) -> bool:
    """Whether the element holds words of its own, beside its children (mixed content)."""
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def main_title(header: etree._Element | None) -> etree._Element | None:
    """The title of the text among the ``titleStmt``'s: ``@type="main"``, else the title of the text itself
    (``@level`` a or m), else one of no type and level, else the first."""
    if header is None:
        return None
    titles = header.findall(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}")
    for test in (lambda t: t.get("type") == "main",
                 lambda t: t.get("type") is None and t.get("level") in ("a", "m"),
                 lambda t: t.get("type") is None and t.get("level") is None,
                 lambda t: t.get("type") is None):
        found = next((t for t in titles if test(t)), None)
        if found is not None:
            return found
    return titles[0] if titles else None


def title_of(header: etree._Element | None) -> str | None:
    """The main title of a text as plain text; None when the header has no title."""
    title = main_title(header)
    return normalize_space("".join(title.itertext())) if title is not None else None


def responsible(header: etree._Element | None, pointer: str) -> str:
    """The name behind a ``@resp`` or ``@who`` pointer (``#reader`` → the respStmt's or person's name)."""
    ident = pointer.split()[0].lstrip("#") if pointer else ""
    if header is None or not ident:
        return ""
    for element in header.iter(tei("respStmt"), tei("person"), tei("editor"), tei("author")):
        if element.get(XML_ID) == ident:
            name = element.find(tei("name")) if element.tag == tei("respStmt") else element
            name = element.find(tei("persName")) if name is None else name
            return normalize_space("".join((name if name is not None else element).itertext()))
    return ""


class HeaderView:
    """The fields of one header, rendered with the text's renderer (names linked, dates normalised).

    ``texts`` names the edition's texts (a file's name or stem → its page): the previous and next letters
    of a ``correspContext`` link to them. Every ``text:<name>`` looked up is added to the renderer's
    ``pointed``, so a text is read again when a text it names comes or goes.
    """

    def __init__(self, renderer: TextRenderer, header: etree._Element, texts: Mapping[str, str]) -> None:
        self.renderer = renderer
        self.header = header
        self.texts = texts
        self._title = main_title(header)
        self._categories = {c.get(XML_ID): c for c in header.iter(tei("category")) if c.get(XML_ID)}

    def fields(self) -> list[tuple[str, list[Block]]]:
        """The header's fields in document order (the main title is the page's title, not a field)."""
        with self.renderer.gathering("header"):
            return _merged(self._parts(self.header))

    def fields_of(self, element: etree._Element, leave_out: Collection[etree._Element] = (),
                  kind: str = "header") -> list[tuple[str, list[Block]]]:
        """The fields of ``element``'s children but those in ``leave_out`` (shown otherwise), their running
        text gathered as context ``kind``: what a register entry says besides its names and dates."""
        with self.renderer.gathering(kind):
            return _merged(self._parts(element, leave_out))

    # -- walking -------------------------------------------------------------------------
    def _parts(self, element: etree._Element,
               leave_out: Collection[etree._Element] = ()) -> list[tuple[str, list[Block]]]:
        """The fields of a container's children (those of transparent children in their place)."""
        found: list[tuple[str, list[Block]]] = []
        for child in _elements(element):
            name = _local(child)
            if child is self._title or name in MACHINE_ONLY or not child.tag.startswith(f"{{{TEI_NS}}}") \
                    or child in leave_out:
                continue
            if name in TRANSPARENT and not _has_text(child):
                found += self._parts(child)
                continue
            blocks = self.describe(child)
            if blocks:
                found.append((self.label(child, element), blocks))
        return found

    def describe(self, element: etree._Element) -> list[Block]:
        """The blocks that show ``element``: its own form, one line, or fields (with its paragraphs, lists
        and tables rendered as the text's are, in their place)."""
        special = getattr(self, f"_describe_{_local(element)}", None)
        if special is not None:
            return special(element)
        if self.renderer.model.match(element).behaviour == "register":
            return self._register(element)
        if self._is_line(element):
            return self._paragraphs(element)
        out: list[Block] = []
        fields: list[tuple[str, list[Block]]] = []
        for child in _elements(element):
            if _local(child) in MACHINE_ONLY:
                continue
            if self._is_block(child) and self.renderer.model.match(child).behaviour != "register":
                if fields:
                    out.append(Fields(_merged(fields), [f"tei-{_local(element)}"]))
                    fields = []
                out += self.renderer.blocks(ElementView(element, [child]))  # type: ignore[arg-type]
            elif child is not self._title and (blocks := self.describe(child)):
                fields.append((self.label(child, element), blocks))
        if fields:
            out.append(Fields(_merged(fields), [f"tei-{_local(element)}"]))
        return out

    def _register(self, element: etree._Element) -> list[Block]:
        """A register in the header (the persons of a ``particDesc``, the places of a ``settingDesc``): each
        entry by its name, linked to its page, where all it says is shown. The header's entries are not
        mentions: the text does not name them there."""
        registry = self.renderer.registry
        items: list[list[Block]] = []
        for entry_element in element.iter(*(tei(name) for name in self.renderer.register_entries)):
            ident = registry.by_file.get((pointed_file(self.renderer.path, ""), entry_element.get(XML_ID) or ""), "")
            entry = registry.entries.get(ident)
            if entry is not None and registry.is_published(ident):
                items.append([Paragraph([entry_link(entry, Tag("span", entry.name))])])
            elif entry is not None:
                items.append([Paragraph([entry.name])])
            elif has_words(line := self.line(entry_element)):  # of no kind the edition has: its words, as they are
                items.append([Paragraph(line)])
        return [ItemList(items, ["tei-register"])] if items else []

    def _is_block(self, child: etree._Element) -> bool:
        """A paragraph, list, table or register of entries: rendered as the text's are."""
        name = _local(child)
        return name in BLOCKS or (name not in LABELS and self.renderer.model.match(child).behaviour in CONTENT_BLOCKS)

    def _holds_blocks(self, element: etree._Element) -> bool:
        return any(self._is_block(child) for child in _elements(element))

    def _is_line(self, element: etree._Element) -> bool:
        """Whether ``element`` reads as one line: words with elements among them, or parts that are each
        one line (an identifier, a reference, a name)."""
        if _has_text(element) or _local(element) in _NAMES:
            return True
        if _local(element) in STRUCTURES:
            return False
        children = [c for c in _elements(element) if _local(c) != "note"]
        return all(not any(True for _ in _elements(c)) or self._is_line(c) for c in children) \
            and not any(self._holds_blocks(c) for c in children)

    def _paragraphs(self, element: etree._Element) -> list[Block]:
        """One paragraph of the element as a line, and one for each of its notes (after it: the header's
        notes are not numbered with the text's)."""
        content = self.line(element)
        out: list[Block] = [Paragraph(content)] if has_words(content) else []
        for note in element.iter(tei("note")):
            inside = next(note.iterancestors(tei("note")), None)
            if note is not element and (inside is None or inside is element or inside in element.iterancestors()):
                out += self.describe(note)  # a note's own notes come with it, once
        return out

    def line(self, element: etree._Element) -> Inline:
        """The element as one line of inline content."""
        if _local(element) == "note":  # a note of the header: its words (not a numbered note of the text)
            return self.renderer.inline_content(_without(element, {"note"}))
        target: Inline = []
        with self.renderer.running_text():
            self._line(element, target)
        if target and isinstance(target[0], str):
            target[0] = target[0].lstrip()
        if target and isinstance(target[-1], str):
            target[-1] = target[-1].rstrip()
        return [item for item in target if item != ""]

    def _line(self, element: etree._Element, target: Inline) -> None:
        name = _local(element)
        children = [c for c in _elements(element) if _local(c) not in MACHINE_ONLY]
        if name == "note":
            return  # shown after the line (see _paragraphs)
        if not children and not (element.text or "").strip():
            target.extend(self._attribute_words(element))
            return
        if _has_text(element) or name in _NAMES or not children:
            renderer = self.renderer
            renderer.inline(_without(element, {"note"}) if element.find(f".//{tei('note')}") is not None else element,
                            target)
            return
        special = getattr(self, f"_line_{name}", None)
        if special is not None:
            special(element, target)
            return
        self._joined(children, target, ", ")

    def _joined(self, children: list[etree._Element], target: Inline, separator: str) -> None:
        first = True
        for child in children:
            piece: Inline = []
            position = self.renderer.gathered_length()
            self._line(child, piece)
            if not has_words(piece):
                continue
            if not first:
                target.append(separator)
                self.renderer.insert_words(position, separator)
            target.extend(piece)
            first = False

    def _attribute_words(self, element: etree._Element) -> Inline:
        """What an empty element says by its attributes alone (``<measure quantity="2" unit="leaves"/>``)."""
        if _local(element) in ("date", "origDate", "time") or element.get("when"):
            target: Inline = []
            self.renderer.inline(element, target)
            return target
        if element.get("quantity"):
            return [normalize_space(f"{element.get('quantity')} {element.get('unit') or ''}")]
        shown = [f"{humanise(etree.QName(name).localname).lower()} {value}" for name, value in element.attrib.items()
                 if etree.QName(name).localname not in _POINTERS and not etree.QName(name).namespace
                 and normalize_space(value)]
        return ["; ".join(shown)] if shown else []

    # -- labels --------------------------------------------------------------------------
    def label(self, element: etree._Element, parent: etree._Element) -> str:
        """The field's label: its ``@type`` where that says more (an ``idno``, a ``note``, a title)."""
        name = _local(element)
        kind = element.get("type")
        if name == "respStmt":  # what they did: "Proofing, encoding"
            text = ", ".join(normalize_space("".join(resp.itertext())) for resp in element.findall(tei("resp")))
            return (text[:1].upper() + text[1:]) if text.strip(", ") else "Responsibility"
        if name == "title":
            return {"sub": "Subtitle"}.get(kind or "", "Series" if element.get("level") in ("s", "j") else
                                           "Title" + (f" ({humanise(kind).lower()})" if kind else ""))
        if name in ("idno", "note", "correspAction", "incident", "witness") and kind:
            return humanise(kind)
        if name in ("p", "ab", "head"):  # a paragraph of a publicationStmt, a sourceDesc: labelled as it
            return LABELS.get(_local(parent)) or humanise(_local(parent))
        if name in ("ref", "ptr") and _local(parent) == "correspContext":
            return _neighbour_label(element)
        if name in ("msPart", "msFrag"):  # each part apart: "Part 2"
            number = element.get("n") or str(1 + sum(1 for s in element.itersiblings(element.tag, preceding=True)))
            return f"{LABELS[name]} {number}"
        return LABELS.get(name) or humanise(name)

    # -- parts with a form of their own ------------------------------------------------------
    def _describe_respStmt(self, element: etree._Element) -> list[Block]:  # noqa: N802 - TEI's name
        names = [c for c in _elements(element) if _local(c) != "resp"]  # the resps are the label
        target: Inline = []
        with self.renderer.running_text():
            self._joined(names, target, ", ")
        return [Paragraph(target)] if has_words(target) else []

    def _line_respStmt(self, element: etree._Element, target: Inline) -> None:  # noqa: N802
        resps = element.findall(tei("resp"))
        self._joined(resps, target, ", ")
        if resps:
            target.append(": ")
            self.renderer.add_words(": ")
        self._joined([c for c in _elements(element) if _local(c) != "resp"], target, ", ")

    def _describe_correspAction(self, element: etree._Element) -> list[Block]:  # noqa: N802
        """Who sent (received…) the letter, where and when: names linked to the registers, the date in
        the chronology (as the letter's date of sending or receipt)."""
        kind = {"sent": "sent", "received": "received"}.get(element.get("type") or "", "correspondence")
        with self.renderer.gathering(kind):
            target = self.line(element)
        return [Paragraph(target)] if has_words(target) else []

    def _describe_ref(self, element: etree._Element) -> list[Block]:
        """A pointer of the header (``correspContext``'s previous and next letters): linked to the text
        when the edition has it, else shown as it is written."""
        parent = element.getparent()
        if parent is None or _local(parent) != "correspContext":
            return self._paragraphs(element)
        content = self.renderer.inline_content(element)
        target = (element.get("target") or "").split()
        name = target[0].rpartition("/")[2].removeprefix("#") if target else ""
        if name and not name.startswith(("http:", "https:")):
            self.renderer.pointed.add(f"text:{name}")
            page = self.texts.get(name) or self.texts.get(name.rpartition(".")[0])
            if page is not None:
                shown = content if has_words(content) else [name]
                return [Paragraph([Tag("a", *shown, classes="reference internal", href=f"{DOC_LINK}{page}")])]
        if not has_words(content) and name:
            content = [name]
        return [Paragraph(content)] if has_words(content) else []

    def _describe_change(self, element: etree._Element) -> list[Block]:
        """A revision: its date and who made it, then what was changed."""
        blocks = self.renderer.blocks(element) if self._holds_blocks(element) else self._paragraphs(element)
        when = element.get("when") or element.get("notAfter") or ""
        who = ", ".join(filter(None, (responsible(self.header, p) or p.lstrip("#")
                                      for p in (element.get("who") or "").split())))
        lead = ", ".join(filter(None, (readable_date(when) if when else "", who)))
        if lead and blocks and isinstance(blocks[0], Paragraph):
            blocks[0].content[:0] = [Tag("span", lead + ": ", classes="edition-change-lead")]
        elif lead:
            blocks.insert(0, Paragraph([lead]))
        return blocks

    def _describe_catRef(self, element: etree._Element) -> list[Block]:  # noqa: N802
        """A classification: the categories it points at, by their descriptions."""
        shown = []
        for pointer in (element.get("target") or "").split():
            category = self._categories.get(pointer.removeprefix("#"))
            described = category.find(f".//{tei('catDesc')}") if category is not None else None
            shown.append(normalize_space("".join(described.itertext())) if described is not None
                         else pointer.removeprefix("#"))
        return [Paragraph(["; ".join(shown)])] if shown else []

    def _describe_listBibl(self, element: etree._Element) -> list[Block]:  # noqa: N802
        items = [self.describe(child) for child in _elements(element) if _local(child) not in ("head",)]
        heads = [Paragraph(self.line(h)) for h in element.findall(tei("head"))]
        return heads + ([ItemList([i for i in items if i])] if any(items) else [])

    _describe_listWit = _describe_listBibl  # noqa: N815 - TEI's name


def _neighbour_label(element: etree._Element) -> str:
    """The label of a ``correspContext`` pointer: "Previous letter", "Next letter in this correspondence"…"""
    kinds = f"{element.get('type') or ''} {element.get('subtype') or ''}".lower()
    side = "Previous letter" if "prev" in kinds else "Next letter" if "next" in kinds else ""
    if not side:
        return humanise(element.get("type") or "") or "Related letter"
    return side + (" in this correspondence" if "corresp" in kinds else "")


def _merged(fields: list[tuple[str, list[Block]]]) -> list[tuple[str, list[Block]]]:
    """Fields of the same label in a row as one (``Authors``: one line, separated by semicolons)."""
    out: list[tuple[str, list[Block]]] = []
    for label, blocks in fields:
        if out and out[-1][0] in (label, PLURALS.get(label)):
            previous = out[-1][1]
            if label not in PARAGRAPHS and _one_line(previous) and _one_line(blocks):
                previous[0].content.extend(["; ", *blocks[0].content])  # type: ignore[union-attr]
            else:
                previous.extend(blocks)
            out[-1] = (PLURALS.get(label, label), previous)
        else:
            out.append((label, list(blocks)))
    return out


def _one_line(blocks: list[Block]) -> bool:
    return len(blocks) == 1 and isinstance(blocks[0], Paragraph) and not blocks[0].classes


def _without(element: etree._Element, names: set[str] | dict[str, str]) -> etree._Element:
    """A copy of ``element`` without its descendants called ``names`` (their tails kept)."""
    copy = deepcopy(element)
    for child in [c for c in copy.iter() if c is not copy and _local(c) in names]:
        parent, tail = child.getparent(), child.tail
        if tail:
            previous = child.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(child)
    return copy
