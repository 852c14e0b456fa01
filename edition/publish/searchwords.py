"""A part of the search index as the merge needs it, read once from its Pagefind bundle, and a part composed
without Pagefind from the part as it was and Pagefind's index of the pages that changed.

Pagefind numbers a bundle's pages in the order it finds their files, which is the order the file system lists a
folder in. A part read here (:func:`read_part`) has its pages numbered in the order of their paths instead, so that
it is the same however it was made. Pagefind indexes each page on its own (its words' places, its fragment, its
filter values, its number of words depend on that page alone), so a part is also the union of its pages: when an
edit changes a few pages, the build indexes those pages alone (a run of Pagefind over 7 pages takes 0.04 s where
one over the 128–255 pages of their part took 0.4 s at 500 texts), and :func:`compose` takes them with the other
pages of the part as it was. The merged index is then, byte for byte, what a part made by Pagefind over all its
pages gives (``tests/test_search.py`` checks it).

This reads the files of Pagefind 1.5 (gzipped ``pagefind_dcd`` + CBOR). Anything else raises
:class:`MergeError`, and the site is then indexed in one run.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import json
import pickle
import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import cbor2

from ..core.files import link
from .searchorder import MAGIC, encode_head

#: the versions of Pagefind whose files this knows
VERSIONS = ("1.5.",)
#: the words of a part (:class:`PartWords`), kept beside its bundle and read by every merge
WORDS = "edition-words.pickle"
#: each page's places of each word of a part (:class:`PartEntries`), kept beside its bundle, read to compose it
ENTRIES = "edition-entries.pickle"
#: the files of a part's bundle that the merged bundle takes as they are: the script, its worker, the WebAssembly
STATIC = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
#: the address at the start of a fragment
_URL = re.compile(rb'\{"url":("(?:[^"\\]|\\.)*")')

#: a word's places on the pages of one part: the number of pages, the first page's and the last page's number in
#: the part, the length of the first page's entry, the CBOR of the rest of the first page's entry (after its page
#: number) and of the entries of the other pages (whose page numbers count from the page before), and their size
#: as Pagefind counts it for its chunks
Places = tuple[int, int, int, int, bytes, int]
#: a word's places on one page: the page's number in the part, the length of its entry, the CBOR of the entry's
#: items after the page number, and their size as Pagefind counts it
Entry = tuple[int, int, bytes, int]


class MergeError(ValueError):
    """A part is not what this module can merge (another version of Pagefind, or sorts it does not merge)."""


@dataclass
class PartWords:
    """What merging needs of one part."""

    entry: dict
    #: the version its metadata names
    version: str
    #: the part's pages: [fragment, number of words], in the order of their paths
    pages: list[list]
    #: the fields of the pages' metadata searched (Pagefind numbers them in each word's metadata places)
    meta_fields: list
    #: filter → value → the numbers of the pages that have it
    filters: dict[str, dict[str, list[int]]]
    #: word → its places, and the places of each of its forms with other diacritics
    words: dict[str, tuple[Places, list[tuple[str, Places]]]]


@dataclass
class PartEntries:
    """What composing needs of one part besides its :class:`PartWords`: each word's places page by page."""

    #: the paths of the part's pages in the site, in order (the numbers of :class:`PartWords`)
    paths: list[str]
    #: the fields of each page's metadata (the part's :attr:`PartWords.meta_fields` are all of them, sorted)
    meta: list[tuple[str, ...]]
    #: word → its places on each page, and those of each of its forms with other diacritics
    words: dict[str, tuple[list[Entry], dict[str, list[Entry]]]]


def page_of(fragment: Path) -> str:
    """The page (its path in the site) of a Pagefind fragment (its address comes first: only the start of the
    file is read, unless it is not there)."""
    raw = fragment.read_bytes()
    start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, 4096)
    if not start.startswith(MAGIC):
        raise ValueError(f"{fragment.name}: not a Pagefind fragment")
    found = _URL.match(start, len(MAGIC))
    url = json.loads(found.group(1)) if found is not None else json.loads(gzip.decompress(raw)[len(MAGIC):])["url"]
    return _path(url)


def _path(url: str) -> str:
    """The path in the site of the page a fragment's address names."""
    return unquote(url).lstrip("/")


