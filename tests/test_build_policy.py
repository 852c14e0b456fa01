"""``edition build``'s policy: problems of the data are warnings (``--strict``: errors), a file that cannot be
read fails the build with the rest of the site written, and the warnings are summed up by kind at the end.

Three of six editions from elsewhere failed by default, ending in Sphinx's "build finished with problems, N
warnings (with warnings treated as errors)", with no word that the site was written; a corpus of 5,000 letters
printed 153,807 warning lines and no summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.core.xmlparse import PROBLEM_KINDS
from edition.publish.buildreport import KINDS, SHOWN

from .conftest import REPO
from .test_cli import run

TEI = ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>'
       "<titleStmt><title>{title}</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>"
       "</sourceDesc></fileDesc></teiHeader><text><body>\n{body}\n</body></text></TEI>\n")
REGISTER = '<listPerson><person xml:id="anna"><persName>Anna Zeller</persName></person></listPerson>'
#: line 3 of the file: an unresolved pointer; line 4: an invalid date
GOOD = '<p>To <persName ref="register.xml#anna">Anna</persName>.</p>'
FAULTY = ('<p>To <persName ref="register.xml#anne">Anne</persName>,\n'
          '<date when="1890-13-45">the 45th</date>.</p>')


def project(where: Path, texts: dict[str, str], *, listed: list[str] | None = None, conf: str = "") -> Path:
    """A project in ``where``: TEI texts by name (their bodies), a register of one person, a home page."""
    (where / "tei").mkdir(parents=True)
    for name, body in texts.items():
        (where / "tei" / name).write_text(body if body.startswith("<?xml") else TEI.format(title=name, body=body),
                                          encoding="utf-8")
    (where / "tei" / "register.xml").write_text(TEI.format(title="Register", body=REGISTER), encoding="utf-8")
    names = listed if listed is not None else list(texts)
    (where / "conf.py").write_text(
        'project = "Policy"\nextensions = ["myst_parser", "edition"]\nexclude_patterns = ["_build"]\n'
        f"edition_texts = {[f'tei/{name}' for name in names]!r}\nedition_registers = ['tei/register.xml']\n{conf}",
        encoding="utf-8")
    (where / "index.md").write_text("# Policy\n\n```{toctree}\n\ntexts/index\npersons/index\n```\n", encoding="utf-8")
    return where


def build(where: Path, *args: str):
    return run("build", ".", "-q", *args, cwd=where, env={"NO_COLOR": "1"})


def summary(stderr: str) -> list[str]:
    """The summary at the end: from ``edition: N warning(s):`` to the end."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if re.fullmatch(r"edition: [\d,]+ warnings?:", line))
    return lines[start:]


def test_problems_of_the_data_are_warnings_and_the_site_is_written(tmp_path: Path):
    where = project(tmp_path, {"letter.xml": FAULTY})
    result = build(where)
    assert result.returncode == 0, result.stderr
    site = where / "_build" / "html"
    assert (site / "texts" / "letter.html").is_file() and (site / "persons" / "index.html").is_file()
    assert "tei/letter.xml:3:7: WARNING: unresolved reference on <persName>" in result.stderr
    assert summary(result.stderr) == [
        "edition: 2 warnings:",
        "  1 unresolved reference: tei/letter.xml:3",
        "  1 invalid date: tei/letter.xml:4",
    ]
    assert result.stdout.splitlines()[-1] == (f"edition: site written to {site / 'index.html'}, with 2 warnings "
                                              "(above; --strict makes them errors)")
    assert "Traceback" not in result.stderr and "treated as errors" not in result.stdout + result.stderr


def test_strict_makes_warnings_errors_and_publishes_nothing(tmp_path: Path):
    where = project(tmp_path, {"letter.xml": GOOD})
    assert build(where, "--strict").returncode == 0  # no warnings: published
    site = where / "_build" / "html"
    before = (site / "texts" / "letter.html").read_bytes()
    (where / "tei" / "letter.xml").write_text(TEI.format(title="letter.xml", body=FAULTY), encoding="utf-8")
    result = build(where, "--strict")
    assert result.returncode == 1
    assert summary(result.stderr)[:3] == ["edition: 2 warnings:", "  1 unresolved reference: tei/letter.xml:3",
                                          "  1 invalid date: tei/letter.xml:4"]
    assert result.stderr.splitlines()[-1] == ("edition: error: --strict: the build gave 2 warnings (above), so the "
                                              f"site is not published; the site in {site} is as it was")
    assert (site / "texts" / "letter.html").read_bytes() == before  # the site published before, not this one
    assert build(where).returncode == 0  # without --strict: published
    assert (site / "texts" / "letter.html").read_bytes() != before


