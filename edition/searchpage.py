"""Search with Pagefind, in the Sphinx build: Sphinx's own search turned off, every page marked for
Pagefind, the search page, and the index made once the HTML is written (:mod:`edition.publish.search`).

Each page's content is ``data-pagefind-body``, with its title and filters in ``<meta>`` tags: the kind of
page (a text, an entry of each kind, another page), the years of a text's dates and its language. A
correction, regularisation or expansion is read as the page shows it by default (``sic``, ``orig``,
``abbr``), so that the excerpts read as the text; the other reading of each is listed after the text, hidden,
so that it finds the page too. The entry pages list every form the texts and the register give a name.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError, SphinxError
from sphinx.util import logging

from .core.dates import year_label
from .domain import EditionDomain
from .project import edition_of
from .publish.search import Indexed, SearchIndexError, index_site
from .publish.searchparts import PART_PAGES
from .sphinx_compat import turn_off_sphinx_search

logger = logging.getLogger(__name__)

#: the builders whose site is searched with Pagefind (the others keep Sphinx's choice: none has a search)
SEARCHED_BUILDERS = frozenset({"html", "dirhtml"})
#: the kind of a page that is neither a text nor an entry (the home page, the principles, the indexes)
OTHER = "page"
#: the file of the doctree folder holding what the site's search index was made of
STATE = "edition-search-index"
#: the reading form of a choice, as :meth:`edition.core.render.TextRenderer._inline_choice` writes it
_READING = re.compile(r'<span class="tei-choice tei-choice-pair" title="(?:corrected|regularised|expanded): ([^"]*)">')


class SearchError(SphinxError):
    category = "Search index error"


def searched(app: Sphinx) -> bool:
    return app.builder.name in SEARCHED_BUILDERS


def builder_inited(app: Sphinx) -> None:
    if searched(app):
        turn_off_sphinx_search(app.builder)


# -- the pages -----------------------------------------------------------------------------
def facets(domain: EditionDomain, docname: str) -> dict[str, list[str]]:
    """The filters of a page: its kind, and for a text the years of its dates and its language."""
    text = domain.text(docname)
    if text is not None:
        return {"kind": ["text"], "year": [year_label(y) for y in domain.years_searched(docname)],
                "language": [text.language] if text.language else []}
    entries = domain.entries_on_page(docname)
    return {"kind": [entries[0].kind if entries else OTHER]}


def other_readings(body: str) -> str:
    """The reading forms of the corrections (regularisations, expansions) of a page's HTML, hidden: found by
    the search, not in its excerpts of the text."""
    found = [html.unescape(value) for value in _READING.findall(body)]
    if not found:
        return ""
    words = html.escape("; ".join(dict.fromkeys(found)))
    return f'<p class="edition-other-readings" hidden>Also read as: {words}</p>'


def _meta(attribute: str, key: str, value: str) -> str:
    return f'<meta data-pagefind-{attribute}="{key}[content]" content="{html.escape(value)}">\n'


def mark_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: a page's content for Pagefind, with its title and filters; the search page's
    script."""
    if not searched(app):
        return
    if pagename == "search":
        # this page only, through the builder: Sphinx.add_js_file would also register it for every page of the
        # application's next builds (the watch mode keeps one application)
        app.builder.add_js_file("edition-search.js", priority=500, defer="defer")  # type: ignore[attr-defined]
        return
    if doctree is None or "body" not in context:
        return  # the general index, the domain indexes: lists of every page, not searched
    metadata = app.env.metadata.get(pagename, {})
    if "nosearch" in metadata or "no-search" in metadata:  # Sphinx's own way of leaving a page out
        return
    domain: EditionDomain = app.env.domains["tei"]  # type: ignore[assignment]
    body = context["body"]
    context["body"] = f"<div data-pagefind-body>{body}{other_readings(body)}</div>"
    title = html.unescape(re.sub(r"<[^>]*>", "", context.get("title") or ""))
    tags = [_meta("meta", "title", title)] if title else []
    tags += [_meta("filter", key, value) for key, values in facets(domain, pagename).items() for value in values]
    context["metatags"] = context.get("metatags", "") + "".join(tags)


# -- the search page -----------------------------------------------------------------------
def _option(value: str, text: str, singular: str = "") -> str:
    said = f' data-singular="{html.escape(singular)}"' if singular else ""
    return f'<option value="{html.escape(value)}"{said}>{html.escape(text)}</option>'


def _select(name: str, label: str, options: list[tuple[str, str]], singular: dict[str, str] | None = None) -> str:
    """A filter: a labelled choice of one of ``options`` (value, text; ``singular``: a value's word for one)."""
    choices = "".join(_option(value, text, (singular or {}).get(value, "")) for value, text in options)
    return (f'<label class="edition-search-filter">{html.escape(label)} <select name="{name}">'
            f'<option value="">all</option>{choices}</select></label>')


