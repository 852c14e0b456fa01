"""Benchmark: tei-edition against plain Sphinx, on synthetic editions of N documents and M persons.

Usage::

    python scripts/bench.py                      # N = 100 and 1000, M = 2000
    python scripts/bench.py --n 5000 --m 2000    # any sizes
    python scripts/bench.py --n 100 --skip-default

For each N it generates, from the Stalin edition, N TEI documents of the same length and density
(every ``persName`` pointing at a random person of a register of M, every date, note and citation
kept) and, as the baseline, the same texts as plain MyST pages (the words alone). It then measures,
each in a fresh process (wall time and peak RSS, children included):

- baseline, Sphinx's default configuration: alabaster with its default sidebars (the global toctree
  on every page) and the pure-Python stemmer (PyStemmer hidden from the process);
- baseline, tuned: no global toctree in the sidebars, PyStemmer;
- tei-edition with the configuration ``edition init`` writes (nothing tuned for the benchmark):
  full build ``-j 1``, no-op rebuild, rebuild after editing one document, rebuild after editing one
  register entry, full build ``-j auto``, and ``edition validate``;
- whether the incremental result equals a clean build byte for byte (and ``-j auto`` equals ``-j 1``);
- the search: how long Pagefind takes to index the site, and what a reader downloads to search a name
  (``search.html?q=NAME`` in Debian's Chromium, the files the search page loads that other pages do not,
  as served by ``edition serve`` and gzipped).

``python scripts/bench.py --watch [CHECKOUT …] --n 200 [--rounds R]`` measures only the watch mode: from the
save of one text to its changed page (and to the search index), with the server's CPU seconds, each CHECKOUT
taking turns on a copy of one generated edition. ``--watch [CHECKOUT …] --project DIR [--text FILE]`` measures
an existing project instead, in place (give a copy: each save adds a few words to the start of FILE's first
paragraph), e.g. the Escher letters built by ``edition build``.

``python scripts/bench.py --plain --n 5069 --m 5732 --rounds 3`` measures plain Sphinx alone (the tuned baseline with
a page per person: as many pages as the Escher letters' site) as the floor of a one-text rebuild: a full build,
then each round a fresh ``sphinx-build`` after an edit of one page.

``python scripts/bench.py --search-download SITE [--query NAME]`` measures the download alone, on a site
already built (by this version or an earlier one, whose search was Sphinx's).

``python scripts/bench.py --corpus DIR [--register FILE …] [--limit N] [--query NAME]`` measures a real corpus
instead of (or, with ``--n``, besides) the synthetic editions: every TEI document (``*.xml``) under DIR (sorted
by path) is a text, except the registers: the files given with ``--register``, or else those found in DIR,
the files whose ``standOff`` or ``body`` begins with a ``listPerson``, ``listPlace``, ``listOrg``,
``listEvent``, ``listNym`` or ``listBibl`` (see :func:`corpus_files`). ``--limit N`` takes the first N texts. A
project is made with ``edition init`` and measured: a full build (``-j 1`` and ``-j auto``), a no-op rebuild, a
rebuild after editing one text (each a fresh ``edition build`` process; wall time and peak RSS, children
included), whether the rebuild equals the clean build, and what searching ``--query`` downloads (by default,
the name of the person with the most mentions: the longest page of the persons' folder). E.g. the Alfred
Escher letters (stazh/briefedition-escher)::

    python scripts/bench.py --corpus ../escher/corpus --limit 1000

(``../escher/corpus`` holding the repository's ``data/briefe``, ``people``, ``places`` and ``bibliography``, as
the README's runs; ``../escher/data`` itself works too: its XML files that are not TEI documents are left out.)

Results go to ``scripts/bench-results/latest.json`` and ``latest.md`` (a Markdown table with the
ratios against the tuned baseline and the targets of issue 5).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "tei" / "stalin-general-secretary.xml"
RESULTS = REPO / "scripts" / "bench-results"
TEI_NS = "http://www.tei-c.org/ns/1.0"

FORENAMES = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Fyodor", "Galina", "Ivan", "Karl", "Lydia", "Maxim",
             "Nadezhda", "Oleg", "Pavel", "Raisa", "Sergei", "Tatiana", "Viktor", "Yakov", "Zinaida"]
SURNAMES = ["Abramov", "Belov", "Chernov", "Dudin", "Egorov", "Frolov", "Gusev", "Ilyin", "Kozlov", "Lebedev",
            "Morozov", "Novikov", "Orlov", "Petrov", "Rybakov", "Sokolov", "Titov", "Volkov", "Zaitsev", "Yudin"]

# Run one measured command in this fresh process; print wall time and peak RSS (children included).
CHILD = textwrap.dedent("""
    import json, resource, sys, time
    kind, args = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    if kind == "sphinx":
        from sphinx.cmd.build import build_main
        code = build_main(args)
    else:
        import edition.cli
        from edition.cli import main
        published = []  # when the pages are published: the export and the search index are made after them
        def timing(function):
            def timed(*arguments, **options):
                published.append(time.perf_counter() - started)
                return function(*arguments, **options)
            return timed
        # whichever the version measured calls first once the pages are published (older ones: the second)
        for name in ("export_and_index_together", "index_and_publish"):
            if getattr(edition.cli, name, None) is not None:
                setattr(edition.cli, name, timing(getattr(edition.cli, name)))
        code = main(args)
    seconds = time.perf_counter() - started
    usage = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    peak = max(u.ru_maxrss for u in usage)
    pages = published[0] if kind != "sphinx" and published else None
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)  # less shaken than the wall time by a busy machine
    print(json.dumps({"code": code, "seconds": seconds, "rss_mb": peak / 1024, "pages_seconds": pages,
                      "cpu_seconds": cpu, "own_rss_mb": usage[0].ru_maxrss / 1024}))
