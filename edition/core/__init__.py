"""The TEI core of tei-edition: reading TEI safely (with ``xi:include``), pointers and their prefixes,
registers and their kinds, dates, and the processing model. It imports neither Sphinx nor docutils
(``tests/test_architecture.py`` checks it), so that the checks, the export and other front ends can use it."""
