"""The benchmark's synthetic editions are valid editions (so the benchmark measures real builds)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from edition.cli import main

from .conftest import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_synthetic_edition_validates_and_keeps_the_density_of_the_real_one(tmp_path: Path, monkeypatch,
                                                                              capsys: pytest.CaptureFixture[str]):
    monkeypatch.delenv("TEI_ALL_RNG", raising=False)
    edition, baseline = _bench().generate(tmp_path, 3, 40)
    capsys.readouterr()
    assert main(["validate", "-p", str(edition)]) == 0, capsys.readouterr().out
    assert "4 file(s) checked, 0 error(s)" in capsys.readouterr().out
    text = (edition / "tei" / "doc-00001.xml").read_text(encoding="utf-8")
    assert text.count("<persName") >= 140 and text.count('ref="persons.xml#p') >= 140
    assert len(list(baseline.glob("doc-*.md"))) == 3
    assert "Synthetic document 1" in (baseline / "doc-00001.md").read_text(encoding="utf-8")
    pages = baseline.parent / "baseline-pages"  # the texts and a page per person: as many pages as the edition
    assert len(list(pages.glob("doc-*.md"))) == 3 and len(list(pages.glob("p*.md"))) == 40
    mentioned = sum(page.read_text(encoding="utf-8").count("- Synthetic document") for page in pages.glob("p*.md"))
    assert mentioned == 3 * text.count('ref="persons.xml#p')
