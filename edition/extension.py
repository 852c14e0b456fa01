"""The Sphinx extension (``extensions = ["edition"]`` in ``conf.py``): its configuration values, domain,
parser, nodes and event handlers. See :mod:`edition` for the settings."""

from __future__ import annotations

import ast
import contextlib
import difflib
from collections import Counter
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from . import (
    __version__,
    book,
    buildstate,
    parallel_read,
    parallel_write,
    parts,
    reading_view,
    searchpage,
    templatecache,
)
from . import nodes as enodes
from .core.kinds import LIBRARY_KINDS, KindError, kinds_from_config
from .core.model import ModelError, ProcessingModel, rules_from_config
from .core.pointers import prefixes_from_config
from .core.register import KEY_MATCH, file_signature, key_match_from_config
from .domain import EditionDomain, EntryRole
from .parser import EditionParser, report
from .project import edition_of, project_root, read_edition, resolve_paths, unmentioned_from_config
from .publish.citation import add_citation
from .publish.export import CORPUS_NAME, Export, publish_sources, write_corpus
from .publish.facsimiles import image_fingerprints, publish_facsimiles
from .sphinx_compat import forget_page_assets, release_doctrees, release_pickled_doctree
from .stubs import SUFFIX, write_stubs

STATIC = Path(__file__).parent / "static"
logger = logging.getLogger(__name__)


#: the settings of ``conf.py``: name -> default, what a change rebuilds, type
SETTINGS: dict[str, tuple[object, str, type]] = {
    "edition_texts": ([], "env", list),
    "edition_registers": ([], "env", list),
    "edition_root": ("", "env", str),
    "edition_published": ("", "html", str),  # date of this version, for citations
    "edition_model": ([], "env", list),  # the edition's rules of the processing model
    "edition_kinds": ([], "env", list),  # the edition's own kinds of register entry
    "edition_key_match": (list(KEY_MATCH), "env", list),  # what a @key is compared with
    "edition_unmentioned": ("", "env", str),  # "page": entries no text mentions get pages too
    "edition_prefixes": ({}, "env", dict),  # prefixes of pointers (iiif: → a IIIF server), after the TEI's own
    # used by 'edition validate' (the build reports references, ids and dates itself)
    "edition_schema": ("", "", str),
    "edition_rules": ("", "", str),
    # when the teiCorpus export is written: "build" (at the end of Sphinx's build) or "published" (by the watch
    # mode, after the pages are published: see deferred_export)
    "edition_export": (searchpage.WHEN_BUILT, "", str),
}


def _unknown_settings(app: Sphinx, config: Config) -> None:
    """A setting of ``conf.py`` named ``edition_…`` that the toolkit does not have (``edition_text``) is a
    warning with the closest one: Sphinx keeps unknown names silently, and the site would lack what it meant."""
    known = sorted({name for name in SETTINGS if name in config})
    for name, where in _assignments(app).items():
        if name.startswith("edition_") and name not in config:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else f"; the settings are {', '.join(known)}"
            logger.warning("unknown setting %s%s", name, hint, location=where, type="tei", subtype="config")


def _assignments(app: Sphinx) -> dict[str, str]:
    """The names ``conf.py`` assigns, with where (``…/conf.py:LINE``), read without running it again."""
    conf = Path(app.confdir) / "conf.py"
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        for target in node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, f"{conf}:{node.lineno}")
    return found


def _config_inited(app: Sphinx, config: Config) -> None:
    _unknown_settings(app, config)
    try:
        rules_from_config(config.edition_model)  # an unusable rule is an error at start, with the rule shown
        kinds = kinds_from_config(config.edition_kinds)  # so is an unusable kind of entry
        key_match_from_config(config.edition_key_match)
        unmentioned_from_config(config.edition_unmentioned)
        prefixes_from_config(config.edition_prefixes)
    except (ModelError, KindError, ValueError) as exc:
        raise ConfigError(str(exc)) from None
    if config.edition_export not in (searchpage.WHEN_BUILT, searchpage.WHEN_PUBLISHED):
        raise ConfigError(f"edition_export = {config.edition_export!r}: say {searchpage.WHEN_BUILT!r} (the "
                          f"default) or {searchpage.WHEN_PUBLISHED!r}")
    for kind in kinds:
        if kind.name not in LIBRARY_KINDS.by_name:  # an edition's own kind: its role ({event}`bastille`) and index
            app.add_role(kind.name, EntryRole(), override=True)
            parts.register(parts.KindIndex(kind.name), app)
    config.edition_texts = resolve_paths(app.confdir, config.edition_texts)
    config.edition_registers = resolve_paths(app.confdir, config.edition_registers)
    if config.edition_root:
        config.edition_root = resolve_paths(app.confdir, [config.edition_root])[0]
    else:
        config.edition_root = project_root(app.confdir, config.edition_texts + config.edition_registers)
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    # an e-book has no reading view (no scripts run): the viewer and its licence and notice stay out of it
    config.epub_exclude_files = [*config.epub_exclude_files,
                                 *(f"_static/{name}" for name in reading_view.EPUB_EXCLUDED)]
    if not config.html_favicon:  # browsers ask for one; without it every page logs a failed request
        config.html_favicon = str(STATIC / "edition-favicon.svg")


