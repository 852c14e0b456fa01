"""Dates of the TEI (``@when``, ``@from``/``@to``, ``@notBefore``/``@notAfter``): where an element gives
them, whether a value is valid, and how it reads. One reader for the texts, the registers and the key."""

from __future__ import annotations

import datetime
import re

from lxml import etree

ISO_DATE = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_range(element: etree._Element) -> tuple[str, str]:
    """The start (``@when``, else ``@from``, else ``@notBefore``) and the end (``@to``, else ``@notAfter``)
    an element gives, as written (``""`` for none)."""
    start = element.get("when") or element.get("from") or element.get("notBefore") or ""
    return start, element.get("to") or element.get("notAfter") or ""


def is_valid_iso(value: str) -> bool:
    """``1924``, ``1924-01`` or a real calendar day such as ``1924-01-21``."""
    if not ISO_DATE.match(value):
        return False
    if value.count("-") - value.startswith("-") == 2:
        try:
            datetime.date.fromisoformat(value.lstrip("-"))
        except ValueError:
            return False
    return True


def readable_date(iso: str) -> str:
    """``1924-01-21`` → ``21 January 1924``, ``1922-04`` → ``April 1922``, ``-0044`` → ``44 BCE``."""
    bce = iso.startswith("-")
    parts = iso.lstrip("-").split("-")
    year = str(int(parts[0])) + (" BCE" if bce else "") if parts[0].isdecimal() and len(parts[0]) < 10 else iso
    if len(parts) >= 2 and parts[1].isdecimal() and len(parts[1]) < 3 and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1]
        if len(parts) >= 3 and parts[2].isdecimal() and len(parts[2]) < 3:
            return f"{int(parts[2])} {month} {year}"
        return f"{month} {year}"
    return year
