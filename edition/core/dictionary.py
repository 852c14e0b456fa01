"""Dictionaries (TEI Guidelines, chapter 9): what rendering an entry needs to know of it.

An entry (``entry``, ``entryFree``, ``superEntry``, a related entry ``re``) is a block with an anchor, its
headword prominent; its senses (``sense``, and ``hom`` for homographs within an entry) are numbered; its
parts (``form``, ``gramGrp``, ``usg``, ``def``, ``cit``, ``xr``…) are read one after the other, with a
separator where the source has nothing but spaces between them. The rules of the processing model say
which element is which (:data:`edition.core.model.DEFAULT_RULES`); the functions here are what
:class:`edition.core.render.TextRenderer` asks of an entry: its headword, the label of a sense, an
anchor made from the headword, where two parts join without a separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from . import markup
from .blocks import Block, Group, Inline, Paragraph
from .classes import local_name as _local
from .classes import rend_classes
from .markup import Tag
from .model import TRANSLATION_TYPES, Rule
from .xmlparse import TEI_NS, XML_ID, XML_LANG, normalize_space, plain_text, tei

if TYPE_CHECKING:
    from .render import TextRenderer

#: the elements whose orth is not the headword of the entry around them: levels below it (senses, related
#: entries, homographs), examples and translations, cross references, etymologies, usage labels, notes
NOT_HEADWORD = frozenset({"entry", "entryFree", "superEntry", "re", "hom", "sense", "cit", "xr", "etym", "usg",
                          "note", "def"})
#: after these no separator is written (an opening bracket or quotation mark)…
OPENING = frozenset("([{«‹“‘„‚¿¡")
#: … nor before these (punctuation that closes or follows a word)
CLOSING = frozenset(",.;:!?)]}»›”’…")
#: the kinds of usage label (``usg/@type``) the TEI Guidelines list, as a reader is told them
USAGE_TYPES = {
    "geo": "geographic area", "time": "time", "dom": "domain", "reg": "register", "style": "style",
    "plev": "preference level", "acc": "acceptability", "lang": "language", "gram": "grammatical usage",
    "syn": "synonym", "hyper": "hypernym", "colloc": "collocation", "comp": "typical complement",
    "obj": "typical object", "subj": "typical subject", "verb": "typical verb", "hint": "hint",
}
#: how senses are numbered at each depth when their rule says nothing (1, then a, then i)
DEPTH_NUMBERING = ("1", "a", "i")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _orths(scope: etree._Element) -> Iterator[etree._Element]:
    """The ``orth`` elements of ``scope`` that belong to it, not to a level or part below it."""
    for orth in scope.iter(tei("orth")):
        between = orth.iterancestors()
        if not any(_local(a) in NOT_HEADWORD for a in _until(between, scope)):
            yield orth


def _until(ancestors: Iterator[etree._Element], scope: etree._Element) -> Iterator[etree._Element]:
    for ancestor in ancestors:
        if ancestor is scope:
            return
        yield ancestor


def headword(entry: etree._Element) -> etree._Element | None:
    """What an entry is headed by: the ``orth`` of its ``form type="lemma"``, else of its first ``form`` (or
    that form itself, when it has words and no ``orth``: ``<form>Kamlot</form>, <orth type="infl">u</orth>``),
    else its own first ``orth`` (an ``entryFree`` may have no ``form``); None when it has none."""
    forms = [child for child in entry if child.tag == tei("form")]
    form = next((f for f in forms if f.get("type") == "lemma"), forms[0] if forms else None)
    if form is not None:
        found = next(_orths(form), None)
        if found is not None or plain_text(form):
            return form if found is None else found
    return next(_orths(entry), None)


def headword_text(entry: etree._Element) -> str:
    """The headword of an entry as plain text (of the first entry inside a ``superEntry`` without a form)."""
    found = headword(entry)
    if found is None and _local(entry) == "superEntry":
        found = next((headword(child) for child in entry.iter(tei("entry"))), None)
    return plain_text(found) if found is not None else ""


def numeral(number: int, style: str) -> str:
    """``number`` as ``style`` numbers it: ``1`` (1, 2…), ``a``/``A`` (a… z, aa…), ``i``/``I`` (roman)."""
    if style in ("a", "A"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "A" else letters
    if style in ("i", "I"):
        roman = ""
        for value, letters in _ROMAN:
            count, number = divmod(number, value)
            roman += letters * count
        return roman.upper() if style == "I" else roman
    return str(number)


def _siblings(element: etree._Element) -> list[etree._Element]:
    parent = element.getparent()
    return [element] if parent is None else [child for child in parent if child.tag == element.tag]


def _numbered(element: etree._Element) -> bool:
    """Whether a sense has a number: its ``@n``, or senses beside it."""
    return bool((element.get("n") or "").strip()) or len(_siblings(element)) > 1


def level_label(element: etree._Element, numbering: str = "") -> str:
    """The label of a sense (or homograph): its ``@n``, else its place among the senses beside it, numbered
    as ``numbering`` says (by default by depth: 1, a, i); empty for a sense alone and without ``@n``."""
    given = normalize_space(element.get("n") or "")
    if not given:
        siblings = _siblings(element)
        if len(siblings) < 2:
            return ""
        depth = sum(1 for above in element.iterancestors(element.tag) if _numbered(above))
        given = numeral(siblings.index(element) + 1, numbering or DEPTH_NUMBERING[depth % len(DEPTH_NUMBERING)])
    return given if given[-1] in ".)]:" else f"{given}."


def homograph_number(entry: etree._Element) -> str:
    """The homograph number of an entry: its ``@n``, else its place among the entries of its ``superEntry``."""
    given = normalize_space(entry.get("n") or "")
    parent = entry.getparent()
    if given or parent is None or _local(parent) != "superEntry":
        return given
    siblings = _siblings(entry)
    return str(siblings.index(entry) + 1) if len(siblings) > 1 else ""


def slug(text: str) -> str:
    """An anchor's name made of a headword: its letters and digits, the rest as ``-`` (``ceebu jën`` →
    ``ceebu-jën``); empty when it has none."""
    return re.sub(r"[\W_]+", "-", text).strip("-")[:60].strip("-")


def joined(before: str, after: str) -> bool:
    """Whether two parts of an entry join without a separator: the first ends with an opening bracket or a
    space, or the second starts with punctuation that follows a word (``,`` ``)``…) or a space."""
    return (not before or before[-1] in OPENING or before[-1].isspace()
            or not after or after[0] in CLOSING or after[0].isspace())


def delimited(text: str) -> bool:
    """Whether a pronunciation is written with its slashes or brackets already (``/sukup/``, ``[sukup]``)."""
    return len(text) > 1 and text[0] in "/[(" and text[-1] in "/])"


def is_tei(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(f"{{{TEI_NS}}}")


def type_classes(element: etree._Element) -> list[str]:
    """``tei-<name>-<type>`` for each word of ``@type`` (``tei-cit-example``, ``tei-form-inflected``)."""
    kind = element.get("type")
    if not kind:
        return []
    name = _local(element)
    return [f"tei-{name}-{token}" for token in dict.fromkeys(kind.split()) if token.isidentifier() or token.isalnum()]


def entry_of(element: etree._Element) -> etree._Element | None:
    """The entry (``entry``, ``entryFree``, ``re``, ``superEntry``) an element is in, or is."""
    for candidate in (element, *element.iterancestors()):
        if _local(candidate) in ENTRIES and is_tei(candidate):
            return candidate
    return None


#: the elements that are entries of a dictionary
ENTRIES = frozenset({"entry", "entryFree", "superEntry", "re"})


@dataclass
class EntryState:
    """The entry being rendered: its headword (made prominent), as text, and its homograph number."""

    headword: etree._Element | None
    text: str
    number: str


@dataclass
class DictionaryState:
    """What rendering the entries of one document keeps: the entries being rendered (innermost last), the
    anchors made for entries (and the last number of each), the languages of the translations and the
    elements by ``xml:id`` (both read when first asked)."""

    entries: list[EntryState] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    languages: set[str] | None = None
    by_id: dict[str, etree._Element] | None = None


#: children of an element, each with its rule (None for comments and processing instructions)
Ruled = list[tuple[etree._Element, Rule | None]]
#: the classes of the labels a paragraph of an entry may begin with (a sense's number, a homograph's)
LABELS = frozenset({"tei-sense-n", "tei-hom-n"})


def _labelled(lead: Inline, label: Tag) -> Inline:
    """``lead`` followed by ``label``, a space between them."""
    return [*lead, " ", label] if lead else [label]


def _labels_only(content: Inline) -> bool:
    """Whether ``content`` is labels alone (see :data:`LABELS`)."""
    return all(item.attrs.get("classes") in LABELS if isinstance(item, Tag) else not item.strip() for item in content)


class DictionaryRenderer:
    """The behaviours of a dictionary (``entry``, ``sense``, ``entry_part``, ``entry_line``), for
    :class:`~edition.core.render.TextRenderer`, which is one."""

    dictionary: DictionaryState

    def _block_entry(self: TextRenderer, element: etree._Element) -> list[Block]:
        return self._entry(element, [])

    def _entry(self: TextRenderer, element: etree._Element, lead: Inline) -> list[Block]:
        """An entry: a block with an anchor, its parts and levels in order (see :meth:`_levels`)."""
        if self._too_deep(element):
            return self.blocks(element)
        found = headword(element)
        number = homograph_number(element) if _local(element) != "superEntry" else ""
        entries = self.dictionary.entries
        around = entries[-1].text if entries else ""
        state = EntryState(found, plain_text(found) if found is not None else around, number)
        name = _local(element)
        group = Group([], [f"tei-{name}", "tei-dict-entry", *type_classes(element), *rend_classes(element)],
                      [self._entry_anchor(element, state)])
        if found is None and number:  # a homograph of a superEntry, which gives the form
            lead = _labelled(lead, Tag("span", number, classes="tei-hom-n"))
        entries.append(state)
        self._depth += 1
        try:
            group.children = self._levels(element, lead)
        finally:
            self._depth -= 1
            entries.pop()
        return [group]

    def _entry_anchor(self: TextRenderer, element: etree._Element, state: EntryState) -> str:
        """The anchor of an entry: its ``xml:id``, else one made of its headword (``entry-abandon-2`` for the
        second homograph), the same at every build as long as the headwords are."""
        if element.get(XML_ID):
            return self._anchor(element, "entry")
        text = state.text or headword_text(element)
        base = "-".join(part for part in ("entry", slug(text), slug(state.number)) if part)
        made, count, taken = base, self.dictionary.counts.get(base, 1), self.dictionary.taken
        while made in taken or made in self._document_ids:
            count += 1
            made = f"{base}-{count}"
        taken.add(made)
        self.dictionary.counts[base] = count
        return made

    def _block_sense(self: TextRenderer, element: etree._Element) -> list[Block]:
        return self._sense(element, [])

    def _sense(self: TextRenderer, element: etree._Element, lead: Inline) -> list[Block]:
        """A sense (or a homograph, ``hom``): numbered (see :func:`level_label`), its parts and levels."""
        if self._too_deep(element):
            return self.blocks(element)
        label = level_label(element, self.model.match(element).param("numbering"))
        name = _local(element)
        group = Group([], [f"tei-{name}", "tei-dict-sense", *type_classes(element), *rend_classes(element)])
        if label:
            group.classes.append("tei-dict-numbered")
            lead = _labelled(lead, Tag("span", label, classes="tei-sense-n"))
        if element.get(XML_ID):
            group.ids.append(self._anchor(element, "sense"))
        self._depth += 1
        try:
            group.children = self._levels(element, lead)
        finally:
            self._depth -= 1
        if not label and not group.ids and group.classes == [f"tei-{name}", "tei-dict-sense"]:
            return group.children  # nothing marks it: its blocks are the entry's (a page of 100,000 entries
            # has as many divs less for docutils to walk)
        return [group] if group.children or group.ids else []

    def _levels(self: TextRenderer, element: etree._Element, lead: Inline) -> list[Block]:
        """The blocks of an entry or a sense: its parts run together in paragraphs, its levels (senses,
        related entries, examples, the etymology…) blocks of their own. ``lead`` (the number of a sense)
        begins the first paragraph; a paragraph followed by a sense without a number (the only one) or with
        nothing but ``lead`` goes on in that sense's first."""
        out: list[Block] = []
        text, run = element.text, []
        name = _local(element)
        for child, rule in self._ruled(element):
            if rule is None or not (rule.block or (rule.behaviour == "inline" and self._is_block(child))):
                run.append((child, rule))
                continue
            content, own = self._run(text, run, lead)
            if content and self._goes_on(child, rule, own or not _labels_only(content)):
                out.extend(self._level(child, rule, content))
            else:
                out.extend([Paragraph(content, [f"tei-{name}-text"])] if content else [])
                out.extend(self._level(child, rule, []))
            text, run, lead = child.tail, [], []
        content, _ = self._run(text, run, lead)
        if content:
            out.append(Paragraph(content, [f"tei-{name}-text"]))
        return out

    def _goes_on(self: TextRenderer, child: etree._Element, rule: Rule, words: bool) -> bool:
        """Whether a paragraph goes on in the level ``child`` (see :meth:`_levels`): one of labels alone
        (``1.`` before ``a.``) in any sense or entry, one with ``words`` in a sense without a number."""
        lang = child.get(XML_LANG)
        if rule.behaviour not in ("sense", "entry") or (lang and lang != self._lang):
            return False
        return not words or (rule.behaviour == "sense" and not level_label(child, rule.param("numbering")))

    def _level(self: TextRenderer, child: etree._Element, rule: Rule, lead: Inline) -> list[Block]:
        if rule.behaviour == "sense":
            return self._block_of(child, rule, lambda element: self._sense(element, lead))
        if rule.behaviour == "entry":
            return self._block_of(child, rule, lambda element: self._entry(element, lead))
        return self._block_of(child, rule)

    def _run(self: TextRenderer, text: str | None, children: Ruled, lead: Inline) -> tuple[Inline, bool]:
        """A paragraph of parts: ``lead``, then ``text`` and ``children``; and whether it has any of its own."""
        if not lead and not children and not (text and text.strip()):
            return [], False
        content = list(lead)
        self._open(self.context_kind)
        self._parts(text, children, content)
        self._close()
        markup.trim(content)
        markup.trim(content, end=True)
        own = markup.has_words(content[len(lead):])
        kept = own or bool(lead) or any(isinstance(item, Tag) for item in content)  # an anchor alone is kept
        return (content if kept else []), own

    def _ruled(self: TextRenderer, element: etree._Element) -> Ruled:
        """The children of ``element``, each with its rule (None for a comment or processing instruction)."""
        return [(child, self.model.match(child) if isinstance(child.tag, str) else None) for child in element]

    def _parts(self: TextRenderer, text: str | None, children: Ruled, target: Inline) -> None:
        """``text``, then each child and its tail, appended to ``target``: where the source has nothing but
        spaces between two parts, the separator of the second's rule goes between them."""
        due = bool(target)  # a separator is due before what comes next (after a lead, or a part)
        previous = ""
        if text and text.strip():
            if due and not joined(markup.edge(target, end=True), text.lstrip()[:1]):
                target.append(" ")
            self._text(text.lstrip() if due else text, target)
            due = False
        for child, rule in children:
            if rule is not None:
                mark = len(target)
                context = self._context()
                if due and context is not None:
                    context.add(" ")
                self.inline(child, target, rule)
                if len(target) > mark and markup.edge(target[mark:]):
                    name = _local(child)
                    if due:
                        self._separate(target, mark, rule, name == previous)
                    due, previous = True, name
            if child.tail and child.tail.strip():
                self._text(child.tail, target)
                due, previous = False, ""

    @staticmethod
    def _separate(target: Inline, mark: int, rule: Rule, repeated: bool) -> None:
        """Put the separator of ``rule`` before the part at ``mark`` (``repeat`` when it is ``repeated``, after
        one of its name), unless punctuation joins them."""
        params = rule.params if rule.behaviour in ("entry_part", "entry_line") else {}
        separator = params.get("before", " ")
        if repeated:
            separator = params.get("repeat", separator)
        before, after = target[:mark], target[mark:]
        markup.trim(before, end=True)
        markup.trim(after)
        if separator and not joined(markup.edge(before, end=True), markup.edge(after)):
            target[:] = [*before, separator, *after]
        else:
            target[:] = [*before, *after]

    def _block_entry_line(self: TextRenderer, element: etree._Element) -> list[Block]:
        """A part of an entry on a line of its own: an etymology, an example, a note."""
        if self._is_block(element):
            return self._block_container(element)
        rule = self.model.match(element)
        paragraph = Paragraph([], [f"tei-{_local(element)}", *type_classes(element), *rend_classes(element),
                                   *([rule.css] if rule.css else [])])
        if element.get(XML_ID):
            paragraph.ids.append(self._anchor(element, "p"))
        self._open(self.context_kind)
        self._parts(element.text, self._ruled(element), paragraph.content)
        self._close()
        markup.trim(paragraph.content)
        markup.trim(paragraph.content, end=True)
        return [paragraph] if markup.has_words(paragraph.content) or paragraph.ids else []

    def _inline_entry_part(self: TextRenderer, element: etree._Element, target: Inline, rule: Rule) -> None:
        """A part of an entry: a span of its parts, classed by its name and type; the headword strong, its
        homograph number after it; a pronunciation between slashes; an empty ``oRef`` as the headword."""
        name = _local(element)
        state = self.dictionary.entries[-1] if self.dictionary.entries else None
        head = state is not None and element is state.headword
        classes = [f"tei-{name}", *type_classes(element), *rend_classes(element), *([rule.css] if rule.css else []),
                   *(["tei-headword"] if head else [])]
        span = Tag("strong" if head else "span")
        self._parts(element.text, self._ruled(element), span.children)
        markup.trim(span.children)
        markup.trim(span.children, end=True)
        if not markup.edge(span.children):
            span.append(*self._stand_in(name))
        if name == "pron" and not delimited(markup.words(span.children)):
            classes.append("tei-slashes")
        span.attrs["classes"] = " ".join(dict.fromkeys(classes))
        self._describe(element, span)
        if element.get(XML_ID):
            span.attrs["id"] = self._anchor(element, "a")
        if span.children or "id" in span.attrs:
            target.append(span)
        if head and state.number:
            target.append(Tag("sup", state.number, classes="tei-hom-n"))

    _inline_entry_line = _inline_entry_part  # an example or a note inside a part: a part

    def _stand_in(self: TextRenderer, name: str) -> Inline:
        """What an empty part shows: the headword for a reference to it (``oRef``), ``~`` for one to its
        pronunciation (``pRef``), else nothing."""
        if name == "oRef":
            return [next((state.text for state in self.dictionary.entries if state.text), "~")]
        return ["~"] if name == "pRef" else []

    def _describe(self: TextRenderer, element: etree._Element, span: Tag) -> None:
        """The kind of a usage label (as a title), and the language of a translation when the dictionary has
        translations in more than one (``data-lang``, which the stylesheet shows)."""
        kind = element.get("type")
        if not kind:
            return
        name = _local(element)
        if name == "usg" and kind in USAGE_TYPES:
            span.attrs["title"] = f"usage: {USAGE_TYPES[kind]}"
        lang = element.get(XML_LANG)
        if lang and name == "cit" and kind in TRANSLATION_TYPES and len(self._translation_languages()) > 1:
            span.attrs["data-lang"] = lang

    def _translation_languages(self: TextRenderer) -> set[str]:
        state = self.dictionary
        if state.languages is None:
            state.languages = {cit.get(XML_LANG) for cit in self.tree.iter(tei("cit"))
                               if cit.get("type") in TRANSLATION_TYPES and cit.get(XML_LANG)}
        return state.languages

    def pointed_headword(self: TextRenderer, ident: str) -> str:
        """The headword of the entry that ``ident`` (an ``xml:id``) is, or is in (with the sense's number when
        it is a sense); empty when it is in none."""
        state = self.dictionary
        if state.by_id is None:
            state.by_id = {element.get(XML_ID): element for element in self.tree.iter()
                           if isinstance(element.tag, str) and element.get(XML_ID)}
        found = state.by_id.get(ident)
        entry = entry_of(found) if found is not None else None
        if found is None or entry is None:
            return ""
        numbered = _local(found) in ("sense", "hom")
        label = level_label(found, self.model.match(found).param("numbering")) if numbered else ""
        return " ".join(part for part in (headword_text(entry), label) if part)
