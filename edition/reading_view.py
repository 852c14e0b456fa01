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
#: the files some pages add for themselves (see :func:`edition.sphinx_compat.forget_page_assets`)
PAGE_ASSETS = frozenset({"openseadragon.min.js", "facsimile.js", "facsimile.css", "edition-search.js"})


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
    # this page only, through the builder: Sphinx.add_css_file and add_js_file would also register them for
    # every page of the application's next builds (the watch mode keeps one application)
    builder: Any = app.builder
    builder.add_css_file("facsimile.css", priority=500)
    if IIIF_PAGE.search(body, match.end()):
        builder.add_js_file(OPENSEADRAGON, priority=500, defer="defer")
    builder.add_js_file("facsimile.js", priority=500, defer="defer")