def test_a_text_that_cannot_be_read_fails_the_build_and_the_rest_is_written(tmp_path: Path):
    broken = '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n<body><p>unclosed</body></text>'
    where = project(tmp_path, {"good.xml": GOOD, "broken.xml": broken, "other.xml": GOOD},
                    listed=["good.xml", "broken.xml", "missing.xml", "other.xml"])
    result = build(where)
    assert result.returncode == 1
    site = where / "_build" / "html"
    assert (site / "texts" / "good.html").is_file() and (site / "texts" / "other.html").is_file()
    assert "cannot be read" not in (site / "texts" / "good.html").read_text(encoding="utf-8")
    assert "tei/broken.xml:3:25: WARNING: not well-formed XML" in result.stderr
    assert summary(result.stderr) == ["edition: 2 warnings:", "  2 TEI files that cannot be read: conf.py:4, "
                                                              "tei/broken.xml:3",
                                      f"edition: error: 2 TEI files cannot be read (above); the rest of the site is "
                                      f"written to {site / 'index.html'}"]
    assert "Traceback" not in result.stderr and "toctree" not in result.stderr


def test_many_warnings_of_a_kind_are_cut_short_and_counted(tmp_path: Path):
    dates = "\n".join(f'<p><date when="1890-13-{day:02d}">day {day}</date></p>' for day in range(1, SHOWN + 16))
    where = project(tmp_path, {"letter.xml": f"{dates}\n{FAULTY}"})
    result = build(where)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sum("[tei.date]" in line for line in lines) == SHOWN
    assert sum("[tei.ref]" in line for line in lines) == 1  # the other kind is shown
    assert "edition: … 16 more invalid dates (edition build -v shows all)" in lines
    assert summary(result.stderr) == ["edition: 37 warnings:", "  1 unresolved reference: tei/letter.xml:38",
                                      "  36 invalid dates: tei/letter.xml:3, tei/letter.xml:4, tei/letter.xml:5, …"]
    every = build(where, "-v")
    assert sum("[tei.date]" in line for line in every.stderr.splitlines()) == SHOWN + 16
    assert "more invalid dates" not in every.stderr and "edition: 37 warnings:" in every.stderr


def test_a_parallel_build_sums_up_the_same(tmp_path: Path):
    texts = {f"letter-{n}.xml": FAULTY for n in range(6)}
    serial = build(project(tmp_path / "serial", texts))
    parallel = build(project(tmp_path / "parallel", texts), "-j", "2")
    assert serial.returncode == parallel.returncode == 0, parallel.stderr
    assert summary(parallel.stderr) == summary(serial.stderr)
    assert summary(parallel.stderr)[:2] == ["edition: 12 warnings:",
                                            "  6 unresolved references: tei/letter-0.xml:3, tei/letter-1.xml:3, "
                                            "tei/letter-2.xml:3, …"]


def test_warnings_of_conf_py_are_counted_and_suppressed_ones_are_not(tmp_path: Path):
    """A warning while Sphinx reads ``conf.py`` and the registers (before the build) is in the summary; one
    that ``suppress_warnings`` names is neither shown nor counted."""
    where = project(tmp_path, {"letter.xml": FAULTY}, conf='suppress_warnings = ["tei.date"]\nedition_text = []\n')
    result = build(where, "--strict")
    assert result.returncode == 1
    assert "[tei.date]" not in result.stderr
    assert summary(result.stderr)[:3] == ["edition: 2 warnings:", "  1 unresolved reference: tei/letter.xml:3",
                                          "  1 problem of the configuration: conf.py:7"]


