"""The ``edition`` command: build, validate, init; clear messages and exit codes, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edition.publish.sitebuild import work_folder

from .conftest import REPO, ROOTS, SHARED


def run(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    environment = {k: v for k, v in os.environ.items() if k != "TEI_ALL_RNG"} | (env or {})
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, check=False)


def test_help_for_every_command():
    for command in ([], ["build"], ["validate"], ["init"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and "usage: edition" in result.stdout


def test_validate_the_edition_is_clean():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["edition: 2 file(s) checked, 0 error(s), 0 warning(s)"]
    (note,) = result.stderr.splitlines()
    assert note.startswith("edition: note: TEI conformance not checked: set TEI_ALL_RNG"), note


def test_validate_reports_located_problems_with_exit_1(tmp_path: Path):
    result = run("validate", str(ROOTS / "test-small" / "tei" / "letter.xml"), "-r",
                 str(ROOTS / "test-small" / "tei" / "register.xml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.endswith("letter.xml:8:9: error: unresolved reference on <persName>: 'register.xml#brunno': "
                             "no person with xml:id 'brunno' in the registers; did you mean #bruno?") for line in lines)
    assert "Traceback" not in result.stdout + result.stderr
    broken = tmp_path / "broken.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n<body><p>unclosed</body></text></TEI>')
    result = run("validate", str(broken), "--format", "json")
    assert result.returncode == 1 and '"line": 2' in result.stdout and "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path):
    result = run("validate", str(tmp_path / "missing.xml"))
    assert result.returncode == 2 and "no such file" in result.stderr
    result = run("build", str(tmp_path))
    assert result.returncode == 2 and "no docs/conf.py" in result.stderr


def test_init_and_build_a_new_edition(tmp_path: Path):
    project = tmp_path / "letters"
    result = run("init", str(project), "--tei", str(ROOTS / "test-small" / "tei" / "letter.xml"),
                 "--register", str(ROOTS / "test-small" / "tei" / "register.xml"))
    assert result.returncode == 0, result.stderr
    assert (project / "tei" / "letter.xml").read_bytes() == (ROOTS / "test-small" / "tei" / "letter.xml").read_bytes()
    # the test letter has deliberate errors: warnings naming them, and the site
    result = run("build", str(project), "-q")
    assert result.returncode == 0 and "did you mean #bruno?" in result.stderr
    assert (project / "docs" / "_build" / "html" / "persons" / "anna.html").is_file()
    # --allow-warnings, the default now, is still accepted (and not offered)
    result = run("build", str(project), "-q", "--allow-warnings", "-o", str(tmp_path / "site"))
    assert result.returncode == 0 and (tmp_path / "site" / "persons" / "anna.html").is_file()
    assert "--allow-warnings" not in run("build", "--help").stdout


def test_a_one_off_build_writes_the_export_beside_the_search_index_as_a_strict_build_writes_it(tmp_path: Path):
    """``edition build`` publishes the pages, then writes the ``teiCorpus`` export while the site is indexed (it
    took 1.1 s before the pages of a rebuild of the Escher letters); ``--strict`` writes it in the build, where its
    warnings can still stop the site. Both publish the same export, and a later edit writes it again."""
    from edition.publish.export import CORPUS_NAME

    project = tmp_path / "stalin"  # a text without warnings: --strict builds it
    assert run("init", str(project), "--tei", str(REPO / "tei" / "stalin-general-secretary.xml"), "--register",
               str(REPO / "tei" / "persons.xml")).returncode == 0
    assert run("build", str(project), "-q", "-o", str(tmp_path / "one-off")).returncode == 0
    result = run("build", str(project), "-q", "--strict", "-o", str(tmp_path / "strict"))
    assert result.returncode == 0, result.stderr
    one_off, strict = (tmp_path / "one-off" / "tei" / CORPUS_NAME), (tmp_path / "strict" / "tei" / CORPUS_NAME)
    assert one_off.read_bytes() == strict.read_bytes() and b"teiCorpus" in one_off.read_bytes()
    text = project / "tei" / "stalin-general-secretary.xml"
    text.write_text(text.read_text(encoding="utf-8").replace("</body>", "<p>A postscript.</p></body>", 1),
                    encoding="utf-8")
    assert run("build", str(project), "-q", "-o", str(tmp_path / "one-off")).returncode == 0
    assert b"A postscript." in one_off.read_bytes()
    # both written anew at each build, never changed in place: published as hard links, not copied (the export
    # is 25 MB at 500 texts); the pages, which Sphinx rewrites in place, are copies
    work = work_folder((project / "docs").resolve(), (tmp_path / "one-off").resolve())
    entry = Path("pagefind", "pagefind-entry.json")  # changed by the edit (those unchanged are not published again)
    assert (work / entry).samefile(tmp_path / "one-off" / entry) and (work / "tei" / CORPUS_NAME).samefile(one_off)
    assert not (work / "index.html").samefile(tmp_path / "one-off" / "index.html")
    written = one_off.read_bytes()
    with one_off.open("r+b") as handle:  # a change to the published export, in place: the working copy's too
        handle.write(b"<!-- x -->")
    assert run("build", str(project), "-q", "-o", str(tmp_path / "one-off")).returncode == 0
    assert one_off.read_bytes() == written  # made again, although no input changed


@pytest.mark.skipif(not (SHARED / "tei-samples").is_dir(), reason="../shared/tei-samples not available")
def test_init_and_build_a_letter_from_another_edition(tmp_path: Path):
    sample = SHARED / "tei-samples" / "eeditiones__tei-publisher-app__graves6.xml"
    assert run("init", str(tmp_path / "graves"), "--tei", str(sample)).returncode == 0
    result = run("build", str(tmp_path / "graves"), "-q")
    # its two page images are files of that edition, not beside the TEI: the only warnings, and the site is built
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert result.returncode == 0 and len(warnings) == 2, result.stderr
    assert all("[tei.image]" in line and "WG.57.11.15." in line for line in warnings), warnings


def test_init_refuses_a_title_xml_cannot_hold(tmp_path: Path):
    result = run("init", str(tmp_path / "p"), "--tei", str(ROOTS / "test-small" / "tei" / "letter.xml"),
                 "--title", "a\x01b")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "edition: error: --title holds characters that XML cannot hold (U+0001); " \
                                    "remove them"
    assert not (tmp_path / "p").exists()


def test_init_keeps_every_file_of_repeated_options(tmp_path: Path):
    """``--register a.xml --register b.xml`` kept only b.xml (argparse's nargs replaced the list)."""
    kinds = ROOTS / "test-keys" / "tei"
    result = run("init", str(tmp_path / "p"), "--tei", str(kinds / "letter.xml"),
                 "--register", str(kinds / "places.xml"), "--register", str(kinds / "persons.xml"))
    assert result.returncode == 0, result.stderr
    conf = (tmp_path / "p" / "docs" / "conf.py").read_text(encoding="utf-8")
    assert "../tei/places.xml" in conf and "../tei/persons.xml" in conf


def test_serve_says_what_is_wrong_with_a_port_in_one_line(tmp_path: Path):
    import socket

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>site</p>", encoding="utf-8")
    result = run("serve", str(site), "-p", "99999")
    assert result.returncode == 2 and "'99999' is not a port: a whole number from 0 to 65535" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", str(site), "-p", str(port))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"edition: error: port {port} is in use; choose another with -p (0: any free port)"


def test_a_misspelled_setting_is_a_warning_with_the_closest_name(tmp_path: Path):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(ROOTS / "test-kinds", project)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nedition_text = ["tei/letter.xml"]\n')
    result = run("build", str(project), "-q", "--strict")
    assert result.returncode == 1
    assert "conf.py:13: WARNING: unknown setting edition_text; did you mean edition_texts?" in result.stderr


def test_validate_groups_identical_problems_and_does_not_repeat_them_for_the_export(tmp_path: Path, tei_all_rng):
    """7,420 identical tei_all errors were printed one by one, and each file's errors again for the export."""
    body = "".join(f"<p>Paragraph {i} <foo/></p>" for i in range(12))
    text = tmp_path / "a.xml"
    text.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A</title>'
                    "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>"
                    f"</fileDesc></teiHeader><text><body>{body}</body></text></TEI>", encoding="utf-8")
    result = run("validate", str(text), env={"TEI_ALL_RNG": str(tei_all_rng)})
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert [line.split(": error: ")[0].rsplit(":", 2)[0] for line in lines[:3]] == [str(text)] * 3
    assert lines[3].startswith("edition: … and 9 more of the same error (-v lists every one): not valid against")
    assert lines[4] == "edition: 1 file(s) checked, 12 error(s), 0 warning(s)"
    assert "the export" not in result.stdout
    every = run("validate", str(text), "-v", env={"TEI_ALL_RNG": str(tei_all_rng)})
    assert sum(": error: " in line for line in every.stdout.splitlines()) == 12


