"""Run the edition's ISO Schematron rules (XSLT 1 binding, lxml) over all its files at once.

The files are put into one document, each in an ``ed:file`` wrapper that records its
path, and every pointer of ``@ref``, ``@key``, ``@target`` and ``@resp`` is written in a
normalised form (``tei/persons.xml#lenin``; ``psn:lenin`` expanded by the file's ``prefixDef``)
into an ``ed:`` attribute beside it, so that the rules can compare pointers across files
with XSLT keys. The original attributes and
text are not touched; each failed assertion is mapped back to its file, line and column.
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, isoschematron

from ..core.pointers import POINTER_ATTRIBUTES, expand_prefix, prefix_definitions, split_pointer
from ..core.xmlparse import RESERVED_NS, Problem, element_position, parse_file

ED_NS = RESERVED_NS
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
#: the pointers the rules see normalised (``ed:ref``…): the TEI's pointer attributes, and ``@key``
RULE_POINTERS = ("key", *POINTER_ATTRIBUTES)


@dataclass(frozen=True)
class EditionFile:
    """A parsed file of the edition and the path its problems are reported under."""

    path: Path
    tree: etree._ElementTree


def compile_rules(schematron: Path) -> isoschematron.Schematron:
    """Compile a Schematron file (parsed with the hardened parser)."""
    return isoschematron.Schematron(parse_file(schematron), store_report=True)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def normalise_pointer(token: str, own: str) -> str:
    """``token`` of a pointer attribute in the file ``own`` (root-relative) as ``path#id``.

    External URIs are returned unchanged; bare ids (as in ``@key``) too.
    """
    local = split_pointer(token)
    if local is None:
        return token
    file_part, ident = local
    if not file_part:
        return f"{own}#{ident}"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(own), file_part))
    return f"{joined}#{ident}"


def assemble(files: list[EditionFile], root: Path) -> tuple[etree._Element, dict[int, EditionFile]]:
    """One document holding a copy of every file, pointers normalised; and the wrapper → file map."""
    edition = etree.Element(f"{{{ED_NS}}}edition", nsmap={"ed": ED_NS})
    origin: dict[int, EditionFile] = {}
    for index, item in enumerate(files):
        own = _relative(item.path, root)
        wrapper = etree.SubElement(edition, f"{{{ED_NS}}}file", {f"{{{ED_NS}}}path": own,
                                                                  f"{{{ED_NS}}}index": str(index)})
        content = copy.deepcopy(item.tree.getroot())  # keeps source lines
        prefixes = prefix_definitions(content)
        for element in content.iter():
            if not isinstance(element.tag, str):
                continue
            for name in RULE_POINTERS:
                value = element.get(name)
                if value and name == "key":  # one value, not a list of pointers
                    element.set(f"{{{ED_NS}}}key", " ".join(value.split()))
                elif value:
                    tokens = [normalise_pointer(expand_prefix(t, prefixes)[0], own) for t in value.split()]
                    element.set(f"{{{ED_NS}}}{name}", " ".join(tokens))
        wrapper.append(content)
        origin[index] = item
    return edition, origin


def _located(document: etree._Element, location: str, origin: dict[int, EditionFile]) -> tuple[str, int, int]:
    # the XSLT 1 skeleton locates elements only, so every rule has an element context
    found = document.xpath(location) if location.startswith("/*") else []
    element = found[0] if found and isinstance(found[0], etree._Element) else None
    if element is None:
        return "", 1, 1
    wrapper = next((a for a in element.iterancestors(f"{{{ED_NS}}}file")), None)
    if wrapper is None:
        return "", 1, 1
    item = origin[int(wrapper.get(f"{{{ED_NS}}}index"))]
    original = _original(element, wrapper, item)
    return (str(item.path), *element_position(original, str(item.path)))


def _original(element: etree._Element, wrapper: etree._Element, item: EditionFile) -> etree._Element | None:
    """The element of the file's own tree that ``element`` (in the assembled copy) was copied from."""
    steps = []
    current = element
    while current is not None and current is not wrapper:
        parent = current.getparent()
        steps.append(parent.index(current) if parent is not wrapper else 0)
        current = parent
    original = item.tree.getroot()
    for step in reversed(steps[:-1]):
        original = original[step]
    return original


def check_rules(rules: isoschematron.Schematron, files: list[EditionFile], root: Path) -> list[Problem]:
    """Every failed assertion of ``rules`` over the edition, as located problems."""
    document, origin = assemble(files, root)
    rules.validate(document)
    problems = []
    for failure in rules.validation_report.iter(f"{{{SVRL_NS}}}failed-assert",
                                                 f"{{{SVRL_NS}}}successful-report"):
        path, line, col = _located(document, failure.get("location", ""), origin)
        text = " ".join("".join(failure.find(f"{{{SVRL_NS}}}text").itertext()).split())
        rule = failure.get("id")
        severity = "warning" if failure.get("role") in ("warning", "warn", "info") else "error"
        problems.append(Problem(path or "(edition)", line, col, f"{text} [{rule}]" if rule else text, severity))
    return problems
