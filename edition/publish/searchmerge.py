"""One Pagefind bundle of several: the parts of a large site's search index, merged.

Pagefind cannot add to an index or take from it (:mod:`edition.publish.searchparts`), so a large site is
indexed in parts, and only the parts whose pages changed are indexed again. The reader's browser still gets one
index, as Pagefind would have written it for all the pages at once: the pages of the parts one after the other,
each word with the places it has on the pages of every part, the filters' values with their pages. The search
is the same as with one run of Pagefind over the whole site (searching the parts side by side, with Pagefind's
``mergeIndex``, is not: each part would match a word against its own words only, and give the pages of the
nearest word it has where it lacks the word sought).

This reads and writes the files of Pagefind 1.5 (gzipped ``pagefind_dcd`` + CBOR): a part is read once when it
is made (:func:`read_part`: each word's places kept as CBOR, with the page numbers needed to renumber them),
then the parts are merged by joining those bytes. Anything else raises :class:`MergeError`, and the site is
then indexed in one run.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gzip
import hashlib
import itertools
import json
import os
import pickle
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cbor2

from .searchorder import MAGIC, encode_head

#: the versions of Pagefind whose files this knows
VERSIONS = ("1.5.",)
#: a chunk of the index holds words until their places number this many (Pagefind's own measure and size)
CHUNK_SIZE = 20000
#: the words of a part (:class:`PartWords`), kept beside its bundle
WORDS = "edition-words.pickle"
#: the files of the first part that the merged bundle takes as they are: the script, its worker, the WebAssembly
STATIC = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")

#: a word's places on the pages of one part: the number of pages, the first page's and the last page's number in
#: the part, the length of the first page's entry, the CBOR of the rest of the first page's entry (after its page
#: number) and of the entries of the other pages (whose page numbers count from the page before), and their size
#: as Pagefind counts it for its chunks
Places = tuple[int, int, int, int, bytes, int]


class MergeError(ValueError):
    """A part is not what this module can merge (another version of Pagefind, or sorts it does not merge)."""


@dataclass
class PartWords:
    """What merging needs of one part, read from its bundle once when it is made."""

    entry: dict
    #: the version its metadata names
    version: str
    #: the part's pages: [fragment, number of words], in the order the words' places number them
    pages: list[list]
    #: the fields of the pages' metadata searched (Pagefind numbers them in each word's metadata places)
    meta_fields: list
    #: filter → value → the numbers of the pages that have it
    filters: dict[str, dict[str, list[int]]]
    #: word → its places, and the places of each of its forms with other diacritics
    words: dict[str, tuple[Places, list[tuple[str, Places]]]]


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise MergeError(f"{path.name}: no {MAGIC.decode()} header")
    return cbor2.loads(data[len(MAGIC):])


def _places(pages: list) -> Places:
    """The :data:`Places` of a word's list of page entries (``[[page, places, metadata places], …]``; none for a
    word found only with other diacritics)."""
    if not pages:
        return 0, 0, 0, 0, b"", 0
    first = pages[0]
    if not (isinstance(first, list) and first and isinstance(first[0], int)):
        raise MergeError("not a word's pages of Pagefind 1.5")
    last, size = first[0], len(first[1]) + 1
    for entry in pages[1:]:  # each page's number counts from the one before
        last += entry[0]
        size += len(entry[1]) + 1
    rest = cbor2.dumps(first[1:])[len(encode_head(4, len(first) - 1)):]
    if len(pages) > 1:
        rest += cbor2.dumps(pages[1:])[len(encode_head(4, len(pages) - 1)):]
    return len(pages), first[0], last, len(first), rest, size


def read_part(bundle: Path) -> PartWords:
    """The words, pages and filters of the Pagefind ``bundle`` of a part."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        if not str(entry.get("version", "")).startswith(VERSIONS) or len(entry["languages"]) != 1:
            raise MergeError(f"{bundle}: Pagefind {entry.get('version')}, {len(entry['languages'])} languages")
        (language,) = entry["languages"].values()
        meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
        if not (isinstance(meta, list) and len(meta) == 6 and meta[4] == []):  # version, pages, chunks,
            raise MergeError(f"{bundle}: not the metadata of Pagefind 1.5 without sorts")  # filters, sorts, meta
        filters: dict[str, dict[str, list[int]]] = {}
        for name, file in meta[3]:
            found = _read(bundle / "filter" / f"{file}.pf_filter")
            filters[name] = {value: pages for value, pages in found[1]}
        words: dict[str, tuple[Places, list[tuple[str, Places]]]] = {}
        for _from, _to, file in meta[2]:
            chunk = _read(bundle / "index" / f"{file}.pf_index")
            for word, pages, variants in chunk[0]:
                words[word] = (_places(pages), [(variant, _places(found)) for variant, found in variants])
        return PartWords(entry, meta[0], meta[1], meta[5], filters, words)
    except (OSError, EOFError, KeyError, TypeError, ValueError, cbor2.CBORDecodeError) as exc:
        if isinstance(exc, MergeError):
            raise
        raise MergeError(f"{bundle}: {exc}") from None


