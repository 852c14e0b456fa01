"""The site's search index: Pagefind (the ``pagefind`` package and its binary) run over the finished HTML.

Pagefind reads every page marked ``data-pagefind-body`` (see :mod:`edition.searchpage`) and writes a bundle
of small files into ``pagefind/`` of the site: the words split into chunks, one fragment per page (its text,
for the excerpts), the filters, the WebAssembly that searches them and ``pagefind.js``. A reader's query
loads only the chunks of its words and the fragments of the results it shows. Pagefind indexes the whole
site every time, runs locally and fetches nothing; it writes the same bundle for the same pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..core.files import dump_pickle, load_pickle
from ..project import FileDigests
from .searchorder import normalise

#: the folder of the site holding the index and ``pagefind.js``
BUNDLE = "pagefind"
#: the version of what a build keeps of its index (:func:`index_site`'s ``state``): the digest of the pages it
#: was made from, and each page's SHA-256 by its size and time
STATE_FORMAT = 3
#: what is on a page but not its words: the reading key, note numbers and back-links, "How to cite", the
#: reading form of a correction (hidden by default; its words are listed apart, see :mod:`edition.searchpage`),
#: Sphinx's heading links
EXCLUDED = (".edition-legend", "a.tei-noteref", "a.tei-backref", ".edition-cite", ".tei-choice-reg",
            "a.headerlink", "a.tei-pb-image", ".tei-surface-images")
#: the files of the bundle for Pagefind's own interfaces, which the site does not use (its search page has its
#: own, ``edition/static/edition-search.js``, on Pagefind's JavaScript API)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class Indexed:
    """What :func:`index_site` did."""

    #: whether Pagefind ran (not: the pages and the configuration were those of the index there, or a page
    #: could not be read)
    ran: bool
    #: what the build should say of it: why it did not run, or why it may differ from one build to the next
    note: str = ""


class SearchIndexError(Exception):
    """The search index could not be made; ``str()`` is one line saying why and what to do."""


def pagefind_binary() -> Path:
    """The Pagefind executable the ``pagefind`` package finds (its ``pagefind_bin`` wheel, or
    ``$PAGEFIND_BINARY_PATH``)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError("the search index needs the Python package pagefind with its binary: "
                               "pip install 'pagefind[bin]' (or install tei-edition again)") from None
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError(f"the search index needs the Pagefind binary, which is not installed"
                               f"{f' ({binary})' if binary else ''}: pip install 'pagefind[bin]', or set "
                               f"PAGEFIND_BINARY_PATH to a pagefind executable")
    return Path(binary)


def search_language(language: str | None) -> str:
    """The language Pagefind stems the whole site's words in: the primary subtag of ``language`` (``de_CH``
    → ``de``), English when none is set."""
    primary = re.split(r"[-_]", language or "")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else "en"


def html_pages(site: Path) -> tuple[dict[str, os.stat_result], str | None]:
    """The HTML pages of ``site`` (path from it → its status), and the first path named ``*.html`` that is not
    a file (a page that could not be written), if any."""
    pages: dict[str, os.stat_result] = {}
    odd: str | None = None
    for folder, subfolders, names in os.walk(site):
        subfolders.sort()
        for name in sorted([*names, *subfolders]):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            try:
                found = os.stat(path)
            except OSError:
                found = None
            if found is None or not stat.S_ISREG(found.st_mode):
                odd = odd or path
            else:
                pages[os.path.relpath(path, site)] = found
    return pages, odd


def pages_digest(pages: dict[str, os.stat_result], site: Path, config: dict, digests: FileDigests,
                 cancel: threading.Event | None = None) -> str | None:
    """What Pagefind would index: the HTML ``pages`` of ``site`` (:func:`html_pages`: their paths and bytes) and
    the configuration, each page's SHA-256 from ``digests`` (a page whose size and time are what they were is
    not read again: the 10,579 pages of the Escher letters took 1.3 s to read at every build). None once
    ``cancel`` is set."""
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode())
    for relative in sorted(pages):
        if cancel is not None and cancel.is_set():
            return None
        found = pages[relative]
        sha = digests.of(site / relative, (found.st_mtime_ns, found.st_size))
        digest.update(relative.encode() + b"\0" + sha.encode())
    return digest.hexdigest()


