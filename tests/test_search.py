"""The site's search (issue 16, item 1): Pagefind's index of the built site, what it holds of each page, that it
is the same for the same pages, what a build says without Pagefind, and what a query downloads on a generated
edition. The search page itself is driven in a browser in ``tests/test_reader.py``."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edition.core.dates import years_of
from edition.core.render import DateMention
from edition.publish import searchorder
from edition.publish.search import search_language
from edition.searchpage import other_readings

from .conftest import REPO

TEXT = "/texts/stalin-general-secretary.html"


def build(project: Path, out: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TEI_ALL_RNG"} | {"NO_COLOR": "1"} | environment
    return subprocess.run([sys.executable, "-m", "edition.cli", "build", str(project), "-q", "-o", str(out)],
                          capture_output=True, text=True, env=env, check=False)


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's record of each page indexed, by its address."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this repository's edition (its build folder is its own)."""
    where = tmp_path_factory.mktemp("project")
    for name in ("docs", "tei"):
        shutil.copytree(REPO / name, where / name, ignore=shutil.ignore_patterns("_build"))
    return where


@pytest.fixture(scope="module")
def site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build(project, out)
    assert result.returncode == 0, result.stderr
    return out


def test_readers_load_no_sphinx_search_index(site: Path):
    assert not (site / "searchindex.js").exists()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "searchindex.js" not in text and "searchtools.js" not in text, page
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not list((site / "pagefind").glob("pagefind-*ui*"))  # Pagefind's own interfaces are not used


def test_each_page_is_indexed_as_it_reads(site: Path):
    pages = fragments(site)
    text = pages[TEXT]
    assert text["meta"]["title"] == "Joseph Stalin: General Secretary"
    assert text["filters"]["kind"] == ["text"] and text["filters"]["language"] == ["en"]
    assert {"1918", "1924", "1925"} <= set(text["filters"]["year"])
    words = text["content"]
    assert "vulnerable and Kamanev and Zinoviev" in words  # the text as transcribed: sic, not sic and corr
    assert "Kamanev Kamenev" not in words and "Kollantai Kollontai" not in words
    assert "Also read as: Kollontai; than; Nikolai; Mikhail; Kamenev." in words  # the corrections find it too
    assert "Reading key" not in words and "How to cite" not in words
    assert "the Civil War. However" in words and not re.search(r"[A-Za-z][.,;:]\d", words)  # no note numbers
    person = pages["/persons/kamenev.html"]
    assert person["filters"]["kind"] == ["person"] and person["meta"]["title"] == "Lev Kamenev"
    assert "Kamanev (1×)" in person["content"]  # every form the texts give the name finds the entry
    assert person["content"].endswith("Mentions.")  # the list of mentions is not indexed (their texts are)
    assert pages["/persons/index.html"]["filters"]["kind"] == ["page"]
    assert "Kamenev" not in pages["/persons/index.html"]["content"]  # an index: its title and lead only
    assert not {"/search.html", "/genindex.html", "/tei-persons.html"} & pages.keys()


def test_the_index_is_the_same_for_the_same_pages(project: Path, site: Path, tmp_path: Path):
    """Pagefind writes its filters in a random order: they are sorted (``edition/publish/searchorder.py``), so
    a clean build and a rebuild after an edit give the same index, byte for byte. The files of the index that an
    edit leaves as they were keep their time, so that publishing does not copy them again."""
    clean = tmp_path / "clean"
    assert build(project, clean).returncode == 0
    text = project / "tei" / "stalin-general-secretary.xml"
    source = text.read_text(encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (site / "pagefind").rglob("*") if p.is_file()}
    try:
        text.write_text(source.replace("vulnerable and", "vulnerable, and", 1), encoding="utf-8")
        assert build(project, site).returncode == 0
        assert "vulnerable, and Kamanev" in fragments(site)[TEXT]["content"]
        after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (site / "pagefind").rglob("*") if p.is_file()}
        kept = [p for p in after if p in before and after[p][0] == before[p][0]]
        assert kept and len(kept) < len(after)  # the edited page's fragment, its words' chunks are new
        assert all(after[p][1] == before[p][1] for p in kept)
    finally:
        text.write_text(source, encoding="utf-8")
    assert build(project, site).returncode == 0

    def files(where: Path) -> dict[str, bytes]:
        return {str(p.relative_to(where)): p.read_bytes() for p in sorted((where / "pagefind").rglob("*"))
                if p.is_file()}

    assert files(site) == files(clean)
    assert len(list((clean / "pagefind" / "filter").iterdir())) == 3  # kind, year, language: each sorted


