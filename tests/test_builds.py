"""Incremental and parallel builds give the same site as a clean build; problems are located warnings."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes
from lxml import etree
from sphinx.addnodes import pending_xref
from sphinx.util.console import strip_colors

from edition.core import register
from edition.nodes import text_html

from .conftest import EDITION_REGISTER, EDITION_TEXT, REPO, ROOTS, build_root, edition_overrides, page

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
SKIP = {".buildinfo"}  # Sphinx's own bookkeeping, not a page


def _snapshot(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.name not in SKIP and "_sources" not in p.parts}


def _copy_edition(where: Path) -> dict:
    tei = where / "tei"
    tei.mkdir(parents=True)
    shutil.copy(EDITION_TEXT, tei)
    shutil.copy(EDITION_REGISTER, tei)
    return {**edition_overrides(), "edition_texts": [str(tei / EDITION_TEXT.name)],
            "edition_registers": [str(tei / EDITION_REGISTER.name)]}


def test_incremental_build_after_edits_equals_clean_build(tmp_path: Path):
    overrides = _copy_edition(tmp_path)
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    text = Path(overrides["edition_texts"][0])
    # an edit that changes the mentions of persons: one more Kamenev, one Zinoviev fewer
    source = text.read_text(encoding="utf-8")
    edited = source.replace('<persName ref="persons.xml#zinoviev">Zinoviev</persName> and <persName '
                            'ref="persons.xml#tomsky">Tomsky</persName>',
                            '<persName ref="persons.xml#kamenev">Kamenev</persName> and <persName '
                            'ref="persons.xml#tomsky">Tomsky</persName>', 1)
    assert edited != source
    text.write_text(edited, encoding="utf-8")
    register = Path(overrides["edition_registers"][0])
    register.write_text(register.read_text(encoding="utf-8").replace(
        "Soviet and Russian historian", "Soviet dissident historian"), encoding="utf-8")
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    incremental = _snapshot(Path(app.outdir))
    assert "Soviet dissident historian" in page(app, "persons/medvedev").text_content()
    kamenev = page(app, "persons/kamenev").xpath('//ol[contains(@class, "entry-mentions")]/li')
    assert len(kamenev) == 8
    clean = build_root("test-edition", tmp_path / "clean", confoverrides=overrides)
    assert _snapshot(Path(clean.outdir)) == incremental


def test_parallel_build_equals_serial_build(tmp_path: Path):
    overrides = _copy_edition(tmp_path)
    serial = build_root("test-edition", tmp_path / "serial", confoverrides=overrides)
    parallel = build_root("test-edition", tmp_path / "parallel", confoverrides=overrides, parallel=2)
    assert _snapshot(Path(parallel.outdir)) == _snapshot(Path(serial.outdir))


def test_problems_in_the_tei_are_warnings_at_the_tei_line_and_column(tmp_path: Path):
    app = build_root("test-small", tmp_path, warningiserror=False)
    warnings = strip_colors(app.warning.getvalue())
    letter = str((Path(app.srcdir) / "tei" / "letter.xml").resolve())
    expected = [
        f"{letter}:8:9: WARNING: unresolved reference on <persName>: 'register.xml#brunno': no person with xml:id "
        "'brunno' in the registers; did you mean #bruno?",
        f"{letter}:8:66: WARNING: unresolved reference on <persName>: 'register.xml#vienna' points to a <place>, "
        "not to a <person>",
        f"{letter}:9:12: WARNING: invalid date value '1890-13-45'",
        f"{letter}:10:7: WARNING: duplicate xml:id 'p1' (first used on line 7)",
        f"{letter}:10:109: WARNING: unsafe link target 'javascript:alert(1)' not rendered as a link",
    ]
    for line in expected:
        assert line in warnings, (line, warnings)
    assert "unknown person 'nobody'" in warnings
    text = page(app, "texts/letter")
    assert not [a for a in text.xpath("//a[@href]") if a.get("href").lower().startswith("javascript")]
    assert "<script>alert(1)</script>" in text.text_content() and not text.xpath("//article//script")
    anna = page(app, "persons/anna")
    assert anna.xpath('//a[@href="https://d-nb.info/gnd/118540238"]')
    assert len(anna.xpath('//ol[contains(@class, "entry-mentions")]/li')) == 2  # in the text and in a note


def test_chronology_orders_bce_years_before_ce_years():
    from edition.core.dates import sort_key

    values = ["1924-01-21", "-0044-03-15", "0030", "-0500", "1921", "-12000", "--09-01", "1924-01-21T10:00:00"]
    assert sorted(values, key=sort_key) == ["-12000", "-0500", "-0044-03-15", "0030", "1921", "1924-01-21",
                                            "1924-01-21T10:00:00", "--09-01"]


def _with_a_postcard(where: Path) -> tuple[Path, Path, dict]:
    """test-small copied to ``where/src`` with a postcard naming Bruno once: the sources, the postcard and the
    overrides that make the letter and the postcard the edition's texts."""
    src = where / "src"
    shutil.copytree(ROOTS / "test-small", src)
    postcard = src / "tei" / "postcard.xml"
    postcard.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A postcard</title>'
        "</titleStmt><publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc>"
        '</fileDesc></teiHeader><text><body><p>Greetings to <persName ref="register.xml#bruno">Bruno</persName>.'
        "</p></body></text></TEI>", encoding="utf-8")
    return src, postcard, {"edition_texts": ["tei/letter.xml", "tei/postcard.xml"]}


