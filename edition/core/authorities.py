"""Authority files: the web address of an identifier in Wikidata, VIAF, GND, GeoNames, Getty TGN, Pleiades…,
from a register's ``idno`` (by its ``@type``) or from a ``@key`` that names its authority
(``tgn,7021127``, ``pleiades:423025``, ``wikidata:Q42``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

#: authority -> its name and the address of a record (``{}``: the identifier); several names for some
AUTHORITIES = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "wd": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
    "geonames": ("GeoNames", "https://www.geonames.org/{}"),
    "geon": ("GeoNames", "https://www.geonames.org/{}"),
    "wiki": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "tgn": ("Getty TGN", "http://vocab.getty.edu/page/tgn/{}"),
    "pleiades": ("Pleiades", "https://pleiades.stoa.org/places/{}"),
}
#: ``authority:identifier`` or ``authority,identifier`` in a ``@key``
_KEY = re.compile(r"(?P<authority>[A-Za-z]+)\s*[:,]\s*(?P<value>[\w.-]+)")


@dataclass(frozen=True)
class Authority:
    """An authority record for an entry (Wikidata, VIAF, GND… or a plain URI)."""

    label: str
    value: str
    url: str


def authority(name: str, value: str) -> Authority | None:
    """The record ``value`` of the authority ``name`` (``gnd``, ``viaf``…), or ``None`` for one not known."""
    known = AUTHORITIES.get(name.lower())
    if known is None or not value:
        return None
    return Authority(known[0], value, known[1].format(quote(value, safe="")))


def key_authority(key: str) -> Authority | None:
    """The authority record a ``@key`` names (``tgn,7021127``), or ``None`` when it names no known one."""
    found = _KEY.fullmatch(key.strip())
    return authority(found["authority"], found["value"]) if found else None
