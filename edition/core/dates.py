"""Dates of the TEI (``@when``, ``@from``/``@to``, ``@notBefore``/``@notAfter`` and their ``-iso`` forms):
where an element gives them, whether a value is valid, how it reads and how it sorts. One reader for the
texts, the registers and the chronology.

Every value of TEI's ``teidata.temporal.w3c`` is read (the XML Schema types ``date``, ``gYear`` with more
than four digits or a minus sign, ``gYearMonth``, ``gMonth``, ``gMonthDay``, ``gDay``, ``time`` and
``dateTime``, each with an optional time zone); the ``-iso`` attributes also take ISO 8601 forms
(weeks, ordinal days, durations…), which are valid and shown as written.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

_ZONE = r"(?P<zone>Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_YEAR = r"(?P<year>-?(?:[1-9]\d{4,}|\d{4}))"
_TIME = r"(?P<time>(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
#: the W3C forms, most precise first
_FORMS = {
    "dateTime": re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)T{_TIME}{_ZONE}"),
    "date": re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d){_ZONE}"),
    "gYearMonth": re.compile(rf"{_YEAR}-(?P<month>\d\d){_ZONE}"),
    "gYear": re.compile(rf"{_YEAR}{_ZONE}"),
    "gMonthDay": re.compile(rf"--(?P<month>\d\d)-(?P<day>\d\d){_ZONE}"),
    "gMonth": re.compile(rf"--(?P<month>\d\d){_ZONE}"),
    "gDay": re.compile(rf"---(?P<day>\d\d){_ZONE}"),
    "time": re.compile(rf"{_TIME}{_ZONE}"),
}
#: what ``teidata.temporal.iso`` allows beyond the W3C forms (ISO 8601 weeks, ordinal days, durations…)
_ISO_TOKEN = re.compile(r"[0-9.,DHMPRSTWYZ/:+\-]+")
#: the attributes that hold a date
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter", "when-iso", "from-iso", "to-iso", "notBefore-iso",
                   "notAfter-iso")
#: a W3C value with at least a year (for the registers' life dates)
ISO_DATE = re.compile(r"^-?(?:[1-9]\d{4,}|\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Temporal:
    """A W3C date or time, read: which form, and its parts (``None`` where the form has none)."""

    form: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time: str = ""
    zone: str = ""

    @property
    def has_year(self) -> bool:
        return self.year is not None


@functools.lru_cache(maxsize=1 << 16)  # the chronology sorts, checks and writes every date of the edition
def parse_temporal(value: str) -> Temporal | None:
    """``value`` read as one of the W3C forms TEI allows, or ``None`` when it is none of them (or names a
    day that does not exist: ``1924-02-30``, ``--02-30``). The result is frozen, so it is kept for the next
    call with the same value."""
    for form, pattern in _FORMS.items():
        found = pattern.fullmatch(value)
        if found is None:
            continue
        parts = found.groupdict()
        year = int(parts["year"]) if parts.get("year") else None
        month = int(parts["month"]) if parts.get("month") else None
        day = int(parts["day"]) if parts.get("day") else None
        if month is not None and not 1 <= month <= 12:
            return None
        if day is not None and not 1 <= day <= _days_in(month, year):
            return None
        return Temporal(form, year, month, day, parts.get("time") or "", parts.get("zone") or "")
    return None


def _days_in(month: int | None, year: int | None) -> int:
    """The days of a month (of any year when ``year`` is ``None``: 29 for February); 31 with no month."""
    if month is None:
        return 31
    if month == 2 and year is None:
        return 29
    return calendar.monthrange(2000 if year is None else (abs(year) or 2000) % 400 or 400, month)[1]


def date_range(element: etree._Element) -> tuple[str, str]:
    """The start (``@when``, else ``@from``, else ``@notBefore``, each else its ``-iso`` form) and the end
    (``@to``, else ``@notAfter``) an element gives, as written (``""`` for none)."""
    def first(*names: str) -> str:
        return next((value.strip() for name in names if (value := element.get(name)) and value.strip()), "")

    start = first("when", "when-iso", "from", "from-iso", "notBefore", "notBefore-iso")
    return start, first("to", "to-iso", "notAfter", "notAfter-iso")


def is_valid_iso(value: str, *, iso: bool = False) -> bool:
    """Whether ``value`` is a W3C date or time TEI allows (``1924``, ``1924-01-21``, ``--09-01``,
    ``12:30:00``…): a real day, where it names one. With ``iso`` (an ``-iso`` attribute), ISO 8601 forms
    too."""
    return parse_temporal(value) is not None or (iso and _ISO_TOKEN.fullmatch(value) is not None
                                                 and any(c.isdigit() for c in value))


def readable_date(value: str) -> str:
    """``1924-01-21`` → ``21 January 1924``, ``1922-04`` → ``April 1922``, ``-0044`` → ``44 BCE``,
    ``--09-01`` → ``1 September``, ``---15`` → ``day 15``, ``1924-01-21T10:30:00`` → ``21 January 1924,
    10:30``; a value of no W3C form as written."""
    read = parse_temporal(value)
    if read is None:
        return value
    words = []
    if read.day is not None and read.month is None:
        words.append(f"day {read.day}")
    elif read.day is not None:
        words.append(str(read.day))
    if read.month is not None:
        words.append(MONTHS[read.month - 1])
    if read.year is not None:
        words.append(f"{-read.year} BCE" if read.year < 0 else str(read.year))
    shown = " ".join(words)
    if read.time:
        clock = read.time[:5] if read.time.endswith(":00") else read.time
        shown = f"{shown}, {clock}" if shown else clock
    return shown + (f" ({read.zone})" if read.zone and read.time else "")


def html_datetime(value: str) -> str:
    """The value for HTML's ``datetime`` attribute: the W3C form, except that a day of the year is written
    ``MM-DD``; ``""`` for what HTML cannot say (a month or a day alone, a year before 1, midnight as 24:00,
    a date with a time zone but no time, a value of no W3C form)."""
    read = parse_temporal(value)
    if read is None or read.form in ("gMonth", "gDay") or (read.year is not None and read.year < 1) \
            or read.time.startswith("24") or (read.zone and not read.time):
        return ""
    return value[2:] if read.form == "gMonthDay" else value


def year_of(value: str) -> str:
    """The year of a date as a reader says it (``1924``, ``44 BCE``), ``""`` when it has none."""
    read = parse_temporal(value)
    return "" if read is None or read.year is None else year_label(read.year)


#: the year at the start of an ISO 8601 form that is not a W3C one (``1924-W03``, ``1924-021``, ``1924/1925``)
_ISO_YEAR = re.compile(r"(-?\d{4,})(?=$|[-/W])")


def year_label(year: int) -> str:
    """A year as a reader says it: ``1924``, ``44 BCE``."""
    return f"{-year} BCE" if year < 0 else str(year)


def start_year(value: str) -> int | None:
    """The year a date's place in time is in (as :func:`sort_key` orders it: ``-44`` for 44 BCE), ``None``
    when it has none."""
    read = parse_temporal(value)
    if read is not None:
        return read.year
    found = _ISO_YEAR.match(value)
    return int(found.group(1)) if found else None


#: a date range spanning more years than this counts for its first and last year only
LONGEST_RANGE = 100


class Dated(Protocol):
    """A date of a text: where it starts, and where it ends (``""``: where it starts)."""

    start: str
    end: str


def years_of(dates: Iterable[Dated]) -> tuple[int, ...]:
    """The years dates fall in, in order (every year of a range of at most :data:`LONGEST_RANGE` years): what a
    reader's search of the texts filters by."""
    years: set[int] = set()
    for date in dates:
        ends = [read.year for read in map(parse_temporal, (date.start, date.end or date.start))
                if read is not None and read.year is not None]
        if len(ends) == 2 and 0 <= ends[1] - ends[0] <= LONGEST_RANGE:
            years.update(range(ends[0], ends[1] + 1))
        else:
            years.update(ends)
    return tuple(sorted(years))


def has_year(value: str) -> bool:
    """Whether a date has a year, so that it has a place in time (``--09-01`` and ``12:00:00`` do not)."""
    read = parse_temporal(value)
    return read.has_year if read is not None else _ISO_YEAR.match(value) is not None


def sort_key(value: str) -> tuple:
    """A key that orders dates in time: the earliest year first (BCE before CE), then month, day and time;
    dates without a year after them, by month and day; values of no form with a year last, as written."""
    read = parse_temporal(value)
    if read is None:
        year = _ISO_YEAR.match(value)
        return (0, int(year.group(1)), 0, 0, value) if year else (2, 0, 0, 0, value)
    if read.year is None:
        return (1, 0, read.month or 0, read.day or 0, read.time)
    return (0, read.year, read.month or 0, read.day or 0, read.time)
