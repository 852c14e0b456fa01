"""The images of the source a document names: its ``facsimile`` and ``sourceDoc`` surfaces, and ``@facs``.

A document's pages are each ``surface`` (of a ``facsimile`` or a ``sourceDoc``), each ``graphic`` of a
``facsimile`` outside a surface, and each image a ``@facs`` names directly, in document order. A page has
a label, an image (:class:`~edition.core.images.Image`: a IIIF Image API service, a web image, a local
file), a size (the surface's ``@ulx…@lry``, else the graphic's ``@width``/``@height``, else a local
image's pixels) and zones (``zone`` with ``@ulx…`` or ``@points``, or a region an address names:
``…/x,y,w,h``, ``#xywh=x,y,w,h``), in the page's coordinates.

``@facs`` on any element is read token by token: a pointer (``#surface``, ``#zone``, ``#graphic``), a prefixed
pointer (the header's ``listPrefixDef``, then the edition's ``edition_prefixes``), a web address, a file
named relative to the TEI (``kamlot.jpg``; also the rest of an undeclared prefix, ``iiif:kamlot.jpg``), or
the ``@url`` of a graphic of the ``facsimile``. The renderer records which anchors point at each page and
zone (:meth:`Facsimile.point`). Nothing is fetched: local images are read for their size only.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from .genetic import surface_label
from .images import DISPLAY_SIZE, SHOWN, Image, image_of
from .pointers import ACTIVE_SCHEMES, SAFE_SCHEMES, Prefixes, expand_prefix, uri_scheme
from .xinclude import problem_at, source_of
from .xmlparse import XML_ID, Problem, tei

#: file name endings of the local images the build publishes
LOCAL_IMAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".tif", ".tiff", ".jp2"})
#: the folder of the site's ``_images`` that local page images are copied to
PUBLISHED_FOLDER = "facsimile"
_REGION = re.compile(r"^(?P<base>.+?)/(?P<x>\d+),(?P<y>\d+),(?P<w>\d+),(?P<h>\d+)/?$")
_XYWH = re.compile(r"^(?P<base>[^#]*)#xywh=(?:pixel:)?(?P<x>\d+(?:\.\d+)?),(?P<y>\d+(?:\.\d+)?),"
                   r"(?P<w>\d+(?:\.\d+)?),(?P<h>\d+(?:\.\d+)?)$")
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")
#: examples named in a grouped message
EXAMPLES = 3

Box = tuple[int, int, int, int]


@dataclass(slots=True)
class Zone:
    """A region of a page, in its coordinates, and the anchors of the text that point at it."""

    ident: str
    x: int
    y: int
    w: int
    h: int
    points: list[tuple[int, int]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    """A page of the source: its label, image, size, zones, and the page breaks that show it."""

    ident: str
    label: str
    image: Image | None = None
    width: int = 0
    height: int = 0
    #: a local image: its absolute path, and its name in the site's ``_images`` (``facsimile/…``)
    local: str = ""
    published: str = ""
    zones: list[Zone] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)
    #: anchors of elements (other than page breaks) pointing at the whole page
    targets: list[str] = field(default_factory=list)
    #: whether the label was only made up (an id, a file name): a page break's ``@n`` names it better
    made_up_label: bool = False

    @property
    def kind(self) -> str:
        """``iiif``, ``image`` (a web image or a local copy), ``link`` (a web file browsers do not show) or
        ``none``."""
        if self.local:  # a copy in the site: shown when browsers show its kind of file (not a tif)
            return "image" if PurePosixPath(self.local).suffix.lower() in SHOWN else "link"
        if self.image is None or not self.image.remote:
            return "none"
        return "iiif" if self.image.service else "image" if self.image.shown else "link"

    def urls(self, image_base: str = "") -> tuple[str, str]:
        """The address to show (at most :data:`DISPLAY_SIZE` pixels for IIIF) and the largest, local copies
        under ``image_base`` (the site's ``_images/`` from the page)."""
        if self.local:
            return (image_base + self.published,) * 2
        if self.image is None or not self.image.remote:
            return "", ""
        return self.image.display(), self.image.full


@dataclass(slots=True)
class Located:
    """What a token of ``@facs`` (or a graphic's ``@url``) names."""

    kind: str  # element, remote, local
    element: etree._Element | None = None
    address: str = ""
    region: Box | None = None


@dataclass
class Facsimile:
    """The pages of one document, which elements point at them, and the problems found reading them."""

    pages: list[Page] = field(default_factory=list)
    #: element -> the pages it points at as a whole, and the zones
    pointing: dict[etree._Element, tuple[list[Page], list[Zone]]] = field(default_factory=dict)
    #: the page of each surface and the zone of each zone element
    page_of: dict[etree._Element, Page] = field(default_factory=dict)
    zone_of: dict[etree._Element, Zone] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: every local file looked for as an image, there or not: the page changes when one comes, goes or changes
    looked_for: set[str] = field(default_factory=set)

    @property
    def shown(self) -> bool:
        """Whether a page has an image to show."""
        return any(page.kind != "none" for page in self.pages)

    def point(self, element: etree._Element, anchor: str) -> dict[str, str]:
        """Record that ``element`` (its HTML id ``anchor``) points at its pages and zones; its ``data-``
        attributes."""
        pages, zones = self.pointing.get(element, ([], []))
        for zone in zones:
            if anchor not in zone.targets:
                zone.targets.append(anchor)
        for page in pages:
            if anchor not in page.targets:
                page.targets.append(anchor)
        attrs = {}
        if zones:
            attrs["data-facs-zone"] = " ".join(dict.fromkeys(zone.ident for zone in zones))
        if pages:
            attrs["data-facs-page"] = " ".join(dict.fromkeys(page.ident for page in pages))
        return attrs

    def break_pages(self, element: etree._Element) -> list[Page]:
        """The pages a page break shows: those it points at, and those of the zones it points at."""
        pages, zones = self.pointing.get(element, ([], []))
        found = list(pages)
        for page in self.pages:
            if any(zone in page.zones for zone in zones) and page not in found:
                found.append(page)
        return found

    def manifest_problem(self) -> str:
        """Why no IIIF manifest can be made of the pages with images (a canvas needs a size), or ``""``."""
        unsized = [page.label for page in self.pages if page.kind != "none" and not (page.width and page.height)]
        if not unsized:
            return ""
        more = f" and {len(unsized) - EXAMPLES} more" if len(unsized) > EXAMPLES else ""
        return (f"no IIIF manifest: the size of {len(unsized)} page image(s) is not known ("
                f"{', '.join(unsized[:EXAMPLES])}{more}); give each surface @ulx, @uly, @lrx, @lry, or its graphic "
                "@width and @height in pixels")


def read_facsimile(root: etree._Element, path: str, prefixes: Prefixes, project: Path | None = None,
                   taken: set[str] | None = None) -> Facsimile:
    """The pages of the document ``root`` (read from ``path``); ``prefixes`` expand prefixed pointers, local
    images must be inside ``project``; ``taken`` are HTML ids the page uses (page and zone ids keep clear)."""
    return _Reader(root, path, prefixes, project, taken or set()).read()


class _Reader:
    def __init__(self, root: etree._Element, path: str, prefixes: Prefixes, project: Path | None,
                 taken: set[str]) -> None:
        self.root, self.path, self.prefixes, self.project = root, path, prefixes, project
        self.result = Facsimile()
        self.ids: dict[str, etree._Element] = {}
        self.graphics: dict[str, etree._Element] = {}  # facsimile graphics by their @url
        self.by_address: dict[str, Page] = {}
        self.regions: dict[tuple[str, Box], Zone] = {}
        self.taken = set(taken)
        self.counters: dict[str, int] = {}
        self.issues: dict[tuple[str, str, str], list[tuple[etree._Element, str]]] = {}

    # -- reading ----------------------------------------------------------------------------------------------
    def read(self) -> Facsimile:
        elements = [e for e in self.root.iter() if isinstance(e.tag, str)]
        for element in elements:
            ident = (element.get(XML_ID) or "").strip()
            if ident:
                self.ids.setdefault(ident, element)
            if element.tag == tei("graphic") and _inside(element, "facsimile") and element.get("url"):
                self.graphics.setdefault(element.get("url", "").strip(), element)
        for element in elements:
            if element.tag == tei("surface") and _outermost_surface(element) and _inside(element, "facsimile",
                                                                                        "sourceDoc"):
                self._surface_page(element)
            elif element.tag == tei("graphic") and element.getparent() is not None \
                    and element.getparent().tag == tei("facsimile"):
                self._graphic_page(element)
            elif element.get("facs") and not _inside(element, "facsimile") and element.tag != tei("surface"):
                self._pointing(element)
        self._report()
        return self.result

    def _pointing(self, element: etree._Element) -> None:
        pages: list[Page] = []
        zones: list[Zone] = []
        for token in (element.get("facs") or "").split():
            located = self._locate(token, element, "@facs")
            if located is None:
                continue
            page, zone = self._page_and_zone(located)
            if zone is not None and zone not in zones:
                zones.append(zone)
            elif zone is None and page is not None and page not in pages:
                pages.append(page)
            if page is not None and page.made_up_label and element.tag == tei("pb") and element.get("n"):
                page.label, page.made_up_label = " ".join((element.get("n") or "").split()), False
        if pages or zones:
            self.result.pointing[element] = (pages, zones)

    def _page_and_zone(self, located: Located) -> tuple[Page | None, Zone | None]:
        if located.kind == "element":
            element = located.element
            if element.tag == tei("zone"):
                surface = next(element.iterancestors(tei("surface")), None)
                page = self._surface_page(_outermost(surface)) if surface is not None else None
                return page, self.result.zone_of.get(element)
            if element.tag == tei("surface"):
                return self._surface_page(_outermost(element)), None
            if element.tag == tei("graphic"):
                parent = element.getparent()
                if parent is not None and parent.tag == tei("surface"):
                    return self._surface_page(_outermost(parent)), None
                return self._graphic_page(element), None
            return None, None
        page = self._address_page(located)
        if located.region is None or page is None:
            return page, None
        key = (located.address, located.region)
        if key not in self.regions:
            x, y, w, h = located.region
            zone = Zone(self._new_id("", "zone"), x, y, w, h)
            page.zones.append(zone)
            self.regions[key] = zone
        return page, self.regions[key]

    # -- pages ------------------------------------------------------------------------------------------------
    def _surface_page(self, surface: etree._Element) -> Page:
        if surface in self.result.page_of:
            return self.result.page_of[surface]
        ordinal = sum(1 for p in self.result.page_of if p.tag == tei("surface")) + 1
        label = surface_label(surface, ordinal)
        strong = bool((surface.get("n") or "").strip()) or any(
            surface.find(tei(n)) is not None for n in ("label", "desc"))
        ident = self._new_id(surface.get(XML_ID) or "", "page", in_source=_inside(surface, "sourceDoc"))
        page = Page(ident, label, made_up_label=not strong)
        page.width, page.height = _extent(surface)
        self._choose_image(page, list(surface.iterchildren(tei("graphic"))))
        self._register(surface, page)
        origin = (_number(surface.get("ulx")), _number(surface.get("uly")))
        for inner in surface.iterdescendants(tei("zone"), tei("surface")):
            box = _box(inner, origin)
            if box is None:
                continue
            (x, y, w, h), points = box
            zone = Zone(self._new_id(inner.get(XML_ID) or "", "zone"), x, y, w, h, points)
            page.zones.append(zone)
            self.result.zone_of[inner] = zone
        return page

    def _graphic_page(self, graphic: etree._Element) -> Page:
        if graphic in self.result.page_of:
            return self.result.page_of[graphic]
        url = (graphic.get("url") or "").strip()
        name = PurePosixPath(unquote(url)).name or url
        page = Page(self._new_id(graphic.get(XML_ID) or "", "page"), PurePosixPath(name).stem or name,
                    made_up_label=True)
        page.width, page.height = _length(graphic.get("width")), _length(graphic.get("height"))
        self._choose_image(page, [graphic])
        self._register(graphic, page)
        return page

    def _address_page(self, located: Located) -> Page | None:
        if located.address in self.by_address:
            page = self.by_address[located.address]
        else:
            name = PurePosixPath(unquote(located.address.split("?")[0])).name
            page = Page(self._new_id("", "page"), PurePosixPath(name).stem or name or located.address,
                        made_up_label=True)
            self._set_image(page, located)
            self.by_address[located.address] = page
            self.result.pages.append(page)
        if located.kind == "remote" and located.region is not None and page.image is not None \
                and not page.image.service:  # an address that takes a region is a IIIF service
            page.image = Image(page.image.url, page.image.url.rstrip("/"), page.image.width, page.image.height)
        return page

    def _register(self, element: etree._Element, page: Page) -> None:
        self.result.page_of[element] = page
        self.result.pages.append(page)

    def _choose_image(self, page: Page, graphics: list[etree._Element]) -> None:
        """The first of the graphics that a page can show (a web image, a IIIF service, a local file), else
        the first web address; a local image that is missing is a problem only when no other is shown."""
        found: list[Located] = []
        for graphic in graphics:
            url = (graphic.get("url") or "").strip()
            located = self._locate(url, graphic, "@url", quiet=True) if url else None
            if located is not None and located.kind in ("remote", "local"):
                if not page.width:
                    page.width, page.height = _length(graphic.get("width")), _length(graphic.get("height"))
                found.append(located)
        shown = [item for item in found if item.kind == "local" or image_of(item.address).shown
                 or item.region is not None]
        if shown or found:
            self._set_image(page, (shown or found)[0])
        elif graphics and (graphics[0].get("url") or "").strip():  # none can be shown: say why, for the first
            self._locate((graphics[0].get("url") or "").strip(), graphics[0], "@url")

    def _set_image(self, page: Page, located: Located) -> None:
        if located.kind == "local":
            width, height, digest = _local_image(Path(located.address))
            page.local = located.address
            suffix = Path(located.address).suffix.lower()
            page.published = f"{PUBLISHED_FOLDER}/{_safe_stem(Path(located.address).stem)}-{digest[:12]}{suffix}"
            page.image = Image(located.address, "", width, height)
            if not page.width:
                page.width, page.height = width, height
            return
        image = image_of(located.address)
        if located.region is not None and not image.service:
            image = Image(image.url, image.url.rstrip("/"))
        page.image = Image(image.url, image.service, page.width, page.height)

    def _new_id(self, xml_id: str, kind: str, *, in_source: bool = False) -> str:
        """An HTML id for a page or zone: a surface of the ``sourceDoc`` is a section of the page, with its own
        id (the renderer's, from its ``xml:id``); others ``facs-<xml:id>`` or ``facs-<kind>-N``."""
        from .render import html_id  # the renderer's ids for xml:ids

        if in_source and xml_id.strip():
            return html_id(xml_id.strip())
        base = f"facs-{html_id(xml_id.strip())}" if xml_id.strip() else ""
        while not base or base in self.taken:
            self.counters[kind] = self.counters.get(kind, 0) + 1
            base = f"facs-{kind}-{self.counters[kind]}"
        self.taken.add(base)
        return base

    # -- addresses --------------------------------------------------------------------------------------------
    def _locate(self, token: str, element: etree._Element, attribute: str, *, quiet: bool = False) -> Located | None:
        """What ``token`` names; a problem (grouped) when it names nothing that can be shown."""
        original = token
        if not token.startswith("#"):
            prefix, colon, _rest = token.partition(":")
            if colon and prefix in self.prefixes:
                token, problem = expand_prefix(token, self.prefixes)
                if problem:
                    self._issue("image", "expand", problem, element, original)
                    return None
        if token.startswith("#"):
            target = self.ids.get(token[1:])
            if target is None or target.tag not in (tei("surface"), tei("zone"), tei("graphic")):
                if not quiet:
                    self._issue("ref", "dangling", "", element, original)
                return None
            return Located("element", target)
        scheme = uri_scheme(token)
        if scheme in SAFE_SCHEMES:
            address, region = _split_region(token)
            return Located("remote", address=address, region=region)
        if scheme in ACTIVE_SCHEMES:
            self._issue("unsafe", "unsafe", "", element, original)
            return None
        name = token.partition(":")[2] if scheme else token
        if not scheme and token in self.graphics and self.graphics[token] is not element:
            return Located("element", self.graphics[token])
        if "#" in name and not name.startswith("#xywh") and "#xywh=" not in name:
            if not quiet:
                self._issue("image", "other-file", "", element, original)
            return None
        address, region = _split_region(name)
        local, why = self._local(address, element)
        if local is not None:
            return Located("local", address=str(local), region=region)
        if quiet:
            return None
        if scheme:
            prefix = token.partition(":")[0]
            self._issue("image", f"prefix:{prefix}", prefix, element, original)
        elif why == "outside":
            self._issue("unsafe", f"outside:{address}", address, element, original)
        elif PurePosixPath(address).suffix.lower() in LOCAL_IMAGES:
            self._issue("image", f"missing:{address}", address, element, original)
        else:
            self._issue("info", "identifier", "", element, original)
        return None

    def _local(self, name: str, element: etree._Element) -> tuple[Path | None, str]:
        """The local image ``name`` names relative to the file ``element`` is in, or why not: ``missing``,
        ``outside`` (the project)."""
        if not name or "\x00" in name:
            return None, "missing"
        try:
            path = (Path(source_of(element, self.path)).parent / unquote(name)).resolve()
        except (OSError, ValueError):
            return None, "missing"
        if self.project is not None and not path.is_relative_to(self.project):
            return None, "outside" if path.is_file() else "missing"
        self.result.looked_for.add(str(path))
        try:
            found = path.is_file() and path.suffix.lower() in LOCAL_IMAGES
        except OSError:
            found = False
        return (path, "") if found else (None, "missing")

    # -- problems ---------------------------------------------------------------------------------------------
    def _issue(self, kind: str, group: str, detail: str, element: etree._Element, token: str) -> None:
        self.issues.setdefault((kind, group, detail), []).append((element, token))

    def _report(self) -> None:
        folder = Path(self.path).parent
        for (kind, group, detail), places in self.issues.items():
            element, token = places[0]
            count = len(places)
            tokens = list(dict.fromkeys(t for _, t in places))
            listed = ", ".join(repr(t) for t in tokens[:EXAMPLES]) + (", …" if len(tokens) > EXAMPLES else "")
            more = f" ({count} pointers: {listed})" if count > 1 else ""
            name = group.partition(":")[0]
            severity = "info" if kind == "info" else "error"
            if name == "dangling":
                message = (f"facs={token!r} points at no surface, zone or graphic of this document{more}; the page "
                           "breaks show without their images: add the facsimile's surfaces, or correct the pointers")
            elif name == "expand":
                message = f"facs={token!r} cannot be read: {detail}; the element shows without its image"
            elif name == "prefix":
                message = (f"the prefix {detail!r} of facs={token!r} is not declared and names no image beside the "
                           f"TEI ({folder}){more}; declare it in the header's listPrefixDef or in conf.py "
                           f"(edition_prefixes = {{{detail!r}: \"https://…/$1\"}}), or put the images beside the TEI")
            elif name == "missing":
                message = (f"the page image {detail!r} is not a file beside the TEI ({folder}){more}; put it there, "
                           "or name it by its web address; shown without it")
            elif name == "outside":
                message = (f"the page image {detail!r} is outside the project: it is not published; copy it into "
                           "the project")
            elif name == "unsafe":
                message = f"facs={token!r} is not an address an image can have (only http and https){more}"
            elif name == "other-file":
                message = (f"facs={token!r} points into another file{more}: only pointers into the same document "
                           "(#id), web addresses and local images are shown")
            else:  # bare identifiers: images of a system the edition does not have
                message = (f"facs={token!r} names an image by an identifier, not an address or a file{more}: shown "
                           "without it; declare a prefix (edition_prefixes in conf.py) to show such images")
                kind = "ref"
            self.result.problems.append(problem_at(element, self.path, message, severity,
                                                   "ref" if kind in ("ref", "info") else kind))


def _inside(element: etree._Element, *names: str) -> bool:
    return any(ancestor.tag in {tei(n) for n in names} for ancestor in element.iterancestors())


def _outermost_surface(surface: etree._Element) -> bool:
    return next(surface.iterancestors(tei("surface")), None) is None


def _outermost(surface: etree._Element) -> etree._Element:
    outer = surface
    for ancestor in surface.iterancestors(tei("surface")):
        outer = ancestor
    return outer


def _number(value: str | None) -> float:
    try:
        number = float(value or 0)
    except ValueError:
        return 0.0
    return number if abs(number) < 10**7 else 0.0


def _extent(element: etree._Element) -> tuple[int, int]:
    """Width and height of a surface in its coordinates (``lrx - ulx``, ``lry - uly``), 0 when not given."""
    width = round(_number(element.get("lrx")) - _number(element.get("ulx")))
    height = round(_number(element.get("lry")) - _number(element.get("uly")))
    return (width, height) if width > 0 and height > 0 else (0, 0)


def _length(value: str | None) -> int:
    """A graphic's ``@width`` or ``@height`` in pixels (``1200px``, ``1200``), 0 in other units."""
    found = _LENGTH.match(value or "")
    return round(float(found.group(1))) if found and float(found.group(1)) < 10**7 else 0


def _box(zone: etree._Element, origin: tuple[float, float]) -> tuple[Box, list[tuple[int, int]]] | None:
    """A zone's box (x, y, w, h) and polygon in the page's coordinates, or None without coordinates."""
    ox, oy = origin
    points: list[tuple[int, int]] = []
    for pair in (zone.get("points") or "").split():
        x, _, y = pair.partition(",")
        try:
            points.append((round(float(x) - ox), round(float(y) - oy)))
        except ValueError:
            return None
    if zone.get("lrx") is not None and zone.get("lry") is not None:
        x, y = round(_number(zone.get("ulx")) - ox), round(_number(zone.get("uly")) - oy)
        w, h = round(_number(zone.get("lrx")) - ox) - x, round(_number(zone.get("lry")) - oy) - y
        return ((x, y, w, h), points) if w > 0 and h > 0 else None
    if len(points) >= 2:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), points
    return None


