"""``edition build`` around Sphinx: one build at a time, the site published only when complete, and the
machine's problems (a full disk, a read-only folder…) told as such.

Sphinx builds into a working folder of the project (``docs/_build/.work/…``: its pages, search index and
doctrees, kept between builds so that rebuilds stay incremental). When the build has finished, the
files that changed are copied next to their place in the published site and then renamed over the old
ones, and the files the previous build published that are gone are removed: until then the published
site is the previous one, whole, whatever happens to the build (killed, out of space, a folder not
writable). Files in the output folder that no build published (a ``CNAME``, say) are left alone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.files import link, write_atomic

#: test-only: ``publish:N`` kills the process after N files of the site were staged, ``rename:N`` after N were
#: renamed into place (and the moments of :mod:`edition.buildstate`)
STOP_ENV = "EDITION_TEST_STOP"
_MANIFEST = ".edition-published.json"
#: the folder of ``out`` where the files of a new site wait to be renamed into place
STAGING = ".edition-new"


class MachineError(Exception):
    """A problem of the machine, not of the edition or of the toolkit: a full disk, a folder that cannot be
    written, a file where a folder should be. ``str()`` is one line naming the path and the problem."""

    def __init__(self, path: str | os.PathLike[str] | None, error: OSError, doing: str = "",
                 partial: bool = False) -> None:
        self.path = str(path or error.filename or "")
        self.error = error
        #: whether the published site was partly replaced (a rename failed after others succeeded)
        self.partial = partial
        super().__init__(describe(error, self.path, doing))


_CAUSES = {
    errno.ENOSPC: "no space left on the device; free some space and build again",
    errno.EDQUOT: "the disk quota is exceeded; free some space and build again",
    errno.EROFS: "the file system is read-only; choose another output folder with -o",
    errno.EACCES: "permission denied; make it writable or choose another output folder with -o",
    errno.EPERM: "operation not permitted; make it writable or choose another output folder with -o",
    errno.ENOTDIR: "a file is where a folder should be; move the file away or choose another output folder",
    errno.EEXIST: "a file is where a folder should be; move the file away or choose another output folder",
    errno.EISDIR: "a folder is where a file should be; move the folder away",
    errno.ENOENT: "no such file or folder",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) and build again",
}


def describe(error: OSError, path: str = "", doing: str = "") -> str:
    """``PATH: what went wrong; what to do`` for an error of the file system."""
    where = path or error.filename or "?"
    cause = _CAUSES.get(error.errno or 0, error.strerror or str(error))
    return f"{where}: {f'{doing}: ' if doing else ''}{cause}"


def machine_problem_in(exc: BaseException | None) -> OSError | None:
    """The error of the file system behind ``exc`` (Sphinx wraps what handlers raise, and what parallel
    workers raise reaches the main process as text), if there is one."""
    seen = set()
    first = exc
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno is not None:
            return exc
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig_exc", None)
    return error_in_text(str(first)) if first is not None else None


_ERRNO_TEXT = re.compile(r"(?:(/[^\n]*?): )?\[Errno (\d+)\] ([^\n:]+)(?:: '([^'\n]*)')?")


def error_in_text(text: str) -> OSError | None:
    """An error of the file system written as text (``…/page.html: [Errno 28] No space left on device``)."""
    match = _ERRNO_TEXT.search(text)
    if match is None:
        return None
    return OSError(int(match[2]), match[3].strip(), match[4] or match[1] or None)


class FileSystemWarnings(logging.Handler):
    """Collects the errors of the file system that Sphinx reports only as warnings (``error writing file
    …``, ``cannot copy static file …``): a page that could not be written must not be published."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        #: the path (the error's, or the first the warning names) and the error
        self.errors: list[tuple[str, OSError]] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        named = next((str(arg) for arg in args if isinstance(arg, (str, os.PathLike))), "")
        found = [(arg.filename or named, arg) for arg in (*args, record.msg)
                 if isinstance(arg, OSError) and arg.errno is not None]
        if not found and not record.name.startswith("sphinx.edition") and getattr(record, "type", "") != "tei":
            # a warning of Sphinx's from a parallel worker reaches the main process as text only (the TEI's
            # own problems may quote an error of the file system: they are the data's, not the machine's)
            error = error_in_text(record.getMessage())
            if error is not None:
                found = [(error.filename or "", error)]
        self.errors += found

    @contextlib.contextmanager
    def watching(self) -> Iterator[FileSystemWarnings]:
        sphinx_logger = logging.getLogger("sphinx")  # the namespace of every Sphinx logger
        sphinx_logger.addHandler(self)
        try:
            yield self
        finally:
            sphinx_logger.removeHandler(self)


