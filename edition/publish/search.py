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
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic
from .searchorder import normalise

#: the folder of the site holding the index and ``pagefind.js``
BUNDLE = "pagefind"
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


def pages_digest(pages: list[Path], site: Path, config: dict) -> str:
    """What Pagefind would index: the HTML ``pages`` of ``site`` (their paths and bytes) and the configuration."""
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode())
    for page in pages:
        digest.update(str(page.relative_to(site)).encode() + b"\0")
        digest.update(hashlib.sha256(page.read_bytes()).digest())
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
    pages = sorted(site.rglob("*.html"))
    odd = next((page for page in pages if not page.is_file()), None)
    if odd is not None:  # a page that could not be written (a full disk…): the build says so; not read here
        return Indexed(ran=False, note=f"{odd} is not a file, so the site was not indexed again")
    digest = pages_digest(pages, site, {**config, "binary": _version(binary)}) if state is not None else ""
    if state is not None and (site / BUNDLE / "pagefind-entry.json").is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if state.read_text(encoding="utf-8") == digest:
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
        return Indexed(ran=False, note="stopped: a new build began")
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
        write_atomic(state, digest)
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
