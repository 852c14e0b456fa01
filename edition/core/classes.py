"""The CSS classes of a TEI element: its name, its ``@rend`` and ``@rendition``, its ``@place``."""

from __future__ import annotations

from lxml import etree

#: where an addition stands (``@place``: TEI's suggested values and those of editions) -> how a page places it
PLACES = {
    **dict.fromkeys(("above", "superlinear", "supralinear", "supra", "interlinear", "over", "aboveline"), "above"),
    **dict.fromkeys(("below", "sublinear", "infralinear", "infra", "under", "belowline"), "below"),
    **dict.fromkeys(("inline", "intralinear", "inspace", "online", "overwritten", "overstrike"), "inline"),
    **dict.fromkeys(("margin", "marginal", "left", "right", "top", "bottom", "foot", "head", "opposite", "overleaf",
                     "end"), "margin"),
}


class Attributes(dict):
    """An element's attributes for ``str.format_map``: ``{n}`` is ``@n``, empty when it has none, so that a
    title template never fails."""

    def __init__(self, element: etree._Element) -> None:
        super().__init__((etree.QName(k).localname, v) for k, v in element.attrib.items())

    def __missing__(self, key: str) -> str:
        return ""


def filled(template: str, element: etree._Element) -> str:
    """``template`` with the element's attributes (``{type}``…), its spaces and a dangling ``:`` removed."""
    if "{" not in template:
        return " ".join(template.split())
    try:
        text = template.format_map(Attributes(element))
    except (IndexError, ValueError, AttributeError):  # {0}, an unclosed brace: the template as it is
        text = template
    return " ".join(text.split()).rstrip(":").strip()


def local_name(element: etree._Element) -> str:
    """The local name of an element (``""`` for a comment or processing instruction)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def rend_classes(element: etree._Element) -> list[str]:
    """CSS classes for ``@rend`` words and ``@rendition`` pointers (``#i`` → ``rend-i``, as in DTA texts)."""
    rend, rendition = element.get("rend"), element.get("rendition")
    if not rend and not rendition:
        return []
    tokens = (rend or "").replace(",", " ").split()
    tokens += [pointer.rpartition("#")[2] for pointer in (rendition or "").split()]
    return [f"rend-{token}" for token in dict.fromkeys(tokens) if token.isidentifier() or token.isalnum()]


def placement(element: etree._Element) -> str:
    """Where ``@place`` puts an element: above, below, inline, margin, or ``""`` (not said, or not known)."""
    for token in (element.get("place") or "").lower().split():
        token = token.replace("-", "").replace("_", "")
        place = PLACES.get(token) or ("margin" if "margin" in token else "")
        if place:
            return place
    return ""


def type_classes(prefix: str, element: etree._Element) -> list[str]:
    """``prefix-<token>`` for each token of ``@type`` that is a plain name (``tei-zone-left_margin``)."""
    return [f"{prefix}-{token}" for token in (element.get("type") or "").split()
            if token.replace("-", "_").isidentifier()]
