"""What a reading process of a parallel build sends back: the pages it read, not the environment it inherited."""

from __future__ import annotations

import copy
import os
import pickle
import shutil
from pathlib import Path

from sphinx.util.parallel import ParallelTasks

from edition.forklocal import ForkLocalDict

from .conftest import ROOTS, build_root


def _in_a_forked_process(work, docs: list[str]):
    """Run ``work(docs)`` as Sphinx runs a chunk of a parallel build's reading: in a forked process whose result
    is pickled back (``sphinx.util.parallel.ParallelTasks``)."""
    received = []
    tasks = ParallelTasks(2)
    tasks.add_task(work, docs, lambda _docs, result: received.append(result))
    tasks.join()
    return received[0]


def test_a_reading_process_sends_back_the_edition_data_of_the_pages_it_read_only(tmp_path: Path):
    shutil.copytree(ROOTS / "test-small", tmp_path / "src")
    letter = (tmp_path / "src" / "tei" / "letter.xml").read_text(encoding="utf-8")
    (tmp_path / "src" / "tei" / "other.xml").write_text(letter, encoding="utf-8")  # a second text
    app = build_root("small", tmp_path, build=False,
                     confoverrides={"edition_texts": ["tei/letter.xml", "tei/other.xml"]})
    try:
        app.build()
        env = app.env
        before = env.domaindata["tei"]
        texts = sorted(before["texts"])
        record, mentions = before["texts"][texts[0]], list(before["mentions"][texts[0]])
        assert len(texts) == 2 and len(before["entries"]) > 1 and before["register"]

        # as Sphinx's parallel reading does: purge the pages in the main process, read them in a forked one
        app.events.emit("env-purge-doc", env, texts[0])
        env.clear_doc(texts[0])

        def read(docs: list[str]) -> bytes:
            for docname in docs:
                app.builder.read_doc(docname)
            return pickle.dumps(env, pickle.HIGHEST_PROTOCOL)

        sent = pickle.loads(_in_a_forked_process(read, [texts[0]]))
        data = sent.domaindata["tei"]
        assert list(data["texts"]) == [texts[0]] and list(data["mentions"]) == [texts[0]]
        assert data["entries"] == {} and data["register"] == {}  # inherited, not read: not sent

        domain = env.domains["tei"]
        domain.begin_build()  # what the purge touched forgotten: the merge must say what it brings
        env.merge_info_from([texts[0]], sent, app)
        assert {mention.entry for mention in mentions if mention.entry} <= domain.touched_entries
        after = env.domaindata["tei"]
        assert after["texts"][texts[0]] == record and list(after["mentions"][texts[0]]) == mentions
        assert sorted(after["texts"]) == texts and after["register"] == before["register"]
        whole = pickle.loads(pickle.dumps(env, pickle.HIGHEST_PROTOCOL)).domaindata["tei"]  # saved by the main
        assert sorted(whole["texts"]) == texts and len(whole["entries"]) == len(after["entries"])
    finally:
        app.cleanup()


def test_a_fork_local_dict_is_whole_in_its_own_process_and_in_its_copies():
    made = ForkLocalDict({"a": 1})
    made["b"] = 2
    made.setdefault("c", []).append(3)
    assert pickle.loads(pickle.dumps(made)) == {"a": 1, "b": 2, "c": [3]}
    assert copy.deepcopy(made) == made and type(copy.deepcopy(made)) is ForkLocalDict
    assert copy.copy(made) == made

    def in_child(_docs) -> bytes:
        made["d"] = 4
        made.setdefault("e", []).append(5)
        made.setdefault("a", 0)  # already there: not set here
        whole_copy = copy.deepcopy(made)
        return pickle.dumps((made, whole_copy))

    sent, whole_copy = pickle.loads(_in_a_forked_process(in_child, []))
    assert sent == {"d": 4, "e": [5]}
    assert whole_copy == {"a": 1, "b": 2, "c": [3], "d": 4, "e": [5]}


def test_a_fork_local_dict_refuses_an_update_it_could_not_send_back():
    made = ForkLocalDict()

    def in_child(_docs) -> str:
        try:
            made.update(x=1)
        except RuntimeError as error:
            return str(error)
        return "updated"

    assert "forked process" in _in_a_forked_process(in_child, [])
    made.update(x=1)
    assert made == {"x": 1}


def _plain(value):
    """Domain data as values to compare (a Packed table unpacked; a ForkLocalDict as the dict it is)."""
    from edition.domain import Packed

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (Packed, list, tuple)):
        return [_plain(item) for item in value]
    return value


def test_a_parallel_build_gathers_the_edition_data_a_serial_one_does(tmp_path: Path):
    """Each table of the ``tei`` domain is a ForkLocalDict (so what each reading process sends back is its own
    pages' data), and the merged data of a ``-j 2`` build is what a serial build gathers."""
    gathered, merges = {}, []
    for mode, parallel in (("serial", 0), ("parallel", 2)):
        where = tmp_path / "build"  # the same paths and file times for both: the problems name the files, and the
        shutil.rmtree(where, ignore_errors=True)  # downloads page's fingerprint has their times
        src = where / "src"
        shutil.copytree(ROOTS / "test-small", src)
        letter = (src / "tei" / "letter.xml").read_text(encoding="utf-8")
        texts = ["tei/letter.xml"]
        for number in range(12):
            (src / "tei" / f"copy{number:02}.xml").write_text(letter, encoding="utf-8")
            texts.append(f"tei/copy{number:02}.xml")
        for file in src.rglob("*"):
            os.utime(file, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
        app = build_root("small", where, build=False, parallel=parallel, warningiserror=False,
                         confoverrides={"edition_texts": texts})
        try:
            app.connect("env-merge-info", lambda app, env, docnames, other, mode=mode: merges.append(mode))
            app.build()
            data = app.env.domaindata["tei"]
            assert all(type(table) is ForkLocalDict for table in data.values() if isinstance(table, dict))
            gathered[mode] = _plain(data)
        finally:
            app.cleanup()
    assert "parallel" in merges and "serial" not in merges  # the -j 2 build read in processes of its own
    assert len(gathered["serial"]["texts"]) == 13
    assert gathered["parallel"] == gathered["serial"]
