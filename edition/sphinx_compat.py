"""Everything the extension takes from Sphinx beyond its public API: four things, each with a test
(``tests/test_sphinx_compat.py``) that fails loudly when a Sphinx release changes them.

- ``BuildEnvironment._write_doc_doctree_cache``: Sphinx (7.3 and later) holds every doctree read in a
  build until it is written; for an edition of thousands of pages that is most of the build's memory
  (2.3 GB → 1.2 GB at 1,000 texts and 2,000 persons, for 6 % more time: the write phase reads them back
  from the pickles of the doctree folder). There is no public way to let go of them.
- ``BuildEnvironment._pickled_doctree_cache``: Sphinx keeps the pickle of every doctree it loads while writing
  (``get_doctree``) until the build ends: the whole doctree folder in memory (345 MB for the Alfred Escher
  letters). Once a page's doctree is resolved its pickle is not needed (a later reader loads it from the
  folder again). There is no public way to let go of it.
- ``StandaloneHTMLBuilder.search``: the switch by which builders without a search (HTML Help, Apple Help)
  make Sphinx write no ``searchindex.js`` and no ``search.html``. The site is searched with Pagefind
  (:mod:`edition.searchpage`): Sphinx's index would be written at every build and loaded by nobody. There is
  no configuration value for it.
- The HTML builder's template context ``script_files`` and ``css_files`` (``builder.globalcontext``) are its
  own lists of the scripts and styles of every page, which a handler of ``html-page-context`` adds to for
  one page: Sphinx takes those off when it starts the next page, so the last page's stay on the list, and a
  second build of the same application (the watch mode keeps one) would put them on every page. There is
  no public way to take them off.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection

from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

#: the attribute of the environment holding the doctrees read in this build until they are written
DOCTREE_CACHE = "_write_doc_doctree_cache"


def release_doctrees(env: BuildEnvironment) -> None:
    """Let go of the doctrees the environment keeps from reading until writing (Sphinx reads them again)."""
    cache = getattr(env, DOCTREE_CACHE, None)
    if cache:
        cache.clear()


#: the attribute of the environment holding the pickle of each doctree loaded while writing
PICKLED_DOCTREE_CACHE = "_pickled_doctree_cache"


def release_pickled_doctree(env: BuildEnvironment, docname: str) -> None:
    """Let go of the pickle of ``docname``'s doctree the environment keeps once it loaded it."""
    cache = getattr(env, PICKLED_DOCTREE_CACHE, None)
    if isinstance(cache, dict):
        cache.pop(docname, None)


def turn_off_sphinx_search(builder: Builder) -> None:
    """Make an HTML builder write neither Sphinx's search index nor its search page."""
    if hasattr(builder, "search"):
        builder.search = False  # type: ignore[attr-defined]


def forget_page_assets(builder: Builder, names: Collection[str]) -> None:
    """Before a further build of an application: take the scripts and styles named (their file names) that
    pages of the build before added for themselves off the HTML builder's lists for every page."""
    context = getattr(builder, "globalcontext", None)  # made when the builder first writes
    if not isinstance(context, dict):
        return
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = [asset for asset in assets
                         if posixpath.basename(str(getattr(asset, "filename", asset))) not in names]