""")
# Hide PyStemmer, as on a machine without it (snowballstemmer then uses its pure-Python stemmers).
NO_PYSTEMMER = "import sys\nsys.modules['Stemmer'] = None\n"


def child_environment(*first_on_path: str | Path | None) -> dict[str, str]:
    """The environment of a measured process: a fixed hash seed, no colours, and the folders of
    ``first_on_path`` (a checkout's sources, a ``sitecustomize``) before this process's ``PYTHONPATH``."""
    environment = dict(os.environ, PYTHONHASHSEED="0", NO_COLOR="1")
    path = [str(folder) for folder in first_on_path if folder] + [environment.get("PYTHONPATH", "")]
    if any(path):
        environment["PYTHONPATH"] = os.pathsep.join(folder for folder in path if folder)
    return environment


def compile_toolkit(checkout: Path | None) -> None:
    """Write the bytecode of the toolkit of ``checkout`` (default: this one), as pip does for a package it installs
    and Python does at a first run: where Python is told to write none (``PYTHONDONTWRITEBYTECODE``), each
    measured process would otherwise compile the toolkit again."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str((checkout or REPO) / "edition")], check=False,
                   stdout=subprocess.DEVNULL)


def measure(kind: str, args: list[str], *, hide_pystemmer: bool = False, ok: tuple[int, ...] = (0,),
            checkout: Path | None = None) -> dict:
    """Run one command in a fresh process (with ``checkout``: the toolkit of that source folder) and measure it."""
    compile_toolkit(checkout)
    with tempfile.TemporaryDirectory() as folder:
        if hide_pystemmer:
            Path(folder, "sitecustomize.py").write_text(NO_PYSTEMMER)
        env = child_environment(folder if hide_pystemmer else None, checkout)
        # ``-c`` puts the current folder first on the path: run in the checkout's, so that its toolkit is the one run
        result = subprocess.run([sys.executable, "-c", CHILD, kind, *args], capture_output=True, text=True,
                                env=env, check=False, cwd=checkout)
    try:
        measured = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        sys.exit(f"bench: {kind} {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    if measured["code"] not in ok:  # a real corpus may hold a file that cannot be read: exit 1, the site written
        sys.exit(f"bench: {kind} {' '.join(args)} exited {measured['code']}:\n{result.stderr[-3000:]}")
    pages = measured.get("pages_seconds")
    return {"seconds": round(measured["seconds"], 2), "cpu_seconds": round(measured.get("cpu_seconds", 0), 2),
            "rss_mb": round(measured["rss_mb"]),
            **({"own_rss_mb": round(measured["own_rss_mb"])} if "own_rss_mb" in measured else {}),
            **({"pages_seconds": round(pages, 2)} if pages is not None else {}),
            **({"code": measured["code"]} if measured["code"] else {})}


# -- the synthetic edition -------------------------------------------------------------------
def person_name(index: int) -> tuple[str, str]:
    return FORENAMES[index % len(FORENAMES)], f"{SURNAMES[(index // len(FORENAMES)) % len(SURNAMES)]}-{index}"


def make_register(m: int) -> str:
    entries = []
    for index in range(m):
        forename, surname = person_name(index)
        born = 1850 + index % 60
        entries.append(
            f'      <person xml:id="p{index}">\n'
            f'        <persName type="standard"><forename>{forename}</forename> '
            f"<surname>{surname}</surname></persName>\n"
            f'        <persName type="variant">{forename[0]}. {surname}</persName>\n'
            f'        <birth when="{born}-0{1 + index % 9}-1{index % 10}"/><death when="{born + 40 + index % 30}"/>\n'
            f'        <note type="description">Person number {index} of the synthetic register, a party '
            f"official.</note>\n"
            f"      </person>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" xml:lang="en">\n'
            "  <teiHeader><fileDesc><titleStmt><title>Synthetic register of persons</title></titleStmt>\n"
            "    <publicationStmt><p>Generated by scripts/bench.py.</p></publicationStmt>\n"
            "    <sourceDesc><p>Synthetic.</p></sourceDesc></fileDesc></teiHeader>\n"
            "  <text><body>\n    <listPerson>\n" + "".join(entries) + "    </listPerson>\n  </body></text>\n</TEI>\n")


def make_text(template: str, index: int, m: int) -> str:
    chooser = random.Random(index)
    text = re.sub(r'ref="persons\.xml#[^"]+"', lambda _: f'ref="persons.xml#p{chooser.randrange(m)}"', template)
    return text.replace("Joseph Stalin: General Secretary", f"Synthetic document {index}", 1)


def plain_words(tei_text: str) -> str:
    from lxml import etree

    root = etree.fromstring(tei_text.encode())
    body = root.find(f"{{{TEI_NS}}}text")
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in body.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}head")]
    return "\n\n".join(p for p in paragraphs if p)


MENTION = re.compile(r'<persName ref="persons\.xml#p(\d+)"[^>]*>(.*?)</persName>', re.S)


def entry_pages(folder: Path, texts: dict[int, str], m: int) -> None:
    """The baseline's page for each person: what an entry page says, as plain MyST (name, dates, description,
    then each mention: the text and the name as written)."""
    mentions: dict[int, list[str]] = {index: [] for index in range(m)}
    for number, text in texts.items():
        for person, form in MENTION.findall(text):
            written = " ".join(re.sub("<[^>]+>", "", form).split())
            mentions[int(person)].append(f"- Synthetic document {number}: {written}")
    for index in range(m):
        forename, surname = person_name(index)
        listed = "\n".join(mentions[index]) or "Not mentioned in the texts."
        (folder / f"p{index}.md").write_text(
            f"# {forename} {surname}\n\nborn {1850 + index % 60}\n\nPerson number {index} of the synthetic "
            f"register, a party official.\n\n## Mentions\n\n{listed}\n", encoding="utf-8")


