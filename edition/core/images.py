"""Images of the source (``graphic/@url`` of a ``surface``): what each address is and how a page shows it.

The build never fetches an image: a page shows it from its address. An address is a IIIF Image API
service (its base URI, or its ``info.json``: the page asks for a size of it), an image a browser shows as
it is (jpg, png, gif, webp, avif, svg), or a file a browser does not show (tif, jp2): a link to it. Images
named relative to the TEI are not in the site yet: their name is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .markup import Tag
from .pointers import SAFE_SCHEMES

#: file name endings of images browsers show
SHOWN = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
#: the longest side of an image on the page, in pixels (the IIIF size ``!N,N``)
DISPLAY_SIZE = 800


@dataclass(frozen=True, slots=True)
class Image:
    """An image of a surface of the source, as the TEI gives it (never fetched by the build)."""

    url: str
    #: the IIIF Image API service (its base URI, without ``/info.json``) when the address is one
    service: str = ""
    #: the size of the surface in its coordinates (``lrx - ulx``, ``lry - uly``): its proportions, 0 if unknown
    width: int = 0
    height: int = 0
    #: a local image the build copied into the site: ``url`` is its address there, from the page
    in_site: bool = False

    @property
    def remote(self) -> bool:
        """Whether the address is a web address (``http``, ``https``): the only ones a page refers to."""
        return urlsplit(self.url).scheme.lower() in SAFE_SCHEMES

    @property
    def shown(self) -> bool:
        """Whether a browser shows it in an ``<img>``: a IIIF service, or a web address of an image."""
        return (self.remote or self.in_site) and (
            bool(self.service) or PurePosixPath(urlsplit(self.url).path).suffix.lower() in SHOWN)

    def display(self, size: int = DISPLAY_SIZE) -> str:
        """The address of the image at most ``size`` pixels wide and high (IIIF), or as it is."""
        return f"{self.service}/full/!{size},{size}/0/default.jpg" if self.service else self.url

    @property
    def full(self) -> str:
        """The address of the whole image at its largest (IIIF ``max``), or as it is."""
        return f"{self.service}/full/max/0/default.jpg" if self.service else self.url


def iiif_service(url: str, mime_type: str = "") -> str:
    """The base URI of the IIIF Image API service ``url`` names, or ``""``: its ``info.json``, or an address
    whose path or ``mimeType`` says IIIF and which is not an image a browser shows (``https://iiif.…/image/ID``,
    ``…/iiif/3/page.jp2``; ``…/full/max/0/default.jpg`` is an image)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES or parts.query or parts.fragment:
        return ""
    path = parts.path.rstrip("/")
    if path.endswith("/info.json"):
        return url[: url.rindex("/info.json")]
    said = "iiif" in url.lower() or "iiif" in mime_type.lower()
    return url.rstrip("/") if said and PurePosixPath(path).suffix.lower() not in SHOWN else ""


def image_of(url: str, mime_type: str = "", width: int = 0, height: int = 0) -> Image:
    """The :class:`Image` at ``url`` (a ``graphic/@url``), of a surface ``width`` × ``height``."""
    url = url.strip()
    return Image(url, iiif_service(url, mime_type), width, height)


def image_markup(image: Image, label: str) -> Tag:
    """How a page shows ``image`` of the surface ``label``: the image (loaded when it comes into view, never
    by the build) linking to its largest size, a link to a file browsers do not show, or the name of a
    local file."""
    if image.shown:
        size: dict[str, str] = {}
        if image.width and image.height:  # the page keeps its place before (or without) the image
            scale = min(1.0, DISPLAY_SIZE / max(image.width, image.height))
            size = {"width": str(round(image.width * scale)), "height": str(round(image.height * scale))}
        picture = Tag("img", src=image.display(), alt=f"Image of {label}", loading="lazy", decoding="async", **size)
        return Tag("a", picture, classes="reference external tei-surface-image", href=image.full)
    if image.remote or image.in_site:
        return Tag("a", f"Image of {label}", classes="reference external tei-surface-image", href=image.url)
    return Tag("span", f"Image of {label}: {image.url} (not published)", classes="tei-surface-image")
