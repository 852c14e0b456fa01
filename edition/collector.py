"""Python's cyclic garbage collector around work that makes many objects at once.

Unpickling an environment or a doctree makes hundreds of thousands of objects, and while it does, the collector
runs full collections over everything the process holds. Where a build does that in bulk (merging what the
reading processes of a parallel build send back, resolving the pages its writing processes write), it pauses
the collector and freezes (``gc.freeze``) what the process holds, so that the collections it then runs itself
walk only what the work adds; the processes it forks turn collection on again over what they make
(:func:`collect_own_objects`).

One rule for every pause: it freezes the heap only when what it would freeze is known to be alive (after a
collection, ``collect_first``) or when nothing is frozen yet, and it unfreezes at its end only what nothing
had frozen before it (``edition build`` freezes the application it loaded, and unfreezes it itself).
"""

from __future__ import annotations

import gc
import os


class Pause:
    """The collector of this process paused (from :meth:`start` to :meth:`end`, which may be called from two
    different event handlers of a build), and the heap frozen as the module says."""

    def __init__(self, *, collect_first: bool) -> None:
        #: run a full collection before freezing (and then freeze even on top of what is frozen already)
        self.collect_first = collect_first
        #: the process that paused the collector (0: not paused)
        self.paused_in = 0
        self._unfreeze = False

    def start(self) -> bool:
        """Pause the collector; whether it did (not if it was paused already: by someone else, who resumes it)."""
        if not gc.isenabled():
            return False
        nothing_frozen = gc.get_freeze_count() == 0
        gc.disable()
        if self.collect_first:
            gc.collect()  # what the work before left is not frozen with the rest
        if self.collect_first or nothing_frozen:
            gc.freeze()
        self._unfreeze = nothing_frozen
        self.paused_in = os.getpid()
        return True

    @property
    def here(self) -> bool:
        """Whether this process paused the collector (a forked process inherits the pause, not the duty to end
        it)."""
        return self.paused_in == os.getpid()

    def end(self) -> None:
        """Resume the collector, as it was before :meth:`start` (in the process that paused it; else nothing)."""
        if not self.here:
            return
        if self._unfreeze:
            gc.unfreeze()
            self._unfreeze = False
        gc.enable()
        self.paused_in = 0


def collect_own_objects(*, freeze_inherited: bool) -> None:
    """In a process forked while its parent paused the collector: turn it on again, over what this process
    makes only; ``freeze_inherited`` freezes what it inherited first (needed where the parent did not freeze
    all of it). As Python's documentation advises for forked processes, this also keeps the collector from
    writing to every inherited object's memory, which the process would otherwise copy."""
    if freeze_inherited:
        gc.freeze()
    gc.enable()
