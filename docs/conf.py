"""Sphinx configuration of the edition "Joseph Stalin: General Secretary"."""

project = "Joseph Stalin: General Secretary"
author = "the tei-edition editors"
copyright = "2026, the tei-edition editors; text of the article: John Simkin, Spartacus Educational"
release = version = "1.0"
edition_published = "2026-11-26"  # the date of this version, in "how to cite" and in the citation metadata
language = "en"

extensions = ["myst_parser", "sphinx_design", "edition"]

# The TEI files are the single source of truth; paths are relative to this file.
edition_texts = ["../tei/stalin-general-secretary.xml"]
edition_registers = ["../tei/persons.xml"]
# checked by `edition validate` (tox -e validate): the edition's TEI customisation and Schematron rules
edition_schema = "../tei/schema/edition.rng"
edition_rules = "../tei/schema/edition.sch"

# This edition's conventions, as rules of the processing model (before the library's; see the README):
# the article's numbered references to its own sources, which the excerpt does not have; a reader's remarks
# written into the transcription; the editors' notes (also left out of the names' forms)
edition_model = [
    {"element": "ref", "predicate": "@type = 'source-citation'", "behaviour": "link",
     "params": {"title": "reference ({n}) of the source"}},
    {"element": "note", "predicate": "@type = 'reader'", "behaviour": "note",
     "params": {"label": "annotation by a reader of the source", "context": "reader"}},
    {"element": "note", "predicate": "@resp = '#editors'", "behaviour": "note", "params": {"role": "editorial"}},
]

exclude_patterns = ["_build", "README.md"]
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_title = project
html_static_path = []
html_last_updated_fmt = None