def test_editing_a_register_entry_rereads_its_page_and_the_texts_that_show_what_changed(tmp_path: Path):
    """A text shows of an entry its name and dates (the links' titles): a new description re-reads the
    entry's page only; a new name also the texts that name the entry, not the others."""
    src, _postcard, overrides = _with_a_postcard(tmp_path / "inc")
    build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    register = src / "tei" / "register.xml"
    register.write_text(register.read_text(encoding="utf-8").replace("Writer of the letter.", "Wrote the letter."),
                        encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False, build=False)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    # the page of the entry alone: the texts do not show descriptions (the downloads are rewritten, not re-read)
    assert sorted(set(read)) == ["persons/anna"]
    assert "Wrote the letter." in page(app, "persons/anna").text_content()
    # the same for a place: its page and the text that points at it
    register.write_text(register.read_text(encoding="utf-8").replace("<placeName>Vienna", "<placeName>Wien"),
                        encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False, build=False)
    read.clear()
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    assert sorted(set(read)) == ["places/vienna", "texts/letter"]
    assert page(app, "places/index").xpath('//a[.="Wien"]')
    shutil.copytree(src, tmp_path / "clean" / "src", ignore=shutil.ignore_patterns("_build"))
    clean = build_root("test-small", tmp_path / "clean", confoverrides=overrides, warningiserror=False)
    assert _snapshot(Path(clean.outdir)) == _snapshot(Path(app.outdir))


def test_the_corpus_export_is_rewritten_only_when_a_file_changed(tmp_path: Path):
    overrides = _copy_edition(tmp_path)
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    corpus = Path(app.outdir) / "tei" / "edition-corpus.xml"
    written = corpus.stat().st_mtime_ns
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert corpus.stat().st_mtime_ns == written  # nothing changed: not rebuilt
    register = Path(overrides["edition_registers"][0])
    register.write_text(register.read_text(encoding="utf-8").replace("Soviet and Russian historian",
                                                                     "Soviet dissident historian"), encoding="utf-8")
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert b"Soviet dissident historian" in corpus.read_bytes()


