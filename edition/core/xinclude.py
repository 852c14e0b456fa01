"""Safe XInclude: ``xi:include`` resolved only to files inside the project, else reported.

libxml2's own XInclude processing would follow any path or URL. Here an include is
replaced by the content it points to only when the target is a local file inside the
project directory (``parse="xml"``, optionally with a bare-name ``xpointer``, or
``parse="text"``); anything else is a located error, and the ``xi:fallback`` (if any)
is used instead, so no text is silently lost.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .xmlparse import RESERVED_NS, XI_NS, XML_ID, Problem, XMLError, element_position, parse_file, require_tei

MAX_NESTING = 10
SOURCE_ATTR = f"{{{RESERVED_NS}}}source"  # marks the root of included content with the file it came from


def source_of(element: etree._Element, default: str) -> str:
    """The file an element was read from: ``default`` unless it came in through an include."""
    for candidate in (element, *element.iterancestors()):
        source = candidate.get(SOURCE_ATTR)
        if source:
            return source
    return default


def problem_at(element: etree._Element, path: str, message: str, severity: str = "error",
               kind: str = "xml") -> Problem:
    """A problem (of a kind of :data:`~edition.core.xmlparse.PROBLEM_KINDS`) located at an element of the
    file ``path`` (or of the file it was included from)."""
    source = source_of(element, path)
    return Problem(source, *element_position(element, source), message, severity, kind)


def include_target(include: etree._Element, path: Path, root: Path) -> tuple[Path | None, str | None]:
    """The file an ``xi:include`` of the file ``path`` names, if it is one inside ``root``; else why not."""
    href = include.get("href") or ""
    parts = urlsplit(href)
    if (parts.scheme and len(parts.scheme) > 1) or parts.netloc:
        return None, f"xi:include of {href!r} points to the network; only files inside the project are included"
    if not href:
        return None, "xi:include without @href (includes within the same file are not supported)"
    target = (path.parent / unquote(parts.path)).resolve()
    if not target.is_relative_to(root):
        return None, f"xi:include of {href!r} points outside the project ({root}); copy the file into the project"
    if not target.is_file():
        return None, f"xi:include of {href!r}: no such file"
    return target, None


def _included(include: etree._Element, target: Path, stack: tuple[Path, ...], root: Path,
              problems: list[Problem]) -> list[etree._Element] | str:
    if include.get("parse", "xml") == "text":
        return target.read_bytes().decode(include.get("encoding") or "utf-8", errors="replace")
    tree = parse_file(target, problems)
    _expand(tree, target, root, (*stack, target), problems)
    wanted = include.get("xpointer")
    if wanted:
        found = [e for e in tree.iter() if isinstance(e.tag, str) and e.get(XML_ID) == wanted]
        if not found:
            raise XMLError(Problem(str(target), 1, 1, f"xi:include: no element with xml:id {wanted!r} here"))
        element = found[0]
    else:
        element = tree.getroot()
    element.set(SOURCE_ATTR, str(target))
    return [element]


def _expand(tree: etree._ElementTree, path: Path, root: Path, stack: tuple[Path, ...],
            problems: list[Problem]) -> None:
    for include in list(tree.iter(f"{{{XI_NS}}}include")):
        line, col = element_position(include, str(path))
        try:
            target, error = include_target(include, path, root)
        except (OSError, ValueError) as exc:  # a NUL in the path, a name too long for the file system…
            target, error = None, f"xi:include of {include.get('href')!r}: not a usable file name ({exc})"
        if target in stack:
            error = f"xi:include of {include.get('href')!r} includes itself (a cycle)"
        elif len(stack) > MAX_NESTING:
            error = f"xi:include nested more than {MAX_NESTING} levels deep"
        content: list[etree._Element] | str = []
        if error is None and target is not None:
            try:
                content = _included(include, target, stack, root, problems)
            except XMLError as exc:
                error = f"xi:include of {include.get('href')!r}: {exc.problem}"
            except LookupError:
                error = f"xi:include of {include.get('href')!r}: unknown encoding {include.get('encoding')!r}"
            except OSError as exc:
                error = f"xi:include of {include.get('href')!r}: cannot read it ({exc.strerror})"
        if error is not None:
            problems.append(Problem(str(path), line, col, error))
            fallback = include.find(f"{{{XI_NS}}}fallback")
            content = list(fallback) if fallback is not None else []
            if fallback is not None and fallback.text:
                content = [fallback.text, *content]
        _replace(include, content)


def _replace(include: etree._Element, content: list | str) -> None:
    parent = include.getparent()
    tail = include.tail or ""
    pieces = [content] if isinstance(content, str) else content
    index = parent.index(include)
    parent.remove(include)
    text_before = ""
    for piece in pieces:
        if isinstance(piece, str):
            text_before += piece
    elements = [p for p in pieces if not isinstance(p, str)]
    # text goes where the include stood: onto the previous sibling's tail or the parent's text
    carry = text_before
    if not elements:
        carry += tail
    if carry:
        previous = parent[index - 1] if index > 0 else None
        if previous is not None:
            previous.tail = (previous.tail or "") + carry
        else:
            parent.text = (parent.text or "") + carry
    for offset, element in enumerate(elements):
        parent.insert(index + offset, element)
    if elements:
        elements[-1].tail = (elements[-1].tail or "") + tail


def has_includes(tree: etree._ElementTree) -> bool:
    return next(tree.iter(f"{{{XI_NS}}}include"), None) is not None


def expand_includes(tree: etree._ElementTree, path: Path, root: Path | str, problems: list[Problem]) -> None:
    """Replace the ``xi:include``s of ``tree`` (read from ``path``) in place; see the module docstring."""
    if has_includes(tree):
        _expand(tree, path, Path(root).resolve(), (path.resolve(),), problems)


def load_tei(path: Path | str, root: Path | str, problems: list[Problem]) -> etree._ElementTree:
    """Parse a TEI file safely and resolve its includes; non-fatal problems go to ``problems``.

    Raises :class:`~edition.xmlparse.XMLError` if the file cannot be read as TEI.
    """
    path = Path(path)
    tree = parse_file(path, problems)
    require_tei(tree, str(path))
    expand_includes(tree, path, root, problems)
    return tree