def test_a_site_is_indexed_again_only_when_a_page_changed_and_unchanged_pages_are_not_read(site: Path,
                                                                                            tmp_path: Path):
    """Whether the site must be indexed again is known from Pagefind's record of each page, kept with the page's
    SHA-256 by its size and time, so that only the pages a build wrote are read (reading the 10,579 pages of the
    Escher letters took 1.3 s of every build, and could not be stopped by a new save in the watch mode). A page
    that changed only where the search does not look (an entry's list of mentions) is not indexed again."""
    import threading

    from edition.core.files import dump_pickle, load_pickle
    from edition.publish.search import index_site

    copy, state = tmp_path / "site", tmp_path / "state"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    assert index_site(copy, "en", state).ran
    assert (copy / "pagefind" / "pagefind-entry.json").is_file()
    assert not index_site(copy, "en", state).ran  # nothing changed
    kept = load_pickle(state)
    relative = TEXT.lstrip("/")
    sha, _record = kept["records"][relative]
    dump_pickle(state, {**kept, "records": {**kept["records"], relative: (sha, "tampered")}})
    assert index_site(copy, "en", state).ran  # the kept record was used (and differs): the page was not read
    text = copy / relative
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
    assert index_site(copy, "en", state).ran  # a changed page
    assert "Quetzalcoatlus" in fragments(copy)[TEXT]["content"]
    assert not index_site(copy, "en", state).ran
    person = copy / "persons" / "kamenev.html"
    page = person.read_text(encoding="utf-8")
    assert page.count('<ol class="simple entry-mentions"') == 1
    person.write_text(page.replace('<ol class="simple entry-mentions">',
                                   '<ol class="simple entry-mentions"><li>Quetzalcoatlus</li>', 1), encoding="utf-8")
    assert not index_site(copy, "en", state).ran  # Pagefind leaves the list out: the index is as it was
    stop = threading.Event()
    stop.set()
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Hatzegopteryx ", 1), encoding="utf-8")
    stopped = index_site(copy, "en", state, cancel=stop)  # a new save stops it at once
    assert not stopped.ran and stopped.note.startswith("stopped")
    assert index_site(copy, "en", state).ran


def test_the_filters_are_sorted_and_read_back():
    values = ["kind", [["text", [3, 4]], ["person", [0, 1, 2, 300]]]]
    data = searchorder.encode(values)
    assert searchorder.decode(data) == (values, len(data))
    with pytest.raises(searchorder.FormatError):
        searchorder.decode(b"\xa1")  # a map: not what Pagefind writes


def test_without_pagefind_a_build_says_what_to_do(project: Path, tmp_path: Path):
    result = build(project, tmp_path / "out", PAGEFIND_BINARY_PATH=str(tmp_path / "no-pagefind"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("edition: error:")]
    assert len(lines) == 1 and "pip install 'pagefind[bin]'" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "index.html").exists()


def test_the_parts_of_the_search():
    assert search_language("de_CH") == "de" and search_language(None) == "en" and search_language("grc") == "grc"
    dates = [DateMention("1917-10-25", "", "", "a"), DateMention("1922", "1924", "", "b"),
             DateMention("0044", "", "", "c"), DateMention("1000", "1900", "", "d"),
             DateMention("--09-01", "", "", "e")]
    assert years_of(dates) == (44, 1000, 1900, 1917, 1922, 1923, 1924)
    body = ('<span class="tei-choice tei-choice-pair" title="corrected: Kamenev &amp; co">'
            '<span class="tei-choice-orig">Kamanev</span></span>')
    assert other_readings(body) == '<p class="edition-other-readings" hidden>Also read as: Kamenev &amp; co</p>'
    assert other_readings("<p>no choice</p>") == ""