def test_the_corpus_export_is_made_again_from_the_one_written_last_as_a_new_export_would_be(tmp_path: Path):
    """Unchanged files' parts are taken from the export written last, not kept twice: the cache held every
    part's bytes (60 MB at the Escher letters, loaded and written again at every build). An edited, an added
    and a removed file, an id that becomes shared (renaming the other file's) and one a pointer names that is
    gone give the export a first build gives; so does an export replaced behind the build's back."""
    from types import SimpleNamespace

    from edition.publish.export import write_corpus

    ns = 'xmlns="http://www.tei-c.org/ns/1.0"'

    def tei_file(name: str, body: str) -> Path:
        path = tmp_path / "tei" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"<TEI {ns}><teiHeader/><text><body>{body}</body></text></TEI>", encoding="utf-8")
        return path

    persons = tei_file("persons.xml", '<listPerson><person xml:id="lenin"/></listPerson>')
    letters = [tei_file(f"letter-{n}.xml", f'<p xml:id="p{n}"><persName ref="persons.xml#lenin">L{n}</persName>'
                        f"{' and more words' * 100}</p>") for n in range(6)]

    def both(texts: list[Path]) -> tuple[bytes, bytes]:
        edition = SimpleNamespace(texts=[SimpleNamespace(path=path) for path in texts], registers=[persons])
        state = tmp_path / "state"
        state.mkdir(exist_ok=True)
        again = write_corpus(edition, tmp_path / "site", "T", "corpus.xml", state)
        shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
        fresh = write_corpus(edition, tmp_path / "fresh", "T", "corpus.xml", tmp_path / "fresh")
        assert (state / "edition-corpus.cache").stat().st_size < again.stat().st_size / 4
        return again.read_bytes(), fresh.read_bytes()

    first, fresh = both(letters)
    assert first == fresh and first.count(b"<TEI") == 7
    letters[2].write_text(letters[2].read_text(encoding="utf-8").replace("L2", "Lenin, edited"), encoding="utf-8")
    added = tei_file("letter-9.xml", '<p xml:id="p4">a second p4: both are renamed</p>')
    again, fresh = both([*letters[:4], *letters[5:], added])
    assert again == fresh and b"Lenin, edited" in again and b"L4" not in again
    assert b'xml:id="letter-9.p4"' not in again  # letter-4 is gone: p4 is letter-9's alone
    again, fresh = both([*letters, added])
    assert again == fresh and b'xml:id="letter-9.p4"' in again and b'xml:id="letter-4.p4"' in again
    # an export replaced by a file of the same size and time: not the one the cache tells of
    site = tmp_path / "site" / "tei" / "corpus.xml"
    before = site.stat()
    other = site.with_name("other.xml")  # saved as editors save: a new file, renamed over the old one
    other.write_bytes(site.read_bytes().replace(b"<TEI", b"<TEJ"))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, site)
    letters[0].write_text(letters[0].read_text(encoding="utf-8").replace("L0", "L-zero"), encoding="utf-8")
    again, fresh = both([*letters, added])
    assert again == fresh and b"L-zero" in again and b"<TEJ" not in again
    # a kept part's pointer into a file whose id is gone: no longer made local (found in review)
    persons.write_text(persons.read_text(encoding="utf-8").replace("lenin", "trotsky"), encoding="utf-8")
    again, fresh = both([*letters, added])
    assert again == fresh and b'ref="persons.xml#lenin"' in again and b'ref="#lenin"' not in again
    # a file named twice is one part (its ids were doubled), and the renaming kept is not trusted then
    again, fresh = both([*letters, added, letters[1]])
    assert again == fresh and again.count(b"<TEI") == 1 + len(letters) + 1
    again, fresh = both([*letters, added])
    assert again == fresh
    # a kept file that can no longer be parsed when its part must be made again: all made again, not a failure
    letters[3].write_text(letters[3].read_text(encoding="utf-8").replace('xml:id="p3"', 'xml:id="p1"'),
                          encoding="utf-8")  # p1 shared now: letter-1's part is made again from its file
    from edition.publish import export

    parse_file = export.parse_file

    def failing(path, *arguments, **options):
        if Path(path).name == "letter-1.xml":
            raise OSError(5, "Input/output error")
        return parse_file(path, *arguments, **options)

    export.parse_file = failing
    try:
        again, fresh = both([*letters, added])
    finally:
        export.parse_file = parse_file
    assert again == fresh and b'xml:id="letter-1.p1"' in again


def test_the_search_filters_years_are_kept_when_a_text_is_read_not_unpacked_from_its_dates(tmp_path: Path,
                                                                                            monkeypatch):
    """The search page lists every year of the texts' dates, and each text's page gives its years to the index:
    both unpacked and parsed every text's dates at every build (5,069 texts at the Escher letters)."""
    from edition.core.dates import years_of
    from edition.domain import EditionDomain
    from edition.searchpage import facets, search_form

    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    domain = app.env.domains["tei"]
    docname = f"texts/{EDITION_TEXT.stem}"
    years = years_of(domain.dates_of(docname))
    assert len(years) > 3 and domain.years_searched(docname) == years

    def unpacked(*_arguments):
        raise AssertionError("the dates were unpacked")

    monkeypatch.setattr(EditionDomain, "dates_of", unpacked)
    assert facets(domain, docname)["year"] == [str(year) for year in years]
    assert all(f'value="{year}"' in search_form(app) for year in years)


