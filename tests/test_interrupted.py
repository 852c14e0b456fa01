"""Builds that can be interrupted anywhere, one build at a time, and the machine's problems told as such.

A build is killed (``SIGKILL``, through the test-only ``EDITION_TEST_STOP=moment:N``) while Sphinx reads
the pages, while it writes them, as the build finishes (before the export and the search index) and while
the new site is being copied into place. The published site must still be the previous one, and the next
build must exit 0 with a site byte-identical to a clean build's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition.publish import sitebuild

from .conftest import EDITION_REGISTER, EDITION_TEXT

SKIP = {".buildinfo"}  # Sphinx's record of the configuration: it holds the project's absolute paths


def snapshot(site: Path, staging: bool = True) -> dict[str, bytes]:
    """The files of a site; without the new files a killed build was staging (``staging=False``)."""
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name not in SKIP and (staging or sitebuild.STAGING not in p.relative_to(site).parts)}


def edition(*args: str, stop: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("TEI_ALL_RNG", sitebuild.STOP_ENV)}
    environment["NO_COLOR"] = "1"
    if stop:
        environment[sitebuild.STOP_ENV] = stop
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], capture_output=True, text=True,
                          env=environment, cwd=cwd, check=False)


def new_project(where: Path) -> Path:
    result = edition("init", str(where), "--tei", str(EDITION_TEXT), "--register", str(EDITION_REGISTER))
    assert result.returncode == 0, result.stderr
    return where


def edit(project: Path) -> None:
    """An edit that changes what several pages show: one Zinoviev becomes Kamenev."""
    text = project / "tei" / EDITION_TEXT.name
    source = text.read_text(encoding="utf-8")
    edited = source.replace('<persName ref="persons.xml#zinoviev">Zinoviev</persName>',
                            '<persName ref="persons.xml#kamenev">Kamenev</persName>', 1)
    assert edited != source
    text.write_text(edited, encoding="utf-8")


def site_of(project: Path) -> Path:
    return project / "docs" / "_build" / "html"


@pytest.fixture(scope="module")
def clean_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Clean builds of the edition as it is and as edited."""
    sites = {}
    for name in ("original", "edited"):
        project = new_project(tmp_path_factory.mktemp("clean") / "project")
        if name == "edited":
            edit(project)
        result = edition("build", str(project), "-q")
        assert result.returncode == 0, result.stderr
        sites[name] = snapshot(site_of(project))
    return sites


@pytest.mark.parametrize("moment", ["read:5", "write:20", "finish:1", "publish:10"])
def test_a_first_build_killed_anywhere_is_followed_by_a_complete_one(moment: str, tmp_path: Path,
                                                                     clean_sites: dict[str, dict[str, bytes]]):
    project = new_project(tmp_path / "project")
    killed = edition("build", str(project), "-q", "-j", "1", stop=moment)  # the main process killed
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    assert not (site_of(project) / "index.html").exists()  # nothing published by halves
    result = edition("build", str(project), "-q")
    assert result.returncode == 0, result.stderr
    assert snapshot(site_of(project)) == clean_sites["original"]


@pytest.mark.parametrize("moment", ["read:1", "write:2", "finish:1", "publish:2", "rename:2"])
def test_a_rebuild_killed_anywhere_leaves_the_previous_site_and_is_followed_by_a_complete_one(
        moment: str, tmp_path: Path, clean_sites: dict[str, dict[str, bytes]]):
    project = new_project(tmp_path / "project")
    assert edition("build", str(project), "-q").returncode == 0
    edit(project)
    killed = edition("build", str(project), "-q", "-j", "1", stop=moment)  # the main process killed
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    left = snapshot(site_of(project), staging=False)
    if moment.startswith("rename"):  # killed while renaming the new files into place: each file whole
        original, edited = clean_sites["original"], clean_sites["edited"]
        # the files of the old site are removed last; the search index's files are named after their content
        assert original.keys() <= left.keys() <= original.keys() | edited.keys()
        assert all(data in (original.get(name), edited.get(name)) for name, data in left.items())
        assert left != original
    else:
        assert left == clean_sites["original"]  # the previous site, whole
    result = edition("build", str(project), "-q")
    assert result.returncode == 0, result.stderr
    assert snapshot(site_of(project)) == clean_sites["edited"]