# -- what a query downloads --------------------------------------------------------------------
def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_query_downloads_little_on_a_generated_edition(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A name found in every text of a generated edition: the search page loads Pagefind, the chunks of the
    index holding the word and the fragments of the results it shows, far under 300 KB (bytes, not time)."""
    from edition.serve import CHROMIUM

    if not os.environ.get("EDITION_REQUIRE_BROWSER"):
        pytest.importorskip("playwright.sync_api", reason="the download is measured in a browser")
        if not Path(CHROMIUM).is_file():
            pytest.skip("the download is measured in Debian's chromium (apt-get install chromium)")
    bench = _bench()
    edition, _ = bench.generate(tmp_path, 40, 400)
    capsys.readouterr()
    result = build(edition, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    download = bench.search_download(tmp_path / "site", bench.QUERY)
    assert download["results_shown"] == 8, download
    assert download["bytes"] < 300_000, download
    pagefind = sum(p.stat().st_size for p in (tmp_path / "site" / "pagefind").rglob("*") if p.is_file())
    assert download["bytes"] < pagefind / 4, (download, pagefind)  # a small part of the index


# -- an index made again while the search page is open -------------------------------------------
def test_the_search_page_loads_an_index_made_again_since_it_opened(site: Path, tmp_path: Path):
    """The watch mode makes the index again after the pages are published, while a search page may be open
    with the index before (whose files are then gone), or with none yet: its next search finds what the new
    index holds; a search while there is none says so, and the one after it loads the index made since."""
    from edition.publish.search import index_site
    from edition.serve import CHROMIUM, CHROMIUM_ARGS, serving

    if os.environ.get("EDITION_REQUIRE_BROWSER"):
        import playwright.sync_api as playwright_api
    else:
        playwright_api = pytest.importorskip("playwright.sync_api")
        if not Path(CHROMIUM).is_file():
            pytest.skip("needs Debian's chromium")
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    status = "document.getElementById('edition-search-status').textContent"
    with serving(copy) as url, playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def search(words: str) -> str:
                page.locator("#edition-search-q").fill(words)
                page.keyboard.press("Enter")
                page.wait_for_function(f"/could not|found for “{words}”/.test({status})", timeout=15000)
                return page.locator("#edition-search-status").inner_text()

            page.goto(f"{url}search.html?q=Kamanev")
            page.wait_for_function(f"/found/.test({status})", timeout=15000)
            text = copy / TEXT.lstrip("/")
            text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
            assert index_site(copy, "en").ran  # every file of the index before is gone
            assert search("Quetzalcoatlus").endswith("found for “Quetzalcoatlus”.")
            found = page.locator("ul.search li > a").evaluate_all("links => links.map(a => a.pathname)")
            assert TEXT in found, found
            shutil.rmtree(copy / "pagefind")  # as before the first index of the watch mode is made
            page.goto(f"{url}search.html?q=Kamanev")
            page.wait_for_function(f"/could not/.test({status})", timeout=15000)
            assert search("Kamenev").startswith("The search could not load its index")
            assert index_site(copy, "en").ran
            assert search("Kamenev").endswith("found for “Kamenev”.")
        finally:
            browser.close()


# -- a large site's index: made in parts, merged ---------------------------------------------------
def _held(bundle: Path) -> dict:
    """What a Pagefind bundle holds, by page address: each page's fragment and number of words, each word's
    places on each page (with its forms with other diacritics), each filter value's pages."""
    import cbor2

    def read(path: Path):
        return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read(bundle / f"pagefind.{language['hash']}.pf_meta")
    fragments = [gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes()) for name, _ in meta[1]]
    urls = [json.loads(fragment.removeprefix(b"pagefind_dcd"))["url"] for fragment in fragments]

    def places(pages: list) -> list:
        found, number = [], 0
        for index, page in enumerate(pages):
            number = page[0] if index == 0 else number + page[0]  # the page numbers count from the one before
            found.append((urls[number], repr(page[1:])))
        return sorted(found)

    words = {}
    for _start, _end, name in meta[2]:
        for word, pages, variants in read(bundle / "index" / f"{name}.pf_index")[0]:
            words[word] = (places(pages), sorted((variant, places(found)) for variant, found in variants))
    filters = {name: {value: sorted(urls[page] for page in pages) for value, pages in read(
        bundle / "filter" / f"{file}.pf_filter")[1]} for name, file in meta[3]}
    rest = [meta[0], meta[4], meta[5], {key: value for key, value in entry.items() if key != "languages"}]
    return {"pages": sorted(zip(urls, [words for _, words in meta[1]], fragments, strict=True)), "words": words,
            "filters": filters, "rest": rest}


