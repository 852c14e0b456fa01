"""Safe XInclude: files inside the project are included, everything else is reported, nothing is lost."""

from __future__ import annotations

from pathlib import Path

from edition.core.xinclude import load_tei, source_of
from edition.core.xmlparse import plain_text, tei

NS = 'xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_includes_inside_the_project_are_resolved(tmp_path: Path):
    _write(tmp_path / "parts" / "chapter.xml", f'<div {NS}><p xml:id="c1">Chapter one.</p><p>Other.</p></div>')
    _write(tmp_path / "parts" / "motto.txt", "A motto & more")
    main = _write(tmp_path / "main.xml", f'<TEI {NS}><text><body><xi:include href="parts/chapter.xml"/>'
                                         '<p>Motto: <xi:include href="parts/motto.txt" parse="text"/>!</p>'
                                         '<xi:include href="parts/chapter.xml" xpointer="c1"/></body></text></TEI>')
    problems = []
    tree = load_tei(main, tmp_path, problems)
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    assert problems == []
    assert plain_text(body) == "Chapter one.Other.Motto: A motto & more!Chapter one."
    chapter = body.find(tei("div"))
    assert source_of(chapter, str(main)) == str((tmp_path / "parts" / "chapter.xml").resolve())
    assert source_of(body, str(main)) == str(main)


def test_outside_missing_and_cyclic_includes_are_reported_and_fall_back(tmp_path: Path):
    project = tmp_path / "project"
    _write(tmp_path / "secret.xml", f'<p {NS}>secret</p>')
    _write(project / "loop.xml", f'<div {NS}><xi:include href="loop.xml"/></div>')
    main = _write(project / "main.xml", (
        f'<TEI {NS}><text><body>\n'
        '<p>A<xi:include href="../secret.xml"><xi:fallback>[fallback text]</xi:fallback></xi:include>B</p>\n'
        '<xi:include href="missing.xml"/>\n'
        '<xi:include href="loop.xml"/>\n'
        '<xi:include href="https://example.org/remote.xml"/>\n'
        "</body></text></TEI>"))
    problems = []
    tree = load_tei(main, project, problems)
    messages = [(p.line, p.message) for p in problems]
    assert messages[0][0] == 2 and "points outside the project" in messages[0][1]
    assert messages[1][0] == 3 and "no such file" in messages[1][1]
    assert any("includes itself" in m for _, m in messages)
    assert messages[-1][0] == 5 and "points to the network" in messages[-1][1]
    assert "secret" not in plain_text(tree.getroot())
    assert "A[fallback text]B" in plain_text(tree.getroot())
