"""The images of the source in the site: local page images copied into ``_images/facsimile/``, and one IIIF
Presentation 3 manifest per text with images in ``_manifests/`` (made with ``iiif-prezi3``).

A manifest's canvases are the text's pages with an image, in order, each as large as the page's coordinates
(a canvas must have a size: a text with an image of unknown size has no manifest, and a note of the build
says so when the text is read); its image is painted on the whole canvas (a IIIF Image API service as the image's
service, any other image as it is). Each zone is a ``linking`` annotation from its region (``#xywh=``, or an
SVG polygon for ``@points``) to the anchors of the transcription that point at it. With ``html_baseurl``,
every address is absolute; without it, addresses are relative to the manifest (``../texts/…``), which a
viewer on the same site resolves, but IIIF asks for absolute ones: set ``html_baseurl`` to publish
manifests any IIIF viewer can open. Nothing is fetched; the same edition gives the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.facsimile import Page
from ..core.register import file_signature

#: folders of the site: the manifests, and the local page images (under Sphinx's ``_images``)
MANIFESTS = "_manifests"
IMAGES = "_images"
#: the base the manifest is made with when the edition has no ``html_baseurl``, written as ``../``
_NO_BASE = "https://tei-edition.invalid/"
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
         ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml", ".tif": "image/tiff",
         ".tiff": "image/tiff", ".jp2": "image/jp2"}


@dataclass(frozen=True)
class FacsimileRecord:
    """What a text's page publishes of its images: its pages, and its manifest's file name (``""``: none)."""

    docname: str
    title: str
    pages: tuple[Page, ...]
    manifest: str = ""


#: how a text's page image is named among the fingerprints a text is read again by
IMAGE_FINGERPRINT = "image:"


def image_fingerprint(path: str) -> str:
    """The name of the local image ``path`` among what a text depends on (``image:/…/p1.png``)."""
    return IMAGE_FINGERPRINT + path


def image_fingerprints(names: Iterable[str]) -> dict[str, str]:
    """The state of each local image the texts looked for (see :func:`image_fingerprint`): a text is read again
    when an image it names comes, goes or changes, as when a register entry it names does."""
    return {name: repr(file_signature(Path(name.removeprefix(IMAGE_FINGERPRINT)))) for name in names
            if name.startswith(IMAGE_FINGERPRINT)}


def manifest_name(docname: str) -> str:
    """The file name of a text's manifest in ``_manifests/``."""
    return docname.rpartition("/")[2] + ".json"


def manifest_url(docname: str) -> str:
    """The address of a text's manifest from its page."""
    return "../" * docname.count("/") + f"{MANIFESTS}/{manifest_name(docname)}"


def images_url(docname: str) -> str:
    """The address of the site's ``_images/`` from a page."""
    return "../" * docname.count("/") + f"{IMAGES}/"


def publish_facsimiles(records: Iterable[FacsimileRecord], outdir: Path, baseurl: str,
                       warn: Callable[[str], None]) -> None:
    """Copy the local page images the texts show into the site and write their manifests; files of earlier
    builds that no text uses any more are removed."""
    images: dict[str, Path] = {}
    manifests: dict[str, bytes] = {}
    for record in records:
        images.update({page.published: Path(page.local) for page in record.pages if page.local})
        if record.manifest:
            manifests[record.manifest] = manifest_bytes(record, baseurl)
    folder = outdir / IMAGES
    for name, source in sorted(images.items()):
        target = folder / name
        if target.is_file():  # its name holds a digest of its bytes
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        except OSError as exc:
            warn(f"{source}: the page image could not be copied into the site ({exc.strerror or exc}); "
                 "the page shows a link that finds nothing")
    _remove_others(folder / "facsimile", {Path(name).name for name in images})
    folder = outdir / MANIFESTS
    if manifests:
        folder.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(manifests.items()):
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            temporary = target.with_name(f".{name}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
    _remove_others(folder, set(manifests))


def _remove_others(folder: Path, keep: set[str]) -> None:
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name not in keep:
                path.unlink()


def manifest_bytes(record: FacsimileRecord, baseurl: str) -> bytes:
    """The IIIF Presentation 3 manifest of a text, as JSON (absolute addresses under ``baseurl``, else
    relative to the manifest)."""
    base = baseurl.rstrip("/") + "/" if baseurl else _NO_BASE
    text = json.dumps(json.loads(manifest_of(record, base).jsonld()), indent=1, ensure_ascii=False) + "\n"
    if not baseurl:
        text = text.replace(_NO_BASE, "../")
    return text.encode("utf-8")


def manifest_of(record: FacsimileRecord, base: str):  # -> iiif_prezi3.Manifest (imported when used)
    """The manifest of a text (see the module), with every address under ``base``."""
    from iiif_prezi3 import Annotation, AnnotationPage, Canvas, Manifest, ServiceV2

    own = f"{base}{MANIFESTS}/{record.manifest}"
    page_url = f"{base}{record.docname}.html"
    canvases = []
    for number, page in enumerate((p for p in record.pages if p.kind != "none" and p.width and p.height), 1):
        canvas_id = f"{own}/canvas/{number}"
        body = _image_body(page, base)
        if page.kind == "iiif" and page.image is not None:
            body.service = [ServiceV2(id=page.image.service, type="ImageService2", profile="level1")]
        painting = Annotation(id=f"{canvas_id}/painting", motivation="painting", body=body, target=canvas_id)
        canvas = Canvas(id=canvas_id, label={"none": [page.label]}, width=page.width, height=page.height,
                        items=[AnnotationPage(id=f"{canvas_id}/page", items=[painting])])
        links = [_link(zone, canvas_id, f"{page_url}#{target}", f"{canvas_id}/zone/{zone.ident}/{index}")
                 for zone in page.zones for index, target in enumerate(zone.targets, 1)]
        if links:
            canvas.annotations = [AnnotationPage(id=f"{canvas_id}/links", items=links)]
        canvases.append(canvas)
    return Manifest(id=own, label={"none": [record.title]}, items=canvases,
                    homepage=[{"id": page_url, "type": "Text", "label": {"none": [record.title]},
                               "format": "text/html"}])


def _image_body(page: Page, base: str):
    from iiif_prezi3 import AnnotationBody

    if page.local:
        url = f"{base}{IMAGES}/{page.published}"
        mime = _MIME.get(Path(page.published).suffix.lower(), "image/jpeg")
    else:
        url = page.urls()[1]
        mime = "image/jpeg" if page.kind == "iiif" else _MIME.get(Path(url.split("?")[0]).suffix.lower(), "")
    extra = {"format": mime} if mime else {}
    return AnnotationBody(id=url, type="Image", width=page.width, height=page.height, **extra)


def _link(zone, canvas_id: str, target_url: str, ident: str):
    """A ``linking`` annotation from a zone of the canvas to an anchor of the transcription."""
    from iiif_prezi3 import Annotation, SpecificResource, SVGSelector

    if zone.points:
        points = " ".join(f"{x},{y}" for x, y in zone.points)
        svg = f'<svg xmlns="http://www.w3.org/2000/svg"><polygon points="{points}"/></svg>'
        target = SpecificResource(source=canvas_id, selector=SVGSelector(value=svg))
    else:
        target = f"{canvas_id}#xywh={zone.x},{zone.y},{zone.w},{zone.h}"
    body = {"id": target_url, "type": "Text", "format": "text/html"}
    return Annotation(id=ident, motivation="linking", body=body, target=target)