def _chunks_found(bundle: Path) -> bool:
    """Whether the index is in several chunks whose bounds are as Pagefind makes them (``chunk_meta``): the
    words in order from one chunk to the next, each chunk's bounds the starts of its first and last words, just
    long enough to tell neighbours apart (Pagefind loads the chunk whose bounds hold a word it searches)."""
    import cbor2

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = cbor2.loads(gzip.decompress((bundle / f"pagefind.{language['hash']}.pf_meta").read_bytes())[12:])
    words = []
    for start, end, name in meta[2]:
        chunk = [word for word, *_ in cbor2.loads(gzip.decompress(
            (bundle / "index" / f"{name}.pf_index").read_bytes())[12:])[0]]
        if not (chunk and chunk[0].startswith(start) and chunk[-1].startswith(end)):
            return False
        words += chunk
    bounds_apart = all(before[1] < after[0] for before, after in zip(meta[2], meta[2][1:], strict=False))
    return len(meta[2]) > 1 and words == sorted(words) and bounds_apart


def test_a_large_site_is_indexed_in_parts_merged_into_what_one_run_of_pagefind_makes(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A large site is indexed in parts kept by the build (edition_search_part_pages), merged into one index
    (searching the parts side by side would match each word against each part's words alone). The merged
    index holds what one run of Pagefind over all the pages holds; an edit makes again the part of the page
    it changed only, and the index is then the one a clean build makes, byte for byte."""
    import threading

    from edition.publish import searchmerge, searchwords
    from edition.publish.search import PARTS, index_site
    from edition.publish.searchparts import part_count

    monkeypatch.setattr(searchmerge, "CHUNK_SIZE", 400)  # chunks of a few words: their bounds are tested
    copy, clean, state = tmp_path / "site", tmp_path / "clean", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    one_run = _held(copy / "pagefind")  # this small site's index is in one part (copied as Pagefind wrote it)
    pages = len(fragments(copy))
    shutil.rmtree(copy / "pagefind")
    count = part_count(pages, 4)
    assert count >= 4, pages
    indexed = index_site(copy, "en", state, part_pages=4)
    assert indexed.ran and indexed.parts == (count, count)
    assert sorted(p.name for p in (state.parent / PARTS).iterdir()) == sorted(map(str, range(count)))
    assert _held(copy / "pagefind") == one_run
    assert _chunks_found(copy / "pagefind")
    assert {p.name for p in (copy / "pagefind").glob("*.js")} == {"pagefind.js", "pagefind-worker.js"}
    text = copy / TEXT.lstrip("/")
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
    indexed = index_site(copy, "en", state, part_pages=4)
    assert indexed.ran and indexed.parts == (1, count)
    assert "Quetzalcoatlus" in fragments(copy)[TEXT]["content"]
    assert not index_site(copy, "en", state, part_pages=4).ran
    stop, keep_part = threading.Event(), searchwords.keep_part

    def keep_then_stop(*args: object) -> None:  # a new save, once a part was made
        keep_part(*args)
        stop.set()

    monkeypatch.setattr(searchwords, "keep_part", keep_then_stop)
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Hatzegopteryx ", 1), encoding="utf-8")
    person = copy / "persons" / "kamenev.html"
    person.write_text(person.read_text(encoding="utf-8").replace("<p>", "<p>Arambourgiania ", 1), encoding="utf-8")
    assert index_site(copy, "en", state, cancel=stop, part_pages=4).note.startswith("stopped")
    monkeypatch.setattr(searchwords, "keep_part", keep_part)
    assert index_site(copy, "en", state, part_pages=4).ran
    assert "Hatzegopteryx" in fragments(copy)[TEXT]["content"]
    assert "Arambourgiania" in fragments(copy)["/persons/kamenev.html"]["content"]
    shutil.copytree(copy, clean)
    shutil.rmtree(clean / "pagefind")
    assert index_site(clean, "en", part_pages=4).ran  # no state: every part, merged

    def files(where: Path) -> dict[str, bytes]:
        return {str(p.relative_to(where)): p.read_bytes() for p in sorted(where.rglob("*")) if p.is_file()}

    assert files(copy / "pagefind") == files(clean / "pagefind")
    assert index_site(clean, "en", part_pages=0).ran  # one part
    assert _held(clean / "pagefind") == _held(copy / "pagefind")
    fewer = part_count(pages, 8)
    assert index_site(copy, "en", state, part_pages=8).parts == (fewer, fewer)  # all parts made anew
    assert sorted(p.name for p in (state.parent / PARTS).iterdir()) == sorted(map(str, range(fewer)))
    assert _held(copy / "pagefind") == _held(clean / "pagefind")


def test_an_index_whose_parts_cannot_be_merged_is_made_in_one_part(site: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    """Another version of Pagefind (whose files the merge does not know), or a part it cannot read: the site is
    indexed in one run, and the build says why; the next builds do not try again, until the merge's code
    changes."""
    from edition.publish import search, searchmerge, searchwords
    from edition.publish.search import index_site

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    one_run = _held(copy / "pagefind")
    shutil.rmtree(copy / "pagefind")
    monkeypatch.setattr(searchwords, "VERSIONS", ("9.",))
    indexed = index_site(copy, "en", tmp_path / "a" / "state", part_pages=4)
    assert indexed.ran and indexed.parts[1] == 1 and "Pagefind 1.5" in indexed.note and "one part" in indexed.note
    assert _held(copy / "pagefind") == one_run
    monkeypatch.undo()

    read = []

    def unreadable(bundle: Path) -> None:
        read.append(bundle)
        raise searchmerge.MergeError(f"{bundle}: not what Pagefind 1.5 writes")

    monkeypatch.setattr(searchwords, "read_part", unreadable)
    shutil.rmtree(copy / "pagefind")
    indexed = index_site(copy, "en", tmp_path / "b" / "state", part_pages=4)
    assert indexed.ran and indexed.parts[1] == 1 and "could not be merged" in indexed.note, indexed
    assert _held(copy / "pagefind") == one_run
    text = copy / TEXT.lstrip("/")
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
    tried = len(read)
    indexed = index_site(copy, "en", tmp_path / "b" / "state", part_pages=4)
    assert indexed.ran and indexed.parts[1] == 1 and len(read) == tried  # not tried again: one part at once
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Pterodactylus ", 1), encoding="utf-8")
    indexed = index_site(copy, "en", tmp_path / "b" / "state", part_pages=4)
    assert indexed.ran and len(read) == tried  # nor at the build after (it was, every other build: review)
    monkeypatch.setattr(search, "MERGE_CODE", "another version of the merge")  # which may merge them: tried
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Archaeopteryx ", 1), encoding="utf-8")
    indexed = index_site(copy, "en", tmp_path / "b" / "state", part_pages=4)
    assert indexed.ran and "could not be merged" in indexed.note and len(read) > tried


def test_words_found_only_with_other_diacritics_are_merged_as_one_run_holds_them(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    """Pagefind keeps a word without its diacritics with the forms that have them ("betrub": "betrüben"), on
    no page of its own: the parts of a German site merge into what one run makes."""
    from edition.publish import search
    from edition.publish.search import index_site

    words = ["betrüben", "Zürich", "Zurich", "Müller", "désapprouvez", "hochschätzung", "Straße", "Strasse"]
    for number in range(64):
        chosen = [words[(number * 3 + k) % len(words)] for k in range(3)]
        (tmp_path / "site" / "p").mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / "p" / f"{number}.html").write_text(
            f'<html lang="de"><head><meta data-pagefind-filter="kind" content="{"ab"[number % 2]}"></head><body>'
            f"<div data-pagefind-body><h1>Seite {number}</h1><p>{' '.join(chosen)} Brief {number}</p></div>"
            f"</body></html>", encoding="utf-8")
    site = tmp_path / "site"
    assert index_site(site, "de", part_pages=0).ran
    one_run = _held(site / "pagefind")
    assert any(not places and variants for places, variants in one_run["words"].values())
    indexed = index_site(site, "de", part_pages=8)
    assert indexed.parts == (8, 8) and not indexed.note
    assert _held(site / "pagefind") == one_run
    state = tmp_path / "build" / "state"  # an edit's part composed (searchwords.compose), with these words
    assert index_site(site, "de", state, part_pages=8).ran
    page = site / "p" / "5.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Brief 5", "Zurich Brief Zürich 5"), encoding="utf-8")
    (site / "p" / "64.html").write_text(page.read_text(encoding="utf-8").replace("Seite 5", "Seite 64"),
                                        encoding="utf-8")
    runs, run = [], search._run
    monkeypatch.setattr(search, "_run", lambda binary, folder, *args: runs.append(folder.name) or run(binary, folder,
                                                                                                      *args))
    assert index_site(site, "de", state, part_pages=8).parts[1] == 8 and runs == ["probe"]
    monkeypatch.undo()
    shutil.copytree(site, tmp_path / "clean")
    shutil.rmtree(tmp_path / "clean" / "pagefind")
    assert index_site(tmp_path / "clean", "de", part_pages=8).ran
    assert _files(site / "pagefind") == _files(tmp_path / "clean" / "pagefind")
    assert index_site(tmp_path / "clean", "de", part_pages=0).ran
    assert _held(site / "pagefind") == _held(tmp_path / "clean" / "pagefind")


def test_a_page_with_an_image_in_one_part_is_merged_as_one_run_holds_it(tmp_path: Path):
    """Pagefind gives a page's first image after its title as metadata (the fields ``image`` and ``image_alt``,
    whose words it indexes), and numbers the fields of a run's pages in their order: the parts without such a
    page lack those fields, and their words' places in the metadata are numbered again for the merge. The whole
    site was indexed in one run instead, at every build, once a single page had an image."""
    from edition.publish.search import index_site

    site = tmp_path / "site"
    site.mkdir()
    for number in range(32):
        image = '<img src="folio.png" alt="facsimile of the letter">' if number in (3, 7) else ""
        (site / f"{number}.html").write_text(
            f'<html lang="en"><body><main data-pagefind-body><h1>Letter {number} facsimile</h1>{image}'
            f"<p>Brief {number} the letter</p></main></body></html>", encoding="utf-8")
    assert index_site(site, "en", part_pages=0).ran
    one_run = _held(site / "pagefind")
    assert any("image" in str(words) for words in one_run["pages"])
    state = tmp_path / "build" / "state"
    indexed = index_site(site, "en", state, part_pages=4)
    assert indexed.parts == (8, 8) and not indexed.note
    assert _held(site / "pagefind") == one_run
    page = site / "3.html"  # an edit of the page with the image: its part composed
    page.write_text(page.read_text(encoding="utf-8").replace("Brief 3", "Brief three"), encoding="utf-8")
    assert index_site(site, "en", state, part_pages=4).parts == (1, 8)
    merged = _held(site / "pagefind")
    assert index_site(site, "en", part_pages=0).ran
    assert merged == _held(site / "pagefind") and "three" in str(merged["words"])


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_edit_composes_its_part_of_the_part_as_it_was_and_the_pages_indexed_alone(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Pagefind indexes each page on its own, so after an edit the build indexes the changed pages alone and
    composes their parts of them and of the parts as they were (``searchwords.compose``), where it ran Pagefind
    over each of their parts again (0.4 s of a one-text rebuild at 500 texts). A page edited, a page added and a
    page removed give the index a clean build gives, byte for byte: the pages of a part are numbered in the order
    of their paths, not in the order the file system lists them (which Pagefind follows)."""
    from edition.publish import search
    from edition.publish.search import index_site

    copy, clean, state = tmp_path / "site", tmp_path / "clean", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    assert index_site(copy, "en", state, part_pages=4).ran
    runs, run = [], search._run

    def counted(binary: Path, folder: Path, *args: object) -> tuple[int | None, str]:
        runs.append(folder.name)
        return run(binary, folder, *args)

    monkeypatch.setattr(search, "_run", counted)
    text = copy / TEXT.lstrip("/")
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
    (copy / "texts" / "added.html").write_text(text.read_text(encoding="utf-8").replace(
        "Quetzalcoatlus", "Hatzegopteryx"), encoding="utf-8")
    removed = sorted((copy / "persons").glob("*.html"))[0]
    removed.unlink()
    indexed = index_site(copy, "en", state, part_pages=4)
    assert indexed.ran and indexed.parts[0] >= 2 and runs == ["probe"]  # Pagefind ran over the new pages alone
    found = fragments(copy)
    assert "Quetzalcoatlus" in found[TEXT]["content"] and "Hatzegopteryx" in found["/texts/added.html"]["content"]
    assert f"/persons/{removed.name}" not in found
    shutil.copytree(copy, clean)
    shutil.rmtree(clean / "pagefind")
    assert index_site(clean, "en", part_pages=4).ran  # every part made by Pagefind
    assert _files(copy / "pagefind") == _files(clean / "pagefind")
    assert not index_site(copy, "en", state, part_pages=4).ran


def test_pages_pagefind_finds_no_words_on_and_new_fields_of_metadata_give_what_a_clean_build_gives(
        site: Path, tmp_path: Path):
    """A new page with nothing to index (Pagefind, given it alone, fails: it has no index to write) and a page
    given a field of metadata no other page of its part has (the part's words number the fields: such a part is
    made by Pagefind, not composed): the index is the one a clean build makes."""
    from edition.publish.search import index_site

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    assert index_site(copy, "en", state, part_pages=4).ran
    (copy / "texts" / "empty.html").write_text('<html lang="en"><body><main data-pagefind-body></main></body></html>',
                                              encoding="utf-8")
    assert index_site(copy, "en", state, part_pages=4).parts[1] > 1
    text = copy / TEXT.lstrip("/")
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", '<p><span data-pagefind-meta="place">Gori</span> ',
                                                             1), encoding="utf-8")
    indexed = index_site(copy, "en", state, part_pages=4)
    assert indexed.ran and not indexed.note and indexed.parts[1] > 1
    shutil.copytree(copy, tmp_path / "clean", ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(tmp_path / "clean", "en", part_pages=4).ran
    assert _files(copy / "pagefind") == _files(tmp_path / "clean" / "pagefind")


def test_a_part_kept_by_another_version_is_made_again_by_pagefind(site: Path, tmp_path: Path):
    """What a part keeps for composing, pickled by another version (a field it did not have), is not used: the
    part is made again by Pagefind, where the build failed with an AttributeError."""
    import pickle

    from edition.publish import searchwords
    from edition.publish.search import PARTS, index_site
    from edition.publish.searchparts import part_of

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    count = index_site(copy, "en", state, part_pages=4).parts[1]
    part = state.parent / PARTS / str(part_of(TEXT.lstrip("/"), count))
    entries = searchwords.kept_entries(part)
    del entries.meta
    (part / searchwords.ENTRIES).write_bytes(pickle.dumps(entries))
    with pytest.raises(searchwords.MergeError):
        searchwords.kept_entries(part)
    text = copy / TEXT.lstrip("/")
    text.write_text(text.read_text(encoding="utf-8").replace("<p>", "<p>Quetzalcoatlus ", 1), encoding="utf-8")
    assert index_site(copy, "en", state, part_pages=4).parts == (1, count)
    assert "Quetzalcoatlus" in fragments(copy)[TEXT]["content"]
    assert searchwords.kept_entries(part).meta


def test_a_part_is_not_composed_where_two_of_its_pages_would_share_a_short_name(site: Path, tmp_path: Path):
    """Pagefind makes a fragment's name longer when two pages of one run share its first 7 characters of hash: a
    part whose pages, taken from two runs, share one is made by Pagefind instead. A new build of the watch mode
    stops composing a part, which then leaves nothing behind."""
    import threading

    from edition.publish import searchwords
    from edition.publish.search import PARTS, index_site

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    assert index_site(copy, "en", state, part_pages=4).ran
    first, second = sorted((state.parent / PARTS).iterdir(), key=lambda p: int(p.name))[:2]
    words, entries = searchwords.kept_words(second), searchwords.kept_entries(second)
    taken = searchwords.kept_words(first).pages[0][0]
    words.pages[0][0] = taken  # as if a page of the second part had the name of one of the first
    probe = searchwords.Probe(second, set(entries.paths), words, entries)  # as if its pages were indexed alone
    held = searchwords.kept_entries(first).paths
    known = set(held)
    assert not searchwords.compose(first, probe, sorted([*held, *entries.paths]), known, tmp_path / "composed")
    assert not (tmp_path / "composed").exists()
    words.pages[0][0] = searchwords.kept_words(second).pages[0][0]
    stop = threading.Event()
    stop.set()  # a new build began (the watch mode): nothing is written
    assert not searchwords.compose(first, probe, sorted([*held, *entries.paths]), known, tmp_path / "composed",
                                   stop)
    assert not (tmp_path / "composed").exists()
    assert searchwords.compose(first, probe, sorted([*held, *entries.paths]), known, tmp_path / "composed")
    assert searchwords.kept_entries(tmp_path / "composed").paths == sorted([*held, *entries.paths])


def test_the_parts_of_the_index_and_what_a_page_gives_them():
    from edition.publish.search import has_body, heading_digest
    from edition.publish.searchparts import MOST_PARTS, pages_of_parts, part_count, part_of, stale_parts

    assert [part_count(n, 256) for n in (0, 511, 512, 1023, 1024, 2512, 10_579, 10**7)] == [1, 1, 2, 2, 4, 8, 32,
                                                                                          MOST_PARTS]
    assert part_count(10_000, 0) == 1
    assert part_of("texts/a.html", 8) == part_of("texts/a.html", 8) and part_of("texts/a.html", 1) == 0
    parts = pages_of_parts([f"p{n}.html" for n in range(1000)], 4)
    assert sorted(page for part in parts for page in part) == sorted(f"p{n}.html" for n in range(1000))
    assert min(map(len, parts)) > 200
    records = {page: "r" for part in parts for page in part}
    held = {number: {page: "r" for page in part} for number, part in enumerate(parts)}
    assert stale_parts(parts, records, held) == []
    changed = parts[2][0]
    assert stale_parts(parts, {**records, changed: "s"}, held) == [2]
    assert stale_parts(parts, {k: v for k, v in records.items() if k != changed}, held) == [2]  # not known
    assert stale_parts(parts, records, {k: v for k, v in held.items() if k != 1}) == [1]  # not there
    assert has_body(b'<main><div class="x" data-pagefind-body>') and has_body(b"<div\ndata-pagefind-body=''>")
    assert not has_body(b"<p>the attribute data-pagefind-body marks it</p>") and not has_body(b"<p>x</p>")
    assert heading_digest(b"<h1>A</h1><p>b</p>", "s") == heading_digest(b"<h1>A</h1><p>c</p>", "s")  # text: fragment
    assert heading_digest(b"<h1>A</h1><p>b</p>", "s") != heading_digest(b"<h2>A</h2><p>b</p>", "s")  # weighs words
    assert heading_digest(b'<p data-pagefind-weight="2">b</p>', "s") == "sha:s"


def test_two_parts_with_the_same_short_name_for_two_pages_keep_both(site: Path, tmp_path: Path):
    """Pagefind names a page's fragment after 7 characters of its hash, and makes the name longer when two pages
    of one run share it; pages of two parts may share it too: the merge names the second after its content."""
    import pickle

    from edition.publish import searchmerge, searchwords
    from edition.publish.search import PARTS, index_site

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    assert index_site(copy, "en", state, part_pages=4).ran
    before = fragments(copy)
    parts = sorted((state.parent / PARTS).iterdir(), key=lambda p: int(p.name))
    first, second = (searchwords.kept_words(part) for part in parts[:2])
    taken, renamed = first.pages[0][0], second.pages[0][0]
    (parts[1] / "fragment" / f"{renamed}.pf_fragment").rename(parts[1] / "fragment" / f"{taken}.pf_fragment")
    second.pages[0][0] = taken  # as if Pagefind had given the two pages the same name
    (parts[1] / searchwords.WORDS).write_bytes(pickle.dumps(second))
    merged = tmp_path / "merged"
    assert searchmerge.merge(parts, merged)
    shutil.rmtree(copy / "pagefind")
    shutil.copytree(merged, copy / "pagefind")
    assert fragments(copy) == before  # each page with its own fragment


def test_a_merge_stops_between_the_parts_it_reads_when_a_new_build_begins(site: Path, tmp_path: Path, monkeypatch):
    """The watch mode stops the background work when a save begins a new build: reading the parts' words (1.2 s
    at the Escher letters, holding the interpreter) stops at the next part, not after the last."""
    import threading

    from edition.publish import searchmerge, searchwords
    from edition.publish.search import PARTS, index_site

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    assert index_site(copy, "en", state, part_pages=4).ran
    parts = sorted((state.parent / PARTS).iterdir(), key=lambda p: int(p.name))
    assert len(parts) > 2
    cancel, read, real = threading.Event(), [], searchmerge.kept_words

    def kept_words(bundle: Path) -> searchwords.PartWords:
        read.append(bundle)
        cancel.set()  # a save, while the first part is read
        return real(bundle)

    monkeypatch.setattr(searchmerge, "kept_words", kept_words)
    assert not searchmerge.merge(parts, tmp_path / "merged", cancel)
    assert read == parts[:1]


def test_a_part_no_page_hashes_to_is_left_out(site: Path, tmp_path: Path):
    """Parts of a few pages each (``edition_search_part_pages`` set low): a part may have no page, and Pagefind,
    given none, stops with an error; such a part has no bundle, and the others are merged."""
    from edition.publish.search import index_site
    from edition.publish.searchparts import MOST_PARTS, pages_of_parts

    copy, state = tmp_path / "site", tmp_path / "build" / "state"
    shutil.copytree(site, copy)
    one_run = _held(copy / "pagefind")
    shutil.rmtree(copy / "pagefind")
    assert [] in pages_of_parts(sorted(p.lstrip("/") for p in fragments(site)), MOST_PARTS)
    indexed = index_site(copy, "en", state, part_pages=1)
    assert indexed.ran and indexed.parts == (MOST_PARTS, MOST_PARTS) and not indexed.note
    assert _held(copy / "pagefind") == one_run
    assert not index_site(copy, "en", state, part_pages=1).ran  # the empty parts are known to be so
