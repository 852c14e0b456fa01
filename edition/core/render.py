"""Render one TEI text to a neutral result: its blocks, notes, mentions, dates and problems.

The processing model (:mod:`edition.core.model`) says what each element is; the renderer applies it.
The structure (sections, paragraphs, lists, tables, notes) becomes the blocks of
:mod:`edition.core.blocks`; the running text of each block becomes light markup
(:mod:`edition.core.markup`). What a publisher makes of them (docutils nodes for Sphinx:
:mod:`edition.doctree`) is not the renderer's business, and ``edition validate`` reads the problems of
the same result.

Each behaviour of the model has an ``_inline_<behaviour>`` or ``_block_<behaviour>`` method. Any other
element keeps its text and content and is marked with the class ``tei-<name>`` (plus ``rend-<token>``
for each token of ``@rend``), so no text of the source is ever dropped.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from . import markup
from .authorities import key_authority
from .blocks import Block, Cell, Fields, Group, Heading, Inline, ItemList, Language, Note, Paragraph, Section, Table
from .classes import Attributes as _Attributes
from .classes import local_name as _local
from .classes import rend_classes as _rend_classes
from .dates import DATE_ATTRIBUTES, date_range, html_datetime, is_valid_iso, readable_date
from .dictionary import DictionaryRenderer, DictionaryState
from .facsimile import Facsimile, read_facsimile
from .genetic import GeneticRenderer, SpanIndex
from .kinds import page_name
from .languages import declared_language, direction
from .markup import Tag
from .model import CONTENT_BLOCKS, LIBRARY_MODEL, ProcessingModel, Rule
from .pointers import (
    ACTIVE_SCHEMES,
    SAFE_SCHEMES,
    Prefixes,
    expand_prefix,
    pointed_file,
    prefix_definitions,
    uri_scheme,
)
from .register import Registry, entry_link
from .writing import Writing, hand_names
from .xinclude import problem_at
from .xmlparse import (
    TEI_NS,
    XML_ID,
    XML_LANG,
    ElementView,
    Problem,
    normalize_space,
    plain_text,
    runs_into_name_part,
    tei,
    text_without,
)

SNIPPET = 70  # characters of context on each side of a mention or date
#: deeper than this, elements keep their text but get no node of their own (docutils and
#: pickle recurse once per level, and Python's recursion limit would end the build)
MAX_NESTING = 64

#: elements whose content is an editorial addition, not text of the source
EDITORIAL = {"corr", "reg", "expan", "supplied"}
#: bibliographic references: the dates in them say when a work was published, not what happened
BIBLIOGRAPHIC = frozenset({"bibl", "biblStruct", "biblFull"})
#: the entries of lists (``list``, ``listBibl``, ``castList``)
LIST_ITEMS = ("item", "bibl", "biblStruct", "msDesc", "castItem")
#: entries of a register besides those of the edition's kinds of entry (see :attr:`TextRenderer.register_entries`)
REGISTER_ENTRIES = frozenset({"person", "personGrp", "place", "org", "event", "relation"})


@dataclass
class Mention:
    """A name in a text pointing at an entry of a register (or at none: ``entry`` is empty)."""

    entry: str
    anchor: str
    form: str
    before: str = ""
    after: str = ""
    context: str = "text"  # text, note or reader
    kind: str = "person"  # the kind of entry it names (for names not identified)
    quoted: bool = False  # a quotation from the entry (a work), by ``@source``, rather than a name of it

    def __reduce__(self) -> tuple:
        # pickled as the values alone: the environment of a large edition holds 100,000s of them (3.5× faster)
        return (type(self), tuple(vars(self).values()))


@dataclass
class DateMention:
    """A ``date`` with a normalised value."""

    start: str
    end: str
    form: str
    anchor: str
    before: str = ""
    after: str = ""
    context: str = "text"
    supplied: bool = False
    #: for a date the text gives wrongly: the date as it was (``start`` or ``start/end``) and its place, from
    #: the editorial note that points at it (``note/@target``; see :meth:`TextRenderer._note_corrects`)
    corrected: str = ""
    corrected_anchor: str = ""

    __reduce__ = Mention.__reduce__


def corrected_dates(dates: Iterable[DateMention]) -> dict[str, DateMention]:
    """The dates of a text the editors corrected, by the place of the date as it was (a date's row in the
    chronology shows the date as it was of the date at its place)."""
    return {date.corrected_anchor: date for date in dates if date.corrected_anchor}


@dataclass
class _Context:
    """Plain text gathered for one block (a paragraph, a head, a note), for snippets."""

    kind: str
    parts: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[tuple[Mention | DateMention, int, int]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def insert(self, position: int, text: str) -> None:
        """Put ``text`` at ``position`` of what was gathered; the marks after it move along."""
        gathered = "".join(self.parts)
        self.parts = [gathered[:position], text, gathered[position:]]
        self.length += len(text)
        self.marks = [(item, start + len(text) if start >= position else start,
                       end + len(text) if end > position or start >= position else end)
                      for item, start, end in self.marks]


def diplomatic_text(element: etree._Element, model: ProcessingModel = LIBRARY_MODEL) -> str:
    """The element's text as the source has it: without corrections and editorial notes (``role`` of the
    ``note`` rule that applies), nor what a rule leaves out."""
    def editorial(el: etree._Element) -> bool:
        return _local(el) in EDITORIAL or (_local(el) == "note" and model.match(el).param("role") == "editorial")

    if editorial(element):
        return ""
    return text_without(element, lambda el: editorial(el) or model.match(el).behaviour == "omit")


def _clip(text: str, limit: int, *, from_end: bool) -> str:
    """At most ``limit`` characters of ``text`` next to a mention, cut at a word boundary.

    Whitespace touching the mention is kept, so that ``before + form + after`` reads right.
    """
    text = " ".join(text.split(" "))
    if len(text) <= limit:
        return text.lstrip() if from_end else text.rstrip()
    if from_end:
        cut = text[-limit:]
        return "…" + (cut.split(" ", 1)[1] if " " in cut.strip() else cut)
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut) + "…"


#: the widest a table cell may span (``@cols``): more is a mistake, and would cost memory
MAX_COLUMNS = 1000

#: ids the toolkit writes itself on a text page (the notes and their markers): an xml:id may not take them
_OWN_IDS = re.compile(r"(note|noteref)-\d+|text|mentions")


def html_id(ident: str) -> str:
    """The HTML id of an ``xml:id``: itself when it is a plain name, else (quotes, spaces, ``<``… which
    Sphinx writes unescaped into the heading's permalink; or one of the toolkit's own ids) a safe one."""
    return ident if page_name(ident) == ident and not _OWN_IDS.fullmatch(ident) else f"id-{page_name(ident)}"


@dataclass
class Marks:
    """What the rules that fired in a text show, for its reading key: only the marks the text uses."""

    names: bool = False
    dates: bool = False
    numbered_notes: bool = False
    #: kind (``@type``) of the inline notes -> who is responsible for the first (its ``@resp``, then the name
    #: the header gives it: see :func:`render_text`)
    inline_notes: dict[str, str] = field(default_factory=dict)
    choices: bool = False
    page_breaks: bool = False
    milestones: bool = False
    #: marks of a transcription of the source that fired (``mark`` of the rules: deletion, addition…), in order
    transcription: dict[str, None] = field(default_factory=dict)
    #: where the additions stand (above, below, inline, margin), in order
    placements: dict[str, None] = field(default_factory=dict)
    #: the hands that wrote the source, in the order met: id -> (name, CSS classes; ``""`` for the main hand)
    hands: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the surfaces of the source (a ``sourceDoc``), and zones in their margins
    surfaces: bool = False
    margins: bool = False


@contextlib.contextmanager
def _for_a_while(owner: object, name: str, value: object) -> Iterator[None]:
    """``owner.name`` is ``value`` inside the ``with``, and what it was after it."""
    before = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, before)


class TextRenderer(DictionaryRenderer, GeneticRenderer):
    """Render one TEI document (see :func:`render_text`); what it found is in its attributes."""

    def __init__(self, tree: etree._ElementTree, path: str, registry: Registry,
                 model: ProcessingModel = LIBRARY_MODEL, language: str = "") -> None:
        self.tree = tree
        self.path = path
        #: the language of the page around the text (the site's); ``xml:lang`` that differs is marked
        self.language = language
        self._lang = language
        self.registry = registry
        #: the rules: how each element is published
        self.model = model
        #: what the rules that fired in the text show, for its reading key (see :meth:`body`)
        self.marks = Marks()
        #: ``psn:lenin`` pointers: the ``listPrefixDef`` of the document
        self.prefixes = prefix_definitions(tree.getroot())
        #: kinds of entry whose names without a pointer are listed on an index page
        self._indexed = set(registry.indexed_kinds())
        #: the elements that are entries of a register (those of the edition's kinds among them)
        self.register_entries = REGISTER_ENTRIES | {name for kind in registry.kinds for name in kind.elements
                                                    if not kind.parents}
        #: problems of the text (unresolved pointers, invalid dates, duplicate ids…), in document order
        self.problems: list[Problem] = []
        self.mentions: list[Mention] = []
        self.dates: list[DateMention] = []
        self.notes: list[Note] = []
        self._contexts: list[_Context] = []
        self._counters: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        #: the ids written for the document's xml:ids (generated ids keep clear of them)
        self._document_ids: set[str] = set()
        self._depth = 0
        #: every id the names point at, resolved or not: the register entries this text depends on
        self.pointed: set[str] = set()
        #: names with no pointer at all (listed on the index of their kind)
        self.unidentified: list[Mention] = []
        self._targeted: dict[str, list[etree._Element]] = {}  # xml:id -> notes whose @target points there
        self._placed: set[str] = set()  # paths of the notes with @target already rendered
        #: what the running text being rendered is (``text``; ``header``, ``sent``… for the header's parts):
        #: the context of the names and dates in it
        self.context_kind = "text"
        self._note_dates: dict[etree._Element, DateMention] = {}  # the dates of notes that say what they correct
        #: the edition's texts by file name and stem (the header's letters link to them)
        self.texts: Mapping[str, str] = {}
        #: what rendering a dictionary's entries keeps (:mod:`edition.core.dictionary`)
        self.dictionary = DictionaryState()
        #: who writes the source, and what is struck through or added around the text being written
        self.writing = Writing(*hand_names(tree.getroot()))
        self._span_index: SpanIndex | None = None
        #: zones in a margin shown beside a line: zone -> its line, and line -> its zones
        self._beside: dict[etree._Element, etree._Element] = {}
        self._margins_at: dict[etree._Element, list[etree._Element]] = {}
        #: the images of the source and what points at them (:mod:`edition.core.facsimile`), read in :meth:`body`
        self.facs = Facsimile()
        #: the project (local images outside it are not published), and the site's ``_images/`` from the page
        self.project: Path | None = None
        self.image_base = ""

    @property
    def _spans(self) -> SpanIndex:
        """Where the document's spans start and end (read when first asked for)."""
        if self._span_index is None:
            self._span_index = SpanIndex.of(self.tree.getroot())
        return self._span_index

    # -- helpers -----------------------------------------------------------------
    def _in_register(self, element: etree._Element) -> bool:
        """Whether ``element`` is inside an entry of a register (a ``person``, ``place``…)."""
        return any(_local(a) in self.register_entries for a in element.iterancestors())

    def warn(self, message: str, element: etree._Element, kind: str, severity: str = "error") -> None:
        """Note a problem of ``kind`` (:data:`~edition.core.xmlparse.PROBLEM_KINDS`) at ``element`` (its file,
        line and column); ``info`` for what is not a fault."""
        self.problems.append(problem_at(element, self.path, message, severity, kind))

    def _next(self, prefix: str) -> str:
        """A new id ``prefix-N``, not one the document's own ``xml:id``s take."""
        while True:
            self._counters[prefix] = self._counters.get(prefix, 0) + 1
            made = f"{prefix}-{self._counters[prefix]}"
            if made not in self._document_ids:
                return made

    def _anchor(self, element: etree._Element, prefix: str) -> str:
        ident = element.get(XML_ID)
        if ident and ident not in self._ids:
            self._ids[ident] = element.sourceline or 0
            return html_id(ident)
        return self._next(prefix)

    def gathering(self, kind: str) -> contextlib.AbstractContextManager[None]:
        """Render running text of the kind ``kind`` (see :attr:`context_kind`), then as before."""
        return _for_a_while(self, "context_kind", kind)

    @contextlib.contextmanager
    def running_text(self) -> Iterator[None]:
        """Gather the plain text of what is rendered inside as one block, for the snippets of its names."""
        self._open(self.context_kind)
        try:
            yield
        finally:
            self._close()

    def _context(self) -> _Context | None:
        return self._contexts[-1] if self._contexts else None

    def gathered_length(self) -> int:
        """How much plain text the block being rendered has gathered so far (see :meth:`running_text`)."""
        context = self._context()
        return context.length if context is not None else 0

    def add_words(self, text: str) -> None:
        """Add words the edition writes (a colon after a role) to the gathered plain text, at its end."""
        context = self._context()
        if context is not None:
            context.add(text)

    def insert_words(self, position: int, text: str) -> None:
        """Put words the edition writes (a separator between names) into the gathered plain text at
        ``position`` (from :meth:`gathered_length`), so that the snippets read as the page does."""
        context = self._context()
        if context is not None:
            context.insert(position, text)

    def _open(self, kind: str) -> _Context:
        context = _Context(kind)
        self._contexts.append(context)
        return context

    def _close(self) -> None:
        context = self._contexts.pop()
        text = "".join(context.parts)
        for item, start, end in context.marks:
            item.before = _clip(text[:start], SNIPPET, from_end=True)
            item.after = _clip(text[end:], SNIPPET, from_end=False)

    def _text(self, text: str | None, target: Inline) -> None:
        """Add source text, collapsing XML whitespace but keeping word boundaries."""
        if not text:
            return
        collapsed = " ".join(text.split())
        if text[:1].isspace():
            collapsed = " " + collapsed
        if text[-1:].isspace() and collapsed.strip():
            collapsed += " "
        if not collapsed:
            return
        context = self._context()
        if context is not None:
            context.add(collapsed)
        piece = self.writing.piece
        if not piece or not collapsed.strip():
            target.append(collapsed)
            return
        # struck through, added, in another hand… (see edition.core.writing): the words, not the spaces around
        if collapsed[0] == " ":
            target.append(" ")
        target.append(Tag("span", collapsed.strip(), classes=piece))
        if collapsed[-1] == " ":
            target.append(" ")

    def check_ids(self) -> None:
        """Warn about duplicate ``xml:id``s in the document."""
        seen: dict[str, int] = {}
        for element in self.tree.iter():
            ident = element.get(XML_ID) if isinstance(element.tag, str) else None
            if not ident:
                continue
            if ident in seen:
                self.warn(f"duplicate xml:id {ident!r} (first used on line {seen[ident]})", element, "id")
            else:
                seen[ident] = element.sourceline or 1

    # -- document ----------------------------------------------------------------
    def body(self) -> list[Block]:
        """The blocks of the document's text (front, body and back); its notes are in :attr:`notes`."""
        self.check_ids()
        root = self.tree.getroot()
        self.marks = Marks()  # of the text only, not of the header's parts the metadata panel showed
        self._collect_targeted_notes(root)
        self.facs = read_facsimile(root, self.path, self.prefixes, self.project, self._document_ids)
        lang = declared_language(root)
        marked = bool(lang) and (lang != self._lang or direction(lang) == "rtl")  # another, or right to left
        with self._speaking(lang if marked else self._lang):
            result = self._document(root, top=True)
        self.problems.extend(self.facs.problems)
        self.marks.hands = {hand: (self.writing.name(hand), classes) for hand, classes in self.writing.styles.items()}
        return [Language(lang, direction(lang), result)] if marked else result

    def _document(self, root: etree._Element, *, top: bool = False) -> list[Block]:
        """A ``TEI``'s text; for a ``teiCorpus``, each of its documents as a section: its title, what its
        header says, its text (the corpus's own header is the page's)."""
        if root.tag != tei("teiCorpus"):
            text = root.find(tei("text"))
            self.writing.reset()
            blocks = self._in_language(text, self.blocks) if text is not None else []
            return self._with_sources(root, text, blocks)
        out: list[Block] = []
        for member in root:
            if member.tag not in (tei("TEI"), tei("teiCorpus")):
                continue
            from .header import HeaderView, title_of  # the header renders with this renderer

            header = member.find(tei("teiHeader"))
            fields = HeaderView(self, header, self.texts).fields() if header is not None else []
            blocks: list[Block] = [Fields(fields, ["edition-meta-fields", "tei-member-header"])] if fields else []
            blocks += self._in_language(member, lambda m: self._document(m))
            title = title_of(header) or ""
            out.append(Section(self._anchor(member, "document"), [title], blocks, ["tei-document"]) if title
                       else Group(blocks, ["tei-document"]))
        return out

    def _speaking(self, lang: str) -> contextlib.AbstractContextManager[None]:
        """Render in the language ``lang`` (what ``xml:lang`` inside it is compared with), then as before."""
        return _for_a_while(self, "_lang", lang)

    def _collect_targeted_notes(self, root: etree._Element) -> None:
        """Notes that point at a place (``note/@target``, e.g. in ``back``) are shown at that place."""
        ids = {e.get(XML_ID) for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
        self._document_ids = {html_id(ident) for ident in ids}
        for note in root.iter(tei("note")):
            for token in (note.get("target") or "").split():
                if token.startswith("#") and token[1:] in ids:
                    self._targeted.setdefault(token[1:], []).append(note)

    def _notes_pointing_at(self, element: etree._Element, target: Inline) -> None:
        for note in self._targeted.get(element.get(XML_ID) or "", []):
            self._inline(note, target)  # through the model: a rule may leave the note out

    def blocks(self, parent: etree._Element) -> list[Block]:
        """Render the children of a block container; loose text becomes a paragraph."""
        out: list[Block] = []
        run: Inline = []
        run_context: _Context | None = None

        def flush() -> None:
            nonlocal run, run_context
            if run and any(not isinstance(n, str) or n.strip() for n in run):
                out.append(Paragraph(run, ["tei-ab"]))
            if run_context is not None:
                self._close()
            run, run_context = [], None

        def inline_run() -> Inline:
            nonlocal run_context
            if run_context is None:
                run_context = self._open(self.context_kind)
            return run

        if parent.text and parent.text.strip():
            self._text(parent.text, inline_run())
        for child in parent:
            if not isinstance(child.tag, str):
                if child.tail and child.tail.strip():
                    self._text(child.tail, inline_run())
                continue
            self._reach(child)
            behaviour = self.model.match(child)
            if behaviour.behaviour == "omit":
                pass
            elif behaviour.block or (behaviour.behaviour == "inline" and self._is_block(child)):
                flush()
                out.extend(self._block_of(child, behaviour))
            else:
                self.inline(child, inline_run())
            if child.tail and child.tail.strip():
                self._text(child.tail, inline_run())
        flush()
        return out

    def _block_of(self, child: etree._Element, behaviour: Rule,
                  render: Callable[[etree._Element], list[Block]] | None = None) -> list[Block]:
        """The blocks of ``child`` (by its behaviour's method, or ``render``), then the notes pointing at it."""
        handler = render or getattr(self, f"_block_{behaviour.behaviour}", None) or self._block_container
        out = self._in_language(child, handler)
        if child in self.facs.pointing:
            self._facs_block(child, out)
        if child.get(XML_ID) in self._targeted:
            markers: Inline = []
            self._notes_pointing_at(child, markers)
            if markers:
                out.append(Paragraph(markers, ["tei-notes-pointing"]))
        return out

    def _in_language(self, element: etree._Element, render: Callable[[etree._Element], list[Block]]) -> list[Block]:
        """The blocks of ``element``, in a :class:`Language` when its ``xml:lang`` is not the one around it."""
        lang = element.get(XML_LANG)
        if not lang or lang == self._lang:
            return render(element)
        with self._speaking(lang):
            made = render(element)
        return [Language(lang, direction(lang), made)] if made else []

    def _is_block(self, element: etree._Element) -> bool:
        """Whether an element holds blocks of content (paragraphs, verse, sections, …)."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            kind = self.model.match(child).behaviour
            if kind in CONTENT_BLOCKS and (kind != "paragraph" or _local(child) in ("p", "ab")):
                return True
        return False

    # -- blocks ------------------------------------------------------------------
    def _block_container(self, element: etree._Element) -> list[Block]:
        if self._too_deep(element):
            return self.blocks(element)
        group = Group([], [f"tei-{_local(element)}", *_rend_classes(element)])
        if element.get(XML_ID):
            group.ids.append(self._anchor(element, "block"))
        self._depth += 1
        try:
            group.children.extend(self.blocks(element))
        finally:
            self._depth -= 1
        return [group] if group.children else []

    def _block_section(self, element: etree._Element) -> list[Block]:
        head = element.find(tei("head"))
        anchor = self._anchor(element, "section")
        if head is None:
            return [Group(self.blocks(element), ["tei-div"], [anchor])]
        title = self.inline_content(head)
        return [Section(anchor, title, self._blocks_of(element, [c for c in element if c is not head]), ["tei-div"])]

    def _blocks_of(self, element: etree._Element, children: list[etree._Element]) -> list[Block]:
        """:meth:`blocks` over a subset of an element's children (keeping tails)."""
        proxy = ElementView(element, children)
        return self.blocks(proxy)  # type: ignore[arg-type]

    def _block_heading(self, element: etree._Element) -> list[Block]:
        return [Heading(self.inline_content(element), ["tei-head"])]

    def _block_paragraph(self, element: etree._Element) -> list[Block]:
        if self._is_block(element):
            return self._block_container(element)
        paragraph = Paragraph([], [f"tei-{_local(element)}", *_rend_classes(element)])
        if element.get(XML_ID):
            paragraph.ids.append(self._anchor(element, "p"))
        paragraph.content = self.inline_content(element)
        return [paragraph]

    def _block_space(self, element: etree._Element) -> list[Block]:
        if element.get("dim") == "vertical":
            return [Group([], ["tei-space-vertical"])]
        return [Paragraph([Tag("span", " ", classes="tei-space")])]

    # -- verse and drama -------------------------------------------------------------
    def _block_line_group(self, element: etree._Element) -> list[Block]:
        """A stanza (``lg``): its lines, a heading if it has one; nested groups kept."""
        group = Group([], ["tei-lg", *_rend_classes(element)])
        if element.get("type"):
            group.classes.append(f"tei-lg-{element.get('type')}")
        group.children.extend(self.blocks(element))
        return [group]

    def _block_line(self, element: etree._Element) -> list[Block]:
        """A verse line, numbered: its ``@n``, or every fifth line counted in the text."""
        number = element.get("n") or ""
        self._counters["line"] = (int(number) if number.isdecimal() and len(number) < 10
                                  else self._counters.get("line", 0) + 1)
        shown = number or (str(self._counters["line"]) if self._counters["line"] % 5 == 0 else "")
        line = Paragraph([], ["tei-l", *_rend_classes(element)])
        if element.get(XML_ID):
            line.ids.append(self._anchor(element, "l"))
        if shown:
            line.content.append(Tag("span", shown, classes="tei-l-n"))
            line.classes.append("tei-l-numbered")
        line.content.extend(self.inline_content(element))
        return [line]

    def _block_speech(self, element: etree._Element) -> list[Block]:
        """A speech (``sp``): the speaker, then what is said (verse, prose, stage directions)."""
        return [Group(self.blocks(element), ["tei-sp", *(["tei-sp-who"] if element.get("who") else [])])]

    def _block_speaker(self, element: etree._Element) -> list[Block]:
        return [Paragraph(self.inline_content(element), ["tei-speaker"])]

    def _block_stage(self, element: etree._Element) -> list[Block]:
        classes = ["tei-stage", *_rend_classes(element)]
        if element.get("type"):
            classes.append(f"tei-stage-{element.get('type')}")
        return [Paragraph(self.inline_content(element), classes)]

    # -- tables and figures ------------------------------------------------------------
    def _block_table(self, element: etree._Element) -> list[Block]:
        """A table: rows of cells (``@role="label"`` rows become the header); a ``head`` as its title."""
        out: list[Block] = []
        rows = [row for row in element if _local(row) == "row"]
        for child in element:
            if _local(child) == "head":
                out.extend(self._block_heading(child))
            elif isinstance(child.tag, str) and _local(child) != "row":
                out.extend(self.blocks(ElementView(element, [child])))  # type: ignore[arg-type]
        cells_of = [[(cell, self._span(cell)) for cell in row if _local(cell) == "cell"] for row in rows]
        width = max((sum(span for _, span in cells) for cells in cells_of), default=0)
        if not width:
            return out
        table = Table(width, [], [])
        for row, row_cells in zip(rows, cells_of, strict=True):
            target = table.head if row.get("role") == "label" and not table.body else table.body
            target.append([Cell(self.inline_content(cell), span) for cell, span in row_cells])
        out.append(table)
        return out

    def _span(self, cell: etree._Element) -> int:
        """The columns a cell spans (``@cols``): a whole number from 1 to :data:`MAX_COLUMNS`, else 1, warned."""
        value = (cell.get("cols") or "1").strip()
        if value.isdecimal() and len(value) < 6 and 1 <= int(value) <= MAX_COLUMNS:
            return int(value)
        self.warn(f"cols={value!r} is not a number of columns from 1 to {MAX_COLUMNS}; the cell spans one", cell,
                  "markup")
        return 1

    def _block_figure(self, element: etree._Element) -> list[Block]:
        """A figure: its heading and description as text, its image as a link (never fetched on page load)."""
        figure = Group([], ["tei-figure"])
        for child in element:
            name = _local(child)
            if name == "graphic":
                url = child.get("url") or ""
                if urlsplit(url).scheme.lower() in SAFE_SCHEMES:
                    link = Tag("a", "image of the figure", classes="reference external", href=url)
                    figure.children.append(Paragraph([link], ["tei-graphic"]))
                elif url:
                    figure.children.append(Paragraph([f"image: {url}"], ["tei-graphic"]))
            elif name == "head":
                figure.children.extend(self._block_heading(child))
            elif name == "figDesc":
                figure.children.append(Paragraph(self.inline_content(child), ["tei-figDesc"]))
            elif isinstance(child.tag, str):
                figure.children.extend(self.blocks(ElementView(element, [child])))  # type: ignore[arg-type]
        if not figure.children:
            figure.children.append(Paragraph(["[figure]"], ["tei-figure-empty"]))
        return [figure]

    def _block_list(self, element: etree._Element) -> list[Block]:
        return self._list(element, LIST_ITEMS.__contains__, self._list_item)

    def _block_register(self, element: etree._Element) -> list[Block]:
        """A register inside a text: every entry with all its words, persons linked to their pages."""
        return self._list(element, lambda name: name in self.register_entries or name.startswith("list"),
                          self._register_entry, ["tei-register"], keep_empty=False)

    def _register_entry(self, element: etree._Element) -> list[Block]:
        content = self.inline_content(element, "register")
        ident = self.registry.by_file.get((pointed_file(self.path, ""), element.get(XML_ID) or ""), "")
        entry = self.registry.entries.get(ident)
        if entry is not None and self.registry.is_published(ident):
            content += [" ", entry_link(entry, Tag("span", "→ page", classes="tei-register-link"))]
        return [Paragraph(content, [f"tei-{_local(element)}"])]

    def _list_item(self, child: etree._Element) -> list[Block]:
        if self._is_block(child):
            return self.blocks(child)
        # an item with an id (a work of the list of works) is a place links go to
        ids = [self._anchor(child, "item")] if child.get(XML_ID) else []
        return [Paragraph(self.inline_content(child), ids=ids)]

    def _list(self, element: etree._Element, is_item: Callable[[str], bool],
              make_item: Callable[[etree._Element], list[Block]], classes: Sequence[str] = (),
              keep_empty: bool = True) -> list[Block]:
        """A list: its ``head`` as a heading, its items, anything else between them as blocks."""
        out: list[Block] = []
        items = ItemList([], [f"tei-{_local(element)}", *classes])
        for child in element:
            name = _local(child)
            if name == "head":
                out.extend(self._block_heading(child))
            elif is_item(name):
                items.items.append(make_item(child))
            elif isinstance(child.tag, str):
                out.extend(self.blocks(ElementView(element, [child])))  # type: ignore[arg-type]
        if items.items or keep_empty:
            out.append(items)
        return out

    # -- inline ------------------------------------------------------------------
    def inline_content(self, element: etree._Element, kind: str = "") -> Inline:
        """The inline content of ``element`` read as one block of text (a paragraph, a heading, a note…).

        Its plain text is gathered as context ``kind`` for the snippets of the names and dates in it,
        and the whitespace at both ends of the block is trimmed.
        """
        self._open(kind or self.context_kind)
        children = self._inline_nodes(element)
        self._close()
        return self._trimmed(children)

    def _too_deep(self, element: etree._Element) -> bool:
        """Whether ``element`` is nested too deep for a node of its own (warned once per document)."""
        if self._depth < MAX_NESTING:
            return False
        if self._depth == MAX_NESTING and not self._counters.get("too-deep"):
            self._counters["too-deep"] = 1
            self.warn(f"elements nested more than {MAX_NESTING} levels deep are shown as plain text from here on "
                      "(their words are kept)", element, "markup")
        return True

    def inline(self, element: etree._Element, target: Inline, rule: Rule | None = None) -> None:
        """Translate one inline element and append the result to ``target`` (by ``rule``, when its rule is
        known already)."""
        self._reach(element)
        if self._too_deep(element):
            target.extend(self._inline_nodes(element))
            return
        lang = element.get(XML_LANG)
        self._depth += 1
        start = len(target)
        try:
            if lang and lang != self._lang:  # the element's words in its language: lang (and dir) on a span
                inner: Inline = []
                with self._speaking(lang):
                    self._inline(element, inner, rule)
                if inner:
                    target.append(Tag("span", *inner, lang=lang, dir=direction(lang)))
            else:
                self._inline(element, target, rule)
        finally:
            self._depth -= 1
        if element in self.facs.pointing and element.tag != tei("pb"):
            self._facs_inline(element, target, start)
        if element.get(XML_ID) in self._targeted:
            self._notes_pointing_at(element, target)

    # -- images of the source -----------------------------------------------------------------------------------
    def _facs_anchor(self, element: etree._Element, ident: str | None) -> str:
        """The anchor of an element that points at an image of the source: its own, else a new one."""
        if ident:
            return ident
        if element.get(XML_ID) and element.get(XML_ID) not in self._ids:
            return self._anchor(element, "facs")
        return self._next("facs")

    def _facs_inline(self, element: etree._Element, target: Inline, start: int) -> None:
        """``data-facs-zone`` (``data-facs-page``) and an id on what ``element`` became, in ``target`` from
        ``start`` (a span around it when it became text alone)."""
        made = next((item for item in target[start:] if isinstance(item, Tag)), None)
        if made is None:
            if not any(isinstance(item, str) and item.strip() for item in target[start:]):
                return  # nothing shown: nothing to point from
            made = Tag("span", *target[start:], classes="tei-facs")
            target[start:] = [made]
        made.attrs["id"] = self._facs_anchor(element, made.attrs.get("id"))
        made.attrs.update(self.facs.point(element, made.attrs["id"]))

    def _facs_block(self, element: etree._Element, blocks: list[Block]) -> None:
        """The same for the first block ``element`` became (a paragraph, a verse line, a division)."""
        while blocks and isinstance(blocks[0], Language):
            blocks = blocks[0].children
        block = blocks[0] if blocks else None
        if isinstance(block, Section):
            block.data.update(self.facs.point(element, block.ident))
        elif isinstance(block, Paragraph | Group):
            if not block.ids:
                block.ids.append(self._facs_anchor(element, None))
            block.data.update(self.facs.point(element, block.ids[0]))

    def _inline(self, element: etree._Element, target: Inline, rule: Rule | None = None) -> None:
        behaviour = rule or self.model.match(element)
        if behaviour.behaviour == "omit":
            return
        handler = getattr(self, f"_inline_{behaviour.behaviour}", None)
        if handler is not None:
            handler(element, target, behaviour)
            return
        name = _local(element) if element.tag.startswith(f"{{{TEI_NS}}}") else f"ext-{_local(element)}"
        classes = [f"tei-{name}", *_rend_classes(element), *([behaviour.css] if behaviour.css else [])]
        span = Tag("span", classes=" ".join(dict.fromkeys(classes)))
        context = self._context()
        start = context.length if context else 0
        self._inline_children(element, span)
        if element.get(XML_ID):  # a target of pointers (anchor, seg, …)
            span.attrs["id"] = self._anchor(element, "a")
        if element.get("source"):
            self._quotation(element, span, start)
        target.append(span)

    def _quotation(self, element: etree._Element, span: Tag, start: int) -> None:
        """A quotation (``quote``, ``q``, ``cit``…) whose ``@source`` is a register entry: a mention of it."""
        context = self._context()
        for pointer in element.get("source", "").split():
            entry, _ = self.registry.resolve(pointer, self.path, None, self.prefixes)
            if entry is None:  # @source may point at anything (a bibl of the header, a web page)
                continue
            if "id" not in span.attrs:
                span.attrs["id"] = self._next("q")
            snippet = _clip(diplomatic_text(element, self.model), SNIPPET, from_end=False)
            mention = Mention(entry.id, span.attrs["id"], snippet, context=context.kind if context else "text",
                              kind=entry.kind, quoted=True)
            self.mentions.append(mention)
            self.pointed.add(pointer.rpartition("#")[2])
            if context is not None:
                context.marks.append((mention, start, context.length))

    def _inline_nodes(self, element: etree._Element) -> Inline:
        """The text and children of ``element`` as inline content."""
        children: Inline = []
        self._text(element.text, children)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, children)
            if runs_into_name_part(child):
                self._text(" ", children)
            self._text(child.tail, children)
        return children

    def _inline_children(self, element: etree._Element, span: Tag) -> None:
        span.children.extend(self._inline_nodes(element))

    def _inline_name(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        self.marks.names = True
        names_entry, kind = self.registry.kinds.name_kind(element)
        pointers = (element.get("ref") or "").split() if names_entry else []
        key = normalize_space(element.get("key") or "") if names_entry and not pointers else ""
        anchor = self._anchor(element, "m")
        classes = [f"tei-{_local(element)}", "tei-name", *_rend_classes(element)]
        if element.get("level"):  # a title's level (a, m, j, s, u)
            classes.append(f"tei-{_local(element)}-{element.get('level')}")
        span = Tag("span", classes=" ".join(dict.fromkeys(classes)), id=anchor)
        context = self._context()
        start = context.length if context else 0
        self._inline_children(element, span)
        end = context.length if context else 0
        entries, authorities = [], []
        for pointer in pointers:
            self.pointed.add(pointer.rpartition("#")[2])
            entry, problem = self.registry.resolve(pointer, self.path, kind, self.prefixes)
            record = key_authority(pointer) if entry is None and problem else None
            if entry is not None:
                entries.append(entry)
            elif record is not None:  # viaf:123, geon:456, wiki:Q42: a record of an authority file
                authorities.append(record.url)
            elif problem and uri_scheme(expand_prefix(pointer, self.prefixes)[0]) not in ("", *ACTIVE_SCHEMES):
                # oape:pers:707: a record of a database the edition does not have
                span.attrs["title"] = f"ref: {pointer}"
                self.warn(f"<{_local(element)}> points at {pointer!r}, a record of a database this edition does not "
                          "have: shown without a link", element, "ref", "info")
            elif problem and self._in_register(element):  # registers drawn from a larger database name entries left out
                self.warn(f"a register entry names an entry the registers do not have (shown unlinked): {problem}",
                          element, "ref", "info")
            elif problem:
                self.warn(f"unresolved reference on <{_local(element)}>: {problem}", element, "ref")
        external = [uri for uri in (expand_prefix(p, self.prefixes)[0] for p in pointers)
                    if urlsplit(uri).scheme.lower() in SAFE_SCHEMES] + authorities
        if key:  # one value (never a list), the id of an entry or a key of it, or of an authority file
            self.pointed.update((key, f"key:{key}"))
            entry, record = self.registry.resolve_key(key, kind)
            entries += [entry] if entry is not None else []
            external += [record.url] if record is not None else []
        unpublished = [entry for entry in entries if not self.registry.is_published(entry.id)]
        if unpublished:  # not found by the search for names of named_in: linked to no page rather than a missing one
            self.warn(f"<{_local(element)}> names {unpublished[0].id!r}, which has no page (the search for the "
                      "texts' names missed it); set edition_unmentioned = \"page\" in conf.py", element, "ref")
            entries = [entry for entry in entries if entry not in unpublished]
        if not entries:
            if external:  # an authority record (Wikidata, GND, VIAF, …) instead of a register entry
                target.append(Tag("a", span, classes="tei-name-authority reference external", href=external[0],
                                  title="authority record"))
                return
            if key:  # a key into a database the edition does not have: kept, shown, not a fault
                span.attrs["title"] = f"key: {key}"
            listed = kind if names_entry else None  # a name of no kind (no type, no pointer) is on no index
            in_header = context is not None and context.kind == "header"  # the metadata's names are not the text's
            if listed in self._indexed and not (pointers or key or in_header) and not self._in_register(element):
                span.attrs["classes"] += " tei-name-unidentified"
                unidentified = Mention("", anchor, diplomatic_text(element, self.model),
                                       context=context.kind if context else "text", kind=listed.name)
                self.unidentified.append(unidentified)
                if context is not None:
                    context.marks.append((unidentified, start, end))
            target.append(span)
            return
        form = diplomatic_text(element, self.model)
        for entry in entries:
            mention = Mention(entry.id, anchor, form, context=context.kind if context else "text", kind=entry.kind)
            self.mentions.append(mention)
            if context is not None:
                context.marks.append((mention, start, end))
        target.append(entry_link(entries[0], span))
        if len(entries) > 1:  # a name of several entries: the others are linked in small type after it
            others: Inline = [entry_link(entry, Tag("span", entry.name)) for entry in entries[1:]]
            target.append(Tag("sup", *markup.joined(others, ", "), classes="tei-name-others"))

    def _inline_date(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        when, end = date_range(element)
        self.marks.dates = self.marks.dates or bool(when)
        bad = [value for name in DATE_ATTRIBUTES if (value := (element.get(name) or "").strip())
               and not is_valid_iso(value, iso=name.endswith("-iso"))]
        context = self._context()
        start_at = context.length if context else 0
        if bad or not when:
            if bad:
                self.warn(f"invalid date value {bad[0]!r}: use a W3C date or time (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD, "
                          "--MM, ---DD, hh:mm:ss, YYYY-MM-DDThh:mm:ss) that names a real day", element, "date")
            span = Tag("span", classes="tei-date")
            self._inline_children(element, span)
            target.append(span)
            return
        anchor = self._anchor(element, "d")
        html_start, html_end = html_datetime(when), html_datetime(end) if end else ""
        normal = (f"{html_start}/{html_end}" if html_start and html_end else "") if end and end != when else html_start
        readable = readable_date(when) + (f" – {readable_date(end)}" if end and end != when else "")
        supplied = _year_supplied(element, when)
        if element.get("evidence"):
            readable += f" ({'year supplied' if supplied else 'dated'} by the editors, {_evidence(element)})"
        # its normalised value shows on hover and on keyboard focus (edition.css)
        node = Tag("time", classes="tei-date", datetime=normal, id=anchor, tabindex="0", **{"data-normal": readable})
        self._inline_children(element, node)
        if not node.children:  # a date given only by its attributes: shown as a reader says it
            node.append(readable)
            if context is not None:
                context.add(readable)
        target.append(node)
        mention = DateMention(when, end, diplomatic_text(element, self.model), anchor,
                              context=context.kind if context else "text",
                              supplied=supplied)
        if mention.context == "note" and element.get("corresp"):  # it may correct a date (see _note_corrects)
            self._note_dates[element] = mention
        # the metadata's dates are not in the chronology (a letter's sending is), nor those of a dictionary's
        # entries (of its etymologies, sources, examples), nor those of references (when a work was published)
        published = any(_local(a) in BIBLIOGRAPHIC for a in element.iterancestors())
        if mention.context != "header" and not self.dictionary.entries and not published:
            self.dates.append(mention)
        if context is not None:
            context.marks.append((mention, start_at, context.length))

    def _inline_choice(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        self.marks.choices = True
        pairs = {_local(c): c for c in element if isinstance(c.tag, str)}
        original = next((pairs[n] for n in ("sic", "orig", "abbr") if n in pairs), None)
        regular = next((pairs[n] for n in ("corr", "reg", "expan") if n in pairs), None)
        if original is None or regular is None:
            span = Tag("span", classes="tei-choice")
            self._inline_children(element, span)
            target.append(span)
            return
        diplomatic = Tag("span", classes=f"tei-choice-orig tei-{_local(original)}")
        self._inline_children(original, diplomatic)
        # the reading form is an editorial addition: not part of the source's text
        self._contexts.append(_Context("editorial"))
        reading = Tag("span", classes=f"tei-choice-reg tei-{_local(regular)}")
        self._inline_children(regular, reading)
        self._contexts.pop()
        label = {"sic": "corrected", "orig": "regularised", "abbr": "expanded"}[_local(original)]
        target.append(Tag("span", diplomatic, reading, classes="tei-choice tei-choice-pair",
                          title=f"{label}: {plain_text(regular)}"))

    def _new_note(self, kind: str, label: str, target: Inline) -> Note:
        """A numbered note: its marker (``label`` or the number) goes to ``target``, the note to the notes."""
        note = Note(len(self.notes) + 1, kind)
        target.append(Tag("sup", Tag("a", label or str(note.number), classes=f"tei-noteref-{kind} tei-noteref",
                                     href=f"#{note.ident}", id=note.marker, role="doc-noteref",
                                     **{"aria-describedby": note.ident})))
        self.notes.append(note)  # before the note's own content: notes inside it are numbered after it
        return note

    def _inline_apparatus(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """``app``: the lemma stays in the text; the readings (with their witnesses) become an apparatus note."""
        lemma = next((c for c in element if _local(c) == "lem"), None)
        readings = [c for c in element if _local(c) in ("rdg", "rdgGrp")]
        if lemma is None and readings:
            lemma, readings = readings[0], readings[1:]
        span = Tag("span", classes="tei-app")
        if lemma is not None:
            self._inline_children(lemma, span)
        target.append(span)
        entries = []
        for reading in readings:
            witnesses = " ".join(w.lstrip("#") for w in (reading.get("wit") or "").split())
            entries.append((reading, witnesses))
        if not entries:
            return
        item = self._new_note("apparatus", "", target)
        content: Inline = []
        self._open("note")
        if lemma is not None:  # repeated as plain text: its names and anchors are in the running text
            content += [Tag("span", plain_text(lemma), classes="tei-app-lem"), " ] "]
        for index, (reading, witnesses) in enumerate(entries):
            if index:
                content.append("; ")
            text = Tag("span", classes="tei-app-rdg")
            self._inline_children(reading, text)
            if not text.children:
                text.append("om.")
            content.append(text)
            if witnesses:
                content.append(Tag("span", f" {witnesses}", classes="tei-app-wit"))
        self._close()
        item.blocks.append(Paragraph(content))

    def _inline_note(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        if element.get("target"):
            where = self.tree.getpath(element)
            if where in self._placed:
                return  # already shown at the place it points at
            self._placed.add(where)
        place = (element.get("place") or "").split()
        kind = element.get("type") or "note"
        if "inline" in place:
            # notes that stand in the running text of the source (e.g. a reader's remarks)
            label = rule.param("label") or f"{kind} (inline note)"
            span = Tag("span", classes=f"tei-note tei-note-{kind} tei-note-inline", title=label)
            self.marks.inline_notes.setdefault(kind, element.get("resp") or "")
            context = self._context()
            previous = context.kind if context else ""
            if context is not None and rule.param("context"):
                context.kind = rule.param("context")
            self._inline_children(element, span)
            if context is not None:
                context.kind = previous
            target.append(span)
            return
        self.marks.numbered_notes = True
        item = self._new_note(kind, element.get("n") or "", target)
        before = len(self.dates)
        item.blocks.append(Paragraph(self.inline_content(element, "note")))
        self._note_corrects(element, self.dates[before:])

    def _note_corrects(self, note: etree._Element, dates: list[DateMention]) -> None:
        """An editorial note that points at a date of the text (``@target``) and gives a date corrects it: the
        date as it was is the note's ``date`` whose ``@corresp`` points at the same date, else its first. The
        chronology shows the pair side by side."""
        if not dates or self.model.match(note).param("role") != "editorial":
            return
        for pointer in (note.get("target") or "").split():
            ident = pointer.removeprefix("#")
            wrong = next((d for d in self.dates if d.anchor == html_id(ident) and d not in dates), None)
            if wrong is None:
                continue
            marked = [d for d in note.iter(tei("date")) if f"#{ident}" in (d.get("corresp") or "").split()]
            right = self._note_dates.get(marked[0]) if marked else dates[0]
            if right is None:
                continue
            wrong.corrected = right.start + (f"/{right.end}" if right.end and right.end != right.start else "")
            wrong.corrected_anchor = right.anchor

    def _inline_page_break(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        self.marks.page_breaks = True
        number = element.get("n", "")
        label = f"page {number}" if number else "page break"
        span = Tag("span", classes="tei-pb", id=self._anchor(element, "pb"), role="note",
                   title=f"{label} of the source", **{"aria-label": label, "data-n": number})
        pages = self.facs.break_pages(element)
        for page in pages:
            page.breaks.append(span.attrs["id"])
        shown = next((page for page in pages if page.kind != "none"), None)
        if shown is not None:  # without JavaScript, a link to the image
            span.attrs["data-facs-page"] = shown.ident
            href = shown.urls(self.image_base)[1]
            named = f"page {number}" if number else f"page {shown.label}"
            span.append(Tag("a", f"image of {named}", classes="tei-pb-image", href=href))
        target.append(span)

    def _inline_milestone(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """A boundary of a section of the source that is not a page (``milestone``: a column, an entry, a
        stanza…): a mark saying which, by its ``@unit`` and ``@n``."""
        self.marks.milestones = True
        unit, number = normalize_space(element.get("unit") or ""), normalize_space(element.get("n") or "")
        label = " ".join(filter(None, [_unit_name(unit), number]))
        attrs = {"aria-label": f"{label} begins", "data-label": label}
        if element.get(XML_ID):
            attrs["id"] = self._anchor(element, "ms")
        target.append(Tag("span", classes=" ".join(["tei-milestone", *_rend_classes(element)]), role="note",
                          title=f"{label} of the source begins here", **attrs))

    def _inline_line_break(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        """A line (or column) break: a space. A line break pointing at a zone of an image (``lb/@facs``, as a
        Transkribus export has on every line) stands for the line that follows it: ``edition-facs-line``, which
        the reading view links to the zone (and, inside a word, ``break="no"``, an empty mark, adding no space)."""
        line = _local(element) == "lb" and bool(self.facs.pointing.get(element, ((), ()))[1])
        if element.get("break") == "no":
            if line:  # not indexed: the search would cut the word at its id
                target.append(Tag("span", classes="tei-lb edition-facs-line",
                                  **{"data-break": "no", "data-pagefind-ignore": "all"}))
            return
        context = self._context()
        if context is not None:
            context.add(" ")
        target.append(Tag("span", " ", classes="tei-lb edition-facs-line" if line else "tei-lb"))

    def _inline_link(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        classes = [f"tei-{_local(element)}", *_rend_classes(element)]
        if element.get("type"):
            classes.append(f"tei-ref-{element.get('type')}")
        href = (element.get("target") or "").split()
        uri = href[0] if href else ""
        scheme = urlsplit(uri).scheme.lower()
        if uri and scheme and scheme not in SAFE_SCHEMES:
            self.warn(f"unsafe link target {uri!r} not rendered as a link (only http and https)", element, "unsafe")
            uri, scheme = "", ""
        if uri.startswith("#"):
            node = Tag("a", classes=" ".join([*classes, "reference internal"]), href=f"#{html_id(uri[1:])}")
        elif scheme:
            node = Tag("a", classes=" ".join([*classes, "reference external"]), href=uri)
        elif rule.param("title"):  # e.g. a citation of the source's own notes, which the edition does not have
            explained = rule.param("title").format_map(_Attributes(element))
            node = Tag("span", classes=" ".join(classes), title=explained)
        else:
            node = Tag("span", classes=" ".join(classes))
        if element.get(XML_ID):
            node.attrs["id"] = self._anchor(element, "ref")
        self._inline_children(element, node)
        if _local(element) == "ptr" and not node.children and uri:  # a dictionary's shows the entry's headword
            node.append((self.pointed_headword(uri[1:]) if uri.startswith("#") else "") or uri)
        target.append(node)

    def _inline_title(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        classes = ["tei-title", *_rend_classes(element)]
        if element.get("level"):
            classes.append(f"tei-title-{element.get('level')}")
        node = Tag("em" if "rend-italic" in classes else "span", classes=" ".join(classes))
        if element.get(XML_ID):
            node.attrs["id"] = self._anchor(element, "title")
        self._inline_children(element, node)
        target.append(node)

    def _inline_gap(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        self.marks.transcription.setdefault("gap")
        extent = element.get("quantity", "") + " " + element.get("unit", "")
        if not extent.strip() and element.get("extent"):
            extent = element.get("extent", "")
        reason = element.get("reason", "")
        target.append(Tag("span", "[…]", classes="tei-gap", title=normalize_space(f"gap {extent} {reason}")))

    def _inline_space(self, element: etree._Element, target: Inline, rule: Rule) -> None:
        target.append(Tag("span", " ", classes="tei-space"))


#: a ``milestone``'s ``@unit`` that names a TEI element (the Shelley-Godwin Archive's ``tei:p``), as a reader says it
UNIT_ELEMENTS = {"p": "paragraph", "div": "section", "ab": "block", "lg": "stanza", "l": "verse line",
                 "head": "heading", "sp": "speech", "entry": "entry", "cb": "column", "lb": "line", "pb": "page"}


def _unit_name(unit: str) -> str:
    """What a ``milestone``'s ``@unit`` calls the part of the source that begins: its words (``stanza``,
    ``running_head`` → "running head"), a TEI element's name (``tei:p`` → "paragraph"), else "section"."""
    prefix, colon, name = unit.rpartition(":")
    if colon and prefix.lower() == "tei":
        return UNIT_ELEMENTS.get(name, name)
    return unit.replace("_", " ") or "section"


#: what a date's ``@evidence`` says of the editors' value (TEI's suggested values), as a reader reads it
EVIDENCE = {"internal": "from the text", "external": "from other sources", "conjecture": "a conjecture"}


def _evidence(date: etree._Element) -> str:
    value = normalize_space(date.get("evidence") or "")
    return EVIDENCE.get(value, f"evidence: {value}")


def _year_supplied(date: etree._Element, when: str) -> bool:
    """Whether the editors supplied the year of a date (``@evidence``, and a year its words do not give)."""
    year = when.lstrip("-")[:4]
    return bool(date.get("evidence")) and len(year) == 4 and year.isdigit() and year not in plain_text(date)


@dataclass
class RenderedText:
    """One TEI text rendered: what a page shows of it, and what it says of the registers."""

    title: str
    #: the header's fields for the metadata panel, in order: label -> blocks (:mod:`edition.core.header`)
    fields: list[tuple[str, list[Block]]]
    body: list[Block]
    notes: list[Note]
    marks: Marks
    #: the authors of the ``titleStmt``, as plain text
    authors: list[str]
    mentions: list[Mention]
    dates: list[DateMention]
    #: names with no pointer at all (listed on the index of their kind)
    unidentified: list[Mention]
    #: every id the names point at, resolved or not: the register entries this text depends on
    pointed: set[str]
    problems: list[Problem]
    #: the images of the source: pages, zones, what points at them (:mod:`edition.core.facsimile`)
    facsimile: Facsimile = field(default_factory=Facsimile)


def render_text(tree: etree._ElementTree, path: str, registry: Registry, *, title: str = "",
                model: ProcessingModel = LIBRARY_MODEL, language: str = "",
                texts: Mapping[str, str] | None = None, prefixes: Prefixes | None = None,
                project: Path | None = None, image_base: str = "") -> RenderedText:
    """Render the TEI document ``tree`` (read from ``path``) with the rules of ``model``; ``title`` is used
    when its header gives none; ``language`` is the page's (the site's): a text in another is marked;
    ``texts`` names the edition's texts (file name or stem → page), which the header may link to;
    ``prefixes`` are the edition's (``edition_prefixes``), after the document's own; local images are
    published from inside ``project`` under ``image_base`` (the site's ``_images/``, from the page)."""
    from .header import HeaderView, responsible, title_of  # the header renders with this module's renderer

    renderer = TextRenderer(tree, path, registry, model, language)
    renderer.texts = texts or {}
    for ident, definitions in (prefixes or {}).items():  # the document's own definitions first
        renderer.prefixes.setdefault(ident, []).extend(definitions)
    renderer.project, renderer.image_base = project, image_base
    header = tree.getroot().find(tei("teiHeader"))
    fields = HeaderView(renderer, header, renderer.texts).fields() if header is not None else []
    body = renderer.body()
    marks = renderer.marks
    marks.inline_notes = {kind: responsible(header, resp) for kind, resp in marks.inline_notes.items()}
    authors = [plain_text(a) for a in tree.getroot().iterfind(f".//{tei('titleStmt')}/{tei('author')}")]
    main_title = title_of(header)
    return RenderedText(title if main_title is None else main_title, fields, body, renderer.notes, marks,
                        [a for a in authors if a], renderer.mentions, renderer.dates, renderer.unidentified,
                        renderer.pointed, renderer.problems, renderer.facs)