def test_the_last_words_are_the_editions(tmp_path: Path):
    """Not Sphinx's "build succeeded" nor "the HTML pages are in" its working folder."""
    where = project(tmp_path, {"letter.xml": GOOD})
    result = run("build", ".", cwd=where, env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"edition: site written to {where / '_build' / 'html' / 'index.html'}"
    assert "build succeeded" not in result.stdout and "HTML pages are in" not in result.stdout


def test_every_kind_the_extension_warns_of_has_a_name_in_the_summary():
    subtypes = set()
    for module in (REPO / "edition").rglob("*.py"):
        subtypes |= set(re.findall(r'subtype="(\w+)"', module.read_text(encoding="utf-8")))
    assert subtypes and subtypes <= KINDS.keys()
    assert set(PROBLEM_KINDS) <= KINDS.keys()


@pytest.mark.parametrize("argument", ["--strict", "-v", "--verbose"])
def test_the_options_are_offered(argument: str):
    assert argument in run("build", "--help").stdout


@pytest.mark.parametrize(("held_much", "many_pages", "let_go"), [(True, True, True), (True, False, False),
                                                              (False, True, False)])
def test_a_one_off_build_lets_go_of_sphinx_before_pagefind_indexes_many_pages_when_it_held_much(
        tmp_path: Path, monkeypatch, held_much: bool, many_pages: bool, let_go: bool):
    """At the Alfred Escher letters the application held 640–830 MB while Pagefind made the index beside it: a
    build whose process grew beyond ``LET_GO_ABOVE`` frees it before Pagefind indexes ``MANY_PAGES`` or more; a
    small build, or one that makes one part of the index again, keeps it (freeing it costs 2–3 s there)."""
    import weakref

    from edition import cli, searchpage
    from edition.publish import search

    seen: dict = {}
    indexing = searchpage.indexing

    def noting(app):
        seen["env"] = weakref.ref(app.env)
        return indexing(app)

    monkeypatch.setattr(searchpage, "indexing", noting)
    monkeypatch.setattr(cli, "LET_GO_ABOVE", 0 if held_much else 2**62)
    monkeypatch.setattr(search, "MANY_PAGES", 1 if many_pages else 10**9)
    where = project(tmp_path, {"letter.xml": FAULTY})
    assert cli.main(["build", str(where), "-q"]) == 0
    # the application of a one-off build stays frozen for the collector unless it was let go
    assert (seen["env"]() is None) is let_go
    assert (where / "_build" / "html" / "pagefind" / "pagefind.js").is_file()


#: an extension that notes which process read each page and which wrote it
PROCESSES = """import os

def setup(app):
    def note(what, docname):
        with open(os.path.join(app.confdir, "processes.txt"), "a") as out:
            out.write(f"{what} {docname} {os.getpid()}\\n")
    app.connect("doctree-read", lambda app, doctree: note("read", app.env.docname))
    app.connect("html-page-context", lambda app, page, *_: note("wrote", page))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


@pytest.mark.parametrize("asked", [[], ["-j", "2"]])
def test_a_parallel_build_reads_few_pages_in_its_own_process_and_writes_them_in_parallel(
        tmp_path: Path, monkeypatch, asked: list[str]):
    """Sphinx's reading processes each send the whole environment back (31 MB at the Escher letters): a
    rebuild after one edited letter took 29 s with ``-j 2`` instead of 22 s with ``-j 1``. So a build reads
    in parallel only when it reads a large share of the site, and writes in parallel whatever it reads; and
    ``-j auto`` is the default for every build."""
    import os

    from edition import cli

    texts = {f"letter{number}.xml": GOOD for number in range(8)}
    where = project(tmp_path, texts, conf='import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'
                                          'extensions.append("processes")\n')
    (where / "processes.py").write_text(PROCESSES, encoding="utf-8")
    monkeypatch.setattr(cli, "_cpus", lambda: 2)
    noted = where / "processes.txt"

    def processes() -> dict[tuple[str, bool], set[str]]:
        """The pages read and written by the build just made, by whether this process did it."""
        lines = [line.split() for line in noted.read_text(encoding="utf-8").splitlines()]
        noted.unlink()
        seen: dict[tuple[str, bool], set[str]] = {(what, here): set() for what in ("read", "wrote")
                                                  for here in (True, False)}
        for what, page, pid in lines:
            seen[what, int(pid) == os.getpid()].add(page)
        return seen

    assert cli.main(["build", str(where), "-q", *asked]) == 0  # a first build: all read, in parallel
    assert processes()["read", False] >= {f"texts/letter{number}" for number in range(8)}
    text = where / "tei" / "letter3.xml"
    text.write_text(text.read_text(encoding="utf-8").replace("To <", "For <"), encoding="utf-8")
    assert cli.main(["build", str(where), "-q", *asked]) == 0
    seen = processes()
    assert "texts/letter3" in seen["read", True] and not seen["read", False], seen
    assert "texts/letter3" in seen["wrote", True] | seen["wrote", False] and seen["wrote", False], seen
    monkeypatch.undo()
    assert 1 <= cli._cpus() <= cli.AUTO_JOBS


@pytest.mark.parametrize("asked", [None, "2"])
def test_an_extension_not_said_parallel_safe_makes_the_default_build_serial_without_warnings(
        tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str], asked: str | None):
    """Sphinx warns of each extension that does not say it is safe in parallel (so ``--strict`` fails) and
    builds serially: when ``-j`` was not asked for, the build is serial without those warnings."""
    from edition import cli

    where = project(tmp_path, {"letter.xml": GOOD},
                    conf='import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'
                         'extensions.append("undeclared")\n')
    (where / "undeclared.py").write_text("def setup(app):\n    return {}\n", encoding="utf-8")
    monkeypatch.setattr(cli, "_cpus", lambda: 2)
    status = cli.main(["build", str(where), "-q", "--strict", *(["-j", asked] if asked else [])])
    said = capsys.readouterr().err
    if asked:  # asked for: Sphinx's own warnings, which --strict makes errors
        assert status == 1 and "does not declare if it is safe for parallel" in said
    else:
        assert status == 0 and "parallel" not in said, said