def test_a_build_uses_the_templates_the_build_before_compiled(tmp_path: Path, monkeypatch):
    """Each process compiled every page template again (0.12 s of a one-text rebuild at 500 texts): they are kept
    compiled with the build's state; a cache that cannot be written only costs the compiling."""
    import jinja2

    from edition.templatecache import FOLDER

    first = build_root("test-small", tmp_path, warningiserror=False)
    assert list((Path(first.doctreedir) / FOLDER).glob("*/__jinja2_*.cache"))
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *arguments, **options):
        compiled.append(name)
        return compile_template(self, source, name, filename, *arguments, **options)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    again = build_root("test-small", tmp_path, warningiserror=False, freshenv=True)
    assert page(again, "index").xpath("//h1") and not [name for name in compiled if name]
    for cached in (Path(first.doctreedir) / FOLDER).glob("*/*"):
        cached.unlink()

    def unwritable(*_arguments):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", unwritable)
    stuck = build_root("test-small", tmp_path, warningiserror=False, freshenv=True)
    assert page(stuck, "index").xpath("//h1") and not list((Path(first.doctreedir) / FOLDER).glob("*/*"))


def test_a_generated_pages_stub_is_not_copied_and_the_copy_an_earlier_version_made_goes(tmp_path: Path):
    """Sphinx copied each page's source into ``_sources/``: for a generated page, its stub, which no link
    offers (10,801 files at the Escher letters, looked at by every publication)."""
    app = build_root("test-small", tmp_path, warningiserror=False)
    sources = Path(app.outdir) / "_sources"
    assert (sources / "index.rst.txt").is_file() or (sources / "index.md.txt").is_file()
    assert not list(sources.rglob("*.edition*"))
    stale = sources / "texts" / "letter.edition.txt"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("a stub an earlier version copied", encoding="utf-8")
    build_root("test-small", tmp_path, warningiserror=False, freshenv=True)  # its page written again
    assert not stale.exists()


def test_doctrees_are_not_all_kept_in_memory_until_writing(tmp_path: Path):
    """Sphinx keeps each doctree read for the write phase unless told otherwise: at edition scale that was
    half of the build's memory (scripts/bench.py). At most the last one read may still be held."""
    app = build_root("test-small", tmp_path, warningiserror=False, build=False)
    held: list[int] = []
    app.connect("write-started", lambda _app, builder: held.append(len(builder.env._write_doc_doctree_cache)))
    app.build()
    assert len(app.env.found_docs) > 3 and held and held[0] <= 1


def test_the_mentions_and_dates_of_a_text_are_pickled_packed_and_read_back_the_same(tmp_path: Path):
    """The mentions and dates, with their words around them, were two thirds of the environment's pickle (22 MB
    at 500 texts), loaded and saved again by every build: each text's are kept as one compressed string."""
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    data = app.env.domains["tei"].data
    docname = f"texts/{EDITION_TEXT.stem}"
    for key in ("mentions", "dates"):
        items = list(data[key][docname])
        words = sum(len(item.before) + len(item.after) + len(item.form) for item in items)
        pickled = pickle.dumps(data[key][docname], pickle.HIGHEST_PROTOCOL)
        assert len(items) > 20 and len(pickled) < words, key  # as objects: every word, and more
        again = pickle.loads(pickled)
        assert len(again) == len(items) and list(again) == items and again[-1] == items[-1]
    assert data["mentions"][docname][0].entry and data["dates"][docname][0].start


def test_computed_lists_are_written_as_html_not_walked_as_nodes(tmp_path: Path):
    """The mention lists, indexes and chronology hold most of a large edition's items (140,000 mentions at
    1,000 texts): they are written straight to HTML, not built as docutils nodes for the writer to walk."""
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    lists = {"persons/kamenev": 'class="simple entry-mentions"', "persons/index": "entry-index-of-person",
             "chronology": "edition-chronology", "texts/index": "edition-texts"}
    for docname, listed in lists.items():
        doctree = app.env.get_and_resolve_doctree(docname, app.builder, tags=app.tags)  # as written
        assert [n for n in doctree.findall(text_html) if listed in n["html"] and not n.astext()], docname
        assert not list(doctree.findall(nodes.list_item)) and not list(doctree.findall(nodes.row)), docname
    kamenev = page(app, "persons/kamenev")
    assert len(kamenev.xpath('//ol[contains(@class, "entry-mentions")]/li//a[@href]')) >= 7


