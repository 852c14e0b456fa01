"""A parallel build without Python's garbage collector walking the main process's whole heap: while it merges what
the reading processes send (edition.parallel_read) and while it resolves the pages the writing processes write
(edition.parallel_write); each of those collects only what it makes."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest

from .conftest import build_root
from .test_parallel_write import _project

#: added to the project's conf.py: each process notes, as it reads a page, merges, resolves or writes one, whether
#: its collector runs and how many objects it froze
NOTES = '''

import gc as _gc
import json as _json
import os as _os


def _note(what):
    with open(_os.environ["EDITION_TEST_GC_NOTES"], "a", encoding="utf-8") as notes:
        notes.write(_json.dumps([what, _os.getpid(), _gc.isenabled(), _gc.get_freeze_count()]) + "\\n")


def setup(app):
    app.connect("source-read", lambda app, docname, source: _note("read"))
    app.connect("env-merge-info", lambda app, env, docnames, other: _note("merge"))
    app.connect("doctree-resolved", lambda app, doctree, docname: _note("resolve"))
    app.connect("html-page-context", lambda app, pagename, templatename, context, doctree: _note("write")
                if doctree is not None else None)
'''


@pytest.fixture(autouse=True)
def _collector_as_a_fresh_process_has_it():
    """An ``edition build`` run in this process before (other tests) leaves its application frozen, as it does
    for its own next build: these tests start and end as a fresh process would."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def _build(where: Path, monkeypatch, **kwargs) -> list[tuple[str, int, bool, int]]:
    notes = where / "notes.jsonl"
    monkeypatch.setenv("EDITION_TEST_GC_NOTES", str(notes))
    _project(where)
    conf = where / "src" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + NOTES, encoding="utf-8")
    app = build_root("test-small", where, warningiserror=False, **kwargs)
    assert app.statuscode == 0
    return [tuple(json.loads(line)) for line in notes.read_text(encoding="utf-8").splitlines()]


def test_a_parallel_reading_merges_with_the_collector_paused_and_reads_with_the_inherited_heap_frozen(
        tmp_path: Path, monkeypatch):
    assert gc.isenabled() and gc.get_freeze_count() == 0
    notes = _build(tmp_path, monkeypatch, parallel=2)
    merges = [note for note in notes if note[0] == "merge"]
    reads = [note for note in notes if note[0] == "read"]
    assert merges and {pid for _, pid, _, _ in merges} == {os.getpid()}
    assert not any(enabled for _, _, enabled, _ in merges)  # paused in the main process while it merges
    assert len(reads) > 150 and os.getpid() not in {pid for _, pid, _, _ in reads}
    assert all(enabled and frozen > 0 for _, _, enabled, frozen in reads)  # each reader: its own objects only
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the main process as it was


def test_a_parallel_writing_resolves_with_the_heap_frozen_and_writes_with_the_inherited_heap_frozen(
        tmp_path: Path, monkeypatch):
    notes = _build(tmp_path, monkeypatch, parallel=2)
    resolved = [note for note in notes if note[0] == "resolve"]
    written = [note for note in notes if note[0] == "write"]
    assert {pid for _, pid, _, _ in resolved} == {os.getpid()}  # the main process resolves
    paused = [note for note in resolved if not note[2] and note[3] > 0]
    assert len(paused) >= len(resolved) - 1 > 150  # all but the page written before the writing processes start
    assert len(written) > 150 and os.getpid() in {pid for _, pid, _, _ in written}  # that page, here
    forked = [note for note in written if note[1] != os.getpid()]
    assert len(forked) == len(written) - 1 and all(enabled and frozen > 0 for _, _, enabled, frozen in forked)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_serial_reading_keeps_the_collector(tmp_path: Path, monkeypatch):
    notes = _build(tmp_path, monkeypatch, parallel=0)
    assert len(notes) > 300 and {pid for _, pid, _, _ in notes} == {os.getpid()}  # read, resolved, written here
    assert all(enabled and frozen == 0 for _, _, enabled, frozen in notes)
    assert gc.isenabled()


def test_a_reading_that_is_serial_after_all_resumes_the_collector(tmp_path: Path, monkeypatch):
    """``-j 2`` with an extension that is not safe for parallel reading: Sphinx reads in the main process."""
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "serial_only.py").write_text(
        "def setup(app):\n    return {'parallel_read_safe': False, 'parallel_write_safe': True}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "ext"))
    notes = _build(tmp_path, monkeypatch, parallel=2,
                   confoverrides={"extensions": ["myst_parser", "edition", "serial_only"]})
    reads = [note for note in notes if note[0] == "read"]
    assert len(reads) > 150 and {pid for _, pid, _, _ in reads} == {os.getpid()}
    assert all(enabled for _, _, enabled, _ in reads)
    assert gc.isenabled() and gc.get_freeze_count() == 0
