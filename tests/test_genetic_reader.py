"""A genetic transcription in a real browser (Debian's Chromium, headless): each surface's image beside its
transcription on a wide screen and after it on a phone, what is written in a margin beside its line, and a
broken image (no network) that keeps its place and says what it was.

The images are the reader's browser's to fetch: here every request out of the site is answered with a small
image made in the test, or refused, and nothing else leaves 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition.serve import serving

from .conftest import build_root, png
from .test_reader import Reader

PAGE = "texts/notebook.html"



@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = build_root("test-genetic", tmp_path_factory.mktemp("genetic-site"), confoverrides={"html_theme": "furo"})
    with serving(Path(app.outdir)) as url:
        yield url


def _reader(browser, base_url: str, width: int, *, images: bool) -> Reader:
    context = browser.new_context(viewport={"width": width, "height": 900})
    reader = Reader(context, base_url)
    picture = png(40, 60)
    outside = re.compile(r"^https?://(?!127\.0\.0\.1)")
    if images:
        context.route(outside, lambda route: route.fulfill(body=picture, content_type="image/png"))
    else:
        context.route(outside, lambda route: route.abort())
    return reader


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_on_a_wide_screen_the_image_stands_beside_the_transcription_and_the_margin_beside_its_line(browser, base_url):
    reader = _reader(browser, base_url, 1400, images=True)
    page = reader.open(PAGE)
    text, image = _box(page, "#f1r .tei-surface-text"), _box(page, "#f1r .tei-surface-images img")
    assert image["x"] >= text["x"] + text["width"] and image["y"] < text["y"] + text["height"]
    assert page.locator("#f1r img").evaluate("img => img.complete && img.naturalWidth > 0")
    margin, line = _box(page, "#f1r .tei-zone-margin"), _box(page, "#f1r .tei-zone-margin + .tei-line")
    assert margin["x"] + margin["width"] <= line["x"] + 1 and abs(margin["y"] - line["y"]) < line["height"]
    struck = page.locator("#f1r .tei-del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in struck
    reader.context.close()
    assert reader.problems == []


def test_on_a_phone_the_image_follows_the_transcription_without_scrolling_sideways(browser, base_url):
    reader = _reader(browser, base_url, 375, images=True)
    page = reader.open(PAGE)
    text, image = _box(page, "#f1r .tei-surface-text"), _box(page, "#f1r .tei-surface-images img")
    assert image["y"] >= text["y"] + text["height"] and image["x"] + image["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    margin, line = _box(page, "#f1r .tei-zone-margin"), _box(page, "#f1r .tei-zone-margin + .tei-line")
    assert margin["y"] + margin["height"] <= line["y"] + 1  # above its line
    reader.context.close()
    assert reader.problems == []


def test_an_image_that_cannot_be_loaded_keeps_its_place_and_says_what_it_was(browser, base_url):
    reader = _reader(browser, base_url, 1400, images=False)
    page = reader.open(PAGE)
    image = _box(page, "#f1r .tei-surface-images img")
    assert image["height"] > image["width"] > 100  # the surface's proportions, kept without the image
    assert page.locator("#f1r img").get_attribute("alt") == "Image of 1r"
    text = _box(page, "#f1r .tei-surface-text")
    assert image["x"] >= text["x"] + text["width"]
    reader.context.close()
    # only the images failed (the console says so without their address)
    assert all("example.org" in p or "Failed to load resource" in p for p in reader.problems), reader.problems


def test_the_corrected_reading_leaves_the_deletions_out_and_keeps_the_restored(browser, base_url):
    """The switch to the corrected reading was offered only for choices: a draft's deletions stayed in it."""
    reader = _reader(browser, base_url, 1400, images=False)
    page = reader.open(PAGE)
    shown = "e => getComputedStyle(e).display !== 'none'"
    deleted = page.locator("#f1r .tei-del:not(.tei-restore)").first
    assert deleted.evaluate(shown)
    page.locator(".edition-view-toggle button").click()
    assert page.locator(".edition-view-toggle button").get_attribute("aria-pressed") == "true"
    assert not deleted.evaluate(shown)
    assert all(not e.evaluate(shown) for e in page.locator(".tei-delSpan").all())
    restored = page.locator(".tei-restore")
    assert all(e.evaluate(shown) for e in restored.all())
    page.locator(".edition-view-toggle button").click()
    assert deleted.evaluate(shown)
    reader.context.close()
    assert [p for p in reader.problems if "ERR_ABORTED" not in p and "ERR_FAILED" not in p] == []
