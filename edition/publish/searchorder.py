"""Make Pagefind's bundle the same for the same pages.

Pagefind (1.5) writes its word chunks and fragments in a stable order, but its filters in the order of a hash
map seeded at random in each run (its source says so: "TODO: Change filter indexes to BTree to give them a
stable hash"): the values inside each filter file, the filters listed in the metadata file, and so the names
of those files (their hashes) differ from one run to the next. Here each filter's values and the metadata's
filters are sorted, the files renamed after what they hold, and ``pagefind-entry.json`` updated.

The files are gzipped ``pagefind_dcd`` + CBOR made of arrays, text and unsigned integers only. A file that
is anything else, or that does not read back to its own bytes, leaves the bundle as Pagefind wrote it
(:func:`normalise` says so): searching works the same either way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

MAGIC = b"pagefind_dcd"

Item = int | str | list


class FormatError(ValueError):
    """Not the subset of CBOR this module knows."""


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """The major type, the argument and the position after the head of the item at ``at``."""
    if at >= len(data):
        raise FormatError("truncated")
    major, extra = data[at] >> 5, data[at] & 31
    if extra < 24:
        return major, extra, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(extra)
    if size is None or at + 1 + size > len(data):
        raise FormatError(f"unsupported head {data[at]:#x}")
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def decode(data: bytes, at: int = 0) -> tuple[Item, int]:
    """The item at ``at`` (an unsigned integer, a text, an array of items) and the position after it."""
    major, argument, at = _head(data, at)
    if major == 0:
        return argument, at
    if major == 3:
        end = at + argument
        if end > len(data):
            raise FormatError("truncated text")
        return data[at:end].decode("utf-8"), end
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise FormatError(f"unsupported major type {major}")


def encode_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | extra]) + argument.to_bytes(size, "big")
    raise FormatError("integer too large")


def encode(item: Item) -> bytes:
    """``item`` in the shortest CBOR form (as Pagefind's encoder writes it)."""
    if isinstance(item, bool) or not isinstance(item, int | str | list):
        raise FormatError(f"cannot encode {type(item).__name__}")
    if isinstance(item, int):
        return encode_head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return encode_head(3, len(raw)) + raw
    return encode_head(4, len(item)) + b"".join(map(encode, item))


def read(path: Path) -> Item:
    """A file of the bundle, checked to read back to its own bytes."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise FormatError(f"{path.name}: no {MAGIC.decode()} header")
    item, end = decode(data, len(MAGIC))
    if end != len(data) or encode(item) != data[len(MAGIC):]:
        raise FormatError(f"{path.name}: does not read back to its bytes")
    return item


def _packed(item: Item) -> bytes:
    return gzip.compress(MAGIC + encode(item), compresslevel=9, mtime=0)


def _name(language: str, item: Item) -> str:
    return f"{language}_{hashlib.sha256(encode(item)).hexdigest()[:7]}"


def normalise(bundle: Path) -> str:
    """Sort the filters of the Pagefind bundle in ``bundle``; ``""`` when done, else why it was left alone."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        renames: list[tuple[Path, Path, bytes]] = []
        for language in entry["languages"].values():
            meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
            meta = read(meta_path)
            if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[3], list)):  # version, pages,
                raise FormatError(f"{meta_path.name}: not the metadata Pagefind 1.5 writes")  # chunks, filters…
            prefix = language["hash"].split("_")[0]
            filters = []
            for name, old_hash in meta[3]:
                old = bundle / "filter" / f"{old_hash}.pf_filter"
                values = read(old)
                if not (isinstance(values, list) and len(values) == 2 and values[0] == name):
                    raise FormatError(f"{old.name}: not the filter {name}")
                values[1] = sorted(values[1], key=lambda value: value[0])
                new_hash = _name(prefix, values)
                renames.append((old, bundle / "filter" / f"{new_hash}.pf_filter", _packed(values)))
                filters.append([name, new_hash])
            meta[3] = sorted(filters)
            language["hash"] = new_meta = _name(prefix, meta)
            renames.append((meta_path, bundle / f"pagefind.{new_meta}.pf_meta", _packed(meta)))
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:  # gzip's errors are OSError/EOFError
        return f"the search index's filters are left in Pagefind's order ({exc})"
    for old, new, data in renames:
        old.unlink()
        new.write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return ""
