"""Who wrote a piece of the source, and what is struck through, added or damaged around it.

A ``delSpan``, ``addSpan`` or ``damageSpan`` marks everything from itself to the element its ``@spanTo``
points at, across lines, zones and surfaces; a ``handShift`` changes the hand from there on; an element
with ``@hand`` is in that hand. None of these nest in the markup, so the renderer marks each piece of text
it writes with the classes in force (:attr:`Writing.piece`) instead of nesting elements.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from .kinds import page_name
from .xmlparse import XML_ID, normalize_space, tei

#: styles of the hands other than the main one (``edition-hand-N`` in edition.css), used in turn
HAND_STYLES = 4
#: the longest name of a hand the reading key shows (a description is cut)
NAME_LENGTH = 60
_NAMES = ("persName", "name", "forename", "surname", "label", "term")


def hand_id(pointer: str | None) -> str:
    """The id a ``@hand`` or ``@new`` points at (``#pbs``, ``hands.xml#pbs``): the first, without its file."""
    token = (pointer or "").split()
    return token[0].rpartition("#")[2] if token else ""


def hand_names(root: etree._Element) -> tuple[dict[str, str], str]:
    """The hands the document declares (``handNote`` with an ``xml:id``): id -> the name to show, and the
    main hand (the first of ``scope`` major or sole, else the first declared; ``""`` when none is)."""
    names: dict[str, str] = {}
    main = ""
    for note in root.iter(tei("handNote")):
        ident = (note.get(XML_ID) or "").strip()
        if not ident or ident in names:
            continue
        names[ident] = _name_of(note) or ident
        if not main and note.get("scope") in ("major", "sole"):
            main = ident
    return names, main or next(iter(names), "")


def _name_of(note: etree._Element) -> str:
    named = next((e for e in note.iter() if isinstance(e.tag, str) and etree.QName(e).localname in _NAMES), None)
    text = normalize_space("".join((named if named is not None else note).itertext()))
    text = text or normalize_space(note.get("scribe") or "")
    return text if len(text) <= NAME_LENGTH else text[:NAME_LENGTH].rsplit(" ", 1)[0] + "…"


@dataclass
class Writing:
    """The state a piece of text of the source is written in: the hand, and the spans open around it."""

    #: the declared hands: id -> name
    names: dict[str, str] = field(default_factory=dict)
    #: the main hand, shown plain
    main: str = ""
    #: the hands met, in order: id -> their CSS classes (``""`` for the main hand)
    styles: dict[str, str] = field(default_factory=dict)
    #: the hand since the last ``handShift``
    shifted: str = ""
    #: open spans, in the order opened: the id they end at -> (CSS classes, hand)
    spans: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: hands of the elements around (``@hand``), innermost last
    held: list[str] = field(default_factory=list)
    #: the CSS classes of a piece of text written now (``""``: none)
    piece: str = ""

    def reset(self) -> None:
        """A new part of the document (its ``text``, a ``sourceDoc``): no span open, no hand shifted."""
        self.shifted, self.spans, self.held = "", {}, []
        self._update()

    def use(self, hand: str) -> str:
        """The CSS classes of ``hand`` (a style of its own, given in the order the hands are met)."""
        if hand not in self.styles:
            others = sum(1 for style in self.styles.values() if style)
            self.styles[hand] = "" if hand == self.main else \
                f"tei-hand-{page_name(hand)} edition-hand-{others % HAND_STYLES + 1}"
        return self.styles[hand]

    def name(self, hand: str) -> str:
        return self.names.get(hand, hand)

    def shift(self, hand: str) -> None:
        """A ``handShift``: ``hand`` writes from here on."""
        self.use(hand)
        self.shifted = hand
        self._update()

    @contextlib.contextmanager
    def hold(self, hand: str) -> Iterator[None]:
        """Inside an element written in ``hand`` (its ``@hand``; nothing when empty)."""
        if not hand:
            yield
            return
        self.use(hand)
        self.held.append(hand)
        self._update()
        try:
            yield
        finally:
            self.held.pop()
            self._update()

    def open(self, end: str, classes: str, hand: str = "") -> None:
        """A span from here to the element with the id ``end``, its pieces of text marked ``classes``."""
        if hand:
            self.use(hand)
        self.spans[end] = (classes, hand)
        self._update()

    def reach(self, ident: str) -> None:
        """The element with the id ``ident`` is reached: the spans that end there are closed."""
        if self.spans.pop(ident, None) is not None:
            self._update()

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Render what stands apart (a margin shown beside its line): no span of the text around it."""
        spans, self.spans = self.spans, {}
        self._update()
        try:
            yield
        finally:
            self.spans = spans
            self._update()

    def _update(self) -> None:
        hand = self.held[-1] if self.held else next(
            (hand for _, hand in reversed(self.spans.values()) if hand), self.shifted)
        classes = [classes for classes, _ in self.spans.values()]
        if hand and self.styles.get(hand):
            classes.append(self.styles[hand])
        self.piece = " ".join(dict.fromkeys(" ".join(classes).split()))
