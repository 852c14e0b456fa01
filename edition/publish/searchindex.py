"""Make Sphinx's search index the same after an incremental build as after a clean one.

Sphinx (9.x) has three habits that make an incremental ``searchindex.js`` differ from a clean
build's: it keeps a term whose last document was re-read without it as an empty list; it orders
general-index entries by the order in which documents were last read; and it forgets the
general-index entries of every page it did not re-read (``IndexBuilder.load`` does not restore
them). After each HTML build the index is rewritten with the entries of the pages not re-read
taken from the previous index, without empty terms, and sorted, with Sphinx's own serialiser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.files import write_atomic
from ..sphinx_compat import dump_search_index, load_search_index

Entries = dict[str, list[tuple[str, str, bool]]]  # index entry -> [(docname, anchor, main)]


def read_index(path: Path) -> dict[str, Any] | None:
    try:
        return load_search_index(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def entries_by_docname(data: dict[str, Any]) -> Entries:
    docnames = data.get("docnames", [])
    return {entry: [(docnames[i], anchor, main) for i, anchor, main in places]
            for entry, places in data.get("indexentries", {}).items()}


def normalise(data: dict[str, Any], kept: Entries, reread: set[str]) -> dict[str, Any]:
    """``data`` without empty terms, with the ``kept`` entries of pages not re-read, sorted."""
    for key in ("terms", "titleterms"):
        data[key] = {term: docs for term, docs in data.get(key, {}).items() if docs != []}
    position = {docname: index for index, docname in enumerate(data.get("docnames", []))}
    entries: dict[str, set[tuple[int, str, bool]]] = {
        entry: {tuple(place) for place in places} for entry, places in data.get("indexentries", {}).items()
    }
    for entry, places in kept.items():
        for docname, anchor, main in places:
            if docname in position and docname not in reread:
                entries.setdefault(entry, set()).add((position[docname], anchor, main))
    data["indexentries"] = {entry: [list(place) for place in sorted(places)] for entry, places in entries.items()}
    return data


def normalise_search_index(path: Path, previous: Entries, reread: set[str]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
        data = load_search_index(text)
    except (OSError, ValueError):
        return  # no index, or not the format this module knows: leave it alone
    normalised = dump_search_index(normalise(data, previous, reread))
    if normalised != text:
        write_atomic(path, normalised)
