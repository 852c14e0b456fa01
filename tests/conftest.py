"""Shared fixtures: Sphinx test roots, the repository's edition, and the TEI schema."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from lxml import html

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
SHARED = REPO.parent / "shared"
EDITION_TEXT = REPO / "tei" / "stalin-general-secretary.xml"
EDITION_REGISTER = REPO / "tei" / "persons.xml"
TRANSCRIPTION = REPO / "tei" / "source" / "stalin-general-secretary.txt"


def png(width: int, height: int, grey: int = 0x99) -> bytes:
    """A grey PNG of ``width`` × ``height`` pixels (page images made by the tests: nothing is fetched)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def edition_overrides() -> dict:
    """Point a test root at the repository's TEI edition (absolute paths survive the root's copy), with the
    edition's rules of the processing model (``edition_model`` of ``docs/conf.py``)."""
    import runpy

    model = runpy.run_path(str(REPO / "docs" / "conf.py"))["edition_model"]
    return {"edition_texts": [str(EDITION_TEXT)], "edition_registers": [str(EDITION_REGISTER)], "edition_model": model}


def page(app, docname: str) -> html.HtmlElement:
    """The parsed HTML of a built page."""
    return html.parse(str(Path(app.outdir) / f"{docname}.html")).getroot()


@pytest.fixture(scope="session")
def tei_all_rng() -> Path:
    """The official tei_all.rng: $TEI_ALL_RNG, or ../shared/tei/tei_all.rng in this repository."""
    value = os.environ.get("TEI_ALL_RNG")
    path = Path(value) if value else SHARED / "tei" / "tei_all.rng"
    if not path.is_file():
        pytest.skip(f"tei_all.rng not found at {path}; set TEI_ALL_RNG to run conformance tests")
    return path


def build_root(name: str, where: Path, *, buildername: str = "html", parallel: int = 0, build: bool = True,
               **kwargs):
    """Copy test root ``name`` to ``where/src`` and build it (warnings are errors unless told)."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_colors

    srcdir = where / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / f"test-{name.removeprefix('test-')}", srcdir)
    kwargs.setdefault("warningiserror", True)
    warnings = StringIO()
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=warnings, parallel=parallel,
                        **kwargs)
    if build:
        app.build()
        app.cleanup()  # docutils' roles and directives as they were: the next application registers its own
        # Sphinx 8.1 and later finish a build with warnings and only set its status: fail here instead (but for
        # roles, directives and nodes registered again by a second application in this process, which
        # sphinx-build never runs; `edition build` in a process of its own is tested for those)
        found = [line for line in strip_colors(warnings.getvalue()).splitlines() if line.strip() and not (
            line.startswith("WARNING: while setting up extension") and "is already registered" in line)]
        if kwargs["warningiserror"] and found:
            raise AssertionError(f"the build of {name} warned:\n" + "\n".join(found))
    return app


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (modules that use it skip when either is missing)."""
    from playwright.sync_api import sync_playwright

    from edition.serve import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