class BuildLockedError(Exception):
    """Another build of the project is running."""


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold the project's build lock (``folder/.edition-build.lock``), or raise :class:`BuildLockedError` naming
    the process that holds it. The lock goes with the process: a killed build leaves nothing to clean."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / ".edition-build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise MachineError(folder, exc, "cannot create the build lock") from None
    try:
        if not _try_lock(handle):
            os.lseek(handle, 0, os.SEEK_SET)
            holder = os.read(handle, 200).decode("utf-8", "replace").strip() or "another process"
            raise BuildLockedError(f"another build of this project is running ({holder}); wait for it to finish, "
                                   f"or stop it")
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(handle, f"process {os.getpid()}".encode())
        yield
    finally:
        os.close(handle)  # releases the lock


def _try_lock(handle: int) -> bool:
    """Lock the whole file without waiting (``flock`` on POSIX, ``msvcrt.locking`` on Windows)."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def check_output(out: Path) -> None:
    """Before building: fail at once, naming the path, if the site could not be written into ``out``."""
    existing = out
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise MachineError(existing, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing)))
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".edition-probe-", dir=out)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise MachineError(out, exc) from None


def work_folder(confdir: Path, out: Path) -> Path:
    """Where Sphinx builds the site published in ``out``: in the project, kept between builds."""
    out = out.resolve()
    default = (confdir / "_build" / "html").resolve()
    key = "html" if out == default else hashlib.sha256(str(out).encode()).hexdigest()[:16]
    return confdir / "_build" / ".work" / key


@dataclass
class Published:
    """What :func:`publish` did."""

    copied: int
    removed: int


def publish(work: Path, out: Path, *, skip: tuple[str, ...] = (".doctrees",), within: tuple[str, ...] = (),
            linked: tuple[str, ...] = ()) -> Published:
    """Make ``out`` hold the site built in ``work``: all or nothing as far as the file system allows.

    Changed files (by size and modification time) are first copied into ``out/.edition-new/`` and every
    target is checked (its folder can be made, it is not a folder); if that fails (a full disk…), the
    copies are removed and ``out`` is as it was. Then each is renamed over its target, and the files of
    the previous publication that the new site no longer has are removed. With ``within`` (paths in
    ``work``: files or folders), only what is there is published, the rest of ``out`` being known to be
    the site already (what follows the pages: the search index, the export; at the Escher letters, looking
    at the other 32,000 files took 0.3 s). The files of ``linked`` (paths in ``work``: files or folders) are
    published as hard links, not copies (copies where the file system has none): they must be files the
    build replaces by new ones and never changes in place (Sphinx rewrites its pages in place; the search
    index and the export are written anew), or the site would change before it is published.
    """
    if out.exists() and not out.is_dir():
        raise MachineError(out, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out)),
                           "the output is a file, not a folder")
    manifest = work / _MANIFEST
    first_publication = not manifest.is_file()
    # what was published before is not known at the first publication: all of it
    within = tuple(map(os.path.normpath, within)) if not first_publication else ()
    files = [f for f in _files(work, skip, within) if f != _MANIFEST]
    staging = out / STAGING
    changed = _stage(work, out, staging, files, tuple(map(os.path.normpath, linked)))
    stop_after = _stop_count("rename")
    for count, relative in enumerate(changed, 1):
        target = out / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
        except OSError as exc:
            raise MachineError(target, exc, "cannot replace the old file", partial=True) from None
        if stop_after is not None and count >= stop_after:
            os.kill(os.getpid(), signal.SIGKILL)
    shutil.rmtree(staging, ignore_errors=True)
    removed = 0
    before = _read_manifest(manifest)
    looked_at = {f for f in before if _inside(f, within)} if within else before
    for relative in sorted(looked_at - set(files)):
        with contextlib.suppress(OSError):
            (out / relative).unlink()
            removed += 1
    old_doctrees = out / ".doctrees"
    if first_publication and (old_doctrees / "environment.pickle").is_file():
        shutil.rmtree(old_doctrees, ignore_errors=True)  # where versions before 0.2 kept them: not for readers
    write_atomic(manifest, json.dumps(sorted((before - looked_at) | set(files))))
    return Published(len(changed), removed)


def _files(work: Path, skip: tuple[str, ...], within: tuple[str, ...]) -> list[str]:
    """The files of ``work`` (paths from it), but the top folders ``skip``; only those in ``within`` (normalised
    paths), if given."""
    files: list[str] = []
    for start in within or (".",):
        top = work / start
        if start != "." and top.is_file():
            files.append(start)
            continue
        for folder, subfolders, names in os.walk(top):
            relative_folder = os.path.relpath(folder, work)
            subfolders[:] = sorted(d for d in subfolders if relative_folder != "." or d not in skip)
            files += [os.path.normpath(os.path.join(relative_folder, name)) for name in sorted(names)]
    return files


def _inside(relative: str, within: tuple[str, ...]) -> bool:
    """Whether the path ``relative`` is one of ``within`` (normalised paths) or in one of them."""
    return any(relative == path or relative.startswith(f"{path}{os.sep}") for path in within)


def _stage(work: Path, out: Path, staging: Path, files: list[str], linked: tuple[str, ...]) -> list[str]:
    """Copy the files that changed into ``staging`` (hard links for those in ``linked``) and check their
    targets; on failure leave nothing."""
    stop_after = _stop_count("publish")
    changed: list[str] = []
    writing = staging
    try:
        discard_staging(out)
        work_prefix, out_prefix = os.path.join(work, ""), os.path.join(out, "")
        folders: set[str] = set()  # checked, and made in the staging folder: thousands of files share a few
        for relative in files:
            if _same(work_prefix + relative, out_prefix + relative):  # strings: thousands of files, most unchanged
                continue
            writing = out / relative
            folder = os.path.dirname(relative)
            if folder not in folders:
                for parent in reversed(writing.relative_to(out).parents[:-1]):
                    if (out / parent).exists() and not (out / parent).is_dir():
                        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out / parent))
                (staging / folder).mkdir(parents=True, exist_ok=True)
                folders.add(folder)
            if writing.is_dir() and not writing.is_symlink():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(writing))
            writing = staging / relative
            if linked and _inside(relative, linked):
                link(work_prefix + relative, writing)
            else:
                shutil.copy2(work_prefix + relative, writing)
            changed.append(relative)
            if stop_after is not None and len(changed) >= stop_after:
                os.kill(os.getpid(), signal.SIGKILL)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if writing.is_relative_to(staging):  # copying: the error may name the source, but the target is at fault
            raise MachineError(writing, exc, "cannot write the new site") from None
        raise MachineError(exc.filename or writing, exc, "cannot publish the new site") from None
    return changed


def discard_staging(out: Path) -> None:
    """Remove what a build killed while it published left in ``out``."""
    staging = out / STAGING
    if staging.is_dir() and not staging.is_symlink():
        shutil.rmtree(staging)


def _same(source: str, target: str) -> bool:
    try:
        a, b = os.stat(source), os.stat(target)
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _read_manifest(path: Path) -> set[str]:
    try:
        return {str(p) for p in json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, ValueError, TypeError):
        return set()


def test_stop() -> tuple[str, int] | None:
    """Test-only: the moment and count of ``EDITION_TEST_STOP=moment:N``, if it is set."""
    moment, _, count = os.environ.get(STOP_ENV, "").partition(":")
    return (moment, int(count)) if count.isdigit() else None


def _stop_count(moment: str) -> int | None:
    """Test-only: the count at which the process is killed at ``moment``, if it is the one named."""
    stop = test_stop()
    return stop[1] if stop is not None and stop[0] == moment else None
