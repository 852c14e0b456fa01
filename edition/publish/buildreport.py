"""What ``edition build`` says of a build: its warnings, grouped by kind, and where the site is.

Each warning is printed as Sphinx writes it (``file:line:col: WARNING: message [tei.ref]``), but only the
first :data:`SHOWN` of each kind (all with ``-v``): a corpus of thousands of letters gave 153,807 lines. At the
end come one line for each kind cut short (``… 133 more unresolved references``) and a summary: the count of
each kind and its first places. The kind of a warning is its Sphinx type and subtype: the extension's own
are of type ``tei`` with the kind of problem as the subtype (``tei.ref``, ``tei.date``, ``tei.unreadable``…,
see :data:`KINDS`); Sphinx's ``ref`` warnings are unresolved references too; anything else is "other".

How the report listens, with public names of :mod:`sphinx.util.logging` only: Sphinx writes each warning it
shows (not one that ``suppress_warnings`` names, nor a repeat) to the warning stream it is given, which here
holds the text; the report's handler, on the ``sphinx`` logger after Sphinx's own, then takes that text with
the record's type and subtype. The handler is a ``WarningStreamHandler``, so that while Sphinx holds warnings
back (reading, writing) it holds back this one with its own, in the same order; the warnings of parallel
processes are handled again in the main process, where the report sees them. It starts listening as Sphinx
loads its first extension, when Sphinx has just set up its logging (:class:`ReportingSphinx`), so it also hears
the warnings of reading ``conf.py`` and the registers.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from sphinx.application import Sphinx
from sphinx.util.logging import NAMESPACE, WarningStreamHandler

#: warnings of one kind printed while building (``edition build -v`` prints all)
SHOWN = 20
#: places of each kind in the summary
PLACES = 3
#: the kinds of problem, in the order of the summary: name (the subtype of ``tei`` warnings) -> one, several
KINDS: dict[str, tuple[str, str]] = {
    "unreadable": ("TEI file that cannot be read", "TEI files that cannot be read"),
    "ref": ("unresolved reference", "unresolved references"),
    "date": ("invalid date", "invalid dates"),
    "id": ("duplicate id", "duplicate ids"),
    "unsafe": ("unsafe link or markup", "unsafe links and markup"),
    "markup": ("markup shown simplified", "markup shown simplified"),
    "image": ("page image that cannot be shown", "page images that cannot be shown"),
    "xml": ("problem of reading the TEI", "problems of reading the TEI"),
    "config": ("problem of the configuration", "problems of the configuration"),
    "stub": ("problem of a generated page", "problems of generated pages"),
    "other": ("other warning", "other warnings"),
}
#: the kind of a file that cannot be read: the build fails, with the rest of the site written
UNREADABLE = "unreadable"
_PLACE = re.compile(r"(?P<path>.+?)(?::(?P<line>\d+))?(?::\d+)?:?")


def kind_of(record: logging.LogRecord) -> str:
    """The kind of a warning (a key of :data:`KINDS`) by its Sphinx type and subtype."""
    of_type, subtype = getattr(record, "type", None) or "", getattr(record, "subtype", None) or ""
    if of_type == "tei" and subtype in KINDS:
        return subtype
    return "ref" if of_type == "ref" else "other"  # Sphinx's "ref": a reference of a page that finds nothing


def place_of(record: logging.LogRecord) -> tuple[str, int] | None:
    """The file (relative to the current folder when inside it) and line (0: none) of a warning, if it has a
    place."""
    location = getattr(record, "location", None)
    match = _PLACE.fullmatch(location) if isinstance(location, str) else None
    if match is None:
        return None
    path = match["path"]
    with contextlib.suppress(ValueError):  # another drive
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    return path, int(match["line"] or 0)


def _shown_place(place: tuple[str, int]) -> str:
    path, line = place
    return f"{path}:{line}" if line else path


def counted(count: int, kind: str, more: bool = False) -> str:
    """``1 invalid date``, ``1,204 unresolved references``, ``3 more duplicate ids``."""
    one, several = KINDS[kind]
    return f"{count:,} {'more ' if more else ''}{one if count == 1 else several}"


class _HeldText:
    """The warning stream given to Sphinx: it holds what Sphinx writes until the report takes it."""

    encoding = "utf-8"

    def __init__(self) -> None:
        self.text: list[str] = []

    def write(self, text: str) -> None:
        self.text.append(text)

    def flush(self) -> None:
        """Nothing to flush: the report prints."""

    def take(self) -> str:
        taken, self.text = "".join(self.text), []
        return taken


class _Listener(WarningStreamHandler):
    """The report's handler on the ``sphinx`` logger (see the module's documentation)."""

    def __init__(self, report: BuildReport) -> None:
        super().__init__()
        self.setLevel(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        self.report.take(record)


class _Status:
    """The status stream given to Sphinx: passed on until the build has finished, when ``edition build``
    says how it went instead of Sphinx ("build succeeded", "the HTML pages are in" its working folder)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.encoding = getattr(out, "encoding", "utf-8")
        self.open = True

    def write(self, text: str) -> None:
        if self.open:
            self.out.write(text)

    def flush(self) -> None:
        self.out.flush()


