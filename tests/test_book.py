"""The edition as one document (LaTeX): every text in it, notes as footnotes of their own text, the book
following the edition's texts and entries from build to build."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOTS, build_root
from .test_cli import run

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _text(folder: Path, name: str, title: str, body: str) -> str:
    path = folder / f"{name}.xml"
    path.write_text(f'<TEI {NS}><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
                    "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>"
                    f"</teiHeader><text><body>{body}</body></text></TEI>", encoding="utf-8")
    return str(path)


def test_the_notes_of_two_texts_are_footnotes_each_in_its_own_text(tmp_path: Path):
    """Both texts number their notes from 1: each marker gets its own text's note (this crashed: the
    assembled book's pages were told apart by walking up from a marker, which Sphinx's assembly prevents)."""
    tei = tmp_path / "tei"
    tei.mkdir()
    first = _text(tei, "first", "First text",
                  "<div><head>A chapter with a note<note>In the heading.</note></head>"
                  "<p>Alpha<note>Note one of the first<note>nested in it</note>.</note> and beta"
                  "<note>Note two of the first.</note>.</p></div>")
    second = _text(tei, "second", "Second text", "<p>Gamma<note>Note one of the second.</note>.</p>"
                   "<table><row><cell>Cell<note>In a cell.</note></cell></row></table>")
    app = build_root("test-model", tmp_path, buildername="latex", warningiserror=False,  # the root's registers
                     confoverrides={"edition_texts": [first, second], "edition_registers": []})
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    for words in ("In the heading.", "Note one of the first", "nested in it", "Note two of the first.",
                  "Note one of the second.", "In a cell."):
        assert tex.count(words) == 1, words
    first_at, second_at = tex.index(r"\section{First text}"), tex.index(r"\section{Second text}")
    assert first_at < tex.index("Note two of the first.") < second_at < tex.index("Note one of the second.")
    assert r"{Notes}" not in tex and "Reading key" not in tex  # no list after the text, no web page's key
    assert "select the number" not in tex  # nor its items (the key became a details: the book kept them)
    assert tex.count(r"\begin{footnote}") + tex.count(r"\begin{footnotetext}") == 6


def test_the_book_follows_entries_that_come_and_go(tmp_path: Path):
    """An incremental book build has a new entry, and no longer the one removed (its index page's toctree
    is read again), as a clean build has."""
    def book() -> str:
        app = build_root("test-kinds", tmp_path, buildername="latex",
                         confoverrides={"edition_unmentioned": "page"})
        return next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")

    assert "Estates General" not in book()
    register = tmp_path / "src" / "tei" / "events.xml"
    original = register.read_text(encoding="utf-8")
    register.write_text(original.replace(
        "</listEvent>", '<event xml:id="estates"><eventName>Estates General</eventName></event></listEvent>'),
        encoding="utf-8")
    assert r"{Estates General}" in book()
    register.write_text(original, encoding="utf-8")
    assert "Estates General" not in book()


def test_a_library_kind_replaced_in_conf_py_builds_strictly(tmp_path: Path):
    """``edition_kinds`` replacing ``place`` (another folder and words): ``edition build --strict``
    (warnings are errors) succeeds, and the generated pages of the folder before are gone."""
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-kinds", project)
    events = project / "tei" / "events.xml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "</listEvent>", '</listEvent><listPlace><place xml:id="paris"><placeName>Paris</placeName></place>'
                        "</listPlace>"), encoding="utf-8")
    conf = project / "conf.py"
    with conf.open("a", encoding="utf-8") as written:  # Paris, which no text names, gets a page too
        written.write('\nedition_unmentioned = "page"\n')
    result = run("build", str(project), "-q", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "places" / "paris.edition").is_file()
    kind = ('{"name": "place", "elements": ["place"], "entry_names": ["placeName"], "text_names": ["placeName"], '
            '"rs_types": ["place"], "folder": "sites", "singular": "site", "plural": "sites"}')
    with conf.open("a", encoding="utf-8") as written:
        written.write(f"\nedition_kinds.append({kind})\n")
    result = run("build", str(project), "-q", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "already registered" not in result.stdout + result.stderr
    assert (project / "sites" / "paris.edition").is_file() and not (project / "places" / "paris.edition").exists()
    site = project / "_build" / "html"
    assert (site / "sites" / "paris.html").is_file() and not (site / "places" / "paris.html").exists()
    assert "no sites" not in (site / "sites" / "index.html").read_text(encoding="utf-8")
