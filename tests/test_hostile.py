"""Hostile input (``tests/hostile-input/``): nothing a TEI file says can run, and the site shows it as text.

A project is made with ``edition init`` from a text and a register whose titles, names, notes, ids and
attributes try to become Python (``conf.py``), Markdown (the home page), HTML, URLs, CSS classes, JSON
and paths; the text's file name is hostile too. Every payload that would run creates a ``PWNED*`` file.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from edition.core.xmlparse import parse_file, plain_text, tei

from .conftest import ROOTS

HOSTILE = Path(__file__).parent / "hostile-input"
HOSTILE_NAME = "evil \"q' $(touch PWNED-file) <b> `id`.xml"
#: URL attributes of HTML (and SVG) that a browser follows or loads
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "cite", "background", "longdesc",
                  "manifest", "ping", "srcset", "{http://www.w3.org/1999/xlink}href", "xlink:href")
SAFE_SCHEMES = ("http", "https", "mailto")
#: elements that load or run something, none of which the toolkit writes
FORBIDDEN = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "TEI_ALL_RNG"} | {"NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, check=False)


def make_project(where: Path, text: Path, register: Path, name: str) -> Path:
    """``edition init`` + ``edition build`` of a text (under the file name ``name``) and a register; what the
    build printed is kept in ``build.log`` beside the project."""
    inputs = where / "inputs"
    inputs.mkdir(parents=True)
    shutil.copyfile(text, inputs / name)
    shutil.copyfile(register, inputs / "register.xml")
    result = run("init", "project", "--tei", str(inputs / name), "--register", str(inputs / "register.xml"),
                 cwd=where)
    assert result.returncode == 0, result.stderr
    with (where / "project" / "docs" / "conf.py").open("a", encoding="utf-8") as conf:  # every id gets a page
        conf.write('\nedition_unmentioned = "page"\n')
    result = run("build", "project", "-q", cwd=where)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr
    (where / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return where / "project"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("hostile")
    project = make_project(where, HOSTILE / "text.xml", HOSTILE / "register.xml", HOSTILE_NAME)
    result = run("validate", "-p", "project", cwd=where)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
    return project


@pytest.fixture(scope="module")
def benign_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same kind of project from harmless TEI: what the toolkit and the theme write themselves."""
    where = tmp_path_factory.mktemp("benign")
    small = ROOTS / "test-small" / "tei"
    return make_project(where, small / "letter.xml", small / "register.xml", "letter.xml") / "docs/_build/html"


def pages(site: Path) -> list[tuple[Path, lxml.html.HtmlElement]]:
    return [(page, lxml.html.parse(str(page)).getroot()) for page in sorted(site.rglob("*.html"))]


