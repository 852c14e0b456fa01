"""The edition's TEI files and the generated export are valid TEI P5 (tei_all)."""

from __future__ import annotations

from pathlib import Path

from edition.check.validate import Report, check_schema
from edition.project import load_edition
from edition.publish.export import build_corpus

from .conftest import EDITION_REGISTER, EDITION_TEXT


def test_sources_and_export_are_valid_tei(tei_all_rng: Path, tmp_path: Path):
    edition = load_edition([str(EDITION_TEXT)], [str(EDITION_REGISTER)], str(EDITION_TEXT.parent))
    corpus = tmp_path / "edition-corpus.xml"
    corpus.write_bytes(build_corpus(edition, "Test"))
    report = Report()
    check_schema([EDITION_TEXT, EDITION_REGISTER, corpus], tei_all_rng, report)
    assert [str(p) for p in report.problems] == []


def test_schema_errors_are_located(tei_all_rng: Path, tmp_path: Path):
    broken = tmp_path / "broken.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>x</p></body></text>\n</TEI>\n')
    report = Report()
    check_schema([broken], tei_all_rng, report)
    assert report.problems
    assert all(p.path.endswith("broken.xml") and p.line >= 1 for p in report.problems)