def keep_words(bundle: Path) -> None:
    """Read the part in ``bundle`` and keep what merging needs beside it (raise :class:`MergeError`)."""
    (bundle / WORDS).write_bytes(pickle.dumps(read_part(bundle), pickle.HIGHEST_PROTOCOL))


def kept_words(bundle: Path) -> PartWords:
    """What :func:`keep_words` kept (raise :class:`MergeError` if it cannot be read)."""
    try:
        found = pickle.loads((bundle / WORDS).read_bytes())
    except Exception as exc:  # missing, damaged or of another version
        raise MergeError(f"{bundle / WORDS}: {exc}") from None
    if not isinstance(found, PartWords):
        raise MergeError(f"{bundle / WORDS}: not the words of a part")
    return found


def _name(prefix: str, data: bytes, taken: set[str]) -> str:
    """A file name for ``data`` as Pagefind makes them (the language, then a hash), not one of ``taken``."""
    digest = hashlib.sha256(data).hexdigest()
    length = 7
    while f"{prefix}_{digest[:length]}" in taken:
        length += 1
    taken.add(f"{prefix}_{digest[:length]}")
    return f"{prefix}_{digest[:length]}"


def _packed(data: bytes) -> bytes:
    return gzip.compress(MAGIC + data, compresslevel=6, mtime=0)


#: the CBOR heads of arrays and of unsigned integers, made once (a merge writes millions)
_array = functools.lru_cache(maxsize=4096)(functools.partial(encode_head, 4))
_unsigned = functools.lru_cache(maxsize=65536)(functools.partial(encode_head, 0))


def _joined(pieces: Sequence[tuple[int, Places]], offsets: list[int]) -> tuple[bytes, int]:
    """The page entries of a word in several parts (part number, its places there), as one CBOR array, and its
    size."""
    if len(pieces) == 1:  # a word of one part (most words): its places as they are, from the part's offset
        number, (count, first, _final, length, rest, places) = pieces[0]
        if not count:
            return _array(0), 0
        return b"".join((_array(count), _array(length), _unsigned(offsets[number] + first), rest)), places
    out: list[bytes] = []
    total = size = 0
    last: int | None = None
    for number, (count, first, final, length, rest, places) in pieces:
        if not count:
            continue
        page = offsets[number] + first
        out += [_array(length), _unsigned(page if last is None else page - last), rest]
        last = offsets[number] + final
        total += count
        size += places
    return _array(total) + b"".join(out), size


def _prefixes(before: str, after: str) -> tuple[str, str]:
    """The shortest starts of two neighbouring chunks' last and first words that tell them apart (as
    Pagefind's ``get_prefixes``)."""
    common = 0
    for a, b in zip(after, before, strict=False):
        if a != b:
            break
        common += 1
    return before[:common + 1], after[:common + 1]


