"""One hardened XML parser configuration, used for every file the toolkit reads.

No entity expansion, no DTD loading, no network access, no XInclude processing:
a TEI file can never make the toolkit read, fetch or expand anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(name: str) -> str:
    """Clark notation for a TEI element name: ``tei("p") == "{…tei…}p"``."""
    return f"{{{TEI_NS}}}{name}"


@dataclass(frozen=True)
class Problem:
    """A located problem in a source file, printed as ``path:line:col: message``."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


class XMLError(Exception):
    """A file that cannot be used as XML; carries the located :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
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


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse ``data`` (read from ``path``) with the hardened configuration.

    Raises :class:`XMLError` with the file, line and column of the first problem.
    """
    if not data.strip():
        raise XMLError(Problem(path, 1, 1, "the file is empty; a TEI document starts with <TEI>"))
    parser = _parser()
    try:
        tree = etree.fromstring(data, parser, base_url=path).getroottree()
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        message = exc.msg or "not well-formed XML"
        # libxml2 appends the position to some messages; keep them short.
        message = message.split(", line ")[0]
        raise XMLError(Problem(path, line or 1, col or 1, f"not well-formed XML: {message}")) from None
    except ValueError as exc:  # e.g. unsupported encoding declarations
        raise XMLError(Problem(path, 1, 1, f"cannot decode the file: {exc}")) from None
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


def parse_file(path: Path | str) -> etree._ElementTree:
    """Read and parse an XML file; see :func:`parse_bytes`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XMLError(Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror}")) from None
    return parse_bytes(data, str(path))


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


def plain_text(element: etree._Element) -> str:
    """The element's text with whitespace normalised (all descendants included)."""
    return normalize_space("".join(element.itertext()))
