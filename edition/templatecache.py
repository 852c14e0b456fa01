"""The site's Jinja templates compiled once, not by every build.

Sphinx makes a new Jinja environment in each process, which compiles every template the pages use again:
0.12 s of a one-text rebuild at 500 texts, a twentieth of it. Jinja keeps compiled templates in a bytecode
cache made for this (:class:`jinja2.FileSystemBytecodeCache`), which checks each template's source before
using what it kept and writes it atomically (the processes of ``-j N`` share it). It is kept with the build's
state, beside the doctrees, which readers never see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

#: the folder of the state (the doctrees) that holds the compiled templates
FOLDER = "edition-templates"


def keep_compiled_templates(app: Sphinx) -> None:
    """Give the builder's Jinja environment, if it has one (HTML builders) and no cache of its own, a bytecode
    cache in the state folder."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or getattr(environment, "bytecode_cache", True) is not None:
        return
    folder = Path(app.doctreedir) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # the build reports what it cannot write; compiling again costs only time
        return
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", keep_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