def merge(parts: list[Path], into: Path, cancel: threading.Event | None = None) -> bool:
    """Write into the new folder ``into`` one Pagefind bundle of the pages of the ``parts`` (bundles with their
    words kept: :func:`keep_words`), in their order; False if ``cancel`` was set first (``into`` is then
    incomplete: it is checked between the parts read, every 4,096 words merged, and the chunks not compressed
    yet are dropped). Raise :class:`MergeError` if they cannot be merged."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as compressing:  # zlib lets go of the GIL
        written: list[concurrent.futures.Future] = []

        def write(path: Path, data: bytes) -> None:
            written.append(compressing.submit(lambda: path.write_bytes(_packed(data))))

        try:
            done = _merge(parts, into, write, cancel)
        except BaseException:
            compressing.shutdown(cancel_futures=True)
            raise
        if not done:  # a new build began (the watch mode): no more chunks are compressed
            compressing.shutdown(cancel_futures=True)
            return False
        for job in written:
            job.result()
        return True


def _merge(parts: list[Path], into: Path, write: Callable[[Path, bytes], None],
           cancel: threading.Event | None) -> bool:
    """:func:`merge`, with ``write(path, data)`` writing ``data`` gzipped."""
    read: list[PartWords] = []
    for part in parts:  # 1.2 s for the 32 parts of the Escher letters, holding the interpreter: a new build waits
        if cancel is not None and cancel.is_set():
            return False
        read.append(kept_words(part))
    first = read[0]
    (language_key, language), = first.entry["languages"].items()
    for other in read[1:]:
        (key, other_language), = other.entry["languages"].items()
        if (key != language_key or other_language.get("wasm") != language.get("wasm")
                or other.version != first.version or other.meta_fields != first.meta_fields
                or {k: v for k, v in other.entry.items() if k != "languages"}
                != {k: v for k, v in first.entry.items() if k != "languages"}):
            raise MergeError("the parts were made with other settings")
    prefix = language["hash"].split("_")[0]
    offsets, pages = [], []
    for part in read:
        offsets.append(len(pages))
        pages += part.pages
    into.mkdir(parents=True)
    for pattern in STATIC:
        for file in parts[0].glob(pattern):
            link(file, into / file.name)
    (into / "fragment").mkdir()
    names: dict[str, Path] = {}
    for part, part_words in zip(parts, read, strict=True):
        for page in part_words.pages:
            source = part / "fragment" / f"{page[0]}.pf_fragment"
            name = page[0]
            if name in names and names[name].read_bytes() != source.read_bytes():
                # another page with the same short hash, in another part: a name of its own content's hash
                name = _name(prefix, source.read_bytes(), set(names))
            if name not in names:
                names[name] = source
                link(source, into / "fragment" / f"{name}.pf_fragment")
            page[0] = name
    taken: set[str] = set()
    (into / "filter").mkdir()
    filters: list[list] = []
    for filter_name in sorted({name for part in read for name in part.filters}):
        values: dict[str, list[int]] = {}
        for offset, part in zip(offsets, read, strict=True):
            for value, numbers in part.filters.get(filter_name, {}).items():
                values.setdefault(value, []).extend(offset + number for number in numbers)
        data = cbor2.dumps([filter_name, [[value, values[value]] for value in sorted(values)]])
        file = _name(prefix, data, taken)
        write(into / "filter" / f"{file}.pf_filter", data)
        filters.append([filter_name, file])
    by_word: dict[str, list[tuple[int, tuple[Places, list[tuple[str, Places]]]]]] = {}
    for number, part in enumerate(read):
        for word, found in part.words.items():
            by_word.setdefault(word, []).append((number, found))
    (into / "index").mkdir()
    chunks: list[list[str]] = []
    words: list[bytes] = []
    size = 0
    bounds = ["", ""]

    def flush() -> None:
        data = encode_head(4, 1) + encode_head(4, len(words)) + b"".join(words)
        file = _name(prefix, data, taken)
        write(into / "index" / f"{file}.pf_index", data)
        chunks.append([bounds[0], bounds[1], file])
        words.clear()

    for count, word in enumerate(sorted(by_word)):
        if cancel is not None and not count % 4096 and cancel.is_set():
            return False
        found = by_word[word]
        places, word_size = _joined([(number, main) for number, (main, _variants) in found], offsets)
        variants: dict[str, list[tuple[int, Places]]] = {}
        for number, (_main, forms) in found:
            for variant, variant_places in forms:
                variants.setdefault(variant, []).append((number, variant_places))
        encoded_variants = []
        for variant in sorted(variants):
            joined, variant_size = _joined(variants[variant], offsets)
            encoded_variants.append(_array(2) + cbor2.dumps(variant) + joined)
            word_size += variant_size
        if not words:
            bounds[0] = word
        bounds[1] = word
        words.append(_array(3) + cbor2.dumps(word) + places + _array(len(encoded_variants))
                     + b"".join(encoded_variants))
        size += word_size
        if size >= CHUNK_SIZE:
            flush()
            size = 0
    if words:
        flush()
    for before, after in itertools.pairwise(chunks):
        before[1], after[0] = _prefixes(before[1], after[0])
    meta = cbor2.dumps([first.version, pages, chunks, filters, [], first.meta_fields])
    meta_name = f"{prefix}_{hashlib.sha256(meta).hexdigest()[:10]}"
    write(into / f"pagefind.{meta_name}.pf_meta", meta)
    entry = {**first.entry, "languages": {language_key: {**language, "hash": meta_name, "page_count": len(pages)}}}
    (into / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                              encoding="utf-8")
    return True


def link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where the file system has none)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