def _fragment(path: Path) -> tuple[str, tuple[str, ...]]:
    """The page (its path in the site) of a Pagefind fragment and the fields of its metadata."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise MergeError(f"{path.name}: not a Pagefind fragment")
    fragment = json.loads(data[len(MAGIC):])
    return _path(fragment["url"]), tuple(sorted(fragment.get("meta") or {}))


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise MergeError(f"{path.name}: no {MAGIC.decode()} header")
    return cbor2.loads(data[len(MAGIC):])


#: the CBOR heads of arrays and of unsigned integers, made once (a merge writes millions)
array_head = functools.lru_cache(maxsize=4096)(functools.partial(encode_head, 4))
unsigned_head = functools.lru_cache(maxsize=65536)(functools.partial(encode_head, 0))


def _entries(pages: list, numbers: list[int]) -> list[Entry]:
    """The entries of a word's list of page entries as Pagefind writes it (``[[page, places, metadata places],
    …]``, each page's number counting from the one before), renumbered (old number → ``numbers[old]``), in the
    order of their new numbers."""
    found: list[Entry] = []
    page = 0
    for index, entry in enumerate(pages):
        if not (isinstance(entry, list) and len(entry) >= 2 and isinstance(entry[0], int)
                and isinstance(entry[1], list)):
            raise MergeError("not a word's pages of Pagefind 1.5")
        page = entry[0] if index == 0 else page + entry[0]
        tail = cbor2.dumps(entry[1:])[len(array_head(len(entry) - 1)):]
        found.append((numbers[page], len(entry), tail, len(entry[1]) + 1))
    found.sort()
    return found


def places(entries: list[Entry]) -> Places:
    """The :data:`Places` of a word's entries (in the order of their pages)."""
    if not entries:
        return 0, 0, 0, 0, b"", 0
    first, length, tail, size = entries[0]
    rest, last = [tail], first
    for page, page_length, page_tail, page_size in entries[1:]:
        rest += [array_head(page_length), unsigned_head(page - last), page_tail]
        last = page
        size += page_size
    return len(entries), first, last, length, b"".join(rest), size


def _words(entries: dict[str, tuple[list[Entry], dict[str, list[Entry]]]],
           ) -> dict[str, tuple[Places, list[tuple[str, Places]]]]:
    return {word: (places(main), [(variant, places(variants[variant])) for variant in sorted(variants)])
            for word, (main, variants) in entries.items()}


