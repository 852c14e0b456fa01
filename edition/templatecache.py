"""The site's Jinja templates compiled once, not by every build.

Sphinx makes a new Jinja environment in each process, which compiles every template the pages use again:
0.12 s of a one-text rebuild at 500 texts, a twentieth of it. Jinja keeps compiled templates in a bytecode
cache made for this (:class:`jinja2.FileSystemBytecodeCache`), which checks each template's source before
using what it kept and writes it atomically (the processes of ``-j N`` share it). It is kept with the build's
state, beside the doctrees, which readers never see, in a folder named after what else the compiled code
depends on: Jinja's version and how the environment compiles (its extensions, delimiters, escaping).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from sphinx.application import Sphinx

#: the folder of the state (the doctrees) that holds the compiled templates
FOLDER = "edition-templates"


class KeptTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, which a build that cannot write to only does not
    use (compiling again costs time, not the page)."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_by(environment: jinja2.Environment) -> str:
    """What the code Jinja compiles a template to depends on besides the template: a short digest."""
    settings = [jinja2.__version__, sorted(environment.extensions), environment.block_start_string,
                environment.block_end_string, environment.variable_start_string, environment.variable_end_string,
                environment.comment_start_string, environment.comment_end_string, environment.line_statement_prefix,
                environment.line_comment_prefix, environment.trim_blocks, environment.lstrip_blocks,
                environment.newline_sequence, environment.keep_trailing_newline, environment.optimized,
                _named(environment.autoescape), _named(environment.finalize), type(environment).__qualname__,
                getattr(environment, "newstyle_gettext", None), environment.is_async]
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def _named(value: Any) -> object:
    """A setting as the same text in every process (a function by its name, not its address)."""
    return value if isinstance(value, (bool, str)) or value is None else \
        f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def keep_compiled_templates(app: Sphinx) -> None:
    """Give the builder's Jinja environment, if it has one (HTML builders) and no cache of its own, a bytecode
    cache in the state folder."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache is not None:
        return
    folder = Path(app.doctreedir) / FOLDER / compiled_by(environment)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # the build reports what it cannot write; compiling again costs only time
        return
    environment.bytecode_cache = KeptTemplates(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", keep_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
