"""The parts of the search index: which part each page is in, and which parts a build makes again.

Pagefind indexes the pages it is given in one run, and cannot add to or take from an index it made. Indexing
a whole site again for every edit took 11–14 s at 500 texts and ~35 s for the 10,579 pages of the Escher
letters, with 0.8 and 1.6 GB of memory. So a large site is indexed in parts (each a Pagefind bundle of its
own, kept by the build, merged into the one index readers load: :mod:`edition.publish.searchmerge`), and a
page is in the part its address hashes to: the same part from one build to the next, the parts of even size.
A build makes again only the parts whose pages Pagefind would index differently (by composing them, mostly:
:mod:`edition.publish.searchwords`): :func:`stale_parts` compares,
page by page, Pagefind's record of each page (the name of its fragment, a hash of what Pagefind took from it,
and the page's headings, which weigh its words) with the record the part holds. An edit of a text changes
the pages of the names it gives and the chronology too, but only in what the search leaves out (their lists of
mentions), so only the text's own part is made again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

#: the pages of a part the site's number of parts aims at: a part of 128 to 255 pages was made again in about
#: half a second at 500 texts (one text's rebuild: 3.26 s with parts of 256 or more pages, 2.83 s with 128, 2.70 s
#: with 64, whose merge of twice as many parts takes back most of what their smaller runs save); an edit's part
#: is now composed without Pagefind (:func:`edition.publish.searchwords.compose`), in 0.07 s
PART_PAGES = 128
#: the most parts an index is made of, however large the site
MOST_PARTS = 32

#: a page's record in a part: the name of its Pagefind fragment (``en_1468f7f``), ``:`` and the digest of its
#: headings (:func:`edition.publish.search.heading_digest`); for a page whose fragment is not found, ``sha:`` and
#: the page's SHA-256 (a changed page then always makes its part again)
Record = str


def part_count(pages: int, per_part: int = PART_PAGES) -> int:
    """How many parts an index of ``pages`` pages is made of: a power of two (so that it changes only when the
    site doubles or halves, and with it the part of every page), each part ``per_part`` pages or more, at most
    :data:`MOST_PARTS`; one part when ``per_part`` is 0 or less."""
    count = 1
    while per_part > 0 and count * 2 <= MOST_PARTS and pages >= count * 2 * per_part:
        count *= 2
    return count


def part_of(page: str, count: int) -> int:
    """The part of the index holding ``page`` (its path in the site) among ``count`` parts."""
    if count <= 1:
        return 0
    return int.from_bytes(hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest(), "big") % count


def pages_of_parts(pages: Iterable[str], count: int) -> list[list[str]]:
    """The pages of each of ``count`` parts, each sorted."""
    parts: list[list[str]] = [[] for _ in range(count)]
    for page in sorted(pages):
        parts[part_of(page, count)].append(page)
    return parts


def stale_parts(parts: list[list[str]], records: Mapping[str, Record],
                held: Mapping[int, Mapping[str, Record]]) -> list[int]:
    """The parts to make again: each part whose pages (``parts``, with their records now: ``records``; a page
    not in it is not known) are not those it holds (``held``: part → page → record; a part not in it is not
    there)."""
    return [number for number, pages in enumerate(parts)
            if held.get(number) != {page: records.get(page) for page in pages}]
