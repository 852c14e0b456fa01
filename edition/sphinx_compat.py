"""Everything the extension takes from Sphinx beyond its public API: two things, each with a test
(``tests/test_sphinx_compat.py``) that fails loudly when a Sphinx release changes them.

- ``BuildEnvironment._write_doc_doctree_cache``: Sphinx (7.3 and later) holds every doctree read in a
  build until it is written; for an edition of thousands of pages that is most of the build's memory
  (2.3 GB → 1.2 GB at 1,000 texts and 2,000 persons, for 6 % more time: the write phase reads them back
  from the pickles of the doctree folder). There is no public way to let go of them.
- ``sphinx.search.js_index``, the serialiser of ``searchindex.js`` and its layout (``docnames``,
  ``terms``, ``indexentries``…): :mod:`edition.publish.searchindex` rewrites the index so that an incremental
  build gives the same file as a clean one.
"""

from __future__ import annotations

from typing import Any

from sphinx.environment import BuildEnvironment
from sphinx.search import js_index

#: the attribute of the environment holding the doctrees read in this build until they are written
DOCTREE_CACHE = "_write_doc_doctree_cache"


def release_doctrees(env: BuildEnvironment) -> None:
    """Let go of the doctrees the environment keeps from reading until writing (Sphinx reads them again)."""
    cache = getattr(env, DOCTREE_CACHE, None)
    if cache:
        cache.clear()


def load_search_index(text: str) -> dict[str, Any]:
    """The data of a ``searchindex.js`` (``ValueError`` if it is not one)."""
    return js_index.loads(text)


def dump_search_index(data: dict[str, Any]) -> str:
    """``searchindex.js`` for ``data``, written as Sphinx writes it."""
    return js_index.dumps(data)