def _existing(app: Sphinx, setting: str) -> list[str]:
    """The files a setting names that exist; each one missing is one warning (a file that cannot be read: the
    build fails) naming the setting and the path, and is left out (no page, no copy), so that the rest of the
    site is built."""
    found = []
    for path in getattr(app.config, setting):
        if Path(path).is_file():
            found.append(path)
        else:
            logger.warning("%s in conf.py names %s, which is not a file; restore it, or remove it from %s",
                           setting, path, setting, type="tei", subtype="unreadable",
                           location=_assignments(app).get(setting, f"{Path(app.confdir) / 'conf.py'}:1"))
    return found


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":  # LaTeX, text, linkcheck…: the running text as nodes
        app.add_post_transform(enodes.RunningTextAsNodes)
    prepare_build(app)


def prepare_build(app: Sphinx) -> None:
    """What each build needs before Sphinx looks for what changed: note that a build is running, read the
    edition (its registers, again only what changed) and write the stubs of its pages. Run at
    ``builder-inited`` for the application's first build; an application kept for further builds (the watch
    mode, :class:`edition.watch.KeptApplication`) runs it before each other ``app.build()``."""
    buildstate.start(app)
    forget_page_assets(app.builder, reading_view.PAGE_ASSETS)  # the last page's of the build before, if any
    domain: EditionDomain = app.env.domains["tei"]  # type: ignore[assignment]
    domain.begin_build()
    config = app.config
    kinds = kinds_from_config(config.edition_kinds)
    domain.add_kinds(kinds)
    texts, registers = (_existing(app, setting) for setting in ("edition_texts", "edition_registers"))
    loaded = read_edition(texts, registers, config.edition_root, Path(app.doctreedir), kinds,
                          key_match_from_config(config.edition_key_match), config.edition_unmentioned, domain.loaded)
    edition = loaded.edition
    domain.edition, domain.loaded = edition, loaded
    domain.model = ProcessingModel(rules_from_config(config.edition_model))
    for problem in edition.registry.problems:
        report(problem)
    names = Counter([t.path.name for t in edition.texts] + [r.name for r in edition.registers])
    for name in sorted(name for name, count in names.items() if count > 1):
        logger.warning("two edition files are both called %s; they would overwrite each other in the site's "
                       "tei/ folder; rename one", name, type="tei", subtype="config")
    if CORPUS_NAME in names:
        logger.warning("an edition file is called %s, like the export of the whole edition, which would take "
                       "its place in the site's tei/ folder; rename it", CORPUS_NAME, type="tei", subtype="config")
    written, domain.stubs = domain.stubs, None  # not trusted until written again (writing them may fail)
    domain.stubs = write_stubs(Path(app.srcdir), edition, written)


def _env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                      removed: set[str]) -> list[str]:
    buildstate.remove_outputs(app, removed)  # a text or entry gone: its page goes too, as in a clean build
    domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
    edition = edition_of(env)
    images = image_fingerprints(domain.pointed_by_texts())
    texts = domain.texts_to_reread({**edition.registry.fingerprints(), **edition.text_fingerprints(), **images})
    if buildstate.must_rewrite_everything(app):  # the build before did not finish: trust nothing it left
        return sorted(env.found_docs)
    return texts


