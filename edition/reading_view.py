"""The reading view's assets (the page image beside the text): added by Sphinx's public API only to the pages
that carry facsimile data, and OpenSeadragon only to those with a IIIF image."""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

#: the data the text's renderer writes once into a page with images (see ``facsimile.js``)
FACSIMILE_DATA = re.compile(r'<script\b[^>]*\bclass="tei-facsimile-data"')
#: a part of the text that shows a page (a page break, a ``div`` whose ``@facs`` is the page): what the view follows
PAGE_SHOWN = re.compile(r'<[a-z][a-z0-9]*\b[^>]*\sdata-facs-page="')
#: a page of it whose image is a IIIF Image API service: deep zoom with OpenSeadragon
IIIF_PAGE = re.compile(r'"kind"\s*:\s*"iiif"')
OPENSEADRAGON = "openseadragon/openseadragon.min.js"
#: the reading view's files, which an e-book does not hold (its readers run no scripts)
EPUB_EXCLUDED = (OPENSEADRAGON, "openseadragon/LICENSE.txt", "openseadragon/NOTICE.txt", "facsimile.js",
                 "facsimile.css")


def add_facsimile_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                         doctree: Any) -> None:
    """``html-page-context``: ``facsimile.css`` and ``facsimile.js`` (and OpenSeadragon before it when a page
    image is IIIF) on a page with facsimile data and a part of the text that shows a page; other pages load
    none of them."""
    if app.builder.name.startswith("epub"):  # an e-book has no reading view: its page breaks link the images
        return
    body = context.get("body") or ""
    match = FACSIMILE_DATA.search(body)
    if match is None or PAGE_SHOWN.search(body) is None:  # a genetic transcription shows its images itself
        return
    app.add_css_file("facsimile.css")
    if IIIF_PAGE.search(body, match.end()):
        app.add_js_file(OPENSEADRAGON, defer="defer")
    app.add_js_file("facsimile.js", defer="defer")