def language_name(code: str, language: str) -> str:
    """The name of the language ``code`` in the edition's ``language`` (``de`` → German), else the code."""
    try:
        from babel import Locale, UnknownLocaleError  # Sphinx's dependency for its translations

        name = Locale.parse(code.replace("-", "_")).get_display_name(language.replace("-", "_") or "en")
    except (ImportError, ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def search_form(app: Sphinx) -> str:
    """The search page's form: the query, and the filters this edition has."""
    domain: EditionDomain = app.env.domains["tei"]  # type: ignore[assignment]
    edition = edition_of(app.env)
    texts = domain.all_texts()
    present = {record.kind for record in domain.all_entries().values()}
    shown = [kind for kind in edition.registry.kinds if kind.name in present]
    kinds = [("text", "Texts")] if texts else []
    kinds += [(kind.name, kind.plural[:1].upper() + kind.plural[1:]) for kind in shown]
    kinds.append((OTHER, "Other pages"))
    singular = {"text": "text", OTHER: "page", **{kind.name: kind.singular for kind in shown}}
    years = sorted({year for docname in texts for year in domain.years_searched(docname)}, reverse=True)
    languages = sorted({text.language for text in texts.values() if text.language})
    filters = [_select("kind", "Kind of page", kinds, singular)]
    if years:
        filters.append(_select("year", "Year", [(year_label(y), year_label(y)) for y in years]))
    if len(languages) > 1:
        filters.append(_select("language", "Language", [(code, language_name(code, app.config.language or "en"))
                                                         for code in languages]))
    return (
        '<section id="search">\n<h1>Search</h1>\n'
        '<form id="edition-search" class="edition-search" method="get" action="" role="search">\n'
        '<p class="edition-search-query"><label for="edition-search-q">Search the edition</label> '
        '<input type="search" id="edition-search-q" name="q" autocomplete="off" spellcheck="false"> '
        '<button type="submit">Search</button></p>\n'
        f'<fieldset class="edition-search-filters"><legend>Only</legend>{"".join(filters)}</fieldset>\n'
        '</form>\n'
        '<p id="edition-search-status" class="edition-search-status" role="status"></p>\n'
        '<ul id="edition-search-results" class="search"></ul>\n'
        '<p><button type="button" id="edition-search-more" class="edition-search-more" hidden>More results'
        '</button></p>\n'
        '<noscript><p>The search needs JavaScript. Every name is also on the index of its kind, every date in '
        'the chronology.</p></noscript>\n</section>\n'
    )


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the search page, in place of Sphinx's."""
    if searched(app):
        yield "search", {"title": "Search", "body": search_form(app),
                         "metatags": '<meta name="robots" content="noindex">\n'}, "page.html"


# -- the index -----------------------------------------------------------------------------
#: ``edition_search_index``: when the site is indexed. ``build``: at the end of Sphinx's build (what
#: ``sphinx-build`` needs); ``published``: by the ``edition`` command once it has published the site, so that
#: the pages are published first (the watch mode then indexes in the background, after the pages reload)
WHEN_BUILT, WHEN_PUBLISHED = "build", "published"


@dataclass(frozen=True)
class Indexing:
    """Indexing a built site for its search: the HTML in ``site``, stemmed in ``language``, with what the index
    there was made of in ``state`` (see :func:`edition.publish.search.index_site`)."""

    site: Path
    language: str | None
    state: Path
    #: the pages of a part of the index (``edition_search_part_pages``)
    part_pages: int = PART_PAGES

    def run(self, cancel: threading.Event | None = None, before_parts: Callable[[], None] | None = None) -> Indexed:
        """Index the site unless its index is up to date; raise :class:`SearchIndexError` if it cannot be
        (``before_parts``: see :func:`~edition.publish.search.index_site`)."""
        return index_site(self.site, self.language, self.state, cancel, self.part_pages, before_parts=before_parts)


def indexing(app: Sphinx) -> Indexing | None:
    """How the site ``app`` builds is indexed (None: a builder without a search)."""
    if not searched(app):
        return None
    return Indexing(Path(app.outdir), app.config.language, Path(app.doctreedir) / STATE,
                    app.config.edition_search_part_pages)


def said(indexed: Indexed) -> str:
    """What the build says of the index."""
    made, count = indexed.parts
    what = ("done" if count <= 1 else f"done: {made} of its {count} parts" if made < count else
            f"done: its {count} parts") if indexed.ran else "not done" if indexed.note else "no page changed"
    return f"{what}; {indexed.note}" if indexed.note else what


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Index the written site with Pagefind (before :func:`edition.buildstate.finish` marks the build done),
    unless the ``edition`` command does it once the site is published."""
    job = indexing(app)
    if exception is not None or job is None or app.config.edition_search_index == WHEN_PUBLISHED:
        return
    logger.info("indexing the site for its search (Pagefind)… ", nonl=True)
    try:
        indexed = job.run()
    except SearchIndexError as exc:
        raise SearchError(str(exc)) from None
    logger.info(said(indexed))


def config_inited(app: Sphinx, config: Config) -> None:
    if config.edition_search_index not in (WHEN_BUILT, WHEN_PUBLISHED):
        raise ConfigError(f"edition_search_index = {config.edition_search_index!r}: say {WHEN_BUILT!r} (the "
                          f"default) or {WHEN_PUBLISHED!r}")
    pages = config.edition_search_part_pages
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise ConfigError(f"edition_search_part_pages = {pages!r}: say how many pages a part of the search "
                          f"index aims at (default {PART_PAGES}; 0: the index in one part)")


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_search_index", WHEN_BUILT, "", str)
    app.add_config_value("edition_search_part_pages", PART_PAGES, "", int)
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("html-page-context", mark_page)
    app.connect("html-collect-pages", collect_pages)
    app.connect("build-finished", build_finished, priority=800)  # after the site's other files
