"""The site's search index: Pagefind (the ``pagefind`` package and its binary) run over the finished HTML.

Pagefind reads every page marked ``data-pagefind-body`` (see :mod:`edition.searchpage`) and writes a bundle
of small files: the words split into chunks, one fragment per page (its text, for the excerpts), the filters,
the WebAssembly that searches them and ``pagefind.js``. A reader's query loads only the chunks of its words
and the fragments of the results it shows. Pagefind runs locally and fetches nothing; it writes the same
bundle for the same pages.

A large site is indexed in parts, kept by the build and merged into the one bundle readers load
(:mod:`edition.publish.searchparts` says why, :mod:`edition.publish.searchmerge` how): a build makes again
only the parts whose pages Pagefind would index differently, which it learns by indexing the changed pages
alone first when that is cheaper than making their parts again; it then composes those parts of the pages it
indexed alone and of the parts as they were (:mod:`edition.publish.searchwords`), without running Pagefind over
them again.
"""

from __future__ import annotations

import concurrent.futures
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
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import dump_pickle, link, load_pickle
from . import searchmerge, searchorder, searchwords
from .searchparts import PART_PAGES, Record, pages_of_parts, part_count, part_of, stale_parts

#: the folder of the site holding the index
BUNDLE = "pagefind"
#: so many pages for Pagefind to index that ``index_site``'s caller is given the chance to free memory first
MANY_PAGES = 512
#: the version of what a build keeps of its index (:func:`index_site`'s ``state``)
STATE_FORMAT = 6
#: the code that reads and merges the parts (see :func:`_unmergeable`)
MERGE_CODE = hashlib.sha256(b"".join(Path(module.__file__).read_bytes() if getattr(module, "__file__", None) else
                                     module.__name__.encode() for module in (searchmerge, searchwords, searchorder))
                            ).hexdigest()[:16]
#: what is on a page but not its words: the reading key, note numbers and back-links, "How to cite", the
#: reading form of a correction (hidden by default; its words are listed apart, see :mod:`edition.searchpage`),
#: Sphinx's heading links
EXCLUDED = (".edition-legend", "a.tei-noteref", "a.tei-backref", ".edition-cite", ".tei-choice-reg",
            "a.headerlink", "a.tei-pb-image", ".tei-surface-images")
#: the files of the bundle for Pagefind's own interfaces, which the site does not use (its search page has its
#: own, ``edition/static/edition-search.js``, on Pagefind's JavaScript API)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
#: the folders of :func:`index_site`'s parts and of its work, beside its ``state``
PARTS, WORK = "edition-search-parts", "edition-search-work"
#: an attribute ``data-pagefind-body`` in a tag (the attribute's name, then what may follow it)
_BODY = re.compile(rb"\sdata-pagefind-body(?=[\s=/>])")
#: the start of a heading, and of its end by level
_HEADING = re.compile(rb"<h([1-6])(?=[\s/>])", re.IGNORECASE)
_HEADING_END = {level: re.compile(rb"</h%d\s*>" % level, re.IGNORECASE) for level in range(1, 7)}


