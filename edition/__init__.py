"""tei-edition: publish TEI-encoded texts as Sphinx websites.

Add ``"edition"`` to ``extensions`` in ``conf.py`` and list the TEI files::

    edition_texts = ["../tei/letter-1.xml"]
    edition_registers = ["../tei/persons.xml"]

The package is in layers: :mod:`edition.core` reads TEI (files, pointers, registers, dates, the processing
model) without Sphinx; :mod:`edition.extension` and the modules it uses make the Sphinx site; the ``edition``
command (:mod:`edition.cli`) builds, checks and scaffolds projects. Importing this package loads no Sphinx.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx's entry point: the extension itself is in :mod:`edition.extension`."""
    from .extension import setup as setup_extension

    return setup_extension(app)
