"""A dict that a forked process pickles with only what it wrote.

Sphinx reads the pages of a parallel build in forked processes. Each pickles the *whole* environment it inherited
and sends it back; the main process unpickles it and merges what the process read (``env-merge-info``:
:meth:`~edition.domain.EditionDomain.merge_domaindata` takes only those pages). Each process is forked from the
environment merged so far, so what is pickled and unpickled grows with every chunk of pages: at the 5,019 Escher
letters (47 chunks, a 30 MB environment) the main process spent about a minute unpickling.

The edition's data (the ``tei`` domain's) is kept in :class:`ForkLocalDict`. Pickled by the process that made or
loaded it (the environment saved at the end of a build, a copy) it is whole; pickled by a process forked from that
one, it carries only the keys that process set: the pages it read, which is all the merge takes.
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ForkLocalDict(dict[K, V]):
    """A dict that, pickled in a process forked from the one that made it, holds only the keys set in that process.

    Keys are set with ``d[key] = value`` or :meth:`setdefault` (both noted); ``update`` and ``|=`` are not
    noted, so they are refused in a forked process rather than lost silently.
    """

    __slots__ = ("_pid", "_set_here")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pid = os.getpid()
        self._set_here: set[K] = set()

    def __setitem__(self, key: K, value: V) -> None:
        if os.getpid() != self._pid:
            self._set_here.add(key)
        super().__setitem__(key, value)

    def setdefault(self, key: K, default: V = None) -> V:  # type: ignore[assignment]
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        if self.forked():
            raise RuntimeError("ForkLocalDict.update in a forked process: set each key instead")
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> ForkLocalDict[K, V]:
        self.update(other)
        return self

    def forked(self) -> bool:
        """Whether this process is not the one that made (or loaded) the dict."""
        return os.getpid() != self._pid

    def _shipped(self) -> dict[K, V]:
        if not self.forked():
            return dict(self)
        return {key: value for key, value in self.items() if key in self._set_here}  # in the dict's order

    def __reduce__(self) -> tuple:
        return type(self), (self._shipped(),)  # filled by dict's own constructor when unpickled

    def __copy__(self) -> ForkLocalDict[K, V]:
        return type(self)(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> ForkLocalDict[K, V]:
        from copy import deepcopy

        copied: ForkLocalDict[K, V] = type(self)()
        memo[id(self)] = copied
        for key, value in self.items():
            dict.__setitem__(copied, deepcopy(key, memo), deepcopy(value, memo))
        return copied