@dataclass(frozen=True)
class Indexed:
    """What :func:`index_site` did."""

    #: whether Pagefind ran (not: the pages and the configuration were those of the index there, or a page
    #: could not be read)
    ran: bool
    #: what the build should say of it: why it did not run, or why it may differ from one build to the next
    note: str = ""
    #: the parts of the index made again, and the parts it has (0, 0 when it did not run)
    parts: tuple[int, int] = (0, 0)


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
    a file (a page that could not be written), if any. Folders of the site's top whose name begins with a dot
    (a build's own, such as ``.doctrees``) are not looked into."""
    pages: dict[str, os.stat_result] = {}
    odd: str | None = None
    for folder, subfolders, names in os.walk(site):
        if folder == str(site):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
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
                pages[os.path.relpath(path, site).replace(os.sep, "/")] = found  # as Pagefind's addresses
    return pages, odd


def has_body(page: bytes) -> bool:
    """Whether the HTML ``page`` has an element marked ``data-pagefind-body`` (in a tag: after the last ``<``
    before it, with no ``>`` between)."""
    for found in _BODY.finditer(page):
        start = found.start()
        if page.rfind(b"<", 0, start) > page.rfind(b">", 0, start):
            return True
    return False


def heading_digest(page: bytes, sha: str) -> str:
    """What gives the words of the HTML ``page`` (its SHA-256: ``sha``) their weights in Pagefind's index,
    besides its text: its headings, ``h1`` to ``h6`` (whole), or, where the page sets weights itself
    (``data-pagefind-weight``), all of it."""
    if b"data-pagefind-weight" in page:
        return f"sha:{sha}"
    digest = hashlib.sha256()
    for found in _HEADING.finditer(page):
        end = _HEADING_END[int(found.group(1))].search(page, found.end())
        digest.update(page[found.start():end.end() if end is not None else len(page)])
    return digest.hexdigest()[:16]


#: what a build keeps of a page: its time (ns), size, SHA-256, whether it has a ``data-pagefind-body`` and
#: what gives its words their weights (:func:`heading_digest`)
Scanned = tuple[int, int, str, bool, str]


def scan(pages: dict[str, os.stat_result], site: Path, kept: dict[str, Scanned],
         cancel: threading.Event | None = None) -> dict[str, Scanned] | None:
    """Each of the HTML ``pages`` of ``site`` (:func:`html_pages`) as :data:`Scanned`, read only if its time or
    size is not what ``kept`` says (the 10,579 pages of the Escher letters took 1.3 s to read at every
    build). None once ``cancel`` is set."""
    scanned: dict[str, Scanned] = {}
    for relative in sorted(pages):
        if cancel is not None and cancel.is_set():
            return None
        status = pages[relative]
        before = kept.get(relative)
        if before is not None and before[:2] == (status.st_mtime_ns, status.st_size):
            scanned[relative] = before
            continue
        data = (site / relative).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        scanned[relative] = (status.st_mtime_ns, status.st_size, sha, has_body(data), heading_digest(data, sha))
    return scanned


@dataclass
class _State:
    """What a build keeps of the index (``state`` of :func:`index_site`)."""

    #: the settings, Pagefind's version and the number of parts the index there was made with
    layout: str = ""
    #: each page as last read (:data:`Scanned`)
    pages: dict[str, Scanned] = field(default_factory=dict)
    #: each page's record (:data:`~edition.publish.searchparts.Record`), with the SHA-256 it is of
    records: dict[str, tuple[str, Record]] = field(default_factory=dict)
    #: the pages each part holds, with their records
    held: dict[int, dict[str, Record]] = field(default_factory=dict)
    #: the parts the index there was merged from (:func:`_entry_of` each)
    merged: list[str] = field(default_factory=list)
    #: a layout whose parts could not be merged (the index is then made in one part, without trying again)
    unmerged: str = ""

    @classmethod
    def read(cls, path: Path | None) -> _State:
        saved = load_pickle(path) if path is not None else None
        if not (isinstance(saved, dict) and saved.get("format") == STATE_FORMAT):
            return cls()
        return cls(saved["layout"], saved["pages"], saved["records"], saved["held"], saved["merged"],
                   saved["unmerged"])

    def write(self, path: Path | None) -> None:
        if path is not None:
            dump_pickle(path, {"format": STATE_FORMAT, "layout": self.layout, "pages": self.pages,
                               "records": self.records, "held": self.held, "merged": self.merged,
                               "unmerged": self.unmerged})


def index_site(site: Path, language: str | None, state: Path | None = None,
               cancel: threading.Event | None = None, part_pages: int = PART_PAGES, *, _unmerged: str = "",
               before_parts: Callable[[], None] | None = None) -> Indexed:
    """Index the HTML pages of ``site`` into ``site/pagefind/``: in parts of about ``part_pages`` pages
    (:func:`~edition.publish.searchparts.part_count`), kept beside ``state``, merged into one bundle
    (:mod:`edition.publish.searchmerge`; its filters in a stable order) that replaces the one there once it is
    complete. Raise :class:`SearchIndexError` if it cannot.

    With ``state`` (a file of the build's own), only the parts whose pages Pagefind would index differently are
    made again; without it, all are. When ``cancel`` is set (a new build of the watch mode begins), Pagefind is
    stopped, and the index there is left as it was. ``before_parts`` is called before Pagefind indexes
    :data:`MANY_PAGES` pages or more (two parts at a time take up to 330 MB each at 10,000 pages; the whole
    site in one part, 1.5 GB): the caller's chance to free memory."""
    binary = pagefind_binary()
    stopped = Indexed(ran=False, note="stopped: a new build began")
    pages, odd = html_pages(site)
    if odd is not None:  # a page that could not be written (a full disk…): the build says so; not read here
        return Indexed(ran=False, note=f"{odd} is not a file, so the site was not indexed again")
    kept = _State.read(state)
    scanned = scan(pages, site, kept.pages, cancel)
    if scanned is None:
        return stopped
    searched = [page for page in sorted(scanned) if scanned[page][3]] or sorted(scanned)  # as Pagefind would
    settings = {"force_language": search_language(language), "exclude_selectors": list(EXCLUDED),
                "keep_index_url": True, "quiet": True}  # results link to …/index.html, as the site's links do
    count = part_count(len(searched), part_pages)
    version = _pagefind_version(binary) if count > 1 else ""
    if count > 1 and not version.startswith(searchwords.VERSIONS):
        return _in_one_part(site, language, state, cancel, f"Pagefind {version or '?'} writes files that this "
                                                           f"version of tei-edition does not merge", "", before_parts)
    layout = hashlib.sha256(json.dumps([settings, _binary_identity(binary), count], sort_keys=True).encode()
                            ).hexdigest()
    if count > 1 and _unmergeable(layout) == kept.unmerged:
        return _in_one_part(site, language, state, cancel, "its parts could not be merged", kept.unmerged,
                            before_parts)
    bundle = site / BUNDLE
    new = _State(layout, scanned, {page: record for page, record in kept.records.items()
                                   if page in scanned and scanned[page][2] == record[0]},
                 unmerged=_unmerged or kept.unmerged)
    work = (state.parent / WORK) if state is not None else Path(tempfile.mkdtemp(prefix=".edition-search-",
                                                                                dir=site.parent))
    store = (state.parent / PARTS) if state is not None else work / PARTS
    if kept.layout == layout:  # the parts there (one that is missing is made again)
        new.held = {number: held for number, held in kept.held.items()
                    if not held or _part_made(store / str(number), count)}
        new.merged = kept.merged
    shutil.rmtree(work, ignore_errors=True)  # of a build killed while indexing
    for old_part in store.glob("*") if store.is_dir() else ():  # of an index in more parts
        if not (old_part.name.isdigit() and int(old_part.name) < count):
            shutil.rmtree(old_part, ignore_errors=True)
    for leftover in (site / f".{BUNDLE}-new", site / f".{BUNDLE}-old"):  # of the versions before parts
        shutil.rmtree(leftover, ignore_errors=True)
    parts = pages_of_parts(searched, count)
    try:
        job = _Job(binary, site, settings, work, cancel)
        remade = {number for number, pages_of_part in enumerate(parts)  # whatever their pages' records say
                  if set(new.held.get(number, ())) != set(pages_of_part)}
        # the pages whose records are not known: indexed alone first, where that is cheaper than making their parts
        # again, to learn which parts Pagefind would make differently; a part of several is then composed of the
        # part as it was and of these pages (searchwords.compose), where one part is made again by Pagefind
        unknown = [page for page in searched if page not in new.records
                   and (part_of(page, count) in new.held if count > 1 else part_of(page, count) not in remade)]
        probe_bundle: Path | None = None
        if new.held and unknown and _worth_probing(unknown, parts, count, pages):
            found = job.probe(unknown, scanned)
            if found is None:
                return stopped
            probed, probe_bundle = found
            new.records.update({page: (scanned[page][2], probed[page]) for page in probed})
        stale = stale_parts(parts, {page: record for page, (_sha, record) in new.records.items()}, new.held)
        notes: list[str] = []

        def keep(number: int, made: tuple[Path, dict[str, Record], str]) -> None:
            folder, part_records, note = made
            notes.extend([note] if note and note not in notes else [])
            new.records.update({page: (scanned[page][2], part_records[page]) for page in parts[number]})
            new.held.pop(number, None)  # not known while it is replaced (a build killed then makes it again)
            new.write(state)
            _replace(folder, store / str(number), work / f"old-{number}")
            new.held[number] = part_records
            new.write(state)

        def make(number: int) -> tuple[Path, dict[str, Record], str] | None:
            if number in composable and not _set(cancel):
                folder = work / f"part-{number}" / "bundle"
                try:
                    if searchwords.compose(store / str(number), probe, parts[number], set(new.held[number]), folder,
                                           cancel):
                        return folder, composable[number], ""
                except searchwords.MergeError:  # a part kept by an earlier version: made again by Pagefind
                    pass
                shutil.rmtree(folder.parent, ignore_errors=True)
                if _set(cancel):
                    return None
            part = None if _set(cancel) else job.index(f"part-{number}", parts[number])
            return None if part is None or _set(cancel) else job.finish(number, part, parts[number], scanned,
                                                                         count > 1)

        for number in stale:  # a part no page hashes to (a site of few pages in many parts): no bundle
            if not parts[number]:
                shutil.rmtree(store / str(number), ignore_errors=True)
                new.held[number] = {}
        filled = [number for number in range(count) if parts[number]]
        made_again = [number for number in stale if parts[number]]
        composable = _composable(made_again, parts, new, set(unknown)) if count > 1 and probe_bundle else {}
        probe = _read_probe(probe_bundle, set(unknown)) if composable else None
        composable = composable if probe is not None else {}
        if before_parts is not None and sum(len(parts[number]) for number in made_again
                                            if number not in composable) >= MANY_PAGES:
            before_parts()
        # two parts at a time: Pagefind's run over a part leaves much of a second processor idle, and reading a
        # part (its records, its words) is Python's
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as making:
            try:
                for number, made in zip(made_again, making.map(make, made_again), strict=True):
                    if made is None:
                        return stopped
                    keep(number, made)
            except BaseException:
                making.shutdown(cancel_futures=True)
                raise
        made_from = [_entry_of(store / str(number)) for number in filled]
        if new.merged == made_from and (bundle / "pagefind-entry.json").is_file():  # the index there
            new.write(state)
            return Indexed(ran=bool(stale), note="; ".join(notes), parts=(len(stale), count))
        if _set(cancel):
            return stopped
        merged = work / BUNDLE
        if count == 1:
            _copy(store / "0", merged, skip=(searchwords.WORDS, searchwords.ENTRIES))
        elif not searchmerge.merge([store / str(number) for number in filled], merged, cancel):
            return stopped
        if _set(cancel):
            return stopped
        _keep_times_of_unchanged(merged, bundle)
        _replace(merged, bundle, work / f"old-{BUNDLE}")
        new.merged = made_from
        new.write(state)
        return Indexed(ran=True, note="; ".join(notes), parts=(len(stale), count))
    except searchwords.MergeError as exc:
        unmerged = str(exc)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _in_one_part(site, language, state, cancel, f"its parts could not be merged ({unmerged})",
                        _unmergeable(layout), before_parts)


def _in_one_part(site: Path, language: str | None, state: Path | None, cancel: threading.Event | None,
                 why: str, unmerged: str = "", before_parts: Callable[[], None] | None = None) -> Indexed:
    """:func:`index_site` with the index in one part, saying ``why`` (``unmerged``: the layout whose parts could
    not be merged, kept so that the next builds do not try it again)."""
    found = index_site(site, language, state, cancel, part_pages=0, _unmerged=unmerged, before_parts=before_parts)
    if not found.ran:
        return found
    return Indexed(ran=True, note="; ".join(filter(None, [found.note, f"the search index was made in one part: "
                                                                      f"{why}"])), parts=found.parts)


def _unmergeable(layout: str) -> str:
    """What the state keeps of a ``layout`` whose parts could not be merged: with the code that tried (another
    version of it, which may merge them, tries again)."""
    return f"{layout} {MERGE_CODE}"


def _set(cancel: threading.Event | None) -> bool:
    """Whether ``cancel`` is set (a new build began)."""
    return cancel is not None and cancel.is_set()


def _pagefind_version(binary: Path) -> str:
    """The version Pagefind says it is (``1.5.2``), or ``""``."""
    try:
        said = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60,
                              check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return said.split()[-1] if said.split() else ""


def _part_made(folder: Path, count: int) -> bool:
    """Whether ``folder`` holds a part of an index of ``count`` parts (with its words, if merged)."""
    return (folder / "pagefind-entry.json").is_file() and (count == 1 or (folder / searchwords.WORDS).is_file())


def _entry_of(folder: Path) -> str:
    """What names the content of the bundle in ``folder`` (its entry: the hash of its metadata), if any."""
    try:
        return (folder / "pagefind-entry.json").read_text(encoding="utf-8")
    except OSError:
        return ""


def _copy(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """``target``, a new folder, with the files of ``source`` (hard links where it can), but ``skip``."""
    for file in _files(source):
        relative = file.relative_to(source)
        if str(relative) not in skip:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            link(file, target / relative)


def _worth_probing(unknown: list[str], parts: list[list[str]], count: int,
                   pages: dict[str, os.stat_result]) -> bool:
    """Whether indexing the ``unknown`` pages alone (to learn whether Pagefind would index them differently)
    costs less than half of making again every part they are in (both reckoned in bytes of HTML)."""
    touched = {part_of(page, count) for page in unknown}
    probed = sum(pages[page].st_size for page in unknown)
    return 2 * probed <= sum(pages[page].st_size for number in touched for page in parts[number])


def _composable(numbers: list[int], parts: list[list[str]], state: _State, probed: set[str],
                ) -> dict[int, dict[str, Record]]:
    """Those of the parts ``numbers`` to make again that can be composed of the part there and the pages
    ``probed`` (every page whose record is not the one the part holds was probed), with their pages' records."""
    found = {}
    for number in numbers:
        held = state.held.get(number)
        records = {page: state.records[page][1] for page in parts[number] if page in state.records}
        if held and len(records) == len(parts[number]) and all(
                page in probed for page, record in records.items() if held.get(page) != record):
            found[number] = records
    return found


def _read_probe(bundle: Path, pages: set[str]) -> searchwords.Probe | None:
    """The probe in ``bundle`` (Pagefind's index of ``pages`` alone), read as a part is; None if it cannot be."""
    try:
        return searchwords.Probe(bundle, pages, *searchwords.read_part(bundle))
    except searchwords.MergeError:
        return None


@dataclass
class _Job:
    """Running Pagefind on some of the pages of ``site``, in ``work``."""

    binary: Path
    site: Path
    settings: dict
    work: Path
    cancel: threading.Event | None

    def index(self, name: str, pages: list[str]) -> Path | None:
        """Index ``pages`` into a bundle of their own (its folder; None if cancelled)."""
        staged, bundle = self.work / name / "site", self.work / name / "bundle"
        staged.mkdir(parents=True)
        for page in pages:
            (staged / page).parent.mkdir(parents=True, exist_ok=True)
            link(self.site / page, staged / page)
        config = {"site": str(staged.resolve()), "output_path": str(bundle.resolve()), **self.settings}
        # Pagefind reads pagefind.{json,yml,toml} in its working folder and PAGEFIND_* variables: only ours count
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        (self.work / name / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        try:
            returncode, said = _run(self.binary, self.work / name, environment, self.cancel)
        except OSError as exc:
            raise SearchIndexError(f"{self.binary}: cannot run Pagefind ({exc.strerror or exc}); install it "
                                   f"again: pip install --force-reinstall 'pagefind[bin]'") from None
        if returncode is None:
            return None
        if returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
            last = said.strip().splitlines()[-1] if said.strip() else f"exit status {returncode}"
            raise SearchIndexError(f"Pagefind could not index {self.site}: {last}")
        shutil.rmtree(staged)
        return bundle

    def probe(self, pages: list[str], scanned: dict[str, Scanned]) -> tuple[dict[str, Record], Path | None] | None:
        """The records of ``pages``, indexed alone, and the bundle they are indexed in (None if cancelled). Where
        Pagefind indexed nothing of them (it then fails: pages with no words, such as an empty text), no records
        and no bundle: their parts are made again."""
        try:
            bundle = self.index("probe", pages)
        except SearchIndexError:  # were Pagefind itself at fault, making the parts again says so
            return {}, None
        if bundle is None:
            return None
        return records_of(bundle, {page: scanned[page] for page in pages}), bundle

    def finish(self, number: int, bundle: Path, pages: list[str], scanned: dict[str, Scanned], merged: bool,
             ) -> tuple[Path, dict[str, Record], str]:
        """Part ``number`` of the index, indexed into ``bundle`` from ``pages``: its folder, its pages' records
        and what to say of its filters' order. With ``merged``, what merging needs is kept with it."""
        records = records_of(bundle, {page: scanned[page] for page in pages})
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        if merged:
            searchwords.keep_words(bundle)  # or MergeError
            return bundle, records, ""
        return bundle, records, searchorder.normalise(bundle)


def records_of(bundle: Path, pages: dict[str, Scanned]) -> dict[str, Record]:
    """The record of each of ``pages`` in the Pagefind ``bundle`` made of them: the name of its fragment (a hash
    of what Pagefind took of its text, title, filters and anchors) and what gives its words their weights
    (:func:`heading_digest`). A page whose fragment is not found has ``sha:`` and its SHA-256."""
    records = {page: f"sha:{scanned[2]}" for page, scanned in pages.items()}
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        try:
            page = searchwords.page_of(fragment)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zlib.error):  # gzip's: OSError, EOFError
            continue
        if page in pages:
            records[page] = f"{fragment.name.removesuffix('.pf_fragment')}:{pages[page][4]}"
    return records


def _replace(new: Path, current: Path, old: Path) -> None:
    """Put the folder ``new`` in the place of ``current`` (moved to ``old``, then removed)."""
    current.parent.mkdir(parents=True, exist_ok=True)
    if current.exists():
        shutil.move(current, old)
    shutil.move(new, current)
    shutil.rmtree(old, ignore_errors=True)


def _files(folder: Path) -> Iterator[Path]:
    for parent, _subfolders, names in os.walk(folder):
        for name in names:
            yield Path(parent, name)


def _keep_times_of_unchanged(new: Path, current: Path) -> None:
    """Give each file of the ``new`` bundle that is byte for byte the one ``current`` has the modification time
    of that one: Pagefind writes every file again, most of them the same (a page's fragment and the chunks of
    words it does not change), and publishing copies only the files whose size or time changed
    (:func:`edition.publish.sitebuild.publish`)."""
    for folder, _subfolders, names in os.walk(new):  # strings, not paths: 10,000 files at the Escher letters
        old_folder = os.path.join(current, os.path.relpath(folder, new))
        for name in names:
            made, old = os.path.join(folder, name), os.path.join(old_folder, name)
            try:
                before, after = os.stat(old), os.stat(made)
                if (before.st_ino, before.st_dev) == (after.st_ino, after.st_dev):
                    continue  # the same file (both hard links to a part's file)
                if before.st_size != after.st_size or Path(old).read_bytes() != Path(made).read_bytes():
                    continue
                os.utime(made, ns=(before.st_atime_ns, before.st_mtime_ns))
            except OSError:  # not there before (or not readable): a new file
                continue


def _run(binary: Path, folder: Path, environment: dict[str, str],
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


def _binary_identity(binary: Path) -> str:
    """The Pagefind binary, told apart by its size and time (a new version is a new file)."""
    found = binary.stat()
    return f"{binary.resolve()}:{found.st_size}:{found.st_mtime_ns}"