def test_the_running_text_is_held_as_html_blocks_not_as_a_node_per_element(tmp_path: Path):
    """A text has about a thousand inline elements (names, dates, note markers): each block's running text
    is one node of HTML, so that the doctree Sphinx pickles, transforms and writes stays small."""
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    docname = f"texts/{EDITION_TEXT.stem}"
    doctree = app.env.get_doctree(docname)
    blocks = list(doctree.findall(text_html))
    assert len(blocks) > 30
    assert sum(1 for _ in doctree.findall()) < 12 * len(blocks)  # was about 40 per block
    assert not list(doctree.findall(pending_xref)) and not list(doctree.findall(nodes.reference))
    text = page(app, docname)
    assert text.xpath('//h2/a[@href="../persons/stalin.html"]/span[contains(@class, "tei-name")]')  # a name in a head
    assert len(text.xpath('//a[@href="../persons/kamenev.html"]')) == 7


def test_builders_that_do_not_write_html_get_the_computed_lists_too(tmp_path: Path):
    """LaTeX, text… builders get the running text and the same lists as docutils nodes."""
    app = build_root("test-edition", tmp_path, buildername="text", confoverrides=edition_overrides())
    text = " ".join((Path(app.outdir) / "texts" / f"{EDITION_TEXT.stem}.txt").read_text(encoding="utf-8").split())
    assert ("Alexandra Kollontai and Alexander Shlyapnikov, the leaders of the Workers' Opposition group. In 1921"
            in text)
    kamenev = (Path(app.outdir) / "persons" / "kamenev.txt").read_text(encoding="utf-8")
    assert "7 mentions in the texts of the edition." in kamenev
    assert "Kamanev (1×)" in kamenev and "Lev Kamenev (2×)" in kamenev
    chronology = (Path(app.outdir) / "chronology.txt").read_text(encoding="utf-8")
    assert "1922-04-03" in chronology and "As written" in chronology
    index = (Path(app.outdir) / "persons" / "index.txt").read_text(encoding="utf-8")
    assert "Kamenev, Lev" in index and "7 mentions" in index


def test_a_rebuild_reads_for_the_registers_only_the_files_that_changed(tmp_path: Path, monkeypatch):
    """The registry is kept between builds file by file: after editing one text of a large edition, the
    other texts (and the registers) are not read again for their entries (N = 1000: 5 s of a rebuild)."""
    src = tmp_path / "inc" / "src"
    shutil.copytree(ROOTS / "test-small", src)
    overrides = {"edition_texts": ["tei/letter.xml"]}
    build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    letter = src / "tei" / "letter.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Dear ", "Dearest "), encoding="utf-8")
    read: list[str] = []
    original = register.read_file_entries
    monkeypatch.setattr(register, "read_file_entries", lambda path, *args: read.append(path.name) or
                        original(path, *args))
    app = build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    assert read == ["letter.xml"]
    assert "Dearest" in page(app, "texts/letter").text_content()
    assert page(app, "persons/anna").xpath('//ol[contains(@class, "entry-mentions")]/li')


def test_the_chronology_follows_a_retitled_text(tmp_path: Path):
    """The chronology and the entry pages name the text of each date and mention: retitling a text (its
    dates and names unchanged) rewrites them."""
    src = tmp_path / "inc" / "src"
    shutil.copytree(ROOTS / "test-small", src)
    build_root("test-small", tmp_path / "inc", warningiserror=False)
    letter = src / "tei" / "letter.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("<title>A letter</title>",
                                                                 "<title>A letter to Bruno</title>"), encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False)
    where = page(app, "chronology").xpath("//table//tr/td[4]//a")
    assert where and all(a.text_content() == "A letter to Bruno" for a in where)
    texts = page(app, "persons/anna").xpath('//p[contains(@class, "entry-mentions-text")]')
    assert [p.text_content() for p in texts] == ["A letter to Bruno"]


def _two_letters(where: Path) -> tuple[Path, Path, dict]:
    """test-small copied to ``where/src`` with a second letter (a copy of the first, titled "A second letter"):
    the sources, the first letter and the overrides that make both the edition's texts."""
    src = where / "src"
    shutil.copytree(ROOTS / "test-small", src)
    letter = src / "tei" / "letter.xml"
    (src / "tei" / "second.xml").write_text(letter.read_text(encoding="utf-8").replace(
        "<title>A letter</title>", "<title>A second letter</title>"), encoding="utf-8")
    return src, letter, {"edition_texts": ["tei/letter.xml", "tei/second.xml"]}