def test_a_missing_text_is_one_warning_naming_the_setting_and_the_rest_is_built(tmp_path: Path):
    """It ended in "Handler … threw an exception" (and then in three warnings and no site)."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(ROOTS / "test-kinds", project)
    conf = project / "conf.py"
    listed = conf.read_text(encoding="utf-8").replace('["tei/letter.xml"]', '["tei/letter.xml", "tei/gone.xml"]')
    conf.write_text(listed, encoding="utf-8")
    result = run("build", str(project), "-q")
    assert result.returncode == 1, result.stderr  # a file of the edition that cannot be read fails the build
    (warning,) = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert warning == (f"{conf}:4: WARNING: edition_texts in conf.py names {project / 'tei' / 'gone.xml'}, which is "
                       "not a file; restore it, or remove it from edition_texts [tei.unreadable]")
    assert (project / "_build" / "html" / "texts" / "letter.html").is_file()


def test_init_copies_what_the_texts_include_and_nothing_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A genetic transcription includes its surfaces (191 files): init copied none of them."""
    sources = tmp_path / "sources"
    (sources / "surfaces").mkdir(parents=True)
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret>not to be copied</secret>", encoding="utf-8")
    (sources / "surfaces" / "one.xml").write_text(
        '<surface xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<line>First line</line><xi:include href="two.xml"/></surface>', encoding="utf-8")
    (sources / "surfaces" / "two.xml").write_text('<line xmlns="http://www.tei-c.org/ns/1.0">Second</line>',
                                                  encoding="utf-8")
    (sources / "surfaces" / "three a.xml").write_text('<line xmlns="http://www.tei-c.org/ns/1.0">Third</line>',
                                                      encoding="utf-8")  # named percent-encoded, as a URI
    text = sources / "notebook.xml"
    text.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
                    "<teiHeader><fileDesc><titleStmt><title>N</title></titleStmt><publicationStmt><p>x</p>"
                    "</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text><body><p>"
                    f'<xi:include href="surfaces/one.xml"/><xi:include href="surfaces/three%20a.xml"/>'
                    f'<xi:include href="{secret}"/>'
                    '<xi:include href="../secret.xml"/></p></body></text></TEI>', encoding="utf-8")
    project = tmp_path / "p"
    assert run("init", str(project), "--tei", str(text)).returncode == 0
    copied = sorted(p.relative_to(project / "tei").as_posix() for p in (project / "tei").rglob("*.xml"))
    assert copied == ["notebook.xml", "surfaces/one.xml", "surfaces/three a.xml", "surfaces/two.xml"]

    # each file read once for its title, its includes and its images (5,069 letters were parsed three times)
    from edition import cli

    parsed: list[str] = []
    parse_file = cli.parse_file

    def counted(path, *args, **kwargs):
        parsed.append(Path(path).name)
        return parse_file(path, *args, **kwargs)

    monkeypatch.setattr(cli, "parse_file", counted)
    assert cli.main(["init", str(tmp_path / "again"), "--tei", str(text)]) == 0
    assert sorted(parsed) == ["notebook.xml", "one.xml", "three a.xml", "two.xml"]


