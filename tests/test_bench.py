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


def test_the_benchmarks_edit_a_synthetic_text_in_its_body_not_its_header(tmp_path: Path):
    """An editor's save changes the text (the words of a paragraph, so its page, the entry pages of the names
    near the edit and the chronology if a date is near); the first ``<p>`` of a synthetic file is in its header
    (the licence), which the rebuilds and the watch mode measured before."""
    import inspect

    from lxml import etree

    bench = _bench()
    edition, _baseline = bench.generate(tmp_path, 2, 20)
    document = edition / "tei" / "doc-00001.xml"
    bench.edit_text(document, "Edited by the benchmark.")
    tree = etree.parse(str(document))
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    assert "Edited by the benchmark." in "".join(tree.xpath("//tei:body//text()", namespaces=ns))
    assert "Edited by the benchmark." not in "".join(tree.xpath("//tei:teiHeader//text()", namespaces=ns))
    assert inspect.signature(bench.watch_latency).parameters["edit"].default is bench.edit_text
    assert "edit_text(document)" in inspect.getsource(bench.run_size)


def test_a_real_corpus_is_measured_with_its_registers_found(tmp_path: Path, monkeypatch,
                                                            capsys: pytest.CaptureFixture[str]):
    """``--corpus DIR``: the registers found among the texts (a text's own list of works in its ``back`` does
    not make it one), the first ``--limit`` texts, a project built, rebuilt after an edit, and searched."""
    import json

    from edition.serve import CHROMIUM

    bench = _bench()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    template = bench.TEMPLATE.read_text(encoding="utf-8")
    for index in range(3):
        (corpus / f"letter-{index}.xml").write_text(bench.make_text(template, index, 30), encoding="utf-8")
    (corpus / "persons.xml").write_text(bench.make_register(30), encoding="utf-8")
    (corpus / "a-map.xml").write_text('<?xml version="1.0"?>\n<!-- <TEI> -->\n<mappingtable><doc id="letter-0"/>'
                                      "</mappingtable>", encoding="utf-8")  # not a TEI document: left out
    texts, registers = bench.corpus_files(corpus, limit=2)
    assert [p.name for p in texts] == ["letter-0.xml", "letter-1.xml"] and registers == [corpus / "persons.xml"]
    if not Path(CHROMIUM).exists():  # the download is measured in a browser: without one, only the rest
        monkeypatch.setattr(bench, "search_download", lambda site, query: {"query": query, "bytes": 0,
                                                                          "gzip_bytes": 0, "requests": 0})
    out = tmp_path / "results"
    monkeypatch.setattr("sys.argv", ["bench.py", "--corpus", str(corpus), "--limit", "2", "--output", str(out)])
    assert bench.main() == 0
    capsys.readouterr()
    measured = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert measured["results"] == [] and len(measured["corpora"]) == 1
    result = measured["corpora"][0]
    assert result["texts"] == 2 and result["registers"] == [str(corpus / "persons.xml")]
    for step in ("full_j1", "noop", "one_document", "full_jauto"):
        assert result[step]["seconds"] > 0 and result[step]["rss_mb"] > 0
        assert 0 < result[step]["pages_seconds"] <= result[step]["seconds"]  # the pages, then the search index
    assert result["edited"] == "tei/letter-0.xml" and result["incremental_equals_clean"] is True
    assert result["pages"] > 2 and result["search_index_seconds"] >= 0
    assert result["search_download"]["query"]  # the person most mentioned, by default
    assert "| corpus | texts |" in (out / "latest.md").read_text(encoding="utf-8")


def test_rebuilds_are_measured_side_by_side_on_copies_of_a_project(tmp_path: Path, monkeypatch,
                                                                   capsys: pytest.CaptureFixture[str]):
    """``--rebuild CHECKOUT… --project DIR``: each checkout builds its own copy of the project, then the same
    text is edited in each copy and rebuilt in turn; the project itself is left as it was."""
    import json
    import shutil

    bench = _bench()
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "roots" / "test-small", project / "docs")
    (project / "docs" / "tei").rename(project / "tei")
    conf = project / "docs" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"tei/', '"../tei/'), encoding="utf-8")
    before = (project / "tei" / "letter.xml").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["bench.py", "--rebuild", str(REPO), "--project", str(project),
                                     "--rounds", "2", "-j", "1"])
    assert bench.main() == 0
    measured = json.loads(capsys.readouterr().out)
    assert measured["text"] == str((project / "tei" / "letter.xml").resolve())
    (steps,) = measured["rebuild"].values()
    assert steps["full"]["seconds"] > 0 and steps["full"]["own_rss_mb"] > 0
    assert len(steps["one_text"]) == 2 and all(0 < s["pages_seconds"] <= s["seconds"] for s in steps["one_text"])
    assert steps["one_text_median"]["seconds"] > 0
    assert (project / "tei" / "letter.xml").read_text(encoding="utf-8") == before  # the copies were edited
    assert not (project / "docs" / "_build").exists()


def test_a_full_build_is_measured_with_the_memory_of_all_its_processes(tmp_path: Path):
    """``scripts/build_memory.py`` builds a copy of the project with ``-j 2`` and reports both peaks."""
    import subprocess
    import sys

    project = tmp_path / "project"
    letter = REPO / "tests" / "roots" / "test-small" / "tei"
    assert main(["init", str(project), "--tei", str(letter / "letter.xml"),
                 "--register", str(letter / "register.xml")]) == 0
    timeline = tmp_path / "timeline.txt"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_memory.py"), str(project), "-j", "2",
                             "--timeline", str(timeline)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("exit 0; wall ") and "CPU" in lines[0]
    assert lines[1].startswith("main process: peak ") and lines[2].startswith("all processes (PSS): peak ")
    # both peaks measured; no ratio between them: PSS shares the pages of the libraries among every process that
    # maps them (the test runner's too), so a small build's PSS can be well under its main process's RSS (CI: 38
    # against 79 MB)
    assert int(lines[2].split()[4]) > 0 and int(lines[1].split()[3]) > 0
    assert timeline.read_text().splitlines() and not (project / "docs" / "_build").exists()  # a copy was built


def test_the_memory_of_a_build_is_measured_with_the_toolkit_of_the_checkout_asked_for(tmp_path: Path):
    """``build_memory.py --checkout DIR`` builds with DIR's toolkit, whatever folder it is run from (run from
    the repository, ``python -m`` found the repository's first, so two versions were measured as one)."""
    import subprocess
    import sys

    checkout = tmp_path / "checkout"
    (checkout / "edition").mkdir(parents=True)
    (checkout / "edition" / "__init__.py").write_text("", encoding="utf-8")
    (checkout / "edition" / "cli.py").write_text("print('built by the checkout')\nraise SystemExit(3)\n",
                                                 encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_memory.py"), str(project), "-j", "1",
                             "--checkout", str(checkout), "--timeline", str(tmp_path / "timeline.txt")],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.stdout.startswith("exit 3;") and "built by the checkout" in result.stderr, result