class BuildReport:
    """The warnings of one build: printed to ``out`` up to :data:`SHOWN` of each kind (all if ``show_all``),
    counted by kind with their first places, and summed up by :meth:`summary`."""

    def __init__(self, out: TextIO, show_all: bool = False) -> None:
        self.out = out
        self.show_all = show_all
        self.warnings = _HeldText()
        self._listener = _Listener(self)
        self._status: _Status | None = None
        self.reset()

    def reset(self) -> None:
        """Start the report of a new build (of an application kept for several: the watch mode)."""
        self.counts: Counter[str] = Counter()
        #: the first places of each kind, by file and line (the same whatever order parallel processes finish in)
        self.places: dict[str, list[tuple[str, int]]] = {}
        self._elsewhere: set[str] = set()  # kinds with warnings at other places than those kept (or at none)
        self._summed_up = False
        if self._status is not None:
            self._status.open = True

    @property
    def problems(self) -> int:
        """How many warnings the build gave."""
        return self.counts.total()

    @property
    def unreadable(self) -> int:
        """How many TEI files could not be read."""
        return self.counts[UNREADABLE]

    def status(self, out: TextIO | None) -> _Status | None:
        """The status stream for Sphinx (``None``: quiet), silent once :meth:`finished`."""
        self._status = _Status(out) if out is not None else None
        return self._status

    def finished(self, app: Sphinx, exception: BaseException | None) -> None:
        """``build-finished``, after every other handler: what Sphinx says after it is said by the report."""
        if self._status is not None:
            self._status.open = False

    def listen(self) -> None:
        """Hear the warnings of Sphinx from now on (again after Sphinx set up its logging: it removes handlers)."""
        logger = logging.getLogger(NAMESPACE)
        if self._listener not in logger.handlers:
            logger.addHandler(self._listener)
            self._print_unclaimed()

    @contextlib.contextmanager
    def listening(self) -> Iterator[BuildReport]:
        """Listen while the block runs."""
        try:
            yield self
        finally:
            logging.getLogger(NAMESPACE).removeHandler(self._listener)
            self._print_unclaimed()

    def take(self, record: logging.LogRecord) -> None:
        """A warning: count it, and print what Sphinx wrote of it unless its kind was shown enough."""
        text = self.warnings.take()
        if not text:  # not shown by Sphinx: suppressed (suppress_warnings), or a repeat
            return
        kind = kind_of(record)
        self.counts[kind] += 1
        self._note_place(kind, place_of(record))
        if self.show_all or self.counts[kind] <= SHOWN:
            self.out.write(text)
            self.out.flush()

    def _note_place(self, kind: str, place: tuple[str, int] | None) -> None:
        """Keep the first :data:`PLACES` places of each kind, and whether it has others."""
        places = self.places.setdefault(kind, [])
        if place in places:
            return
        if place is not None:
            bisect.insort(places, place)
        if place is None or len(places) > PLACES:
            del places[PLACES:]
            self._elsewhere.add(kind)

    def _print_unclaimed(self) -> None:
        """Print what Sphinx wrote that no record claimed (before the report listened), counted as other."""
        text = self.warnings.take()
        if text:
            self.counts["other"] += text.count("\n") or 1
            self.out.write(text)

    def summary(self) -> list[str]:
        """The lines after the build: the warnings not shown, by kind, then each kind's count and first places."""
        if self._summed_up or not self.problems:
            return []
        self._summed_up = True
        lines = [f"edition: … {counted(count - SHOWN, kind, more=True)} (edition build -v shows all)"
                 for kind, count in self._in_order() if count > SHOWN and not self.show_all]
        lines.append(f"edition: {self.problems:,} warning{'s' if self.problems != 1 else ''}:")
        for kind, count in self._in_order():
            places = [_shown_place(place) for place in self.places.get(kind, [])]
            more = ", …" if places and kind in self._elsewhere else ""
            lines.append(f"  {counted(count, kind)}{': ' if places else ''}{', '.join(places)}{more}")
        return lines

    def print_summary(self) -> None:
        """Print :meth:`summary` (once)."""
        for line in self.summary():
            print(line, file=self.out)
        self.out.flush()

    def _in_order(self) -> list[tuple[str, int]]:
        return [(kind, self.counts[kind]) for kind in KINDS if self.counts[kind]]


class ReportingSphinx(Sphinx):
    """The Sphinx application with a :class:`BuildReport` listening from the start, and Sphinx's closing words
    left to ``edition build``."""

    def __init__(self, report: BuildReport, *args: Any, status: TextIO | None, **kwargs: Any) -> None:
        self.edition_report = report
        super().__init__(*args, status=report.status(status), warning=report.warnings, **kwargs)
        report.listen()
        self.connect("build-finished", report.finished, priority=1000)

    def setup_extension(self, extname: str) -> None:
        """Sphinx sets up its logging, then loads its extensions: listen from the first."""
        self.edition_report.listen()
        super().setup_extension(extname)