def scheme_of(url: str) -> str:
    """The scheme a browser sees (WHATWG URL: leading and trailing C0 controls and spaces stripped, tabs and
    newlines removed anywhere)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def scripts(tree: lxml.html.HtmlElement) -> tuple[set[str], set[str]]:
    """The names of the script files a page loads and the texts of its inline scripts."""
    files = {Path(urlsplit(s.get("src")).path).name for s in tree.iter("script") if s.get("src")}
    inline = {" ".join((s.text or "").split()) for s in tree.iter("script")
              if not s.get("src") and s.get("type") != "application/json"}
    return files, inline


def data_scripts_are_data(tree: lxml.html.HtmlElement) -> int:
    """Check that each JSON data script (the reading view's page images) is JSON, cannot close its element,
    and names only safe addresses; how many there are."""
    found = 0
    for script in tree.iter("script"):
        if script.get("type") != "application/json":
            continue
        found += 1
        assert "<" not in (script.text or "") and ">" not in (script.text or ""), script.text
        data = json.loads(script.text or "")
        for page in data["pages"]:
            for url in (data["manifest"], page["image"]["url"], page["image"]["full"], page["image"]["service"]):
                assert scheme_of(url) in ("", *SAFE_SCHEMES), url
    return found


def test_no_payload_runs_and_nothing_is_written_outside_the_project(hostile: Path):
    where = hostile.parent
    assert not [p for p in where.parent.rglob("PWNED*")], "a payload ran"
    escaped = [p for p in where.parent.rglob("escaped*") if p.parent.name != "persons"]
    assert not escaped, "an xml:id with ../ wrote outside its folder"


def test_conf_py_holds_the_title_only_as_a_literal(hostile: Path):
    title = plain_text(parse_file(hostile / "tei" / HOSTILE_NAME).getroot().find(f".//{tei('title')}"))
    source = (hostile / "docs" / "conf.py").read_text(encoding="utf-8")
    module = ast.parse(source)
    assert "PWNED" not in (ast.get_docstring(module) or "")
    comments = [line for line in source.splitlines() if "#" in line and "PWNED" in line.split("#", 1)[1]]
    assert not [c for c in comments if not c.lstrip().startswith(("project", "edition_texts"))]
    for statement in module.body:  # only literals, the import of escape, and html_title = escape(project)
        if isinstance(statement, ast.Assign):
            value = statement.value
            assert isinstance(value, (ast.Constant, ast.List)) or ast.unparse(value) == "escape(project)", \
                ast.unparse(statement)
        else:
            assert isinstance(statement, (ast.Expr, ast.ImportFrom)), ast.unparse(statement)
    namespace: dict = {}
    exec(compile(module, "conf.py", "exec"), namespace)  # only literals: safe to run (and it must not write)
    assert namespace["project"] == title
    assert namespace["edition_texts"] == [f"../tei/{HOSTILE_NAME}"]
    assert not list(hostile.parent.parent.rglob("PWNED*"))


def test_the_site_has_no_script_event_or_unsafe_link_the_toolkit_did_not_write(hostile: Path, benign_site: Path):
    allowed_files: set[str] = set()
    allowed_inline: set[str] = set()
    for _, tree in pages(benign_site):
        files, inline = scripts(tree)
        allowed_files |= files
        allowed_inline |= inline
    site = hostile / "docs" / "_build" / "html"
    checked = 0
    for page, tree in pages(site):
        files, inline = scripts(tree)
        assert files <= allowed_files, (page, files - allowed_files)
        assert inline <= allowed_inline, (page, inline - allowed_inline)
        data_scripts_are_data(tree)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag not in FORBIDDEN, (page, element.tag)
            if element.tag == "meta":
                assert element.get("http-equiv") is None, (page, lxml.html.tostring(element))
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, element.tag, name, value)
                if name in URL_ATTRIBUTES:
                    assert scheme_of(value) in ("", *SAFE_SCHEMES), (page, element.tag, name, value)
                    checked += 1
                if name == "style":
                    assert not re.search(r"javascript|expression\s*\(|url\s*\(", value, re.I), (page, value)
    assert checked > 100


def test_every_value_is_shown_as_the_text_it_is(hostile: Path):
    site = hostile / "docs" / "_build" / "html"
    title = " ".join(plain_text(parse_file(hostile / "tei" / HOSTILE_NAME).getroot().find(f".//{tei('title')}"))
                     .split())
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert " ".join(home.xpath("//h1")[0].text_content().split()).rstrip("¶ ") == title  # the Markdown heading
    assert home.xpath('//*[contains(@class, "sidebar-brand-text")]')[0].text_content().strip() == title
    assert home.xpath("//title")[0].text_content().startswith(title[:60])
    (text_page,) = [p for p in (site / "texts").glob("*.html") if p.name != "index.html"]
    text = lxml.html.parse(str(text_page)).getroot()
    assert " ".join(text.xpath("//h1")[0].text_content().split()).rstrip("¶ ") == title
    headings = text.xpath("//h2 | //h3")  # the text's divisions are under "Text" (it has a sourceDoc too)
    assert any('<script>alert(11)</script> ```{eval-rst}```' in h.text_content() for h in headings)
    person = lxml.html.parse(str(site / "persons" / "plain.html")).getroot()
    assert person.xpath("//h1")[0].text_content().startswith('<script>document.title="PWNED-name"</script> {{ 7*7 }}')


def test_page_names_stay_in_their_folder_and_links_reach_them(hostile: Path):
    site = hostile / "docs" / "_build" / "html"
    names = sorted(p.name for p in (site / "persons").glob("*.html"))
    assert all(re.fullmatch(r"\w[\w.-]*\.html", name) for name in names), names
    assert len(names) == 9  # the index and eight persons, whatever their ids
    for page, tree in pages(site):
        for link in tree.xpath("//a[@href]"):
            parts = urlsplit(link.get("href"))
            if not parts.scheme and not parts.netloc and parts.path:
                assert (page.parent / parts.path).resolve().is_file(), (page, link.get("href"))


def test_the_search_index_is_data(hostile: Path):
    """Pagefind keeps the titles as text (the search page shows them with ``textContent``); its bundle is the
    files Pagefind writes, none from the TEI."""
    import gzip

    bundle = hostile / "docs" / "_build" / "html" / "pagefind"
    fragments = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for f in (bundle / "fragment").glob("*.pf_fragment")]
    titles = [fragment["meta"]["title"] for fragment in fragments]
    assert any('<script>document.title="PWNED-name"</script>' in title for title in titles), titles
    assert {p.name for p in bundle.glob("*.js")} == {"pagefind.js", "pagefind-worker.js"}


def test_markdown_text_shows_anything_literally():
    from edition.cli import markdown_text

    assert markdown_text("a\n\n# b *c* <d> `e` {f}`g` [h](i) \\ {{ j }}") == \
        r"a \# b \*c\* \<d\> \`e\` \{f\}\`g\` \[h\]\(i\) \\ \{\{ j \}\}"


def test_the_published_tei_cannot_run_in_a_browser(hostile: Path):
    """An XHTML or SVG script in a TEI file would run on the site's origin when a reader opens the copy."""
    from edition.publish.export import ACTIVE_NAMESPACES

    site = hostile / "docs" / "_build" / "html"
    for published in sorted((site / "tei").glob("*.xml")):
        tree = parse_file(published)
        active = [e for e in tree.iter() if isinstance(e.tag, str) and lxml.etree.QName(e).namespace in
                  ACTIVE_NAMESPACES]
        assert not active, (published.name, active)
        instructions = [*tree.getroot().itersiblings(preceding=True), *tree.getroot().iter()]
        assert not [pi for pi in instructions if isinstance(pi, lxml.etree._ProcessingInstruction)
                    and pi.target == "xml-stylesheet" and pi.text], published.name
    assert "are made inert, so the copy is not byte-identical" in (hostile.parent / "build.log").read_text()
    # a file that is not called .xml is published as .xml: never read as HTML
    from edition.publish.export import published_name

    assert published_name("letter.html") == "letter.html.xml" and published_name("L.XML") == "L.XML"


def test_a_forged_source_attribute_reads_nothing(hostile: Path):
    """``urn:tei-edition`` is the toolkit's namespace: ``ed:source`` in the input would name any file as the
    place of a problem, and the build would read it (``/etc/passwd``, ``/dev/zero``)."""
    log = (hostile.parent / "build.log").read_text()
    assert "/etc/passwd" not in log
    assert "the namespace urn:tei-edition is the toolkit's own" in log


def test_the_inventory_has_one_line_per_entry(hostile: Path):
    import zlib

    data = (hostile / "docs" / "_build" / "html" / "objects.inv").read_bytes()
    header_end = data.index(b"zlib.\n") + len(b"zlib.\n")
    lines = zlib.decompress(data[header_end:]).decode().splitlines()
    assert lines and all(re.fullmatch(r"\S+ [\w:-]+ -?\d+ \S+ .*", line) for line in lines), lines
    assert not any("://" in line.split()[3] for line in lines)  # every address a page of the site


def test_running_text_comments_and_own_ids_stay_what_they_are(hostile: Path):
    site = hostile / "docs" / "_build" / "html"
    (text_page,) = [p for p in (site / "texts").glob("*.html") if p.name != "index.html"]
    text = lxml.html.parse(str(text_page)).getroot()
    assert 'text saying href="tei-doc:chronology"' in " ".join(text.text_content().split())
    assert text.xpath('//*[@id="note-1"]')[0].tag == "li"  # the toolkit's note, not the TEI's xml:id="note-1"
    assert text.xpath('//a[text()="a link to it"]/@href') == ["#id-note-1"]
    assert text.xpath('//p[@id="id-note-1"]')
    person = (site / "persons" / "plain.html").read_text(encoding="utf-8")
    assert "a private remark" not in person and "plain" in person
