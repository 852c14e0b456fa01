"""One hardened XML parser configuration, used for every file the toolkit reads.

No entity expansion, no DTD loading, no network access, no XInclude processing
(see :mod:`edition.xinclude` for the safe, explicit kind): a TEI file can never make
the toolkit read, fetch or expand anything. Files that are too large, too deeply
nested, wrongly encoded or that declare entities are refused with a located message.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .classes import rend_classes as rend_classes  # re-exported: the CSS classes of an element are in classes

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
XI_NS = "http://www.w3.org/2001/XInclude"

#: files larger than this are refused; raise it with the environment variable below
MAX_FILE_MB_ENV = "TEI_EDITION_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 32
MAX_DEPTH = 256  # libxml2's limit without XML_PARSE_HUGE
UTF_NAMES = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "ucs-2", "us-ascii", "ascii"}


def tei(name: str) -> str:
    """Clark notation for a TEI element name: ``tei("p") == "{…tei…}p"``."""
    return f"{{{TEI_NS}}}{name}"


#: the kinds of problem of the TEI, by which a build groups its warnings (:attr:`Problem.kind`)
PROBLEM_KINDS = (
    "unreadable",  # a file that cannot be read at all (not well-formed, refused, missing)
    "xml",  # a problem of reading a file that does not stop it (an xi:include that fails…)
    "ref",  # a pointer that finds no entry
    "date",  # a date value that is not one
    "id",  # an xml:id used twice
    "unsafe",  # a link or markup that would run in the reader's browser
    "markup",  # markup shown in a simpler way than it says (a table span, nesting too deep)
    "image",  # an image of the source that cannot be shown (a missing file, an undeclared prefix, no size)
)


@dataclass(frozen=True)
class Problem:
    """A located problem in a source file, printed as ``path:line:col: message``."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"
    #: one of :data:`PROBLEM_KINDS`, for grouping; not part of what the problem is (two equal problems
    #: found by two readings are one)
    kind: str = field(default="xml", compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, str | int]:
        return {"path": self.path, "line": self.line, "col": self.col, "severity": self.severity,
                "message": self.message}


class XMLError(Exception):
    """A file that cannot be used as XML; carries the located :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _RefuseExternal(etree.Resolver):
    """Answer every request for an external resource (DTD, entity) with nothing."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        collect_ids=False,  # duplicate xml:ids are reported by the checks, with both lines
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        recover=False,
    )
    parser.resolvers.add(_RefuseExternal())
    return parser