@pytest.mark.parametrize("moment", ["write:3", "finish:1"])
def test_a_parallel_build_killed_is_followed_by_a_complete_one(moment: str, tmp_path: Path,
                                                              clean_sites: dict[str, dict[str, bytes]]):
    """With ``-j 2`` pages are written by worker processes: killing one fails the build, without a traceback."""
    project = new_project(tmp_path / "project")
    assert edition("build", str(project), "-q", "-j", "2").returncode == 0
    edit(project)
    killed = edition("build", str(project), "-q", "-j", "2", stop=moment)
    assert killed.returncode != 0, killed.stderr
    assert "Traceback" not in killed.stderr and "internal error" not in killed.stderr, killed.stderr
    if moment.startswith("write"):
        assert killed.stderr.strip().splitlines()[-1] == (
            "edition: error: a process of the parallel build (-j 2) ended before its work was done (killed, or out "
            f"of memory); build again, or with -j 1; the site in {site_of(project).resolve()} is as it was")
    assert snapshot(site_of(project), staging=False) == clean_sites["original"]
    result = edition("build", str(project), "-q", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert snapshot(site_of(project)) == clean_sites["edited"]


def test_a_text_taken_out_of_the_edition_leaves_the_site(tmp_path: Path, clean_sites: dict[str, dict[str, bytes]]):
    """Its page, its copy in ``_sources/`` and its TEI in ``tei/`` go, as a clean build would not have them."""
    project = new_project(tmp_path / "project")
    second = project / "tei" / "second.xml"
    second.write_text(EDITION_TEXT.read_text(encoding="utf-8").replace("<title>", "<title>Second: ", 1),
                      encoding="utf-8")
    conf = project / "docs" / "conf.py"
    original = conf.read_text(encoding="utf-8")
    conf.write_text(original.replace("edition_texts = [", "edition_texts = ['../tei/second.xml', "),
                    encoding="utf-8")
    assert edition("build", str(project), "-q").returncode == 0
    assert (site_of(project) / "texts" / "second.html").is_file()
    conf.write_text(original, encoding="utf-8")
    result = edition("build", str(project), "-q")
    assert result.returncode == 0, result.stderr
    assert snapshot(site_of(project)) == clean_sites["original"]


def test_the_doctrees_an_older_version_left_in_the_site_are_removed(tmp_path: Path):
    project = new_project(tmp_path / "project")
    old = site_of(project) / ".doctrees"
    old.mkdir(parents=True)
    (old / "environment.pickle").write_bytes(b"old")
    assert edition("build", str(project), "-q").returncode == 0
    assert not old.exists()


def test_sphinx_build_killed_while_writing_then_rebuilt_gives_a_complete_search_index(tmp_path: Path):
    """Without ``edition build`` (``sphinx-build`` alone): the extension knows the build before did not finish."""
    project = new_project(tmp_path / "project")
    docs, out = project / "docs", tmp_path / "out"

    def sphinx(stop: str = "") -> subprocess.CompletedProcess:
        environment = {k: v for k, v in os.environ.items() if k != sitebuild.STOP_ENV} | {"NO_COLOR": "1"}
        if stop:
            environment[sitebuild.STOP_ENV] = stop
        return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(docs),
                               str(out)], capture_output=True, text=True, env=environment, check=False)

    assert sphinx(stop="write:30").returncode == -signal.SIGKILL
    result = sphinx()
    assert result.returncode == 0, result.stderr
    assert sphinx().returncode == 0
    clean = tmp_path / "clean"
    assert subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(docs), str(clean)],
                          capture_output=True, check=False).returncode == 0
    assert snapshot(out / "pagefind") == snapshot(clean / "pagefind")  # the search index is complete
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".doctrees")} == \
        {k: v for k, v in snapshot(clean).items() if not k.startswith(".doctrees")}


def test_a_second_build_of_the_project_stops_with_one_line(tmp_path: Path):
    project = new_project(tmp_path / "project")
    with sitebuild.build_lock(project / "docs" / "_build"):
        result = edition("build", str(project), "-q")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"edition: error: another build of this project is running (process "
                                     f"{os.getpid()}); wait for it to finish, or stop it")
    assert edition("build", str(project), "-q").returncode == 0  # the lock went with its holder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_the_machines_problem_and_the_previous_site_stays(jobs: str, tmp_path: Path):
    project = new_project(tmp_path / "project")
    assert edition("build", str(project), "-q", "-j", jobs).returncode == 0
    before = snapshot(site_of(project))
    edit(project)
    # every write of the text's page fails as on a full disk (/dev/full answers ENOSPC)
    work = sitebuild.work_folder((project / "docs").resolve(), site_of(project).resolve())
    page = work / "texts" / f"{EDITION_TEXT.stem}.html"
    page.unlink()
    page.symlink_to("/dev/full")
    result = edition("build", str(project), "-q", "-j", jobs)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == (f"edition: error: {page}: cannot write the site: no space left on the device; free some space "
                    f"and build again; the site in {site_of(project).resolve()} is as it was"), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(site_of(project)) == before
    page.unlink()  # space again: the next build completes
    assert edition("build", str(project), "-q", "-j", jobs).returncode == 0
    assert snapshot(site_of(project)) != before