def index_site(site: Path, language: str | None, state: Path | None = None,
               cancel: threading.Event | None = None) -> Indexed:
    """Index the HTML pages of ``site`` into ``site/pagefind/`` (replacing the index there only once the new
    one is complete, its filters in a stable order: :mod:`edition.publish.searchorder`). Raise
    :class:`SearchIndexError` if it cannot.

    With ``state`` (a file of the build's own), the site is not indexed again when its pages, the
    configuration and Pagefind are what they were when the index there was made. When ``cancel`` is set
    (a new build of the watch mode begins), Pagefind is stopped and the index there is left as it was."""
    binary = pagefind_binary()
    new, old = site / f".{BUNDLE}-new", site / f".{BUNDLE}-old"
    for leftover in (new, old):  # of a build killed while indexing
        shutil.rmtree(leftover, ignore_errors=True)
    config = {"site": str(site.resolve()), "output_path": str(new.resolve()),
              "force_language": search_language(language), "exclude_selectors": list(EXCLUDED),
              "keep_index_url": True, "quiet": True}  # results link to …/index.html, as the site's links do
    stopped = Indexed(ran=False, note="stopped: a new build began")
    digest, digests = "", FileDigests()
    pages, odd = html_pages(site)
    if odd is not None:  # a page that could not be written (a full disk…): the build says so; not read here
        return Indexed(ran=False, note=f"{odd} is not a file, so the site was not indexed again")
    if state is not None:
        saved = load_pickle(state)
        saved = saved if isinstance(saved, dict) and saved.get("format") == STATE_FORMAT else {}
        digests = FileDigests(saved.get("pages"))
        found = pages_digest(pages, site, {**config, "binary": _version(binary)}, digests, cancel)
        if found is None:
            return stopped
        digest = found
        if saved.get("digest") == digest and (site / BUNDLE / "pagefind-entry.json").is_file():
            return Indexed(ran=False)
    # Pagefind reads pagefind.{json,yml,toml} in its working folder and PAGEFIND_* variables: only ours count
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="edition-pagefind-") as folder:
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        try:
            returncode, said = _run(binary, folder, environment, cancel)
        except OSError as exc:
            raise SearchIndexError(f"{binary}: cannot run Pagefind ({exc.strerror or exc}); install it again: "
                                   f"pip install --force-reinstall 'pagefind[bin]'") from None
    if returncode is None:  # cancelled
        shutil.rmtree(new, ignore_errors=True)
        return stopped
    if returncode != 0 or not (new / "pagefind.js").is_file():
        shutil.rmtree(new, ignore_errors=True)
        last = said.strip().splitlines()[-1] if said.strip() else f"exit status {returncode}"
        raise SearchIndexError(f"Pagefind could not index {site}: {last}")
    for name in UNUSED:
        (new / name).unlink(missing_ok=True)
    unstable = normalise(new)
    current = site / BUNDLE
    _keep_times_of_unchanged(new, current)
    if current.exists():
        current.rename(old)
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)
    if state is not None:
        dump_pickle(state, {"format": STATE_FORMAT, "digest": digest, "pages": digests.used})
    return Indexed(ran=True, note=unstable)


def _keep_times_of_unchanged(new: Path, current: Path) -> None:
    """Give each file of the ``new`` bundle that is byte for byte the one ``current`` has the modification time
    of that one: Pagefind writes every file again, most of them the same (a page's fragment and the chunks of
    words it does not change), and publishing copies only the files whose size or time changed
    (:func:`edition.publish.sitebuild.publish`)."""
    for folder, _subfolders, names in os.walk(new):
        for name in names:
            made = Path(folder, name)
            old = current / made.relative_to(new)
            try:
                before = old.stat()
                if before.st_size != made.stat().st_size or old.read_bytes() != made.read_bytes():
                    continue
                os.utime(made, ns=(before.st_atime_ns, before.st_mtime_ns))
            except OSError:  # not there before (or not readable): a new file
                continue


def _run(binary: Path, folder: str, environment: dict[str, str],
         cancel: threading.Event | None) -> tuple[int | None, str]:
    """Run Pagefind in ``folder``: its exit status (None if ``cancel`` was set first) and what it said."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as output:
        process = subprocess.Popen([str(binary)], cwd=folder, env=environment, stdout=output,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            while True:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    returncode = process.wait(timeout=0.1)
                    break
                if cancel is not None and cancel.is_set():
                    process.kill()
                    process.wait()
                    return None, ""
        except BaseException:
            process.kill()
            process.wait()
            raise
        output.seek(0)
        return returncode, output.read()


def _version(binary: Path) -> str:
    """The Pagefind binary, told apart by its size and time (a new version is a new file)."""
    stat = binary.stat()
    return f"{binary.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
