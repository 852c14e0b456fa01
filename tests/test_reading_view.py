"""The reading view's assets are added by Sphinx's public API to the pages with page images only, and
OpenSeadragon only to those with a IIIF image."""

from __future__ import annotations

from typing import Any

import pytest

from edition.reading_view import OPENSEADRAGON, add_facsimile_assets


class _App:
    """What ``add_facsimile_assets`` asks of Sphinx: the builder, its name, ``add_css_file`` and ``add_js_file`` (of
    the builder: the page's files, not every page's)."""

    def __init__(self, builder: str = "html") -> None:
        self.builder = self
        self.name = builder
        self.css: list[str] = []
        self.js: list[tuple[str, dict[str, Any]]] = []

    def add_css_file(self, name: str, **attributes: Any) -> None:
        self.css.append(name)

    def add_js_file(self, name: str, **attributes: Any) -> None:
        self.js.append((name, attributes))


DATA = ('<script type="application/json" class="tei-facsimile-data">{"manifest": "", "pages": [%s]}</script>'
        '<p><span class="tei-pb" data-facs-page="p1" id="pb-1"></span>Text</p>')
GENETIC = ('<script type="application/json" class="tei-facsimile-data">{"manifest": "", "pages": '
           '[{"id": "s1", "image": {"kind": "iiif"}, "breaks": []}]}</script><section class="tei-surface" id="s1">')


@pytest.mark.parametrize(("body", "css", "js"), [
    ("<p>No images</p>", [], []),
    (GENETIC, [], []),  # the surfaces of a genetic transcription show their images themselves
    ("<p>A page that quotes class=&quot;tei-facsimile-data&quot; and &quot;kind&quot;: &quot;iiif&quot;</p>", [], []),
    (DATA % '{"id": "p1", "image": {"kind": "image"}}', ["facsimile.css"], ["facsimile.js"]),
    (DATA % '{"id": "p1", "image": {"kind":"iiif"}}', ["facsimile.css"], [OPENSEADRAGON, "facsimile.js"]),
])
def test_only_pages_with_facsimile_data_load_the_reading_view(body: str, css: list[str], js: list[str]):
    app = _App()
    add_facsimile_assets(app, "texts/letter", "page.html", {"body": body}, None)
    assert app.css == css and [name for name, _ in app.js] == js
    # in order, after the page is read
    assert all(attributes == {"priority": 500, "defer": "defer"} for _, attributes in app.js)


def test_a_page_without_a_body_loads_nothing():
    app = _App()
    add_facsimile_assets(app, "genindex", "genindex.html", {}, None)
    assert app.css == app.js == []


def test_an_e_book_has_no_reading_view():
    """The epub builder warned of the viewer's licence and notice (files of unknown type) and would have held
    a viewer its readers never run."""
    app = _App("epub")
    add_facsimile_assets(app, "texts/letter", "page.html", {"body": '<script class="tei-facsimile-data">{}</script>'
                                                            '<span data-facs-page="p1"></span>'}, None)
    assert app.css == app.js == []
