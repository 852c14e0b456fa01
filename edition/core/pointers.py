"""Pointers of the TEI (``@ref``, ``@target``, ``@corresp``…): one reading of them for the build, the checks
and the export. A pointer is an external URI (``https://…``), a pointer into a TEI file (``persons.xml#lenin``,
``#lenin``), a prefixed pointer its file's ``listPrefixDef`` expands (``psn:lenin``), or a bare token."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import regex
from lxml import etree

from .xmlparse import tei

#: attributes whose values are lists of pointers (TEI ``teidata.pointer``)
POINTER_ATTRIBUTES = ("ref", "target", "source", "corresp", "who", "resp", "sameAs", "prev", "next", "wit", "hand")
#: the only schemes a link may have: no ``javascript:``, ``data:``, ``file:``…
SAFE_SCHEMES = ("http", "https")
#: schemes that run or read something where they are opened: a pointer with one is an error, never a record
#: of another database
ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem", "about", "jar"})
#: ``ident:value`` pointers of a file, from its ``listPrefixDef``: ident -> [(matchPattern, replacementPattern)]
Prefixes = dict[str, list[tuple[str, str]]]


def uri_scheme(token: str) -> str:
    """The scheme of an external URI (lower case, as a browser reads it), or ``""`` for a pointer into a
    file (one letter is a Windows drive, not a scheme)."""
    scheme = urlsplit(token).scheme.lower()
    return scheme if len(scheme) > 1 else ""


def split_pointer(token: str) -> tuple[str, str] | None:
    """The file part (``""``: the same file; %-escapes decoded) and the id of a pointer into a TEI file, or
    ``None`` for an external URI or a bare token (as in ``@key``)."""
    if "#" not in token or uri_scheme(token):
        return None
    file_part, _, ident = token.partition("#")
    return unquote(file_part), ident


def prefix_definitions(root: etree._Element) -> Prefixes:
    """The ``prefixDef``s of a document (``<prefixDef ident="psn" matchPattern="(.+)" replacementPattern=…>``)."""
    found: Prefixes = {}
    for definition in root.iter(tei("prefixDef")):
        ident, match, replacement = (definition.get(a) for a in ("ident", "matchPattern", "replacementPattern"))
        if ident and match is not None and replacement is not None:
            found.setdefault(ident, []).append((match, replacement))
    return found


def expand_prefix(token: str, prefixes: Prefixes) -> tuple[str, str | None]:
    """``psn:lenin`` as the pointer its ``prefixDef`` makes of it (``persons.xml#lenin``).

    The first definition of the prefix whose ``matchPattern`` matches the whole rest of the
    pointer is used; ``$1``… in its ``replacementPattern`` are the pattern's groups.
    """
    prefix, colon, rest = token.partition(":")
    if not colon or prefix not in prefixes:
        return token, None
    if len(rest) > MAX_POINTER:
        return token, f"the pointer is longer than {MAX_POINTER} characters"
    for match_pattern, replacement in prefixes[prefix]:
        try:  # the pattern is the TEI file's: a time limit, so that no pattern can hold the build
            found = regex.fullmatch(match_pattern, rest, timeout=PATTERN_SECONDS)
        except TimeoutError:
            return token, (f"the matchPattern {match_pattern!r} of the prefixDef {prefix!r} took more than "
                           f"{PATTERN_SECONDS} s on {rest!r}; simplify it (nested repetition such as (a+)+)")
        except (regex.error, OverflowError, RecursionError, ValueError) as exc:
            return token, f"the prefixDef {prefix!r} has a matchPattern that is not a regular expression ({exc})"
        if found is not None:
            return _fill(replacement, found), None
    return token, f"{token!r} matches no matchPattern of the prefixDef {prefix!r}"


#: limits on what a ``prefixDef`` of a TEI file may cost: the length of a pointer, the time of one match
MAX_POINTER = 2000
PATTERN_SECONDS = 0.25


@functools.lru_cache(maxsize=16384)  # one entry per (file, pointed-at file): editions of thousands of texts
def pointed_file(base: str, file_part: str) -> str:
    """The absolute path of the file a pointer names, relative to the file ``base`` it is in."""
    return str((Path(base).parent / file_part).resolve()) if file_part else str(Path(base).resolve())


def _fill(replacement: str, found: regex.Match[str]) -> str:
    """``replacementPattern`` with ``$1``… replaced by the groups of the match (``$0``: all of it)."""
    groups = (found.group(0), *found.groups())

    def group(reference: re.Match[str]) -> str:
        number = int(reference.group(1))
        return (groups[number] or "") if number < len(groups) else reference.group(0)

    return re.sub(r"\$(\d)", group, replacement)


def prefixes_from_config(value: object) -> Prefixes:
    """``edition_prefixes`` of ``conf.py`` (``{"iiif": "https://images.example.org/iiif/$1"}``: the whole rest
    of ``iiif:…`` is ``$1``) as prefix definitions, used after a document's own ``listPrefixDef``."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and k.strip()
                                              for k, v in value.items()):
        raise ValueError(f"edition_prefixes: {value!r}: a dict of prefix -> replacement, as "
                         "{\"iiif\": \"https://images.example.org/iiif/$1\"} ($1 is what follows the colon)")
    return {ident.strip(): [("(.+)", replacement)] for ident, replacement in sorted(value.items())}
