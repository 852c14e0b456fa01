"""Shared fixtures: Sphinx test roots, the repository's edition, and the TEI schema."""

from __future__ import annotations

import os
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

    srcdir = where / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / f"test-{name.removeprefix('test-')}", srcdir)
    kwargs.setdefault("warningiserror", True)
    app = SphinxTestApp(buildername, srcdir=srcdir, status=StringIO(), warning=StringIO(), parallel=parallel,
                        **kwargs)
    if build:
        app.build()
    return app
