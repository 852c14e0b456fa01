"""The layers of the package: the TEI core imports neither Sphinx nor docutils, and importing the package
loads no Sphinx (the extension is loaded by Sphinx through ``edition.setup``)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

BLOCK = "import sys\nfor name in ('sphinx', 'docutils'):\n    sys.modules[name] = None  # importing it now fails\n"


def _runs(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK + code], capture_output=True, text=True, cwd=REPO,
                          check=False)


def test_the_core_imports_neither_sphinx_nor_docutils():
    modules = sorted(p.stem for p in (REPO / "edition" / "core").glob("*.py") if p.stem != "__init__")
    assert {"xmlparse", "xinclude", "pointers", "dates", "kinds", "register", "model", "files"} <= set(modules)
    result = _runs("".join(f"import edition.core.{name}\n" for name in modules))
    assert result.returncode == 0, result.stderr


def test_the_core_reads_a_register_and_applies_the_model_without_sphinx():
    code = (
        "from pathlib import Path\n"
        "from edition.core.register import load_registry\n"
        "from edition.core.model import LIBRARY_MODEL\n"
        "from edition.core.xmlparse import parse_file\n"
        f"registry = load_registry([Path({str(REPO / 'tei' / 'persons.xml')!r})], [], Path({str(REPO)!r}))\n"
        "assert registry.entries['kamenev'].name == 'Lev Kamenev', registry.entries['kamenev']\n"
        f"tree = parse_file({str(REPO / 'tei' / 'stalin-general-secretary.xml')!r})\n"
        "assert LIBRARY_MODEL.match(next(tree.iter('{http://www.tei-c.org/ns/1.0}div'))).behaviour == 'section'\n"
    )
    result = _runs(code)
    assert result.returncode == 0, result.stderr


def test_importing_the_package_loads_no_sphinx():
    result = _runs("import edition\nassert callable(edition.setup)\n")
    assert result.returncode == 0, result.stderr


def test_only_the_domain_reads_its_data():
    """The domain's data is typed records behind accessors: nothing else reads ``domain.data[...]``."""
    import re

    for module in sorted((REPO / "edition").rglob("*.py")):
        if module.name == "domain.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"domain\.data\b|\.data\[\"(entries|texts|mentions|dates|pages|written)\"\]", text), \
            module.name


def test_every_package_of_the_toolkit_is_installed():
    """A wheel holds every folder of ``edition`` (``edition.parts`` was left out of an explicit list)."""
    import tomllib

    include = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    assert include == ["edition*"]
    folders = {p.parent for p in (REPO / "edition").rglob("*.py") if "__pycache__" not in p.parts}
    assert all((folder / "__init__.py").is_file() for folder in folders), folders


def test_the_layers_are_folders():
    """Publishing and checking are packages of their own, above the core and the Sphinx adapter."""
    edition = REPO / "edition"
    assert {p.stem for p in (edition / "publish").glob("*.py")} >= {"export", "citation", "search", "sitebuild"}
    assert {p.stem for p in (edition / "check").glob("*.py")} >= {"validate", "rules"}
    result = _runs("import edition.core.render, edition.core.blocks\n"
                   "assert not any(m.startswith(('sphinx', 'docutils')) for m in sys.modules if sys.modules[m])\n")
    assert result.returncode == 0, result.stderr


def test_the_core_uses_no_other_layer():
    """Nothing in ``edition/core`` imports from the layers above it."""
    import re

    for module in sorted((REPO / "edition" / "core").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*from \.\.|^\s*import edition\.(?!core)|^\s*from edition\.(?!core)", text, re.M), \
            module.name