@pytest.mark.parametrize("case", ["output is a file", "a file where a folder should be"])
def test_an_output_that_cannot_be_a_folder_is_one_line(case: str, tmp_path: Path):
    project = new_project(tmp_path / "project")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    out = blocker if case == "output is a file" else blocker / "site"
    result = edition("build", str(project), "-q", "-o", str(out))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"edition: error: {blocker}"), result.stderr
    assert "a file is where a folder should be" in lines[0] or "not a folder" in lines[0]
    assert blocker.read_text() == "not a folder"


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def tmpfs(out: Path, size: str) -> Iterator[Path]:
    """A small file system mounted at ``out`` for the test (needs root: skipped elsewhere)."""
    out.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(out)):
        pytest.skip("mounting a file system needs root here")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=False)


def test_a_read_only_output_folder_is_one_line_and_the_site_stays(tmp_path: Path):
    """The output on a file system mounted read-only after the first build (a tmpfs: needs root)."""
    project = new_project(tmp_path / "project")
    with tmpfs(tmp_path / "site", "64m") as out:
        assert edition("build", str(project), "-q", "-o", str(out)).returncode == 0
        before = snapshot(out)
        assert _mount("-o", "remount,ro", str(out))
        edit(project)
        result = edition("build", str(project), "-q", "-o", str(out))
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip() == (f"edition: error: {out}: the file system is read-only; choose another "
                                         f"output folder with -o; the site in {out} is as it was")
        assert snapshot(out) == before


def test_a_disk_full_while_the_new_site_is_copied_leaves_the_previous_site(tmp_path: Path):
    """The output's file system (a tmpfs: needs root) is filled up after the first build."""
    project = new_project(tmp_path / "project")
    with tmpfs(tmp_path / "site", "16m") as out:
        assert edition("build", str(project), "-q", "-o", str(out)).returncode == 0
        before = snapshot(out)
        filler = out / "filler"
        with filler.open("wb") as handle, pytest.raises(OSError):
            while True:  # until the file system is full
                handle.write(b"\0" * 65536)
        edit(project)
        result = edition("build", str(project), "-q", "-o", str(out))
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"edition: error: {out}/.edition-new"), result.stderr
        assert lines[0].endswith(f"cannot write the new site: no space left on the device; free some space and "
                                 f"build again; the site in {out} is as it was"), lines[0]
        filler.unlink()
        assert snapshot(out) == before
        assert edition("build", str(project), "-q", "-o", str(out)).returncode == 0
        assert "Kamenev" in (out / "persons" / "kamenev.html").read_text(encoding="utf-8")
        assert snapshot(out) != before


def test_describe_names_the_path_and_what_to_do():
    error = OSError(errno.ENOSPC, "No space left on device", "/x/y.html")
    assert sitebuild.describe(error) == "/x/y.html: no space left on the device; free some space and build again"
    assert sitebuild.machine_problem_in(RuntimeError("wrapped")) is None
    wrapped = RuntimeError("handler failed")
    wrapped.__cause__ = error
    assert sitebuild.machine_problem_in(wrapped) is error


def test_what_follows_the_pages_is_published_alone_and_the_list_of_published_files_stays_whole(tmp_path: Path):
    """The search index and the export, written after the pages were published, are published without looking at
    the rest of the site (``within``): what changed there is published, what is gone there removed, and the list
    of what was published still names the rest, so that a later publication removes what the site loses. A first
    publication, with no such list, publishes everything."""
    work, out = tmp_path / "work", tmp_path / "out"

    def write(relative: str, text: str) -> None:
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_text(text, encoding="utf-8")

    for relative in ("index.html", "pagefind/a.pf", "pagefind/b.pf", "tei/corpus.xml"):
        write(relative, "1")
    assert sitebuild.publish(work, out, within=("pagefind",)).copied == 4  # the first: all of it
    write("index.html", "2")
    write("pagefind/a.pf", "22")
    write("pagefind/c.pf", "2")
    (work / "pagefind" / "b.pf").unlink()
    published = sitebuild.publish(work, out, within=("pagefind", "tei/corpus.xml"))
    assert (published.copied, published.removed) == (2, 1)
    assert (out / "index.html").read_text() == "1" and (out / "pagefind" / "a.pf").read_text() == "22"
    assert not (out / "pagefind" / "b.pf").exists() and (out / "pagefind" / "c.pf").is_file()
    (work / "index.html").unlink()
    (work / "tei" / "corpus.xml").unlink()
    assert sitebuild.publish(work, out, within=("pagefind", "tei/corpus.xml")).removed == 1
    assert (out / "index.html").is_file() and not (out / "tei" / "corpus.xml").exists()
    assert sitebuild.publish(work, out).removed == 1  # still listed as published: removed with the page
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["pagefind/a.pf",
                                                                                     "pagefind/c.pf"]