def test_init_takes_the_title_and_the_licence_from_the_texts(tmp_path: Path):
    """Projects showed an empty "Copyright ©" footer and a title like "<first letter's title> and other texts"."""
    def letter(name: str, licence: str) -> Path:
        path = tmp_path / f"{name}.xml"
        path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                        f"<title>Brief {name}</title></titleStmt><publicationStmt><publisher>Briefedition X"
                        f"</publisher>{licence}</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>"
                        "</teiHeader><text><body><p>Text</p></body></text></TEI>", encoding="utf-8")
        return path

    free = "<availability><licence>CC BY 4.0</licence></availability>"
    assert run("init", str(tmp_path / "a"), "--tei", str(letter("1", free)), str(letter("2", free))).returncode == 0
    conf = (tmp_path / "a" / "docs" / "conf.py").read_text(encoding="utf-8")
    assert "project = 'Briefedition X'" in conf and "copyright = 'CC BY 4.0'" in conf
    assert run("init", str(tmp_path / "b"), "--tei", str(letter("3", ""))).returncode == 0
    conf = (tmp_path / "b" / "docs" / "conf.py").read_text(encoding="utf-8")
    assert "project = 'Brief 3'" in conf and "html_show_copyright = False" in conf


def test_a_build_loads_its_application_apart_from_the_garbage_collector(tmp_path: Path, monkeypatch):
    """The environment and registers of a rebuild (400,000 objects at 500 texts) are loaded with the cyclic
    garbage collector paused and then frozen: its full collections walked them all again, a third of a
    one-text rebuild. A second build in the process gives the first one's objects back to the collector."""
    import gc

    from edition import cli, extension
    from edition.publish import sitebuild

    project = tmp_path / "letters"
    assert cli.main(["init", str(project), "--tei", str(ROOTS / "test-small" / "tei" / "letter.xml"),
                     "--register", str(ROOTS / "test-small" / "tei" / "register.xml")]) == 0
    loading: list[bool] = []  # whether the collector ran while the application was made
    published: list[tuple[bool, int]] = []  # whether it runs, and how many objects are frozen, when published
    prepare, publish = extension.prepare_build, sitebuild.publish
    monkeypatch.setattr(extension, "prepare_build", lambda app: loading.append(gc.isenabled()) or prepare(app))
    monkeypatch.setattr(sitebuild, "publish", lambda *args, **options: published.append(
        (gc.isenabled(), gc.get_freeze_count())) or publish(*args, **options))
    try:
        assert cli.main(["build", str(project), "-q"]) == 0
        first = published[0]
        published.clear()
        assert cli.main(["build", str(project), "-q"]) == 0
        assert loading == [False, False] and first[0] and published[0][0]
        assert first[1] > 0 and published[0][1] < 2 * first[1]  # the first build's objects are not kept frozen
    finally:
        gc.unfreeze()