def generate(folder: Path, n: int, m: int) -> tuple[Path, Path]:
    """An edition project (made by ``edition init``) and MyST baseline projects: the N texts alone
    (``baseline``) and the N texts with a page per person (``baseline-pages``, as many pages as the edition)."""
    sources = folder / "sources"
    sources.mkdir(parents=True)
    template = TEMPLATE.read_text(encoding="utf-8")
    (sources / "persons.xml").write_text(make_register(m), encoding="utf-8")
    baseline = folder / "baseline"
    baseline.mkdir()
    texts = {}
    for index in range(n):
        texts[index] = text = make_text(template, index, m)
        (sources / f"doc-{index:05d}.xml").write_text(text, encoding="utf-8")
        (baseline / f"doc-{index:05d}.md").write_text(f"# Synthetic document {index}\n\n{plain_words(text)}\n",
                                                     encoding="utf-8")
    (baseline / "index.md").write_text("# Baseline\n\n```{toctree}\n:glob:\n\ndoc-*\n```\n", encoding="utf-8")
    conf = 'project = "Baseline"\nextensions = ["myst_parser"]\nexclude_patterns = ["_build"]\n'
    (baseline / "conf.py").write_text(conf, encoding="utf-8")
    pages = folder / "baseline-pages"
    shutil.copytree(baseline, pages)
    entry_pages(pages, texts, m)
    (pages / "index.md").write_text("# Baseline\n\n```{toctree}\n:glob:\n\ndoc-*\np*\n```\n", encoding="utf-8")
    tuned = folder / "baseline-tuned-conf"  # the same project, built with this conf.py (sphinx-build -c)
    tuned.mkdir()
    (tuned / "conf.py").write_text(conf + '# no global toctree in the sidebar of every page\n'
                                   'html_sidebars = {"**": ["relations.html", "searchbox.html"]}\n', encoding="utf-8")
    edition = folder / "edition"
    from edition.cli import main

    texts = sorted(str(p) for p in sources.glob("doc-*.xml"))
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            code = main(["init", str(edition), "--tei", *texts, "--register", str(sources / "persons.xml"),
                         "--title", "Synthetic edition"])
        finally:
            sys.stdout = stdout
    if code != 0:
        sys.exit("bench: edition init failed")
    return edition, baseline