def _release_doctrees(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: let go of the doctrees Sphinx keeps in memory from reading until writing (see
    :mod:`edition.sphinx_compat`: half the memory of a large build)."""
    release_doctrees(app.env)


def _release_pickled_doctree(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved`` (in the main process, also when pages are written in parallel): let go of the
    pickle of the page's doctree, which Sphinx keeps until the build ends (see :mod:`edition.sphinx_compat`)."""
    release_pickled_doctree(app.env, docname)


def _env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.domains["tei"].reading = set(docnames)  # type: ignore[attr-defined]


def _env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Report again the TEI problems of pages this build did not re-read: a warning must not
    disappear just because its file did not change (so a second ``edition build`` reports them too)."""
    domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
    reading = domain.reading
    for problem in domain.problems_of(d for d in domain.pages_with_problems() if d not in reading):
        report(problem)
    return []


def _env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain: EditionDomain = env.domains["tei"]  # type: ignore[assignment]
    edition = edition_of(env)
    files = [(str(path), file_signature(path)) for path in [*(t.path for t in edition.texts), *edition.registers]]
    return parts.outdated(domain, edition, files, app.builder)


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        domain: EditionDomain = app.env.domains["tei"]  # type: ignore[assignment]
        edition = edition_of(app.env)
        outdir = Path(app.outdir)
        publish_sources(edition, outdir, _report_inert)
        if app.config.edition_export == searchpage.WHEN_BUILT:
            write_corpus(edition, outdir, app.config.project, CORPUS_NAME, Path(app.doctreedir))
        publish_facsimiles(domain.facsimiles(), outdir, app.config.html_baseurl, _report_facsimile)


def deferred_export(app: Sphinx) -> Export | None:
    """The ``teiCorpus`` export the build of ``app`` left to be written after its pages are published
    (``edition_export = "published"``: the watch mode), if any."""
    if app.config.edition_export != searchpage.WHEN_PUBLISHED or app.builder.format != "html":
        return None
    return Export(edition_of(app.env), Path(app.outdir), app.config.project, Path(app.doctreedir))


def _no_source_link(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    """``html-page-context``: a generated page's "view source" would open its stub, not the TEI (which the
    page offers under Download): the theme shows no such link there, and Sphinx copies no stub into
    ``_sources/`` (10,801 files no reader could reach at the Escher letters, which every publication looked at);
    the copy an earlier version made goes when the page is written again."""
    if doctree is not None and str(app.env.doc2path(pagename)).endswith(SUFFIX):
        context["show_source"] = False
        copy = context.get("sourcename")
        if copy:
            context["sourcename"] = ""
            with contextlib.suppress(OSError):
                (Path(app.outdir) / "_sources" / copy).unlink(missing_ok=True)


def _report_inert(path: Path, count: int) -> None:
    logger.warning("%s: %d element(s) in the HTML, SVG or MathML namespace or xml-stylesheet instruction(s) "
                   "would run in readers' browsers when the published copy is opened: in the site's tei/ folder "
                   "they are made inert, so the copy is not byte-identical; remove them from the TEI",
                   path, count, type="tei", subtype="unsafe")


def _report_facsimile(message: str) -> None:
    logger.warning(message, type="tei", subtype="image")


def setup(app: Sphinx) -> dict[str, Any]:
    for name, (default, rebuild, kind) in SETTINGS.items():
        app.add_config_value(name, default, rebuild, kind)
    app.add_domain(EditionDomain)
    for kind in LIBRARY_KINDS:  # {person}`lenin`, {place}`moscow` …
        app.add_role(kind.name, EntryRole())
    app.add_source_suffix(SUFFIX, "tei-edition")
    app.add_source_parser(EditionParser)
    for node, html in enodes.HTML_VISITORS.items():
        fallback = enodes.FALLBACK_VISITORS[node]
        app.add_node(node, html=html, latex=fallback, text=fallback, man=fallback, texinfo=fallback)
    parts.setup(app)  # the generated parts of pages: their directives, and filling them in
    book.setup(app)  # the edition as one document: LaTeX, Texinfo, EPUB
    searchpage.setup(app)  # search with Pagefind: the pages marked, the search page, the index
    parallel_write.setup(app)  # -j N: N processes write the pages, the main one holds few of them
    parallel_read.setup(app)  # -j N: the main process merges what the reading processes send, unhindered
    templatecache.setup(app)  # the page templates compiled once, not by every build
    app.add_css_file("edition.css")
    app.add_js_file("edition.js", defer="defer")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-updated", _env_get_updated)
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("env-before-read-docs", _env_before_read_docs)
    app.connect("source-read", _release_doctrees)
    app.connect("doctree-resolved", _release_pickled_doctree, priority=900)
    app.connect("env-updated", _env_updated)
    app.connect("build-finished", _build_finished)
    app.connect("build-finished", buildstate.finish, priority=900)  # after every file is written
    app.connect("html-page-context", add_citation)
    app.connect("html-page-context", _no_source_link)
    app.connect("html-page-context", reading_view.add_facsimile_assets)
    buildstate.install_test_stops(app)
    return {"version": __version__, "env_version": 23, "parallel_read_safe": True, "parallel_write_safe": True}