def test_a_rebuild_unpacks_only_the_mentions_of_texts_whose_entries_changed(tmp_path: Path):
    """Which entry pages an edit changes is known from each text's fingerprint of what it names: the mentions
    of the other texts stay packed (at the Escher letters, unpacking all 5,000 took half a second of every
    save), and the pages are those of a clean build."""
    src, letter, overrides = _two_letters(tmp_path / "inc")
    build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)

    letter.write_text(letter.read_text(encoding="utf-8").replace("Second <hi", "Another <hi"), encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    domain = app.env.domains["tei"]
    assert domain.data["mentions"]["texts/second"]._items is None  # no name's page changed: nothing unpacked
    for ident, texts in (("anna", ["texts/letter", "texts/second"]), ("nobody", [])):
        domain.begin_build()  # each asked first, of a new reverse index
        assert domain.texts_naming(ident) == texts
    counts = page(app, "tei-persons").xpath('//tr[.//a[contains(@href, "persons/anna.html")]]')
    assert counts and "4 mentions" in counts[0].text_content()

    index = Path(app.outdir) / "persons" / "index.html"
    written = index.stat().st_mtime_ns
    letter.write_text(letter.read_text(encoding="utf-8").replace("Dear <persName", "Dearest <persName"),
                      encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    snippets = [" ".join(li.text_content().split())
                for li in page(app, "persons/bruno").xpath('//ol[contains(@class, "entry-mentions")]/li')]
    assert [s.startswith("Dearest") for s in snippets] == [True, False]
    assert index.stat().st_mtime_ns == written  # the index shows the names' forms and counts, not their words
    letter.write_text(letter.read_text(encoding="utf-8").replace(">Bruno</persName>,", ">Brunone</persName>,"),
                      encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    assert "Brunone" in index.read_text(encoding="utf-8")  # a new form: written again
    shutil.copytree(src, tmp_path / "clean" / "src")
    clean = build_root("test-small", tmp_path / "clean", warningiserror=False, confoverrides=overrides)
    assert _snapshot(Path(clean.outdir)) == _snapshot(Path(app.outdir))


def test_the_chronology_keeps_the_rows_of_unchanged_texts(tmp_path: Path):
    """The chronology's rows of each text are made once and kept between builds (thousands of letters took
    seconds to make on every build): an edited text's rows are made again, the others' come from the build's
    file; rows made by another version of the code are not used."""
    from edition.core.files import dump_pickle, load_pickle
    from edition.parts.chronology_rows import KeptRows

    _, letter, overrides = _two_letters(tmp_path / "inc")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    folder = Path(app.doctreedir) / f"{KeptRows.FILE}-html"
    kept_file, letters_file = (folder / KeptRows.shard_of(f"texts/{name}") for name in ("second", "letter"))
    assert kept_file != letters_file  # each text's rows in a file of its own here: an edit writes one again
    kept = load_pickle(kept_file)
    assert sorted(kept["texts"]) == ["texts/second"]
    fingerprint, rows = kept["texts"]["texts/second"]
    kept["texts"]["texts/second"] = (fingerprint, [row.replace("A second letter", "Kept row") for row in rows])
    dump_pickle(kept_file, kept)
    written = kept_file.stat().st_mtime_ns
    letter.write_text(letter.read_text(encoding="utf-8").replace("1 May 1890", "the first of May 1890"),
                      encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    assert kept_file.stat().st_mtime_ns == written and b"the first of May" in letters_file.read_bytes()
    rows = {(" ".join(tr.xpath("string(td[2])").split()), tr.xpath("string(td[4]//a)"))
            for tr in page(app, "chronology").xpath("//table//tr[td]")}
    assert ("the first of May 1890", "A letter") in rows  # the edited text's rows: made again
    assert ("1 May 1890", "Kept row") in rows and ("1 May 1890", "A letter") not in rows  # the other's: kept

    kept = load_pickle(kept_file)
    dump_pickle(kept_file, {**kept, "version": "another version of the code"})
    letter.write_text(letter.read_text(encoding="utf-8").replace("the first of May", "1 May"), encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False, confoverrides=overrides)
    titles = {a.text_content() for a in page(app, "chronology").xpath("//table//tr/td[4]//a")}
    assert titles == {"A letter", "A second letter"}


def test_the_downloads_keep_the_checksums_of_unchanged_files(tmp_path: Path):
    """The downloads page lists the SHA-256 of every file; a save changes one, so each file's is kept with its
    time and size and computed again only when they change (5,000 letters were read again at each save)."""
    import hashlib

    from edition.core.files import dump_pickle, load_pickle
    from edition.parts.downloads import KeptDigests

    def digests(app) -> dict[str, str]:
        rows = page(app, "downloads").xpath("//table//tr[td//code]")
        return {tr.xpath("string(td[1]//a/@download)"): tr.xpath("string(td//code)") for tr in rows}

    src = tmp_path / "inc" / "src"
    shutil.copytree(ROOTS / "test-small", src)
    app = build_root("test-small", tmp_path / "inc", warningiserror=False)
    letter, register_file = src / "tei" / "letter.xml", src / "tei" / "register.xml"
    assert digests(app)["register.xml"] == hashlib.sha256(register_file.read_bytes()).hexdigest()
    kept_file = Path(app.doctreedir) / KeptDigests.FILE
    kept = load_pickle(kept_file)
    signature, _ = kept[str(register_file)]
    dump_pickle(kept_file, {**kept, str(register_file): (signature, "kept")})
    letter.write_text(letter.read_text(encoding="utf-8").replace("1 May 1890", "the first of May 1890"),
                      encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", warningiserror=False)
    assert digests(app) == {"letter.xml": hashlib.sha256(letter.read_bytes()).hexdigest(), "register.xml": "kept"}
    os.utime(register_file, ns=(register_file.stat().st_atime_ns, register_file.stat().st_mtime_ns + 10**9))
    app = build_root("test-small", tmp_path / "inc", warningiserror=False)
    assert digests(app)["register.xml"] == hashlib.sha256(register_file.read_bytes()).hexdigest()


def test_linkcheck_finds_the_links_of_the_running_text(tmp_path: Path):
    """The running text is HTML for HTML builders; other builders get it as nodes before the post-transforms,
    so that ``sphinx-build -b linkcheck`` sees the TEI's links out of the site (here all ignored: no network)."""
    overrides = {**edition_overrides(), "linkcheck_ignore": [".*"]}
    app = build_root("test-edition", tmp_path, buildername="linkcheck", confoverrides=overrides)
    checked = [json.loads(line) for line in (Path(app.outdir) / "output.json").read_text().splitlines()]
    found = {(c["filename"], c["uri"]) for c in checked}
    assert (f"texts/{EDITION_TEXT.stem}.edition", "https://spartacus-educational.com/RUSstalin.htm") in found


@pytest.mark.parametrize("builder", ["latex", "epub", "text"])
def test_other_builders_build_the_edition_without_warnings(builder: str, tmp_path: Path):
    """``sphinx-build -W -b latex`` (epub, text) on a copy of the edition's project. The LaTeX builder has no
    address for pages outside its document: links to them in computed lists become text (it crashed with
    ``NoUri`` in ``resolve_computed_content``)."""
    shutil.copytree(REPO / "tei", tmp_path / "tei")
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("_build", "*.edition"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder, "-d", str(tmp_path / "doctrees"),
               str(tmp_path / "docs"), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0 and not result.stderr, result.stderr
    if builder == "latex":
        tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
        text = etree.parse(str(EDITION_TEXT))
        # the text is in the book (it is outside the toctree of the site), each numbered note a footnote at
        # its marker (no list of notes after the text), each name linked to an entry in the book's index
        assert r"\subsection{Joseph Stalin: General Secretary}" in tex
        numbered = text.xpath("//tei:text//tei:note[not(contains(@place, 'inline'))]", namespaces=NS)
        assert tex.count(r"\begin{footnote}") == len(numbered) > 10
        assert "tei-notes-heading" not in tex and r"{Notes}" not in tex
        persons = text.xpath("//tei:text//tei:persName[@ref = 'persons.xml#kamenev']", namespaces=NS)
        assert tex.count(r"\index{Kamenev, Lev@\spxentry{Kamenev, Lev}}") == len(persons) + 1  # and his entry
        assert "Nickolai {[}Nikolai{]}" in tex  # the source's spelling, then the editors' reading
        assert r"\subsection{Lev Kamenev}" in tex  # the register's entries too


def test_a_book_after_a_site_in_the_same_doctrees_has_the_texts_and_the_site_after_it_is_the_same(tmp_path: Path):
    """``make html`` then ``make latexpdf`` share their doctrees: the index pages are read again for the book
    (with the texts in its toctree), then again for the site, which is as it was."""
    shutil.copytree(REPO / "tei", tmp_path / "tei")
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("_build", "*.edition"))

    def build(builder: str, out: str) -> Path:
        command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, "-d", str(tmp_path / "doctrees"),
                   str(tmp_path / "docs"), str(tmp_path / out)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0 and not result.stderr, result.stderr
        return tmp_path / out

    first = _snapshot(build("html", "site"))
    tex = next(build("latex", "book").glob("*.tex")).read_text(encoding="utf-8")
    assert r"\subsection{Joseph Stalin: General Secretary}" in tex
    assert _snapshot(build("html", "site-again")) == first


def test_the_corpus_export_makes_local_the_pointers_and_ids_a_files_attlist_gives_by_default(tmp_path: Path):
    """An attribute a file's internal DTD gives by default is read by ``get()`` but is not in ``attrib``: the
    export walked only the attributes elements have, and lost such a pointer (found in review)."""
    from types import SimpleNamespace

    from edition.publish.export import build_corpus

    ns = 'xmlns="http://www.tei-c.org/ns/1.0"'
    persons = tmp_path / "persons.xml"
    persons.write_text(f'<TEI {ns}><teiHeader/><text><body><listPerson><person xml:id="lenin"/></listPerson>'
                       "</body></text></TEI>", encoding="utf-8")
    letter = tmp_path / "letter.xml"
    letter.write_text('<!DOCTYPE TEI [<!ATTLIST ref target CDATA "persons.xml#lenin">'
                      '<!ATTLIST p xml:id ID "lenin">]>\n'
                      f'<TEI {ns}><teiHeader/><text><body><p><ref>Lenin</ref></p></body></text></TEI>',
                      encoding="utf-8")
    edition = SimpleNamespace(texts=[SimpleNamespace(path=letter)], registers=[persons])
    corpus = build_corpus(edition, "T").decode()
    # the default pointer, made local; the id both files have, prefixed with the file's name
    assert 'target="#persons.lenin"' in corpus and 'xml:id="letter.lenin"' in corpus, corpus


def test_a_rebuild_makes_again_only_the_index_rows_of_the_entries_its_texts_name(tmp_path: Path, monkeypatch):
    """What an index shows of each entry (record, count, forms) is kept between builds and made again only for
    the entries whose texts or record were read again (at the Escher letters, all 10,000 rows took 0.2 s of
    every save); the index is still the one of a clean build."""
    src, postcard, overrides = _with_a_postcard(tmp_path / "inc")
    build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    postcard.write_text(postcard.read_text(encoding="utf-8").replace(
        "</persName>.", '</persName> and <persName ref="register.xml#bruno">Brunetto</persName>.'),
        encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    domain = app.env.domains["tei"]
    assert domain.touched_entries == {"bruno"}
    rows = dict(domain.index_rows())
    assert set(rows) == set(domain.all_entries())
    counted: list[str] = []
    real = type(domain).mention_count
    monkeypatch.setattr(type(domain), "mention_count", lambda self, ident: counted.append(ident) or real(self, ident))
    from edition.parts.base import Inputs
    from edition.project import edition_of

    domain.note_index_rows({**rows, "bruno": "stale"})
    inputs = Inputs(domain, edition_of(app.env), [])
    assert inputs.index_row("anna") == rows["anna"] and inputs.index_row("bruno") == rows["bruno"]
    assert counted == ["bruno"]  # the others' rows as kept
    assert "Brunetto" in page(app, "persons/index").text_content()
    monkeypatch.undo()
    # a text that no longer names an entry: the entry is touched by the text's purge alone (clear_doc)
    postcard.write_text(postcard.read_text(encoding="utf-8").replace(
        '<persName ref="register.xml#bruno">Bruno</persName> and <persName ref="register.xml#bruno">Brunetto'
        '</persName>', "all"), encoding="utf-8")
    app = build_root("test-small", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    domain = app.env.domains["tei"]
    assert domain.touched_entries == {"bruno"} and domain.index_rows()["bruno"] != rows["bruno"]
    assert "Brunetto" not in page(app, "persons/index").text_content()
    shutil.copytree(src, tmp_path / "clean" / "src", ignore=shutil.ignore_patterns("_build"))
    clean = build_root("test-small", tmp_path / "clean", confoverrides=overrides, warningiserror=False)
    assert _snapshot(Path(clean.outdir)) == _snapshot(Path(app.outdir))