def max_file_bytes() -> int:
    """The size limit for one XML file (``$TEI_EDITION_MAX_FILE_MB``, default 32 MB)."""
    try:
        megabytes = float(os.environ.get(MAX_FILE_MB_ENV, DEFAULT_MAX_FILE_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_FILE_MB
    return int(megabytes * 1024 * 1024)


def _syntax_message(message: str, data: bytes) -> str:
    """libxml2's message, shortened, with advice for the common cases."""
    message = message.split(", line ")[0]
    if message.startswith("Excessive depth"):
        return (f"elements are nested more than {MAX_DEPTH} levels deep; the file is refused "
                "(flatten the markup)")
    if "Invalid bytes in character encoding" in message or "not proper UTF-8" in message:
        return ("the file is not valid UTF-8 (it may be Latin-1 or Windows-1252): save it as UTF-8, or declare "
                'its encoding, e.g. <?xml version="1.0" encoding="ISO-8859-1"?>')
    if message.startswith("Unsupported encoding"):
        return f"{message}: declare a known encoding (UTF-8 is best)"
    if message.startswith("Entity '") and message.endswith("not defined"):
        return (f"not well-formed XML: {message}; write the character itself (TEI files use UTF-8), "
                "or &amp; for a literal ampersand")
    if message.startswith("Premature end of data"):
        return f"not well-formed XML: {message} (the file may be truncated)"
    return f"not well-formed XML: {message}"


def _line_of(data: bytes, marker: bytes) -> int:
    index = data.find(marker)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 1


GENERAL_ENTITY = re.compile(rb"<!ENTITY\s+([^\s%>][^\s>]*)")
PARAMETER_ENTITY = re.compile(rb"<!ENTITY\s+%\s+([^\s>]+)")
PARAMETER_REFERENCE = re.compile(rb"%[A-Za-z_][\w.-]*;")
SUBSET_END = re.compile(rb"\]\s*>")
#: what may hold ``<!DOCTYPE`` or ``<!ENTITY`` without declaring anything
_INERT = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_BLANK = re.compile(rb"[^\n]")


def _refuse_entity_declarations(data: bytes, path: str) -> None:
    """Refuse, before parsing, a DOCTYPE whose internal subset could put text into the document.

    General entities (``<!ENTITY name …>``) and references to parameter entities (``%name;``,
    which may declare general ones) are refused; inert parameter-entity declarations, as in old
    TEI DTD customisations (``<!ENTITY % TEI.core "INCLUDE">``), are allowed.
    """
    if b"<!ENTITY" not in data:
        return
    data = _INERT.sub(lambda m: _BLANK.sub(b" ", m.group()), data)  # comments, CDATA, PIs: same length, no markup
    doctype = data.find(b"<!DOCTYPE")
    if doctype < 0:
        return
    end = SUBSET_END.search(data, doctype)
    subset = data[doctype:end.end() if end else len(data)]
    names = [m.group(1).decode("utf-8", "replace") for m in GENERAL_ENTITY.finditer(subset)]
    references = [m.group(0).decode("utf-8", "replace") for m in PARAMETER_REFERENCE.finditer(subset)]
    if names or references:
        found = ", ".join(names[:5]) + (", …" if len(names) > 5 else "") if names else ", ".join(references[:5])
        raise XMLError(Problem(
            path, _line_of(data, b"<!DOCTYPE"), 1,
            f"the DOCTYPE declares entities ({found}); entities are never expanded, for safety: replace each "
            "reference with the text it stands for and remove the declarations",
        ))


def _check_declarations(tree: etree._ElementTree, data: bytes, path: str) -> list[Problem]:
    """Problems with the DOCTYPE and the encoding declaration of a parsed file."""
    problems = []
    docinfo = tree.docinfo
    if docinfo.system_url:
        problems.append(Problem(
            path, _line_of(data, b"<!DOCTYPE"), 1,
            f"the DOCTYPE points to a DTD ({docinfo.system_url}), which is not loaded; TEI is checked with "
            "RELAX NG, so the DOCTYPE can be removed", "info",
        ))
    declared = (docinfo.encoding or "").lower()
    if declared and declared not in UTF_NAMES and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise XMLError(Problem(
                path, 1, 1,
                f"the file declares encoding {docinfo.encoding!r} but its bytes are UTF-8, so accented letters "
                f'would be misread; change the declaration to encoding="UTF-8"',
            ))
    return problems


def parse_bytes(data: bytes, path: str, warnings: list[Problem] | None = None) -> etree._ElementTree:
    """Parse ``data`` (read from ``path``) with the hardened configuration.

    Raises :class:`XMLError` with the file, line and column of the first problem;
    problems that do not stop the reading (an unused DTD) are added to ``warnings``.
    """
    if not data.strip():
        raise XMLError(Problem(path, 1, 1, "the file is empty; a TEI document starts with <TEI>"))
    limit = max_file_bytes()
    if len(data) > limit:
        raise XMLError(Problem(
            path, 1, 1, f"the file is {len(data) / 1048576:.0f} MB, more than the limit of "
            f"{limit / 1048576:.0f} MB; split it, or raise the limit with {MAX_FILE_MB_ENV}",
        ))
    _refuse_entity_declarations(data, path)
    parser = _parser()
    try:
        tree = etree.fromstring(data, parser, base_url=path).getroottree()
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        message = _syntax_message(exc.msg or "not well-formed XML", data)
        raise XMLError(Problem(path, line or 1, col or 1, message)) from None
    except ValueError as exc:  # e.g. unsupported encoding declarations
        raise XMLError(Problem(path, 1, 1, f"cannot decode the file: {exc}")) from None
    declared = tree.docinfo.internalDTD
    parameters = {m.decode("utf-8", "replace") for m in PARAMETER_ENTITY.findall(data)}
    entities = [e.name for e in declared.iterentities() if e.name not in parameters] if declared is not None else []
    if entities:  # a declaration the scan before parsing missed: refuse all the same
        raise XMLError(Problem(path, _line_of(data, b"<!DOCTYPE"), 1,
                               f"the DOCTYPE declares entities ({', '.join(entities[:5])}); entities are never "
                               "expanded, for safety: replace each reference with the text it stands for and "
                               "remove the declarations"))
    if RESERVED_NS.encode() in data:  # a namespace is only used where it is declared
        _drop_reserved(tree, path, warnings)
    for ident in tree.xpath("//@xml:id[. != normalize-space(.)]"):  # as xml:id processors do (an ID's value)
        ident.getparent().set(XML_ID, normalize_space(ident))
    found = _check_declarations(tree, data, path)
    if warnings is not None:
        warnings.extend(found)
    for entity in tree.iter(etree.Entity):
        raise XMLError(
            Problem(
                path,
                entity.sourceline or 1,
                1,
                f"entity reference {entity.text} is not expanded for safety; "
                "replace it with the character it stands for",
            )
        )
    return tree


#: the toolkit's own namespace (the file an included element came from, the wrappers of the Schematron run)
RESERVED_NS = "urn:tei-edition"


def _drop_reserved(tree: etree._ElementTree, path: str, warnings: list[Problem] | None) -> None:
    """Input may not use the toolkit's own namespace: its attributes are removed, its elements renamed into
    ``urn:tei-edition:input`` (a forged ``ed:source`` would make the build read any file), with a warning."""
    found = tree.xpath("//@*[namespace-uri() = $ns] | //*[namespace-uri() = $ns]", ns=RESERVED_NS)
    for item in found:
        if isinstance(item, etree._Element):
            item.tag = f"{{{RESERVED_NS}:input}}{etree.QName(item).localname}"
        else:
            item.getparent().attrib.pop(item.attrname)
    if found and warnings is not None:
        first = next((i if isinstance(i, etree._Element) else i.getparent()) for i in found)
        warnings.append(Problem(path, first.sourceline or 1, 1,
                                f"the namespace {RESERVED_NS} is the toolkit's own: {len(found)} attribute(s) or "
                                "element(s) in it are ignored; use a namespace of your own"))


def parse_file(path: Path | str, warnings: list[Problem] | None = None) -> etree._ElementTree:
    """Read and parse an XML file; see :func:`parse_bytes`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XMLError(Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror}")) from None
    return parse_bytes(data, str(path), warnings)


def require_tei(tree: etree._ElementTree, path: str) -> etree._Element:
    """Return the root element if it is a TEI document (``TEI`` or ``teiCorpus``)."""
    root = tree.getroot()
    if root.tag in (tei("TEI"), tei("teiCorpus")):
        return root
    qname = etree.QName(root)
    if qname.localname in ("TEI", "teiCorpus"):
        found = f"namespace {qname.namespace!r}" if qname.namespace else "no namespace"
        hint = f'add xmlns="{TEI_NS}" to the root element'
        message = f"<{qname.localname}> is in {found}, not the TEI namespace; {hint}"
    else:
        message = f"the root element is <{qname.localname}>, not a TEI document (<TEI> or <teiCorpus>)"
    raise XMLError(Problem(path, root.sourceline or 1, 1, message))


def normalize_space(text: str) -> str:
    """Collapse runs of XML whitespace into single spaces and strip the ends."""
    return " ".join(text.split())


#: the parts of a personal name: much TEI writes them one after the other with nothing between
#: (``<forename>Till</forename><surname>Grallert</surname>``), which a reader reads as two words
NAME_PARTS = frozenset(tei(name) for name in ("forename", "surname", "roleName", "addName", "genName", "nameLink"))


def runs_into_name_part(element: etree._Element) -> bool:
    """Whether ``element`` is a part of a name followed by another with nothing between them: a space
    belongs there."""
    if element.tag not in NAME_PARTS or element.tail:
        return False
    following = element.getnext()
    return following is not None and following.tag in NAME_PARTS


def plain_text(element: etree._Element) -> str:
    """The element's text with whitespace normalised (all descendants included), a space between the parts
    of a name written together."""
    if not any(runs_into_name_part(part) for part in element.iter(*NAME_PARTS)):
        return normalize_space("".join(element.itertext()))
    return text_without(element)


def text_without(element: etree._Element, leave_out: Callable[[etree._Element], bool] | None = None) -> str:
    """The element's text with whitespace normalised, without the descendants ``leave_out`` says (their tails
    kept), a space between the parts of a name written together."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        out.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and not (leave_out is not None and leave_out(child)):
                walk(child)
            if runs_into_name_part(child):
                out.append(" ")
            out.append(child.tail or "")

    walk(element)
    return normalize_space("".join(out))


@functools.lru_cache(maxsize=16)
def _source_lines(path: str, mtime_ns: int) -> tuple[str, ...]:
    return tuple(Path(path).read_bytes().decode("utf-8", errors="replace").splitlines())


def element_position(element: etree._Element, path: str) -> tuple[int, int]:
    """Line and column of an element's start tag (lxml only knows the line).

    The column is found by looking for the tag's name on its line, counting the
    elements of the same name that start on that line before it.
    """
    line = element.sourceline or 1
    try:
        lines = _source_lines(path, Path(path).stat().st_mtime_ns)
    except OSError:
        return line, 1
    name = f"{element.prefix}:{etree.QName(element).localname}" if element.prefix else etree.QName(element).localname
    pattern = re.compile(rf"<{re.escape(name)}(?=[\s/>]|$)")
    on_its_line = list(pattern.finditer(lines[line - 1])) if 0 < line <= len(lines) else []
    if len(on_its_line) == 1:  # the only one on its line (the same answer as below, without counting)
        return line, on_its_line[0].start() + 1
    scope = next((a for a in element.iterancestors() if (a.sourceline or 0) < line), element.getroottree().getroot())
    before = 0  # elements starting on the same line before this one all lie inside ``scope``
    for other in scope.iter(element.tag):
        if other is element:
            break
        if other.sourceline == line:
            before += 1
    for number in range(line, max(line - 20, 0), -1):  # a start tag may span lines; lxml gives its last
        if number > len(lines):
            continue
        matches = list(pattern.finditer(lines[number - 1]))
        if matches:
            if number == line and before < len(matches):
                return number, matches[before].start() + 1
            return number, matches[-1].start() + 1
    return line, 1


class ElementView:
    """A view of an element restricted to some of its children (a ``div`` without its ``head``): what a
    renderer reads of an element (its tag, text and children), for a part of it."""

    def __init__(self, element: etree._Element, children: list[etree._Element]) -> None:
        self._element = element
        self._children = children
        self.text = element.text
        self.tag = element.tag

    def __iter__(self):
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)