def _split_region(address: str) -> tuple[str, Box | None]:
    """An address without its region (IIIF ``…/x,y,w,h``, media fragment ``#xywh=…``), and the region."""
    for pattern in (_XYWH, _REGION):
        found = pattern.match(address)
        if found:
            box = tuple(round(float(found.group(k))) for k in "xywh")
            return found.group("base"), box  # type: ignore[return-value]
    return address, None


def _safe_stem(stem: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)[:60].strip(".") or "image"


def _local_image(path: Path) -> tuple[int, int, str]:
    """A local image's size in pixels (0 when it cannot be read) and the SHA-256 of its bytes."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        from PIL import Image as Picture

        with Picture.open(path) as picture:
            width, height = picture.size
    except Exception:  # any file Pillow cannot read is an image of unknown size
        return 0, 0, digest
    return int(width), int(height), digest


def local_images(root: etree._Element, path: str, project: Path) -> list[Path]:
    """The local images (inside ``project``) a TEI file names in ``@facs`` and ``graphic/@url``, for ``edition
    init`` to copy along."""
    reader = _Reader(root, path, {}, project, set())
    found: dict[Path, None] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tokens = (element.get("facs") or "").split() + ([element.get("url", "").strip()]
                                                        if element.tag == tei("graphic") else [])
        for token in tokens:
            located = reader._locate(token, element, "@facs", quiet=True) if token else None
            if located is not None and located.kind == "local":
                found[Path(located.address)] = None
    return list(found)


def page_data(facsimile: Facsimile, manifest: str, image_base: str) -> dict:
    """The data of the reading view (the HTML contract: ``script.tei-facsimile-data``)."""
    pages = []
    for page in facsimile.pages:
        url, full = page.urls(image_base)
        service = page.image.service if page.kind == "iiif" and page.image is not None else ""
        pages.append({
            "id": page.ident, "label": page.label, "width": page.width, "height": page.height,
            "image": {"kind": page.kind, "service": service, "url": url, "full": full},
            "zones": [{"id": z.ident, "x": z.x, "y": z.y, "w": z.w, "h": z.h, "points": [list(p) for p in z.points],
                       "targets": list(z.targets)} for z in page.zones],
            "breaks": list(page.breaks),
        })
    return {"manifest": manifest, "pages": pages}


def script_json(data: dict) -> str:
    """JSON safe inside a ``script`` element (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["DISPLAY_SIZE", "Facsimile", "Page", "Zone", "local_images", "page_data", "read_facsimile",
           "script_json"]
