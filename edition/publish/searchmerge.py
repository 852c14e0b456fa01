"""One Pagefind bundle of several: the parts of a large site's search index, merged.

Pagefind cannot add to an index or take from it (:mod:`edition.publish.searchparts`), so a large site is
indexed in parts, and only the parts whose pages changed are indexed again. The reader's browser still gets one
index, as Pagefind would have written it for all the pages at once: the pages of the parts one after the other,
each word with the places it has on the pages of every part, the filters' values with their pages. The search
is the same as with one run of Pagefind over the whole site (searching the parts side by side, with Pagefind's
``mergeIndex``, is not: each part would match a word against its own words only, and give the pages of the
nearest word it has where it lacks the word sought).

This writes the files of Pagefind 1.5 (gzipped ``pagefind_dcd`` + CBOR): a part is read once when it is made
(:func:`edition.publish.searchwords.read_part`: each word's places kept as CBOR, with the page numbers needed to
renumber them), then the parts are merged by joining those bytes. A part that cannot be read raises
:class:`~edition.publish.searchwords.MergeError`, and the site is then indexed in one run.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import hashlib
import itertools
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import cbor2

from ..core.files import link
from .searchorder import MAGIC, encode_head
from .searchwords import STATIC, MergeError, PartWords, Places, kept_entries, kept_words, settings_of, with_fields
from .searchwords import array_head as _array
from .searchwords import unsigned_head as _unsigned

#: a chunk of the index holds words until their places number this many (Pagefind's own measure and size)
CHUNK_SIZE = 20000


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
    words kept: :func:`~edition.publish.searchwords.keep_words`), in their order; False if ``cancel`` was set
    first (``into`` is then incomplete: it is checked between the parts read, every 4,096 words merged, and the
    chunks not compressed yet are dropped). Raise :class:`MergeError` if they cannot be merged."""
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
        if other.version != first.version or settings_of(other.entry) != settings_of(first.entry):
            raise MergeError("the parts were made with other settings")
    fields = sorted({field for part in read for field in part.meta_fields})  # as one run over all the pages
    for number, part in enumerate(read):
        if part.meta_fields != fields:  # a part without a field some page of another has (an image's)
            read[number] = with_fields(part, kept_entries(parts[number]), fields)
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
    fragments = os.path.join(into, "fragment", "")  # strings, not paths: 10,000 fragments at the Escher letters
    names: dict[str, str] = {}
    for part, part_words in zip(parts, read, strict=True):
        folder = os.path.join(part, "fragment", "")
        for page in part_words.pages:
            source = f"{folder}{page[0]}.pf_fragment"
            name = page[0]
            if name in names and Path(names[name]).read_bytes() != Path(source).read_bytes():
                # another page with the same short hash, in another part: a name of its own content's hash
                name = _name(prefix, Path(source).read_bytes(), set(names))
            if name not in names:
                names[name] = source
                link(source, f"{fragments}{name}.pf_fragment")
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
    meta = cbor2.dumps([first.version, pages, chunks, filters, [], fields])
    meta_name = f"{prefix}_{hashlib.sha256(meta).hexdigest()[:10]}"
    write(into / f"pagefind.{meta_name}.pf_meta", meta)
    entry = {**first.entry, "languages": {language_key: {**language, "hash": meta_name, "page_count": len(pages)}}}
    (into / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                              encoding="utf-8")
    return True