def read_part(bundle: Path) -> tuple[PartWords, PartEntries]:
    """The words, pages and filters of the Pagefind ``bundle`` of a part, its pages in the order of their paths."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        if not str(entry.get("version", "")).startswith(VERSIONS) or len(entry["languages"]) != 1:
            raise MergeError(f"{bundle}: Pagefind {entry.get('version')}, {len(entry['languages'])} languages")
        (key, language), = entry["languages"].items()
        meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
        if not (isinstance(meta, list) and len(meta) == 6 and meta[4] == []):  # version, pages, chunks,
            raise MergeError(f"{bundle}: not the metadata of Pagefind 1.5 without sorts")  # filters, sorts, meta
        fragments = [_fragment(bundle / "fragment" / f"{name}.pf_fragment") for name, _words in meta[1]]
        paths = [path for path, _fields in fragments]
        order = sorted(range(len(paths)), key=paths.__getitem__)
        numbers = [0] * len(order)
        for new, old in enumerate(order):
            numbers[old] = new
        filters: dict[str, dict[str, list[int]]] = {}
        for name, file in meta[3]:
            found = _read(bundle / "filter" / f"{file}.pf_filter")
            filters[name] = {value: sorted(numbers[page] for page in pages) for value, pages in found[1]}
        entries: dict[str, tuple[list[Entry], dict[str, list[Entry]]]] = {}
        for _from, _to, file in meta[2]:
            for word, pages, variants in _read(bundle / "index" / f"{file}.pf_index")[0]:
                entries[word] = (_entries(pages, numbers),
                                 {variant: _entries(found, numbers) for variant, found in variants})
        # what names its content: made again for the part kept (keep_part) and for the merged bundle
        entry = {**entry, "languages": {key: {**language, "hash": f"{language['hash'].split('_')[0]}_",
                                              "page_count": 0}}}
        words = PartWords(entry, meta[0], [meta[1][old] for old in order], meta[5], filters,
                          _words(dict(sorted(entries.items()))))
        return words, PartEntries([paths[old] for old in order], [fragments[old][1] for old in order], entries)
    except (OSError, EOFError, KeyError, IndexError, TypeError, ValueError, zlib.error,
            cbor2.CBORDecodeError) as exc:
        if isinstance(exc, MergeError):
            raise
        raise MergeError(f"{bundle}: {exc}") from None


def keep_part(bundle: Path, words: PartWords, entries: PartEntries) -> None:
    """Keep ``words`` and ``entries`` beside the part in ``bundle``, whose entry is then named after them (what
    a build compares to know whether the merged bundle is up to date)."""
    data = pickle.dumps(words, pickle.HIGHEST_PROTOCOL)
    (bundle / ENTRIES).write_bytes(pickle.dumps(entries, pickle.HIGHEST_PROTOCOL))
    (bundle / WORDS).write_bytes(data)
    (key, language), = words.entry["languages"].items()
    prefix = language["hash"].split("_")[0]
    named = {**words.entry, "languages": {key: {**language, "hash": f"{prefix}_{hashlib.sha256(data).hexdigest()[:10]}",
                                               "page_count": len(words.pages)}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(named, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")


def keep_words(bundle: Path) -> None:
    """Read the part Pagefind made in ``bundle`` and keep what merging and composing need beside it (raise
    :class:`MergeError`)."""
    words, entries = read_part(bundle)
    keep_part(bundle, words, entries)


def kept_words(bundle: Path) -> PartWords:
    """What :func:`keep_words` kept for merging (raise :class:`MergeError` if it cannot be read)."""
    return _kept(bundle / WORDS, PartWords)


def kept_entries(bundle: Path) -> PartEntries:
    """What :func:`keep_words` kept for composing (raise :class:`MergeError` if it cannot be read)."""
    return _kept(bundle / ENTRIES, PartEntries)


def _kept(path: Path, kind: type) -> object:
    try:
        found = pickle.loads(path.read_bytes())
    except Exception as exc:  # missing, damaged or of another version
        raise MergeError(f"{path}: {exc}") from None
    if not (isinstance(found, kind) and all(hasattr(found, held.name) for held in dataclasses.fields(kind))):
        raise MergeError(f"{path}: not the words of a part of this version")  # kept by another version
    return found


def with_fields(words: PartWords, entries: PartEntries, fields: list[str]) -> PartWords:
    """``words`` with the fields of its pages' metadata numbered as ``fields`` number them (all of the part's
    and more: those of the other parts merged with it). Pagefind numbers the fields of a run's pages in their
    order, and a word's places in a page's metadata name the field of each (field ``k`` as ``-(k + 1)``, then
    the word's positions in it): a page with an image gives Pagefind's run the fields ``image`` and
    ``image_alt``, which the parts without one lack."""
    numbers = {-(old + 1): -(fields.index(field) + 1) for old, field in enumerate(words.meta_fields)}

    def renumbered(found: list[Entry]) -> list[Entry]:
        out: list[Entry] = []
        for page, length, tail, size in found:
            if length >= 3:
                items = cbor2.loads(array_head(length - 1) + tail)
                items[1] = [numbers.get(place, place) if place < 0 else place for place in items[1]]
                tail = cbor2.dumps(items)[len(array_head(length - 1)):]
            out.append((page, length, tail, size))
        return out

    return PartWords(words.entry, words.version, words.pages, list(fields), words.filters,
                     _words(dict(sorted((word, (renumbered(main), {variant: renumbered(found) for variant, found in
                                                                     variants.items()}))
                                        for word, (main, variants) in entries.words.items()))))


@dataclass
class Probe:
    """Pagefind's index of some pages alone (``pages``: those it was given), read as a part is."""

    bundle: Path
    pages: set[str]
    words: PartWords
    entries: PartEntries


def compose(part: Path, probe: Probe, pages: list[str], held: set[str], into: Path,
            cancel: threading.Event | None = None) -> bool:
    """Write into the new folder ``into`` the part of the search index holding ``pages``, made of the part in
    ``part`` (kept: :func:`keep_words`) with each page the ``probe`` was given taken from the probe instead (or
    left out, if Pagefind did not index it there), and the pages of ``part`` not in ``pages`` left out. Every page
    of ``pages`` that is not in ``part`` as it is now must be among the probe's; ``held`` are the pages the build
    knows ``part`` to hold. False (and nothing written) where that would not be what Pagefind makes of ``pages``:
    a page of ``part`` or of the probe is not one the build knows by that path, two of its pages' fragments would
    have the same short name (Pagefind makes one longer), the fields of the pages' metadata would not be those
    of ``part`` (their words number them), or the two bundles were made with other settings; or ``cancel`` was set
    (checked every 4,096 words: composing a part of the Escher letters takes 0.4 s, which a new build of the
    watch mode would otherwise wait for)."""
    words, entries = kept_words(part), kept_entries(part)
    if (probe.words.version != words.version or probe.words.meta_fields != words.meta_fields
            or settings_of(probe.words.entry) != settings_of(words.entry)
            or not set(entries.paths) <= held or not set(probe.entries.paths) <= probe.pages):
        return False
    wanted = set(pages)
    sources = [(path, words, entries, number) for number, path in enumerate(entries.paths)
               if path in wanted and path not in probe.pages]
    sources += [(path, probe.words, probe.entries, number) for number, path in enumerate(probe.entries.paths)
                if path in wanted]
    sources.sort(key=lambda source: source[0])
    (_key, language), = words.entry["languages"].items()
    short = len(language["hash"].split("_")[0]) + 8  # the language, "_" and 7 characters of the hash
    names = [source[1].pages[source[3]][0] for source in sources]
    if len(set(names)) != len(names) or any(len(name) != short for name in names):
        return False
    if sorted({field for source in sources for field in source[2].meta[source[3]]}) != list(words.meta_fields):
        return False
    renumbered = {(id(source[2]), source[3]): new for new, source in enumerate(sources)}

    def taken(found: list[Entry], source: PartEntries) -> list[Entry]:
        return [(renumbered[key], length, tail, size) for page, length, tail, size in found
                if (key := (id(source), page)) in renumbered]

    composed: dict[str, tuple[list[Entry], dict[str, list[Entry]]]] = {}
    for source_entries in (entries, probe.entries):
        for count, (word, (main, variants)) in enumerate(source_entries.words.items()):
            if cancel is not None and not count % 4096 and cancel.is_set():
                return False
            into_main, into_variants = composed.setdefault(word, ([], {}))
            into_main += taken(main, source_entries)
            for variant, found in variants.items():
                into_variants.setdefault(variant, []).extend(taken(found, source_entries))
    for word in list(composed):
        main, variants = composed[word]
        main.sort()
        for variant in list(variants):
            if not variants[variant]:
                del variants[variant]
            else:
                variants[variant].sort()
        if not main and not variants:
            del composed[word]
    filters: dict[str, dict[str, list[int]]] = {}
    for source_words, source_entries in ((words, entries), (probe.words, probe.entries)):
        for name, values in source_words.filters.items():
            for value, numbers in values.items():
                found = [renumbered[key] for page in numbers if (key := (id(source_entries), page)) in renumbered]
                if found:
                    filters.setdefault(name, {}).setdefault(value, []).extend(found)
    filters = {name: {value: sorted(values[value]) for value in sorted(values)} for name, values in
               sorted(filters.items())}
    composed = dict(sorted(composed.items()))
    into.mkdir(parents=True)
    for pattern in STATIC:
        for file in part.glob(pattern):
            link(file, into / file.name)
    (into / "fragment").mkdir()
    for _path, held_words, _held, number in sources:
        name = held_words.pages[number][0]
        bundle = part if held_words is words else probe.bundle
        link(bundle / "fragment" / f"{name}.pf_fragment", into / "fragment" / f"{name}.pf_fragment")
    keep_part(into, PartWords(words.entry, words.version, [list(source[1].pages[source[3]]) for source in sources],
                          words.meta_fields, filters, _words(composed)),
          PartEntries([source[0] for source in sources], [source[2].meta[source[3]] for source in sources],
                      composed))
    return True


def settings_of(entry: dict) -> dict:
    """What of a bundle's ``pagefind-entry.json`` says how it was made (not which pages it holds): bundles made
    otherwise are neither composed nor merged."""
    (key, language), = entry["languages"].items()
    return {**{k: v for k, v in entry.items() if k != "languages"}, key: language.get("wasm")}
