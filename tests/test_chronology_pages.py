"""A chronology of many dates in HTML: an overview of its years and a page per year, written only when what it
shows changed (``edition_chronology_pages``; :mod:`edition.parts.chronology`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from .conftest import build_root, page
from .test_builds import _copy_edition, _snapshot

YEARS = "//table[contains(@class, 'edition-chronology-years')]//a"


def _rows(tree: lxml.html.HtmlElement) -> list[tuple[str, ...]]:
    """Each row of the chronology's tables on a page: its cells' words and its links."""
    return [(*(" ".join(td.text_content().split()) for td in tr.xpath("td")), *tr.xpath(".//a/@href"))
            for tr in tree.xpath("//table[contains(@class, 'edition-chronology ')]//tr[td]")]


def _year_pages(outdir: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in sorted(outdir.glob("chronology-*.html"))}


def test_a_chronology_by_year_has_an_overview_and_a_page_per_year_holding_every_date(tmp_path: Path):
    overrides = _copy_edition(tmp_path)
    one = build_root("test-edition", tmp_path / "one", confoverrides={**overrides, "edition_chronology_pages": "one"})
    by_year = build_root("test-edition", tmp_path / "year",
                         confoverrides={**overrides, "edition_chronology_pages": "year"})
    outdir = Path(by_year.outdir)
    overview = page(by_year, "chronology")
    assert not overview.xpath("//table[contains(@class, 'edition-chronology ')]")  # the dates are on their pages
    links = overview.xpath(YEARS)
    years = [link.xpath("string(span)") for link in links]
    assert years == ["1918", "1921", "1922", "1923", "1924", "1925", "1949", "1971", "1996", "2003"]
    counts = [int(link.text_content().rpartition("(")[2].rstrip(")").replace(",", "")) for link in links]

    rows: list[tuple[str, ...]] = []
    for link, year, count in zip(links, years, counts, strict=True):
        tree = lxml.html.parse(str(outdir / link.get("href"))).getroot()
        assert tree.findtext(".//title").startswith(f"Chronology: {year}")
        found = _rows(tree)
        assert len(found) == count and all(row[0].startswith(year) for row in found)
        rows += found
        way = tree.xpath("//nav[contains(@class, 'edition-chronology-way')]")[0]
        assert way.xpath("string(.//a[.='all years']/@href)") == "chronology.html"
        assert not tree.xpath("//*[@data-pagefind-body]")  # its rows are the texts' words: found on the texts
    first = lxml.html.parse(str(outdir / "chronology-1918.html")).getroot()
    assert [a.text_content() for a in first.xpath("//nav[1]//a")] == ["all years", "1921 →"]
    between = lxml.html.parse(str(outdir / "chronology-1922.html")).getroot()
    assert [a.get("href") for a in between.xpath("//nav[1]//a")] == [
        "chronology-1921.html", "chronology.html", "chronology-1923.html"]
    # every date of the one page, in its order, with the same words and links (the pages are its neighbours)
    assert rows == _rows(page(one, "chronology"))
    assert not (Path(one.outdir) / "chronology-1922.html").exists()


def test_an_edit_writes_again_only_the_pages_of_the_years_whose_rows_changed(tmp_path: Path):
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    outdir = Path(app.outdir)
    before, overview = _year_pages(outdir), (outdir / "chronology.html").stat().st_mtime_ns
    text = Path(overrides["edition_texts"][0])
    source = text.read_text(encoding="utf-8")
    edited = source.replace("The attempt on Lenin's life was made on", "The attack on Lenin's life was made on")
    assert edited != source
    text.write_text(edited, encoding="utf-8")
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    after = _year_pages(outdir)
    assert "attack on Lenin" in (outdir / "chronology-1918.html").read_text(encoding="utf-8")
    assert [name for name in after if after[name] != before[name]] == ["chronology-1918.html"]
    assert (outdir / "chronology.html").stat().st_mtime_ns == overview  # the same years and counts

    # a year no date is in any more loses its page; a new year gets one, and the overview links it
    text.write_text(edited.replace('<date when="1971">1971</date>', '<date when="1972">1972</date>', 1),
                    encoding="utf-8")
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert not (outdir / "chronology-1971.html").exists() and (outdir / "chronology-1972.html").exists()
    assert "1972" in page(app, "chronology").xpath(f"string({YEARS}[.//span='1972'])")
    # a site as a clean build makes it
    shutil.copytree(tmp_path / "inc" / "src", tmp_path / "clean" / "src", ignore=shutil.ignore_patterns("_build"))
    clean = build_root("test-edition", tmp_path / "clean", confoverrides=overrides)
    assert _snapshot(Path(clean.outdir)) == _snapshot(outdir)


def test_the_year_pages_follow_a_change_of_the_settings_and_go_with_the_split(tmp_path: Path):
    """A setting that makes Sphinx write every page again writes the pages of the years again too; a chronology
    no longer split (``one``) leaves no page of a year behind."""
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    outdir = Path(app.outdir)
    before = _year_pages(outdir)
    build_root("test-edition", tmp_path / "inc", confoverrides={**overrides, "html_title": "Another title"})
    after = _year_pages(outdir)
    assert all(after[name] != before[name] for name in before)
    assert "Another title" in (outdir / "chronology-1922.html").read_text(encoding="utf-8")
    app = build_root("test-edition", tmp_path / "inc", confoverrides={**overrides, "edition_chronology_pages": "one"})
    assert _year_pages(outdir) == {}
    assert _rows(page(app, "chronology"))


def test_a_small_chronology_stays_on_one_page_and_other_builders_keep_it_whole(tmp_path: Path):
    """``auto`` (the default) splits a chronology of more than :data:`SPLIT_AT` dates only; a single page (and
    an e-book, LaTeX) keeps the whole chronology whatever the setting."""
    overrides = _copy_edition(tmp_path)
    app = build_root("test-edition", tmp_path / "auto", confoverrides=overrides)
    assert _rows(page(app, "chronology")) and _year_pages(Path(app.outdir)) == {}
    single = build_root("test-edition", tmp_path / "single", buildername="singlehtml",
                        confoverrides={**overrides, "edition_chronology_pages": "year"})
    whole = lxml.html.parse(str(Path(single.outdir) / "index.html")).getroot()
    assert len(_rows(whole)) == len(_rows(page(app, "chronology")))
    assert not list(Path(single.outdir).glob("chronology-*"))


def test_a_wrong_setting_says_what_it_can_be(tmp_path: Path):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match=r"edition_chronology_pages = 'years'.*'auto'.*'year'.*'one'"):
        build_root("test-edition", tmp_path, confoverrides={**_copy_edition(tmp_path),
                                                            "edition_chronology_pages": "years"})


def test_the_year_of_a_date_is_where_the_chronology_orders_it():
    from edition.core.dates import sort_key, start_year

    for value, year in (("1924-01-21", 1924), ("-0044-03-15", -44), ("0030", 30), ("1924-W03", 1924),
                        ("--09-01", None), ("12:00:00", None), ("later", None)):
        assert start_year(value) == year
        assert year is None or sort_key(value)[:2] == (0, year)


def test_a_text_that_corrects_a_date_of_another_year_writes_both_years_again(tmp_path: Path):
    """A row shows the date as it was beside the date that corrects it, whatever their years: "April 1922" of
    the text is corrected to 8–16 March 1921, so its words are on the page of 1921 too."""
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    outdir = Path(app.outdir)
    before = _year_pages(outdir)
    text = Path(overrides["edition_texts"][0])
    source = text.read_text(encoding="utf-8")
    text.write_text(source.replace('xml:id="date-tenth-congress">April 1922<',
                                   'xml:id="date-tenth-congress">April, 1922<'), encoding="utf-8")
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    after = _year_pages(outdir)
    assert sorted(name for name in after if after[name] != before[name]) == ["chronology-1921.html",
                                                                             "chronology-1922.html"]
    assert "“April, 1922”" in (outdir / "chronology-1921.html").read_text(encoding="utf-8")


def test_a_page_that_takes_the_name_of_a_year_keeps_the_chronology_whole_and_is_not_removed(tmp_path: Path):
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert _year_pages(Path(app.outdir))
    (tmp_path / "inc" / "src" / "chronology-1922.md").write_text("# A page of the editors\n\nAbout 1922.\n",
                                                                 encoding="utf-8")
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides, warningiserror=False)
    assert list(_year_pages(Path(app.outdir))) == ["chronology-1922.html"]  # the editors' page, kept
    assert "About 1922." in page(app, "chronology-1922").text_content()
    assert _rows(page(app, "chronology"))  # the whole chronology on its page


def _dirhtml_with_page(tmp_path: Path, docname: str, text: str):
    """The Stalin edition (chronology by year) with a page of its own (``docname``: MyST ``text``), built with
    ``dirhtml``."""
    src = tmp_path / "dir" / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-edition", src)
    (src / f"{docname}.md").parent.mkdir(parents=True, exist_ok=True)
    (src / f"{docname}.md").write_text(text, encoding="utf-8")
    return build_root("test-edition", tmp_path / "dir", buildername="dirhtml", warningiserror=False,
                      confoverrides={**_copy_edition(tmp_path), "edition_chronology_pages": "year"})


def test_dirhtml_splits_a_chronology_whose_pages_link_from_its_folder_only(tmp_path: Path):
    """With ``dirhtml`` a year's page is ``chronology-1922/index.html``, beside ``chronology/index.html``: the
    rows link from there. A chronology on an ``index`` page would have its years one folder deeper: whole."""
    app = _dirhtml_with_page(tmp_path, "dates/index", "# Dates\n\n```{chronology}\n```\n")
    outdir = Path(app.outdir)
    year = lxml.html.parse(str(outdir / "chronology-1922" / "index.html")).getroot()
    hrefs = year.xpath("//table//a/@href")
    assert hrefs and all((outdir / "chronology-1922" / href.partition("#")[0] / "index.html").resolve().is_file()
                         for href in hrefs)
    assert year.xpath("string(//nav//a[.='all years']/@href)") == "../chronology/"
    dates = lxml.html.parse(str(outdir / "dates" / "index.html")).getroot()
    assert _rows(dates) and not list(outdir.glob("dates/index-*"))


@pytest.mark.parametrize(("setting", "value", "shown"), [("language", "de", 'lang="de"'),  # env: read again
                                                          ("html_title", "Another title", "Another title")])
def test_a_setting_that_makes_sphinx_write_every_page_again_writes_the_years_again(
        tmp_path: Path, setting: str, value: str, shown: str):
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    before = _year_pages(Path(app.outdir))
    app = build_root("test-edition", tmp_path / "inc", confoverrides={**overrides, setting: value},
                     warningiserror=False)
    after = _year_pages(Path(app.outdir))
    assert all(after[name] != before[name] for name in before)
    assert shown in (Path(app.outdir) / "chronology-1922.html").read_text(encoding="utf-8")


def test_after_a_build_that_did_not_finish_every_year_is_written_again(tmp_path: Path):
    """A build killed after writing a year's page but before keeping its fingerprint: the next build trusts
    nothing the killed one left (``edition.buildstate``), the pages of the years included."""
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    page_1922 = Path(app.outdir) / "chronology-1922.html"
    written = page_1922.read_text(encoding="utf-8")
    page_1922.write_text(written.replace("April 1922", "left by a killed build"), encoding="utf-8")
    (marker,) = Path(app.doctreedir).glob("edition-build-state-html-*")
    marker.write_text("running", encoding="utf-8")  # what a killed build leaves
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert page_1922.read_text(encoding="utf-8") == written


def test_the_pages_of_the_years_written_by_another_version_of_the_code_are_written_again(tmp_path: Path):
    from edition.core.files import dump_pickle, load_pickle
    from edition.parts.chronology_years import YearPages

    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    app = build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    before = _year_pages(Path(app.outdir))
    state = Path(app.doctreedir) / f"{YearPages.FILE}-html"
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    assert _year_pages(Path(app.outdir)) == before  # nothing changed: nothing written
    dump_pickle(state, {**load_pickle(state), "code": "another version"})
    build_root("test-edition", tmp_path / "inc", confoverrides=overrides)
    after = _year_pages(Path(app.outdir))
    assert all(after[name] != before[name] for name in before)


def test_a_parallel_build_writes_the_pages_of_the_years_a_serial_one_writes(tmp_path: Path):
    overrides = {**_copy_edition(tmp_path), "edition_chronology_pages": "year"}
    serial = build_root("test-edition", tmp_path / "serial", confoverrides=overrides)
    parallel = build_root("test-edition", tmp_path / "parallel", confoverrides=overrides, parallel=2)
    assert _year_pages(Path(parallel.outdir)).keys() == _year_pages(Path(serial.outdir)).keys() != set()
    assert _snapshot(Path(parallel.outdir)) == _snapshot(Path(serial.outdir))


def test_with_dirhtml_a_year_does_not_take_the_place_of_a_page_in_its_folder(tmp_path: Path):
    """``chronology-1922/index`` and the page of 1922 would both be ``chronology-1922/index.html``."""
    app = _dirhtml_with_page(tmp_path, "chronology-1922/index", "# The editors' page\n\nAbout 1922.\n")
    assert "About 1922." in (Path(app.outdir) / "chronology-1922" / "index.html").read_text(encoding="utf-8")
    assert not (Path(app.outdir) / "chronology-1921").exists()  # the chronology whole, on its page
