"""A transcription of the source's surfaces (``sourceDoc``), and the writer's changes in any transcription.

The behaviours of the processing model for documentary and genetic transcription (TEI Guidelines, chapter
11, "Representation of Primary Sources"), as methods of :class:`~edition.core.render.TextRenderer`:

- ``source_document`` (``sourceDoc``): a section headed "Diplomatic transcription", after the ``text`` when
  the document has one (then headed "Text");
- ``surface``: a :class:`~edition.core.blocks.Surface`: its anchor (``xml:id``), its label, its images and
  its zones and lines in document order;
- ``zone``: lines with a caption (its ``@type``); a zone in a margin whose ``@corresp`` points into a line of
  its surface is shown beside that line;
- ``topographic_line`` (``line``): a line of writing;
- ``alteration`` (``add``, ``del``, ``restore``, ``retrace``, ``metamark``, ``damage``, ``unclear``): a span
  with its classes (``@rend``; ``place-above``… for ``@place``), in its hand (``@hand``), named in the reading
  key;
- ``span`` (``delSpan``, ``addSpan``, ``damageSpan``): every piece of text up to the element its ``@spanTo``
  points at is marked, and ``hand_shift`` (``handShift``): the hand changes from here on (see
  :mod:`edition.core.writing`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from lxml import etree

from .blocks import Block, Group, Paragraph, Section, Surface
from .classes import filled, local_name, placement, rend_classes, type_classes
from .images import Image, image_of
from .markup import Tag
from .model import Rule
from .writing import hand_id
from .xmlparse import XML_ID, ElementView, normalize_space, plain_text, tei

if TYPE_CHECKING:
    from .blocks import Inline

#: the heading of a ``sourceDoc`` (its rule's ``title`` says otherwise), and of the ``text`` beside one
SOURCE_TITLE = "Diplomatic transcription"
TEXT_TITLE = "Text"
#: attributes of another namespace that name a surface (the Shelley-Godwin Archive's ``mith:folio``)
FOREIGN_LABELS = ("folio", "page")
#: the longest label of a surface taken from its ``desc``
LABEL_LENGTH = 60


def surface_label(surface: etree._Element, ordinal: int) -> str:
    """What a surface is called: its ``@n``, its ``label`` or (short) ``desc``, a ``folio`` attribute of
    another namespace, the file name of its image, its ``xml:id``, else "Surface N"."""
    if (surface.get("n") or "").strip():
        return normalize_space(surface.get("n") or "")
    for name in ("label", "desc"):
        child = surface.find(tei(name))
        text = plain_text(child) if child is not None else ""
        if text and len(text) <= LABEL_LENGTH:
            return text
    for key, value in surface.attrib.items():
        if etree.QName(key).namespace and etree.QName(key).localname in FOREIGN_LABELS and value.strip():
            return normalize_space(value)
    graphic = surface.find(tei("graphic"))
    name = PurePosixPath(unquote(urlsplit(graphic.get("url") or "").path)).name if graphic is not None else ""
    if PurePosixPath(name).suffix:  # a file (``f12r.jpg``), not a IIIF identifier
        return PurePosixPath(name).stem
    return (surface.get(XML_ID) or "").strip() or f"Surface {ordinal}"


def images_of(surface: etree._Element) -> list[Image]:
    """The images of a surface (its ``graphic``s), with the proportions its coordinates give."""
    width, height = (_size(surface, "ulx", "lrx"), _size(surface, "uly", "lry"))
    return [image_of(graphic.get("url") or "", graphic.get("mimeType") or "", width, height)
            for graphic in surface.iterchildren(tei("graphic")) if (graphic.get("url") or "").strip()]


def _size(element: etree._Element, start: str, end: str) -> int:
    try:
        size = round(float(element.get(end) or 0) - float(element.get(start) or 0))
    except ValueError:
        return 0
    return size if 0 < size < 10**7 else 0


def _pointed(pointer: str | None) -> str:
    """The id a pointer into the same document names (``#x``), or ``""``."""
    token = (pointer or "").split()
    return token[0][1:] if len(token) == 1 and token[0].startswith("#") else ""


class GeneticRenderer:
    """The behaviours of a transcription of the source, mixed into :class:`~edition.core.render.TextRenderer`
    (whose attributes and helpers they use: ``model``, ``marks``, ``writing``, ``blocks``…)."""

    # -- the parts of a document: its text, its sourceDocs ------------------------------------------------------
    def _with_sources(self, root: etree._Element, text: etree._Element | None, blocks: list[Block]) -> list[Block]:
        """The blocks of the document's ``text``, then of each ``sourceDoc`` the rules do not leave out; each
        part headed when there are both."""
        sources = [child for child in root.iterchildren(tei("sourceDoc"))
                   if self.model.match(child).behaviour != "omit"]
        if not sources:
            return blocks
        out: list[Block] = []
        if blocks and text is not None:
            out.append(Section(self._anchor(text, "text"), [TEXT_TITLE], blocks, ["tei-text-part"]))
        for source in sources:
            self.writing.reset()
            handler = getattr(self, f"_block_{self.model.match(source).behaviour}", None) or self._block_container
            out.extend(self._in_language(source, handler))
        return out

    def _block_source_document(self, element: etree._Element) -> list[Block]:
        """A ``sourceDoc``: its surfaces under a heading."""
        title = self.model.match(element).param("title") or SOURCE_TITLE
        self.marks.surfaces = True
        return [Section(self._anchor(element, "sourcedoc"), [title], self.blocks(element), ["tei-sourceDoc"])]

    # -- surfaces, zones, lines ----------------------------------------------------------------------------------
    def _block_surface(self, element: etree._Element) -> list[Block]:
        """A surface: its label, its images, its zones and lines (a margin beside the line it belongs to)."""
        if self._too_deep(element):
            return self.blocks(element)
        self._counters["surface"] = self._counters.get("surface", 0) + 1
        label = surface_label(element, self._counters["surface"])
        anchor = self._anchor(element, "surface")
        if element in self.facs.page_of:  # the surface's page of the reading view is this section
            self.facs.page_of[element].ident = anchor
        shown = [child for child in element if local_name(child) != "graphic"
                 and not (local_name(child) in ("label", "desc") and plain_text(child) == label)]
        self._plan_margins(element)
        self._depth += 1
        try:
            with self.running_text():
                children = self.blocks(ElementView(element, shown))  # type: ignore[arg-type]
        finally:
            self._depth -= 1
        images = images_of(element)
        page = self.facs.page_of.get(element)
        if page is not None and page.published:  # a local image the build copies into the site: shown from there
            copy = page.urls(self.image_base)[0]
            name = PurePosixPath(page.local).name
            images = [replace(image, url=copy, in_site=True)
                      if not image.remote and PurePosixPath(unquote(urlsplit(image.url).path)).name == name else image
                      for image in images]
        return [Surface(anchor, label, images, children, ["tei-surface", *rend_classes(element)])]

    def _plan_margins(self, surface: etree._Element) -> None:
        """Which zones in a margin are shown beside a line of ``surface``: those whose ``@corresp`` points at
        an element in (or at) a line of it, outside the zone, and that hold no start or end of a span."""
        ids = {e.get(XML_ID): e for e in surface.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
        for zone in surface.iter(tei("zone")):
            target = ids.get(_pointed(zone.get("corresp")))
            if target is None or "tei-zone-margin" not in self.model.match(zone).css.split() \
                    or any(a in self._beside for a in zone.iterancestors(tei("zone"))):
                continue
            line = next((e for e in (target, *target.iterancestors()) if e.tag == tei("line")), None)
            if line is None or zone in (line, *line.iterancestors()) or self._holds_spans(zone):
                continue
            self._beside[zone] = line
            self._margins_at.setdefault(line, []).append(zone)

    def _holds_spans(self, element: etree._Element) -> bool:
        """Whether a span starts in ``element`` and ends outside it, or the reverse, or the hand changes there:
        then it stays in place (a span held in it is shown with it)."""
        inside = [e for e in element.iter() if isinstance(e.tag, str)]
        if any(e.tag == tei("handShift") for e in inside):
            return True
        ids = {e.get(XML_ID) for e in inside if e.get(XML_ID)}
        starts = {_pointed(e.get("spanTo")) for e in inside if e.get("spanTo")}
        return not starts <= ids or not ids & self._spans.ends <= starts

    def _block_zone(self, element: etree._Element) -> list[Block]:
        if element in self._beside:  # shown beside its line
            return []
        return self._zone(element)

    def _zone(self, element: etree._Element) -> list[Block]:
        """A zone: its caption, its lines and zones."""
        if self._too_deep(element):
            return self.blocks(element)
        rule = self.model.match(element)
        group = Group([], ["tei-zone", *type_classes("tei-zone", element), *rend_classes(element),
                           *rule.css.split()])
        if element.get(XML_ID):
            group.ids.append(self._anchor(element, "zone"))
        zone = self.facs.zone_of.get(element)
        if zone is not None:  # a region of the surface's image: the zone is its own place in the text
            if not group.ids:
                group.ids.append(self._next("zone"))
            zone.targets.append(group.ids[0])
            group.data["data-facs-zone"] = zone.ident
        if "tei-zone-margin" in group.classes:
            self.marks.margins = True
        label = filled(rule.param("label", "{type}"), element).replace("_", " ")
        if label:
            group.children.append(Paragraph([label], ["tei-zone-label"]))
        self._depth += 1
        try:
            with self.running_text():
                group.children.extend(self.blocks(element))
        finally:
            self._depth -= 1
        return [group]

    def _block_topographic_line(self, element: etree._Element) -> list[Block]:
        """A line of writing, after the zones in a margin that stand beside it."""
        out: list[Block] = []
        for zone in self._margins_at.pop(element, []):
            with self.writing.aside():
                out.extend(self._zone(zone))
        line = Paragraph([], ["tei-line", *rend_classes(element)])
        if element.get(XML_ID):
            line.ids.append(self._anchor(element, "line"))
        context = self._context()
        if context is None:
            line.content = self.inline_content(element)
        else:  # the zone's running text: snippets of names read on across its lines
            if context.length:
                context.add(" ")
            line.content = self._trimmed(self._inline_nodes(element))
        out.append(line)
        return out

    # -- changes in the source ------------------------------------------------------------------------------------
    def _inline_alteration(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """An addition, deletion, restoration, retracing, metamark, damage or unclear reading."""
        if rule.param("mark"):
            self.marks.transcription.setdefault(rule.param("mark"))
        place = placement(element)
        if place:
            self.marks.placements.setdefault(place)
        classes = [f"tei-{local_name(element)}", *rend_classes(element), *([f"place-{place}"] if place else []),
                   *rule.css.split()]
        span = Tag("span", classes=" ".join(dict.fromkeys(classes)))
        title = filled(rule.param("title"), element)
        if title:
            span.attrs["title"] = title
        if element.get(XML_ID):
            span.attrs["id"] = self._anchor(element, "a")
        with self.writing.hold(hand_id(element.get("hand"))):
            self._inline_children(element, span)
        if not span.children and rule.param("empty"):
            span.append(rule.param("empty"))
        target.append(span)

    def _inline_span(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """The start of a span (``delSpan``…): the text from here to the element its ``@spanTo`` points at."""
        name = local_name(element)
        if element.get(XML_ID):
            target.append(Tag("span", classes=f"tei-{name}", id=self._anchor(element, "a")))
        end = _pointed(element.get("spanTo"))
        problem = self._span_problem(element, end)
        if problem:
            self.warn(f"<{name} spanTo={element.get('spanTo')!r}> {problem}: nothing is marked", element, "ref")
            return
        if rule.param("mark"):
            self.marks.transcription.setdefault(rule.param("mark"))
        classes = " ".join(dict.fromkeys([f"tei-{name}", *rule.css.split(), *rend_classes(element)]))
        self.writing.open(end, classes, hand_id(element.get("hand")))

    def _span_problem(self, element: etree._Element, end: str) -> str:
        if not end:
            return "does not point at an element of this document (#id)"
        spans = self._spans
        if end not in spans.positions:
            return "points at no element of this document"
        if spans.positions[end] <= spans.starts.get(element, -1):
            return "points at an element before it"
        return ""

    def _inline_hand_shift(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """A ``handShift``: the hand named by ``@new`` writes from here on; its name is shown."""
        hand = hand_id(element.get("new"))
        if not hand:
            target.append(Tag("span", classes="tei-handShift"))
            return
        self.writing.shift(hand)
        name = self.writing.name(hand)
        classes = " ".join(["tei-handShift", *self.writing.use(hand).split()])
        target.append(Tag("span", name, classes=classes, title=f"from here on, the hand of {name}"))

    # -- helpers --------------------------------------------------------------------------------------------------
    def _reach(self, element: etree._Element) -> None:
        """Close the spans that end at ``element`` (the target of their ``@spanTo``)."""
        ident = element.get(XML_ID)
        if ident and self.writing.spans:
            self.writing.reach(ident)

    @staticmethod
    def _trimmed(children: Inline) -> Inline:
        """Inline content without the whitespace at both ends."""
        if children and isinstance(children[0], str):
            children[0] = children[0].lstrip()
        if children and isinstance(children[-1], str):
            children[-1] = children[-1].rstrip()
        return [child for child in children if child != ""]


@dataclass
class SpanIndex:
    """Where the spans of a document start and end, for checking them (made when first needed)."""

    #: the position in document order of each ``xml:id``
    positions: dict[str, int] = field(default_factory=dict)
    #: the position of each element with a ``@spanTo``
    starts: dict[etree._Element, int] = field(default_factory=dict)
    #: the ids ``@spanTo``s point at
    ends: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, root: etree._Element) -> SpanIndex:
        index = cls()
        for position, element in enumerate(_elements(root)):
            ident = element.get(XML_ID)
            if ident and ident not in index.positions:
                index.positions[ident] = position
            if element.get("spanTo"):
                index.starts[element] = position
                index.ends.add(_pointed(element.get("spanTo")))
        return index


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    return (element for element in root.iter() if isinstance(element.tag, str))
