"""The collector's pause (edition.collector): one rule for what it freezes and what it unfreezes."""

from __future__ import annotations

import gc
import os

import pytest

from edition.collector import Pause, collect_own_objects


@pytest.fixture(autouse=True)
def _collector_as_a_fresh_process_has_it():
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_a_pause_freezes_the_heap_when_nothing_is_frozen_and_unfreezes_it_at_its_end():
    pause = Pause(collect_first=False)
    assert pause.start() and pause.here
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    pause.end()
    assert gc.isenabled() and gc.get_freeze_count() == 0 and not pause.here


def test_a_pause_without_a_collection_freezes_nothing_more_and_leaves_what_was_frozen():
    gc.freeze()
    before = gc.get_freeze_count()
    made = [[index] for index in range(1000)]  # tracked by the collector, made after the freeze
    pause = Pause(collect_first=False)
    assert pause.start()
    assert gc.get_freeze_count() == before  # what it would freeze may be garbage: not frozen
    pause.end()
    assert gc.isenabled() and gc.get_freeze_count() == before  # frozen by someone else: theirs to unfreeze
    del made


def test_a_pause_after_a_collection_freezes_on_top_and_keeps_what_was_frozen_before():
    gc.freeze()
    before = gc.get_freeze_count()
    made = [[index] for index in range(1000)]  # alive, made after the first freeze
    pause = Pause(collect_first=True)
    assert pause.start()
    assert gc.get_freeze_count() >= before + 1000
    pause.end()
    assert gc.isenabled() and gc.get_freeze_count() >= before + 1000
    del made


def test_a_pause_of_a_paused_collector_is_not_taken_nor_ended():
    gc.disable()
    pause = Pause(collect_first=True)
    assert not pause.start() and not pause.here
    pause.end()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_a_forked_process_neither_ends_its_parents_pause_nor_lets_its_collector_walk_what_it_inherited():
    pause = Pause(collect_first=False)
    pause.start()
    pause.paused_in = os.getpid() + 1  # as a process forked from the one that paused sees it
    assert not pause.here
    frozen = gc.get_freeze_count()
    pause.end()  # not its pause: nothing
    assert not gc.isenabled() and gc.get_freeze_count() == frozen
    made = [[index] for index in range(1000)]  # inherited and not frozen
    collect_own_objects(freeze_inherited=True)
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + 1000
    del made