# -- runs ---------------------------------------------------------------------------------------
def same_tree(left: Path, right: Path) -> list[str]:
    """Files that differ between two built sites (ignoring the doctrees)."""
    differences = []
    for path in sorted(left.rglob("*")):
        relative = path.relative_to(left)
        if ".doctrees" in relative.parts or path.is_dir():
            continue
        other = right / relative
        if not other.is_file() or not filecmp.cmp(path, other, shallow=False):
            differences.append(str(relative))
    missing = {p.relative_to(right) for p in right.rglob("*") if p.is_file() and ".doctrees" not in p.parts}
    missing -= {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    return differences + sorted(map(str, missing))


# -- the search ---------------------------------------------------------------------------------
#: the name searched: a misspelling of the Stalin text (``<sic>Kamanev</sic>``), in every synthetic document
QUERY = "Kamanev"


def search_download(site: Path, query: str = QUERY) -> dict:
    """What a reader's browser downloads to search ``query`` on ``site``: every file the search page loads
    that the home page does not (Sphinx's ``searchindex.js`` and the pages it fetches for its excerpts; or
    Pagefind's script, WebAssembly, index chunks and the fragments of the results shown), until the network
    is idle. Bytes as served by ``edition serve`` (no compression) and gzipped (as most servers send them)."""
    import gzip

    from playwright.sync_api import sync_playwright

    from edition.serve import CHROMIUM, CHROMIUM_ARGS, serving

    def loads(page, url: str) -> dict[str, bytes]:
        bodies: dict[str, bytes] = {}

        def keep(response) -> None:
            try:
                bodies[response.url] = response.body()
            except Exception:  # a redirect, or a body the browser let go
                bodies.setdefault(response.url, b"")

        page.on("response", keep)
        page.goto(url, wait_until="networkidle", timeout=120_000)
        if page.locator("#edition-search-status").count():  # Pagefind: the status says when results are shown
            page.wait_for_function("/found|could not/.test(document.getElementById('edition-search-status')"
                                   ".textContent)", timeout=120_000)
        page.wait_for_timeout(1000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.remove_listener("response", keep)
        return bodies

    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            home = loads(browser.new_page(), base + "index.html")
            page = browser.new_page()
            searched = loads(page, f"{base}search.html?q={query}")
            shown = page.locator("ul.search > li").count()
        finally:
            browser.close()
    own = {url: body for url, body in searched.items() if url not in home and "search.html" not in url}
    return {"query": query, "requests": len(own), "bytes": sum(map(len, own.values())),
            "gzip_bytes": sum(len(gzip.compress(body, 6)) for body in own.values()), "results_shown": shown,
            "largest": sorted(((len(b), u.removeprefix(base)) for u, b in own.items()), reverse=True)[:3]}


def most_mentioned_name(site: Path) -> str:
    """The name of the person with the most mentions on ``site`` (the longest page of its persons' folder),
    to search for it; :data:`QUERY` if it has none."""
    import html

    pages = sorted((site / "persons").glob("*.html"), key=lambda p: p.stat().st_size, reverse=True)
    for page in pages:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
        name = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", heading[1])).split()).strip("¶ ") if heading else ""
        if name and not name.startswith("Index"):
            return name
    return QUERY


def time_search_index(site: Path) -> float:
    """Seconds Pagefind takes to index ``site`` again (as every build does, in its last step)."""
    from edition.publish.search import index_site

    started = time.perf_counter()
    index_site(site, "en")  # without the build's state: indexed whatever it was made of
    return round(time.perf_counter() - started, 2)


def edit_plain(path: Path, marker: str = "Edited.") -> None:
    """Change one word's worth of the MyST page ``path`` of a baseline: ``marker`` at the start of its first
    paragraph (after its heading), as :func:`edit_text` changes a TEI text."""
    heading, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
    path.write_text(f"{heading}\n\n{marker} {rest}", encoding="utf-8")


def plain_rebuilds(n: int, m: int, rounds: int) -> dict:
    """Plain Sphinx alone, as the floor of a one-text rebuild: the tuned baseline with a page per person (as many
    pages as an edition of ``n`` texts and ``m`` persons), built once, then ``rounds`` rebuilds after an edit of
    one text, each a fresh ``sphinx-build``."""
    print(f"bench: N = {n}, M = {m}: generating", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="edition-bench-plain-") as folder:
        folder = Path(folder)
        generate(folder, n, m)
        build = ["-q", "-b", "html", "-c", str(folder / "baseline-tuned-conf"), str(folder / "baseline-pages"),
                 str(folder / "b-pages")]
        result: dict = {"n": n, "m": m, "full": measure("sphinx", build), "one_document": []}
        result["pages"] = sum(1 for _ in (folder / "b-pages").rglob("*.html"))
        for round_number in range(rounds):
            edit_plain(folder / "baseline-pages" / "doc-00000.md", f"Edited{round_number}.")
            result["one_document"].append(measure("sphinx", build))
    return result


def run_size(n: int, m: int, jobs: str, skip_default: bool) -> dict:
    print(f"bench: N = {n}, M = {m}: generating", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as folder:
        folder = Path(folder)
        edition, baseline = generate(folder, n, m)
        result: dict = {"n": n, "m": m}

        def step(name: str, kind: str, args: list[str], **options) -> None:
            print(f"bench: N = {n}: {name}", file=sys.stderr)
            result[name] = measure(kind, args, **options)

        if not skip_default:
            step("baseline_default", "sphinx", ["-q", "-b", "html", str(baseline), str(folder / "b-default")],
                 hide_pystemmer=True)
        step("baseline_tuned", "sphinx", ["-q", "-b", "html", "-c", str(folder / "baseline-tuned-conf"),
                                          str(baseline), str(folder / "b-tuned")])
        pages_build = ["-q", "-b", "html", "-c", str(folder / "baseline-tuned-conf"), str(folder / "baseline-pages"),
                       str(folder / "b-pages")]
        step("baseline_tuned_pages", "sphinx", pages_build)
        edit_plain(folder / "baseline-pages" / "doc-00000.md")
        step("baseline_pages_one_document", "sphinx", pages_build)
        out, clean = folder / "site", folder / "site-clean"
        build = ["build", str(edition), "-q", "-o"]
        step("full_j1", "edition", [*build, str(out), "-j", "1"])
        step("noop", "edition", [*build, str(out), "-j", "1"])
        document = edition / "tei" / "doc-00000.xml"
        edit_text(document)  # in its body, as an editor's save (the first <p> of the file is the header's)
        step("one_document", "edition", [*build, str(out), "-j", "1"])
        register = edition / "tei" / "persons.xml"
        register.write_text(register.read_text(encoding="utf-8").replace("Person number 7 ", "Person seven ", 1),
                            encoding="utf-8")
        step("one_register_entry", "edition", [*build, str(out), "-j", "1"])
        step("full_jauto", "edition", [*build, str(clean), "-j", jobs])
        differences = same_tree(out, clean)
        result["incremental_equals_clean"] = not differences
        result["differences"] = differences[:20]
        step("validate", "edition", ["validate", "-p", str(edition)])
        result["pages"] = sum(1 for _ in out.rglob("*.html"))
        print(f"bench: N = {n}: watch mode, save to page", file=sys.stderr)
        result["watch_save_to_page"] = watch_latency(edition, edition / "tei" / "doc-00001.xml")
        print(f"bench: N = {n}: search", file=sys.stderr)
        result["search_index_seconds"] = time_search_index(clean)
        result["search_download"] = search_download(clean)
    return result


# -- a real corpus ------------------------------------------------------------------------------
#: what makes a file a register: one of these lists at the top of its ``standOff`` or ``body`` (a text's own
#: lists, of the works it names in its ``back`` or of persons in a paragraph, are not there)
REGISTER_LISTS = re.compile(r"<(?:\w+:)?(?:standOff|body)\b[^>]*>\s*"
                            r"(?:<(?:\w+:)?head\b.*?</(?:\w+:)?head>\s*)?"
                            r"<(?:\w+:)?list(?:Person|Place|Org|Event|Nym|Bibl)\b", re.S)


#: the first element of an XML file (after its declaration, comments, processing instructions and doctype)
FIRST_ELEMENT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")


def is_tei_document(path: Path) -> bool:
    """Whether ``path`` is a TEI document: its first element a ``TEI`` or ``teiCorpus`` (read from its start only;
    ``edition init`` refuses the others)."""
    with open(path, "rb") as handle:
        start = handle.read(65536).decode("utf-8", errors="replace")
    found = FIRST_ELEMENT.search(re.sub(r"<!--.*?-->", "", start, flags=re.S))
    return found is not None and found.group(1) in ("TEI", "teiCorpus")


def corpus_files(corpus: Path, registers: list[Path] | None = None, limit: int | None = None,
                 ) -> tuple[list[Path], list[Path]]:
    """The texts and the registers of ``corpus``: every TEI document (``*.xml``: :func:`is_tei_document`) under
    it, sorted by path; the registers are ``registers`` if given, else the files whose ``standOff`` or ``body``
    begins with a list of entries (``listPerson``, ``listPlace``, ``listOrg``, ``listEvent``, ``listNym``,
    ``listBibl``). ``limit`` takes the first texts. The other XML files (an edition's image maps, its
    taxonomies) are left out, and counted on standard error."""
    found = sorted(p for p in corpus.rglob("*.xml") if p.is_file())
    files = [p for p in found if is_tei_document(p)]
    if len(files) < len(found):
        print(f"bench: corpus {corpus}: {len(found) - len(files)} XML files that are not TEI documents left out",
              file=sys.stderr)
    if registers is None:
        registers = [p for p in files if REGISTER_LISTS.search(p.read_text(encoding="utf-8", errors="replace"))]
    chosen = {p.resolve() for p in registers}
    texts = [p for p in files if p.resolve() not in chosen]
    return texts[:limit] if limit else texts, list(registers)


def edit_text(path: Path, marker: str = "Edited.") -> None:
    """Change one word's worth of ``path``: ``marker`` at the start of the first paragraph of its body (or,
    with none, of its first block of text), as an editor's save does."""
    text = path.read_text(encoding="utf-8")
    body = max(text.find("<body"), 0)
    found = re.compile(r"<(?:p|ab|l|seg)(?:\s[^>]*)?(?<!/)>").search(text, body)
    if found is None:
        found = re.compile(r"<(?!/)[^>?!]*(?<!/)>(?=[^<\s])").search(text, body)
    if found is None:
        sys.exit(f"bench: {path}: no text to edit")
    path.write_text(text[:found.end()] + marker + " " + text[found.end():], encoding="utf-8")


def run_corpus(corpus: Path, registers: list[Path] | None, limit: int | None, jobs: str, query: str | None) -> dict:
    """A real corpus (see the module's doc), measured as :func:`run_size` measures a synthetic edition."""
    texts, registers = corpus_files(corpus, registers, limit)
    if not texts:
        sys.exit(f"bench: {corpus}: no TEI texts")
    print(f"bench: corpus {corpus}: {len(texts)} texts, registers {', '.join(map(str, registers)) or 'none'}",
          file=sys.stderr)
    result: dict = {"corpus": str(corpus), "texts": len(texts), "registers": [str(r) for r in registers]}
    with tempfile.TemporaryDirectory(prefix="edition-bench-corpus-") as folder:
        folder = Path(folder)
        edition = folder / "edition"
        from edition.cli import main

        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                arguments = ["init", str(edition), "--tei", *map(str, texts)]
                code = main(arguments + (["--register", *map(str, registers)] if registers else []))
            finally:
                sys.stdout = stdout
        if code != 0:
            sys.exit("bench: edition init failed")
        result["init_seconds"] = round(time.perf_counter() - started, 2)

        def step(name: str, args: list[str]) -> None:
            print(f"bench: corpus: {name}", file=sys.stderr)
            result[name] = measure("edition", args, ok=(0, 1))

        out, clean = folder / "site", folder / "site-clean"
        build = ["build", str(edition), "-q", "-o"]
        step("full_j1", [*build, str(out), "-j", "1"])
        step("noop", [*build, str(out), "-j", "1"])
        copies = sorted((edition / "tei").rglob("*.xml"))
        registered = {r.name for r in registers}
        document = next(p for p in copies if p.name == texts[0].name and p.name not in registered)
        edit_text(document)
        result["edited"] = str(document.relative_to(edition))
        step("one_document", [*build, str(out), "-j", "1"])
        step("full_jauto", [*build, str(clean), "-j", jobs])
        differences = same_tree(out, clean)
        result["incremental_equals_clean"] = not differences
        result["differences"] = differences[:20]
        result["pages"] = sum(1 for _ in out.rglob("*.html"))
        print("bench: corpus: search", file=sys.stderr)
        result["search_index_seconds"] = time_search_index(clean)
        result["search_download"] = search_download(clean, query or most_mentioned_name(clean))
    return result


def server_cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process ``pid`` has used so far, its children left out (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch_latency(edition: Path, document: Path, checkout: Path | None = None, saves: int = 3,
                  label: str = "", edit: Callable[[Path, str], None] = edit_text,
                  search: bool = True) -> dict:
    """``edition serve --watch``: from the save of one text to its changed page served, in seconds (the
    page reloads itself when the server says so: what an editor waits for), and to the search index that
    finds the change (``pagefind/pagefind-entry.json`` changed), with the server's CPU seconds from the save
    to the page. The first build is not timed. With ``checkout``, the toolkit of that source folder is run
    (to compare two versions side by side); ``edit(document, marker)`` saves the change. Without ``search``,
    the next save follows a second after the page, without waiting for the search index."""
    import urllib.error
    import urllib.request

    environment = child_environment(checkout)
    # ``-m`` puts the current folder first on the path: run in the checkout's, so that its toolkit is the one run
    server = subprocess.Popen([sys.executable, "-m", "edition.cli", "serve", str(edition), "--watch", "-p", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
                              cwd=checkout)

    def fetch(url: str) -> bytes:
        try:
            return urllib.request.urlopen(url).read()
        except urllib.error.HTTPError:
            return b""

    indexed = threading.Event()  # the first build's search index is made (in the background)

    def read(line: str) -> None:
        if line.startswith(("edition: search index", "edition: the search index was not made again",
                            "edition: indexing the site")):  # (versions that made it in the build said this)
            indexed.set()

    try:
        url = None
        while url is None:
            line = server.stdout.readline()
            if not line:
                sys.exit("bench: edition serve --watch stopped before serving")
            read(line)
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            url = found[1] if found else None
        threading.Thread(target=lambda: [read(line) for line in server.stdout], daemon=True).start()  # drained
        page, entry = f"{url}texts/{document.name[:-4]}.html", f"{url}pagefind/pagefind-entry.json"
        times, searched, cpu = [], [], []
        time.sleep(2)  # the first build's search index, made in the background by a version that does
        pagefind = b"edition-search.js" in fetch(f"{url}search.html")  # not before the search with Pagefind
        deadline = time.perf_counter() + 300
        while pagefind and not fetch(entry) and time.perf_counter() < deadline:
            time.sleep(0.5)
        # and finished: the index a server stopped before (the last round's) left may be made again, in the
        # background of the first build, which the first save would otherwise stop (and wait for)
        indexed.wait(max(0.0, deadline - time.perf_counter()) if pagefind else 0)
        for attempt in range(saves):
            marker = f"Watched edit {label}{attempt} {time.time_ns()}."  # new in a project edited before
            index_before = fetch(entry)
            saved, cpu_before = time.perf_counter(), server_cpu_seconds(server.pid)
            edit(document, marker)
            while marker.encode() not in fetch(page):
                time.sleep(0.02)
            times.append(time.perf_counter() - saved)
            cpu.append(server_cpu_seconds(server.pid) - cpu_before)
            deadline = saved + 300
            while search and pagefind and fetch(entry) in (index_before, b"") and time.perf_counter() < deadline:
                time.sleep(0.1)
            searched.append(time.perf_counter() - saved if search else 0.0)
            time.sleep(1)
        return {"seconds": round(statistics.median(times), 2), "all": [round(t, 2) for t in times],
                "cpu_seconds": round(statistics.median(cpu), 2), "cpu_all": [round(t, 2) for t in cpu],
                "search_seconds": round(statistics.median(searched), 2), "search_all": [round(t, 2) for t in searched]}
    finally:
        server.terminate()
        server.wait(timeout=60)


def compare_watch(n: int, m: int, checkouts: list[Path], rounds: int) -> dict:
    """:func:`watch_latency` of each checkout on one generated edition (a copy each), taking turns, so that
    they are measured side by side under the same load of the machine."""
    print(f"bench: N = {n}, M = {m}: generating", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as folder:
        edition, _baseline = generate(Path(folder), n, m)
        copies = []
        for number in range(len(checkouts)):
            copy = Path(folder) / f"edition-{number}"
            shutil.copytree(edition, copy)
            copies.append(copy)
        measured = take_turns([(checkout, copy, copy / "tei" / "doc-00001.xml", edit_text)
                               for checkout, copy in zip(checkouts, copies, strict=True)], rounds, f"N = {n}")
    return {"n": n, "m": m, "watch": measured}


def text_edited(project: Path, text: Path | None) -> Path:
    """The text a benchmark edits in ``project``: ``text``, or the first text of its ``conf.py``."""
    from edition.cli import find_confdir, project_files

    return (text or project_files(find_confdir(project)).texts[0]).resolve()


def compare_watch_project(project: Path, checkouts: list[Path], rounds: int, text: Path | None,
                          search: bool = True) -> dict:
    """:func:`watch_latency` of each checkout on an existing project (``edition init``'s layout), taking turns
    in that very folder (no copy: give one made for the benchmark); each save puts a few words at the start of
    the first paragraph of ``text`` (default: the first text of its ``conf.py``), as :func:`edit_text` does."""
    document = text_edited(project, text)
    print(f"bench: {project}: watch mode, editing {document}", file=sys.stderr)
    measured = take_turns([(checkout, project, document, edit_text) for checkout in checkouts], rounds, str(project),
                          search)
    return {"project": str(project), "text": str(document), "watch": measured}


def compare_rebuild(project: Path, checkouts: list[Path], rounds: int, text: Path | None, jobs: str) -> dict:
    """Side by side, on a copy of ``project`` (``edition init``'s layout) per checkout: a full build, then
    ``rounds`` times the same edit of ``text`` (default: the first text of its ``conf.py``) in each copy and a
    one-off ``edition build`` of each in turn (a fresh process each). Each step: wall and CPU seconds, until
    the pages were published, the process's own peak memory and its children's (Pagefind's)."""
    document = text_edited(project, text)
    measured: dict[str, dict] = {str(checkout): {"one_text": []} for checkout in checkouts}
    with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as folder:
        copies = [Path(folder, str(number)) for number in range(len(checkouts))]
        for checkout, copy in zip(checkouts, copies, strict=True):
            shutil.copytree(project, copy, ignore=shutil.ignore_patterns("_build"), symlinks=True)
            print(f"bench: {project}: full build with {checkout}", file=sys.stderr)
            measured[str(checkout)]["full"] = measure("edition", ["build", str(copy), "-q", "-j", jobs], ok=(0, 1),
                                                      checkout=checkout)
        for turn in range(rounds):
            for checkout, copy in zip(checkouts, copies, strict=True):
                edit_text(copy / document.relative_to(project.resolve()), f"Edited {turn}.")
                print(f"bench: {project}: one text, round {turn + 1}, {checkout}", file=sys.stderr)
                measured[str(checkout)]["one_text"].append(
                    measure("edition", ["build", str(copy), "-q"], ok=(0, 1), checkout=checkout))
    for values in measured.values():
        values["one_text_median"] = {key: round(statistics.median(step[key] for step in values["one_text"]), 2)
                                     for key in values["one_text"][0] if key != "code"}
    return {"project": str(project), "text": str(document), "rebuild": measured}


def take_turns(runs: list[tuple[Path, Path, Path, Callable[[Path, str], None]]], rounds: int, name: str,
               search: bool = True) -> dict:
    """:func:`watch_latency` of each (checkout, project, text, edit), taking turns ``rounds`` times; the
    medians of each checkout."""
    measured: dict[str, dict] = {str(run[0]): {"all": [], "cpu_all": [], "search_all": []} for run in runs}
    for turn in range(rounds):
        for checkout, project, document, edit in runs:
            print(f"bench: {name}: watch mode, round {turn + 1}, {checkout}", file=sys.stderr)
            result = watch_latency(project, document, checkout, label=f"{turn}-", edit=edit, search=search)
            for key in ("all", "cpu_all", "search_all"):
                measured[str(checkout)][key] += result[key]
    medians = {"seconds": "all", "cpu_seconds": "cpu_all", "search_seconds": "search_all"}
    for values in measured.values():
        values.update({median: round(statistics.median(values[key]), 2) for median, key in medians.items()})
    return measured


# -- report -------------------------------------------------------------------------------------
def kilobytes(download: dict) -> str:
    return f"{download['bytes'] / 1000:,.0f} KB ({download['gzip_bytes'] / 1000:,.0f} KB gzipped)"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def seconds_and_pages(step: dict) -> str:
    """``7.2 s (pages 3.1 s)``: the whole ``edition build``, and until its pages were published (the search
    index is made after them)."""
    pages = step.get("pages_seconds")
    return f"{step['seconds']:.1f} s" + (f" (pages {pages:.1f} s)" if pages is not None else "")


def corpus_label(result: dict) -> str:
    """The corpus by the last two parts of its path (``escher/data``)."""
    return "/".join(Path(result["corpus"]).parts[-2:])


def peak_rss(result: dict) -> int:
    return max(v["rss_mb"] for v in result.values() if isinstance(v, dict) and "rss_mb" in v)


def corpus_markdown(results: list[dict]) -> list[str]:
    """The table of the real corpora (``--corpus``), and their targets (issue 16)."""
    lines = ["| corpus | texts | registers | pages | full -j1 | full -j auto | no-op | one text | peak RSS | "
             "incremental = clean | search index | search download |",
             "| --- |" + " ---: |" * 8 + " :---: | ---: | ---: |"]
    for r in results:
        lines.append(
            f"| {corpus_label(r)} | {r['texts']} | "
            f"{', '.join(Path(f).name for f in r['registers']) or '–'} | {r['pages']} | "
            f"{r['full_j1']['seconds']:.1f} s ({r['full_j1']['rss_mb']} MB) | "
            f"{r['full_jauto']['seconds']:.1f} s ({r['full_jauto']['rss_mb']} MB) | {r['noop']['seconds']:.1f} s | "
            f"{seconds_and_pages(r['one_document'])} | {peak_rss(r)} MB | "
            f"{'yes' if r['incremental_equals_clean'] else 'NO'} | {r['search_index_seconds']:.1f} s | "
            f"\"{r['search_download']['query']}\": {kilobytes(r['search_download'])} |")
    lines += ["", "| target (issue 16) | measured | met |", "| --- | --- | :---: |"]
    for r in results:
        name, one, peak = f"{corpus_label(r)}, {r['texts']} texts", r["one_document"]["seconds"], peak_rss(r)
        lines.append(f"| {name}: one-text rebuild ≤ 3 s | {seconds_and_pages(r['one_document'])} | "
                     f"{'yes' if one <= 3 else 'no'} |")
        lines.append(f"| {name}: peak RSS ≤ 1 GB (-j auto included) | {peak} MB | {'yes' if peak <= 1024 else 'no'} |")
        j1, jauto = r["full_j1"]["seconds"], r["full_jauto"]["seconds"]
        lines.append(f"| {name}: -j auto no slower than -j 1 | {ratio(jauto, j1)} | {'yes' if jauto <= j1 else 'no'} |")
    return lines


def markdown(results: list[dict], machine: str, command: str, corpora: list[dict] = ()) -> str:
    if not results:
        return "\n".join([f"Measured on {machine} with `{command}`.", "", *corpus_markdown(corpora)]) + "\n"
    lines = [f"Measured on {machine} with `{command}`.", "",
             "| N docs | M persons | pages | baseline default | baseline tuned | baseline tuned, same pages | "
             "full -j1 | full -j auto | no-op | one document | one register entry | validate | peak RSS | "
             "incremental = clean | search index | search download |",
             "|" + " ---: |" * 13 + " :---: | ---: | ---: |"]
    for r in results:
        default = r.get("baseline_default", {}).get("seconds")
        peak = peak_rss(r)
        lines.append(
            f"| {r['n']} | {r['m']} | {r['pages']} | {f'{default:.1f} s' if default else '–'} | "
            f"{r['baseline_tuned']['seconds']:.1f} s | {r['baseline_tuned_pages']['seconds']:.1f} s | "
            f"{r['full_j1']['seconds']:.1f} s | "
            f"{r['full_jauto']['seconds']:.1f} s | {r['noop']['seconds']:.1f} s | "
            f"{seconds_and_pages(r['one_document'])} | "
            f"{r['one_register_entry']['seconds']:.1f} s | {r['validate']['seconds']:.1f} s | {peak} MB | "
            f"{'yes' if r['incremental_equals_clean'] else 'NO'} | {r['search_index_seconds']:.1f} s | "
            f"{kilobytes(r['search_download'])} |")
    lines += ["", "| target (issue 5) | measured | met |", "| --- | --- | :---: |"]
    for r in results:
        tuned, full = r["baseline_tuned"]["seconds"], r["full_j1"]["seconds"]
        lines.append(f"| N = {r['n']}: full build ≤ 1.5× tuned baseline | {ratio(full, tuned)} | "
                     f"{'yes' if full <= 1.5 * tuned else 'no'} |")
        same = r["baseline_tuned_pages"]["seconds"]
        lines.append(f"| N = {r['n']}: (for reference) full build vs the tuned baseline with as many pages (the "
                     f"texts and a plain page per person) | {ratio(full, same)} | – |")
        if "baseline_default" in r:
            default = r["baseline_default"]["seconds"]
            lines.append(f"| N = {r['n']}: ≥ 10× faster than Sphinx's default | {default / full:.1f}× faster | "
                         f"{'yes' if default >= 10 * full else 'no'} |")
        lines.append(f"| N = {r['n']}: one-document rebuild ≤ 3 s | {seconds_and_pages(r['one_document'])} | "
                     f"{'yes' if r['one_document']['seconds'] <= 3 else 'no'} |")
        if "baseline_pages_one_document" in r:
            plain = r["baseline_pages_one_document"]["seconds"]
            lines.append(f"| N = {r['n']}: (for reference) one-document rebuild vs the tuned baseline with as many "
                         f"pages ({plain:.1f} s) | {ratio(r['one_document']['seconds'], plain)} | – |")
        if "watch_save_to_page" in r:
            watched = r["watch_save_to_page"]["seconds"]
            lines.append(f"| N = {r['n']}: watch mode, save to changed page ≤ 2 s (median of 3) | {watched:.1f} s | "
                         f"{'yes' if watched <= 2 else 'no'} |")
        peak = peak_rss(r)
        lines.append(f"| N = {r['n']}: peak RSS ≤ 1 GB | {peak} MB | {'yes' if peak <= 1024 else 'no'} |")
        download = r["search_download"]
        lines.append(f"| N = {r['n']}: searching \"{download['query']}\" downloads ≤ 300 KB (issue 16) | "
                     f"{kilobytes(download)} | {'yes' if download['bytes'] <= 300_000 else 'no'} |")
        lines.append(f"| N = {r['n']}: incremental and -j auto = clean -j 1, byte for byte | "
                     f"{'identical' if r['incremental_equals_clean'] else 'differs'} | "
                     f"{'yes' if r['incremental_equals_clean'] else 'no'} |")
    by_n = {r["n"]: r for r in results}
    if 100 in by_n and 1000 in by_n:
        small, large = by_n[100]["full_j1"]["seconds"] / 100, by_n[1000]["full_j1"]["seconds"] / 1000
        lines.append(f"| linear: per-document time at N = 1000 within 1.3× of N = 100 | {ratio(large, small)} | "
                     f"{'yes' if large <= 1.3 * small else 'no'} |")
    if corpora:
        lines += ["", *corpus_markdown(corpora)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark tei-edition against plain Sphinx.")
    parser.add_argument("--n", type=int, nargs="+",
                        help="numbers of documents (default: 100 and 1000, or none with --corpus)")
    parser.add_argument("--m", type=int, default=2000, help="number of persons in the register")
    parser.add_argument("-j", "--jobs", default="auto", help="processes for the parallel build (default: auto)")
    parser.add_argument("--skip-default", action="store_true",
                        help="skip the baseline with Sphinx's default configuration (slow: quadratic)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write latest.json and latest.md")
    parser.add_argument("--search-download", type=Path, metavar="SITE",
                        help="only measure what searching --query downloads on this built site, and print it")
    parser.add_argument("--query", help=f"the name searched (default: {QUERY}; with --corpus, the person with the "
                                        "most mentions)")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="also measure a real corpus: the TEI files under DIR (see --register, --limit)")
    parser.add_argument("--register", type=Path, nargs="+", action="extend", metavar="FILE",
                        help="with --corpus: its registers (default: the files of DIR whose standOff or body "
                             "begins with a listPerson, listPlace, listOrg, listEvent, listNym or listBibl)")
    parser.add_argument("--limit", type=int, metavar="N", help="with --corpus: only its first N texts (by path)")
    parser.add_argument("--watch", type=Path, nargs="*", metavar="CHECKOUT",
                        help="only measure the watch mode's save to page (and to search index) at each --n, for "
                             "this toolkit or, side by side, for each CHECKOUT (a source folder of another "
                             "version, e.g. a git worktree), and print it")
    parser.add_argument("--rounds", type=int, default=2,
                        help="with --watch: turns each checkout takes (3 saves each); with --rebuild: edits")
    parser.add_argument("--rebuild", type=Path, nargs="*", metavar="CHECKOUT",
                        help="only measure, on copies of --project, a full build and --rounds one-text rebuilds "
                             "(each a fresh edition build) for this toolkit or, side by side, for each CHECKOUT, "
                             "and print it")
    parser.add_argument("--project", type=Path, metavar="DIR",
                        help="with --watch: measure this existing project (in place: give a copy) instead of the "
                             "synthetic editions of --n; with --rebuild: the project copied")
    parser.add_argument("--page-only", action="store_true",
                        help="with --watch --project: do not wait for the search index after each save")
    parser.add_argument("--plain", action="store_true",
                        help="only measure plain Sphinx at each --n with --m: the tuned baseline with a page per "
                             "person, a full build and --rounds one-text rebuilds, and print it")
    parser.add_argument("--text", type=Path, metavar="FILE",
                        help="with --watch or --rebuild: the text edited (default: the first of its conf.py)")
    args = parser.parse_args()
    if args.n is None:
        args.n = [] if args.corpus else [100, 1000]
    if args.plain:
        print(json.dumps([plain_rebuilds(n, args.m, args.rounds) for n in args.n], indent=2))
        return 0
    if args.rebuild is not None:
        if not args.project:
            sys.exit("bench: --rebuild needs --project DIR")
        checkouts = [c.resolve() for c in args.rebuild] or [REPO]
        print(json.dumps(compare_rebuild(args.project.resolve(), checkouts, args.rounds, args.text, args.jobs),
                         indent=2))
        return 0
    if args.watch is not None:
        checkouts = [c.resolve() for c in args.watch] or [REPO]
        if args.project:
            print(json.dumps(compare_watch_project(args.project.resolve(), checkouts, args.rounds, args.text,
                                                   not args.page_only), indent=2))
            return 0
        print(json.dumps([compare_watch(n, args.m, checkouts, args.rounds) for n in args.n], indent=2))
        return 0
    if args.search_download:
        print(json.dumps(search_download(args.search_download, args.query or QUERY), indent=2))
        return 0
    results = [run_size(n, args.m, args.jobs, args.skip_default) for n in args.n]
    corpora = [run_corpus(args.corpus.resolve(), args.register, args.limit, args.jobs, args.query)
               for _ in [args.corpus] if args.corpus]
    machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"
    command = "python scripts/bench.py " + " ".join(sys.argv[1:])
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "latest.json").write_text(json.dumps({"machine": machine, "command": command.strip(),
                                                         "date": time.strftime("%Y-%m-%d"), "results": results,
                                                         "corpora": corpora},
                                                        indent=2) + "\n", encoding="utf-8")
    table = markdown(results, machine, command.strip(), corpora)
    (args.output / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    shutil.rmtree(args.output / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
