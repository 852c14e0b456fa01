"""The Sphinx internals the extension relies on (``edition/sphinx_compat.py``): these tests fail loudly
when a Sphinx release changes them, instead of the extension silently losing what they give."""

from __future__ import annotations

import ast
from pathlib import Path

from edition import sphinx_compat

from .conftest import REPO, build_root, edition_overrides

PRIVATE = ("_write_doc_doctree_cache", "_pickled_doctree_cache", "js_index", "_builder_cls", "init_values",
           "_raw_config", "_app")


def test_the_environment_still_holds_doctrees_until_writing(tmp_path: Path):
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides(), build=False)
    held: list[int] = []
    app.connect("env-updated", lambda _app, env: held.append(len(getattr(env, sphinx_compat.DOCTREE_CACHE))))
    app.build()
    assert isinstance(getattr(app.env, sphinx_compat.DOCTREE_CACHE), dict), \
        "Sphinx no longer has BuildEnvironment._write_doc_doctree_cache: see edition/sphinx_compat.py"
    assert held == [1]  # the extension released all but the last page read (Sphinx adds it after source-read)


def test_the_html_builder_still_has_a_switch_for_its_search(tmp_path: Path):
    """``StandaloneHTMLBuilder.search`` still exists and, turned off, Sphinx writes neither its search index nor
    its search page (the search page is the extension's, on Pagefind)."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    assert StandaloneHTMLBuilder.search is True, "see edition/sphinx_compat.py: turn_off_sphinx_search"
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    assert app.builder.search is False
    out = Path(app.outdir)
    assert not (out / "searchindex.js").exists()
    assert 'id="edition-search"' in (out / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" not in (out / "search.html").read_text(encoding="utf-8")


def test_no_other_module_uses_sphinx_internals():
    for module in sorted((REPO / "edition").rglob("*.py")):
        if module.name == "sphinx_compat.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
        strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
        assert not names.intersection(PRIVATE) and not strings.intersection(PRIVATE), module.name


def test_the_html_builders_template_lists_are_its_lists_of_every_pages_assets(tmp_path: Path):
    """``builder.globalcontext['script_files']`` is the list of every page's scripts, which keeps the scripts
    the last page written added for itself (the search page's): a second build of the application would put
    them on every page unless :func:`sphinx_compat.forget_page_assets` takes them off."""
    from edition.extension import prepare_build

    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides())
    scripts = app.builder.globalcontext["script_files"]
    assert scripts is app.builder._js_files, "see edition/sphinx_compat.py: forget_page_assets"
    assert any(str(script.filename).endswith("edition-search.js") for script in scripts)  # the search page's
    prepare_build(app)  # before the next build: taken off
    assert not any(str(script.filename).endswith("edition-search.js") for script in scripts)
    assert any(str(script.filename).endswith("edition.js") for script in scripts)  # every page's stay


def test_the_environment_lets_go_of_each_doctrees_pickle_once_its_page_is_resolved(tmp_path: Path):
    """Sphinx keeps the pickle of every doctree loaded while writing until the build ends (the whole doctree
    folder: 345 MB for 5,000 letters); the extension lets go of each once its page is resolved."""
    app = build_root("test-edition", tmp_path, confoverrides=edition_overrides(), build=False)
    held: list[int] = []
    app.connect("doctree-resolved", lambda _app, _doctree, docname: held.append(
        len(getattr(_app.env, sphinx_compat.PICKLED_DOCTREE_CACHE))), priority=950)
    app.build()
    assert isinstance(getattr(app.env, sphinx_compat.PICKLED_DOCTREE_CACHE), dict), \
        "Sphinx no longer has BuildEnvironment._pickled_doctree_cache: see edition/sphinx_compat.py"
    assert len(held) > 3 and set(held) == {0}
    assert not getattr(app.env, sphinx_compat.PICKLED_DOCTREE_CACHE)
