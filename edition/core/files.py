"""Writing files so that a build killed at any moment leaves each of them whole: the old one or the new one.

Everything the extension writes and reads again in a later build (stubs, the registers kept between
builds, the export and its cache, the search index, the build's completion marker) goes through
:func:`write_atomic`: the bytes go to a temporary file in the same folder, which is flushed and then
renamed over the target (``os.replace`` is atomic on POSIX and Windows). A killed process loses nothing
that was renamed; the files are not synced to the disk (that would guard against a power cut, at a cost
of milliseconds per file).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it (text is written as UTF-8)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        exc.filename = exc.filename or str(path)
        raise
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.chmod(temporary, 0o666 & ~_UMASK)  # as open() would have made it (mkstemp makes it private)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not exc.filename:
            exc.filename = str(path)  # a failed write() names no file: say which
        raise


def dump_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` into ``path`` atomically."""
    write_atomic(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def load_pickle(path: Path) -> Any:
    """What :func:`dump_pickle` wrote, or ``None`` when it is missing, damaged or from another version."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, truncated, or written by a version whose classes changed
        return None


def link(source: Path | str, target: Path | str) -> None:
    """``target`` as a hard link to ``source`` (a copy with its times where there can be none: another file
    system, or one without links)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
