"""Broken and hostile input, through ``edition validate`` and ``edition build``.

Every file in ``tests/bad-input/`` must give its one-line message at its line and column
and the right exit code; nothing may be expanded, fetched or executed, and the site must
escape text and never link to ``javascript:``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from edition.cli import main

from .conftest import REPO

BAD = Path(__file__).parent / "bad-input"
REGISTER = BAD / "register.xml"
RULES = REPO / "tei" / "schema" / "edition.sch"

#: file -> (line, column, severity, the message's start), exit code of ``edition validate``
EXPECTED: dict[str, tuple[list[tuple[int, int, str, str]], int]] = {
    "unclosed-tag.xml": ([(7, 67, "error", "not well-formed XML: Opening and ending tag mismatch: hi line 7 and p")],
                         1),
    "undefined-entity.xml": ([(7, 19, "error", "not well-formed XML: Entity 'nbsp' not defined; write the character")],
                             1),
    "truncated.xml": ([(7, 65, "error", "not well-formed XML: Premature end of data in tag p line 7 (the file may be "
                                        "truncated)")], 1),
    "empty.xml": ([(1, 1, "error", "the file is empty; a TEI document starts with <TEI>")], 1),
    "no-namespace.xml": ([(2, 1, "error", "<TEI> is in no namespace, not the TEI namespace; add xmlns=")], 1),
    "wrong-namespace.xml": ([(2, 1, "error", "<TEI> is in namespace 'http://www.tei-c.org/ns/2.0', not the TEI")], 1),
    "not-tei.xml": ([(2, 1, "error", "the root element is <html>, not a TEI document")], 1),
    "latin1-bytes.xml": ([(7, 11, "error", "the file is not valid UTF-8 (it may be Latin-1 or Windows-1252)")], 1),
    "wrong-declaration.xml": ([(1, 1, "error", "the file declares encoding 'ISO-8859-1' but its bytes are UTF-8")], 1),
    "bom.xml": ([], 0),
    "duplicate-id.xml": ([(7, 5, "error", 'xml:id "p1" is used 2 times in this file'),
                          (8, 5, "error", "duplicate xml:id 'p1' (first used on line 7)")], 1),
    "dangling-ref.xml": ([(7, 8, "error", "unresolved reference on <persName>: 'register.xml#kamanev': no person with "
                                          "xml:id 'kamanev' in the registers; did you mean #kamenev?")], 1),
    "ref-to-place.xml": ([(7, 8, "error", "unresolved reference on <persName>: 'register.xml#moscow' points to a "
                                          "<place>, not to a <person>")], 1),
    "invalid-dates.xml": ([(7, 8, "error", "invalid date value '1924-13-45'"),
                           (7, 70, "error", "invalid date value '21.01.1924'")], 1),
    "xxe.xml": ([(2, 1, "error", "the DOCTYPE declares entities (secret); entities are never expanded")], 1),
    "doctype-in-comment.xml": ([(3, 1, "error", "the DOCTYPE declares entities (secret); entities are never "
                                                "expanded")], 1),
    "billion-laughs.xml": ([(2, 1, "error", "the DOCTYPE declares entities (lol, lol1, lol2, lol3, lol4, …)")], 1),
    "remote-dtd.xml": ([(2, 1, "info", "the DOCTYPE points to a DTD (http://example.org/tei.dtd), which is not "
                                          "loaded")], 0),
    "xinclude-outside.xml": ([(7, 18, "error", "xi:include of '../../../../../../../etc/passwd' points outside the "
                                               "project")], 1),
    "deep-nesting.xml": ([(7, 1019, "error", "elements are nested more than 256 levels deep")], 1),
    "javascript-url.xml": ([(7, 8, "error", "unsafe link target 'javascript:alert(document.cookie)' not rendered"),
                            (7, 73, "error", "unresolved reference on <persName>: unsupported URI scheme in "
                                             "'javascript:alert(1)'")], 1),
    "markup-in-text.xml": ([], 0),
}


def test_the_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.glob("*.xml") if p != REGISTER)


def _problems_of(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(str(BAD / name) + ":")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_reports_each_bad_input(name: str, capsys: pytest.CaptureFixture[str], monkeypatch):
    monkeypatch.delenv("TEI_ALL_RNG", raising=False)
    code = main(["validate", str(BAD / name), "-r", str(REGISTER), "--rules", str(RULES)])
    output = capsys.readouterr().out
    expected, exit_code = EXPECTED[name]
    found = _problems_of(output, name)
    assert len(found) == len(expected), found
    for line, (number, col, severity, message) in zip(found, expected, strict=True):
        assert line.startswith(f"{BAD / name}:{number}:{col}: {severity}: {message}"), line
    assert code == exit_code, output


def test_validate_json_gives_the_same(capsys: pytest.CaptureFixture[str], monkeypatch):
    import json

    monkeypatch.delenv("TEI_ALL_RNG", raising=False)
    code = main(["validate", str(BAD / "invalid-dates.xml"), "-r", str(REGISTER), "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1 and result["errors"] == 2
    assert [(p["line"], p["col"], p["severity"]) for p in result["problems"]] == [(7, 8, "error"), (7, 70, "error")]
    assert result["problems"][0]["path"] == str(BAD / "invalid-dates.xml")


def test_a_50_mb_file_is_refused_with_a_way_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    big = tmp_path / "big.xml"
    with big.open("w", encoding="utf-8") as out:
        out.write('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n')
        line = "<p>All work and no play makes Jack a dull boy; all work and no play makes Jack a dull boy.</p>\n"
        out.write(line * (50 * 1024 * 1024 // len(line) + 1))
        out.write("</body></text></TEI>\n")
    assert main(["validate", str(big)]) == 1
    assert f"{big}:1:1: error: the file is 50 MB, more than the limit of 32 MB; split it, or raise the limit with " \
           "TEI_EDITION_MAX_FILE_MB" in capsys.readouterr().out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch):
    assert main(["validate", str(BAD / "bom.xml"), "--rules", str(tmp_path / "missing.sch")]) == 2
    monkeypatch.setenv("TEI_ALL_RNG", str(tmp_path / "tei_all.rng"))
    assert main(["validate", str(BAD / "bom.xml")]) == 2
    error = capsys.readouterr().err
    assert "missing.sch: no such file" in error and "download tei_all.rng from https://www.tei-c.org/" in error
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--format", "yaml"])
    assert exit_.value.code == 2


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project publishing every bad input, plus a 240-level nesting (allowed) and a 50 MB file."""
    project = tmp_path_factory.mktemp("bad-project")
    tei = project / "tei"
    shutil.copytree(BAD, tei)
    deep = (BAD / "deep-nesting.xml").read_text().replace("<hi>" * 300, "<hi>" * 240).replace("</hi>" * 300,
                                                                                           "</hi>" * 240)
    (tei / "deep-allowed.xml").write_text(deep)
    with (tei / "huge.xml").open("w", encoding="utf-8") as out:
        out.write('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n')
        out.write("<p>All work and no play makes Jack a dull boy.</p>\n" * (50 * 1024 * 1024 // 50))
        out.write("</body></text></TEI>\n")
    texts = sorted(p.name for p in tei.glob("*.xml") if p.name != "register.xml")
    (project / "docs").mkdir()
    (project / "docs" / "conf.py").write_text(
        f'project = "Bad input"\nextensions = ["myst_parser", "edition"]\n'
        f"edition_texts = {[f'../tei/{t}' for t in texts]!r}\nedition_registers = ['../tei/register.xml']\n"
    )
    (project / "docs" / "index.md").write_text("# Bad input\n\n```{toctree}\n:glob:\n\ntexts/*\npersons/index\n```\n")
    return project


def _build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition.cli", "build", str(project), "-q"], capture_output=True,
                          text=True, check=False, env={**os.environ, "NO_COLOR": "1"})


def test_build_reports_every_bad_input_at_its_place(bad_project: Path):
    for attempt in ("first build", "second build, nothing changed"):
        result = _build(bad_project)
        assert result.returncode == 1, attempt
        assert "Traceback" not in result.stdout + result.stderr
        for name, (expected, _) in EXPECTED.items():
            for line, col, severity, message in expected:
                if message.startswith("xml:id ") or severity == "info":  # validate only / not shown with -q
                    continue
                warning = f"{bad_project / 'tei' / name}:{line}:{col}: WARNING: {message}"
                assert warning in result.stderr, (attempt, warning, result.stderr)
        assert f"{bad_project / 'tei' / 'deep-allowed.xml'}:7:260: WARNING: elements nested more than 64 levels " \
               "deep are shown as plain text" in result.stderr
        assert re.search(rf"{re.escape(str(bad_project / 'tei' / 'huge.xml'))}:1:1: WARNING: the file is \d+ MB, more "
                         "than the limit of 32 MB", result.stderr)


def test_the_site_never_expands_fetches_or_runs_anything(bad_project: Path):
    _build(bad_project)
    site = bad_project / "docs" / "_build" / "html"
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "root:x:0" not in html and "lollollol" not in html, page
        tree = lxml.html.fromstring(html)
        for link in tree.xpath("//a[@href]"):
            assert not re.match(r"\s*(javascript|data|vbscript):", link.get("href"), re.I), (page, link.get("href"))
    main_text = lxml.html.parse(str(site / "texts" / "markup-in-text.html")).xpath('//div[@role="main"]')[0]
    words = " ".join(main_text.text_content().split())
    assert '<script>alert("x")</script> and {person}`stalin` and *not emphasis* and `code`' in words
    assert "[a](javascript:alert(1)) and <b>bold</b> &amp;" in words
    assert not main_text.xpath(".//script | .//b | .//em")
    deep = lxml.html.parse(str(site / "texts" / "deep-allowed.html")).xpath('//div[@role="main"]')[0]
    assert "deep" in deep.text_content()
    unread = lxml.html.parse(str(site / "texts" / "xxe.html")).xpath('//div[@role="main"]')[0]
    assert "This text could not be read" in unread.text_content()


def test_inert_parameter_entities_are_allowed_but_references_to_them_are_not():
    from edition.core.xmlparse import XMLError, parse_bytes

    body = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>'
    old_style = f'<!DOCTYPE TEI SYSTEM "tei.dtd" [\n<!ENTITY % TEI.core "INCLUDE">\n]>\n{body}'
    assert parse_bytes(old_style.encode(), "old.xml").getroot().tag.endswith("TEI")
    sneaky = f"<!DOCTYPE TEI [\n<!ENTITY % x \"<!ENTITY y 'boom'>\">\n%x;\n]>\n{body}"
    with pytest.raises(XMLError, match=r"old.xml:1:1: error: the DOCTYPE declares entities \(y\)"):
        parse_bytes(sneaky.encode(), "old.xml")
    pe_only = f'<!DOCTYPE TEI [\n<!ENTITY % x SYSTEM "file:///etc/passwd">\n%x;\n]>\n{body}'
    with pytest.raises(XMLError, match=r"declares entities \(%x;\)"):
        parse_bytes(pe_only.encode(), "old.xml")
