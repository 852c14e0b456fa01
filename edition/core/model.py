"""The processing model: how each TEI element is published, as data an edition extends.

In the spirit of the TEI processing model (``model/@predicate/@behaviour/param``, as TEI Publisher uses
it), a :class:`Rule` says: for this element, when this predicate holds, use this behaviour with these
parameters. The library's rules are one table (:data:`DEFAULT_RULES`); an edition puts its own before
them in ``conf.py``::

    edition_model = [
        {"element": "note", "predicate": "@type = 'reader'", "behaviour": "note",
         "params": {"label": "annotation by a reader of the source", "context": "reader"}},
        {"element": "hi", "predicate": "@rend = 'caps'", "behaviour": "inline", "params": {"css": "caps"}},
    ]

The first rule whose element (or ``*``) and predicate match is used, in order. A predicate is an XPath
1.0 expression evaluated on the element; TEI elements are in the TEI namespace, so a step names them with
``tei:`` (``parent::tei:div``; ``parent::div`` never matches). :func:`~edition.core.render.render_text`
implements each behaviour once (``_block_<behaviour>`` and ``_inline_<behaviour>``). An element no rule
names keeps its text and content, marked with the class ``tei-<name>``: it becomes a container when it
holds blocks, a span otherwise. Nothing is dropped without a reason given here (``omit`` needs one).
An unknown behaviour or parameter, or a predicate that is not XPath, is an error at start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .xmlparse import TEI_NS

#: the marks of a transcription of the source the reading key explains (``mark`` of ``alteration`` and ``span``)
MARKS = ("deletion", "addition", "restoration", "retracing", "metamark", "damage", "unclear")
#: the parameters of the parts of a dictionary entry (``entry_part``, ``entry_line``)
_PART_PARAMS = {
    "css": "an extra CSS class",
    "before": "what separates it from the part before it where the source has only spaces between them "
              "(default: a space)",
    "repeat": "the same after a part of the same name (default: 'before'), e.g. '; ' between translations",
}
#: every behaviour, whether it is a block (starts a block of its own when it stands between blocks), and
#: the parameters it takes, each with what it means
BEHAVIOURS: dict[str, tuple[bool, dict[str, str]]] = {
    "omit": (False, {"reason": "why the element is not part of the running text (required)"}),
    "container": (True, {}),
    "section": (True, {}),
    "heading": (True, {}),
    "paragraph": (True, {}),
    "line_group": (True, {}),
    "line": (True, {}),
    "speech": (True, {}),
    "speaker": (True, {}),
    "stage": (True, {}),
    "list": (True, {}),
    "table": (True, {}),
    "figure": (True, {}),
    "register": (True, {}),
    "space": (True, {}),
    "name": (False, {}),
    "date": (False, {}),
    "choice": (False, {}),
    "apparatus": (False, {}),
    "note": (False, {
        "role": "'editorial': the editors' note, left out of the source's words (names, snippets); "
                "'note' (the default): any other note",
        "label": "what an inline note (place='inline') is called when pointed at (default: '<type> (inline note)')",
        "context": "where the names inside it are said to be on entry pages (e.g. 'reader': in a reader's "
                   "annotation)",
    }),
    "link": (False, {"title": "for a link without a target: its explanation; {n}, {type}… are its attributes"}),
    "page_break": (False, {}),
    "milestone": (False, {}),
    "line_break": (False, {}),
    "gap": (False, {}),
    "title": (False, {}),
    "inline": (False, {"css": "an extra CSS class of the span (or of the container, when it holds blocks)"}),
    # -- a transcription of the source's surfaces (``sourceDoc``): see edition.core.genetic -----------------------
    "source_document": (True, {"title": "its heading (default: 'Diplomatic transcription')"}),
    "surface": (True, {}),
    "zone": (True, {
        "css": "extra CSS classes (tei-zone-margin: shown beside the lines, next to the line its @corresp points "
               "into; tei-zone-margin-right: on the right)",
        "label": "its caption; {type}, {n}… are its attributes (default: '{type}'; '' for none)",
    }),
    "topographic_line": (True, {}),
    "alteration": (False, {
        "css": "an extra CSS class of the span",
        "mark": "the entry of the reading key it fires: " + ", ".join(MARKS),
        "title": "shown on pointing at it; {function}, {reason}… are its attributes",
        "empty": "what is shown when it has no content (a metamark without its sign)",
    }),
    "span": (False, {
        "css": "the CSS class of every piece of text from here to the element its @spanTo points at",
        "mark": "the entry of the reading key it fires: " + ", ".join(MARKS),
    }),
    "hand_shift": (False, {}),
    # dictionaries (TEI chapter 9): entries, their senses, and the parts of both
    "entry": (True, {}),
    "sense": (True, {"numbering": "how senses without @n are counted: '1', 'a', 'A', 'i' or 'I' (default: by "
                                  "depth, 1, then a, then i); a sense alone and without @n is not numbered"}),
    "entry_part": (False, _PART_PARAMS),
    "entry_line": (True, _PART_PARAMS),
}
#: behaviours of content blocks (an element holding one of them is a container, not a span)
CONTENT_BLOCKS = frozenset({"container", "section", "heading", "paragraph", "line_group", "line", "speech", "speaker",
                            "list", "table", "figure", "register", "entry", "sense", "source_document", "surface",
                            "zone", "topographic_line"})


class ModelError(ValueError):
    """A rule of the processing model that cannot be used; the message shows the rule."""


@dataclass(frozen=True)
class Rule:
    """For ``element`` (a TEI element's local name, or ``*``), when ``predicate`` holds: ``behaviour``."""

    element: str
    behaviour: str
    predicate: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def block(self) -> bool:
        return BEHAVIOURS[self.behaviour][0]

    @property
    def css(self) -> str:
        return self.params.get("css", "")

    def param(self, name: str, default: str = "") -> str:
        return self.params.get(name, default)

    def __hash__(self) -> int:
        return hash((self.element, self.behaviour, self.predicate, tuple(sorted(self.params.items()))))

    def describe(self) -> str:
        params = f", params {dict(self.params)}" if self.params else ""
        predicate = f"[{self.predicate}]" if self.predicate else ""
        return f"{self.element}{predicate} → {self.behaviour}{params}"


def rule(element: str, behaviour: str, predicate: str = "", **params: str) -> Rule:
    return Rule(element, behaviour, predicate, params)


def _each(names: Iterable[str], behaviour: str, predicate: str = "", **params: str) -> list[Rule]:
    return [rule(name, behaviour, predicate, **params) for name in names]


#: inside a dictionary entry (a predicate for the elements a dictionary shares with other texts)
IN_ENTRY = "ancestor::tei:entry or ancestor::tei:entryFree"
#: the types of a translation (``cit/@type``: the TEI Guidelines' ``translation``, FreeDict's ``trans``, TEI
#: Lex-0's ``translationEquivalent``)
TRANSLATION_TYPES = ("translation", "trans", "translationEquivalent")
TRANSLATION = " or ".join(f"@type = '{kind}'" for kind in TRANSLATION_TYPES)


#: a zone in a margin (its type, subtype, rendering or placement says so), and on the right
_MARGIN = " or ".join(f"contains(@{name}, 'margin')" for name in ("type", "subtype", "rend", "rendition", "place"))
_RIGHT = " or ".join(f"contains(@{name}, 'right')" for name in ("type", "subtype", "rend", "rendition", "place"))

#: the library's rules (an edition's rules from ``conf.py`` come first)
DEFAULT_RULES: tuple[Rule, ...] = (
    # -- left out of the running text, and why ------------------------------------------------------
    rule("teiHeader", "omit", reason="the metadata: shown in the panel above the text"),
    rule("facsimile", "omit", reason="images of the source: not part of the transcription"),
    rule("standOff", "omit", reason="registers and annotations: published on their own pages"),
    # -- structure ------------------------------------------------------------------------------------
    *_each(("TEI", "teiCorpus", "group", "text", "front", "body", "back", "floatingText", "opener", "closer",
            "postscript", "epigraph", "argument", "docTitle", "titlePage", "performance", "set", "prologue",
            "epilogue", "div0"), "container"),
    *_each(("div", "div1", "div2", "div3", "div4", "div5", "div6", "div7"), "section"),
    rule("head", "heading"),
    *_each(("p", "ab", "salute", "signed", "dateline", "address", "byline", "titlePart", "docImprint", "docAuthor",
            "docDate", "trailer", "imprimatur", "label"), "paragraph"),
    # -- verse and drama --------------------------------------------------------------------------------
    rule("lg", "line_group"),
    rule("l", "line"),
    rule("sp", "speech"),
    rule("speaker", "speaker"),
    rule("stage", "stage"),
    rule("castList", "list"),
    rule("castGroup", "list"),
    rule("roleDesc", "inline", css="tei-roleDesc"),
    # -- lists, tables, figures -----------------------------------------------------------------------------
    rule("list", "list"),
    rule("listBibl", "list"),
    rule("table", "table"),
    rule("figure", "figure"),
    *_each(("listPerson", "listPlace", "listOrg", "listEvent"), "register"),
    rule("space", "space"),
    # -- inline: names, dates, editorial choices, apparatus, notes ------------------------------------------
    *_each(("persName", "placeName", "geogName", "orgName", "rs", "name"), "name"),
    rule("date", "date"),
    rule("choice", "choice"),
    rule("app", "apparatus"),
    rule("note", "note", "@type = 'editorial' or @type = 'commentary' or @type = 'gloss'", role="editorial"),
    # a dictionary's notes (on usage, grammar…) stay in their entry: on a line of their own at its level
    rule("note", "entry_line", "parent::tei:entry or parent::tei:entryFree or parent::tei:superEntry or "
                               "parent::tei:re or parent::tei:hom"),
    rule("note", "entry_part", IN_ENTRY),
    rule("note", "note"),
    # -- dictionaries (TEI chapter 9) --------------------------------------------------------------------------
    # entries are blocks with an anchor, their senses numbered; the parts of both are read in order, with a
    # separator where the source has none ('repeat' between two of a kind: translations, orths, parts of speech)
    *_each(("entry", "entryFree", "superEntry", "re"), "entry"),
    rule("hom", "sense", numbering="I"),
    rule("sense", "sense"),
    rule("etym", "entry_line"),
    rule("cit", "entry_line", f"@type = 'example' and ({IN_ENTRY})"),
    rule("cit", "entry_part", f"({TRANSLATION}) and parent::tei:cit and ({IN_ENTRY})", css="tei-translation",
         before=" — ", repeat="; "),
    rule("cit", "entry_part", f"({TRANSLATION}) and ({IN_ENTRY})", css="tei-translation", repeat="; "),
    *_each(("cit", "bibl"), "entry_part", IN_ENTRY),
    rule("quote", "entry_part", IN_ENTRY, repeat=", "),
    *_each(("form", "gramGrp", "xr", "lbl", "dictScrap", "oRef", "oVar", "pRef", "pVar", "hyph", "syll", "stress"),
           "entry_part"),
    *_each(("orth", "pron", "pos", "gen", "number", "case", "per", "tns", "mood", "iType", "gram", "subc", "colloc",
            "usg"), "entry_part", repeat=", "),
    rule("def", "entry_part", repeat="; "),
    # -- inline: links and breaks -----------------------------------------------------------------------------
    rule("ref", "link"),
    rule("ptr", "link"),
    rule("pb", "page_break"),
    rule("milestone", "milestone"),
    *_each(("lb", "cb"), "line_break"),
    rule("gap", "gap"),
    rule("title", "name", "@ref or @key"),  # a title pointing at its work: a mention of it
    rule("title", "title"),
    # -- inline: highlighting and transcription (a span with its class; edition.css styles them) ------------
    *_each(("hi", "emph", "foreign", "term", "supplied", "seg", "anchor", "fw", "q", "quote",
            "cit", "bibl", "soCalled", "mentioned", "num", "measure", "roleName", "addName", "forename", "surname",
            "orig", "reg", "sic", "corr", "abbr", "expan", "c", "w", "pc"), "inline"),
    # -- changes in the source: additions, deletions, hands (in ``text`` and ``sourceDoc`` alike) ---------------
    rule("add", "alteration", mark="addition"),
    rule("del", "alteration", mark="deletion"),
    rule("restore", "alteration", mark="restoration", title="restored: {type}"),
    rule("retrace", "alteration", mark="retracing", title="retraced: {cause}"),
    rule("metamark", "alteration", mark="metamark", title="metamark: {function}", empty="\u2038"),
    rule("damage", "alteration", mark="damage", title="damaged: {type} {agent}"),
    rule("unclear", "alteration", mark="unclear", title="unclear: {reason}"),
    rule("delSpan", "span", css="tei-del", mark="deletion"),
    rule("addSpan", "span", css="tei-add", mark="addition"),
    rule("damageSpan", "span", css="tei-damage", mark="damage"),
    rule("handShift", "hand_shift"),
    rule("listTranspose", "omit", reason="the order in which to read parts of the source: pointers, not its words "
         "(the writer's own signs for it are metamarks)"),
    # -- the source's surfaces (``sourceDoc``): a diplomatic transcription, surface by surface ------------------
    rule("sourceDoc", "source_document"),
    rule("surfaceGrp", "container"),
    rule("surface", "surface"),
    rule("zone", "zone", "@type = 'main'", label=""),
    rule("zone", "zone", f"({_MARGIN}) and ({_RIGHT})", css="tei-zone-margin tei-zone-margin-right"),
    rule("zone", "zone", _MARGIN, css="tei-zone-margin"),
    rule("zone", "zone"),
    rule("line", "topographic_line"),
)

#: what an element no rule names becomes: a span (or a container when it holds blocks)
DEFAULT = rule("*", "inline")
NAMESPACES = {"tei": TEI_NS}


def check(rule: Rule) -> etree.XPath | None:
    """The compiled predicate of a rule; :class:`ModelError` if the rule cannot be used."""
    if rule.behaviour not in BEHAVIOURS:
        raise ModelError(f"rule {rule.describe()}: unknown behaviour {rule.behaviour!r}; the behaviours are "
                         f"{', '.join(sorted(BEHAVIOURS))}")
    allowed = {*BEHAVIOURS[rule.behaviour][1]}
    unknown = sorted(set(rule.params) - allowed)
    if unknown:
        raise ModelError(f"rule {rule.describe()}: unknown parameter {unknown[0]!r} for {rule.behaviour!r}; it takes "
                         f"{', '.join(sorted(allowed))}")
    if not all(isinstance(value, str) for value in rule.params.values()):
        raise ModelError(f"rule {rule.describe()}: parameter values are strings")
    if rule.behaviour == "omit" and not rule.param("reason"):
        raise ModelError(f"rule {rule.describe()}: 'omit' needs a 'reason' (nothing is left out without one)")
    if not rule.element or not (rule.element == "*" or rule.element.replace("_", "a").replace("-", "a")
                                .replace(".", "a").isalnum()):
        raise ModelError(f"rule {rule.describe()}: 'element' is the local name of a TEI element, or '*'")
    if not rule.predicate:
        return None
    try:
        compiled = etree.XPath(f"boolean({rule.predicate})", namespaces=NAMESPACES)
        compiled(etree.Element(f"{{{TEI_NS}}}{rule.element if rule.element != '*' else 'p'}"))  # unknown
        # functions, prefixes and variables are only found when the predicate is evaluated: here, not mid-build
    except etree.XPathError as exc:
        raise ModelError(f"rule {rule.describe()}: the predicate is not XPath 1.0 ({exc})") from None
    return compiled


def rules_from_config(value: Any) -> tuple[Rule, ...]:
    """The rules of ``edition_model`` in ``conf.py`` (a list of dicts: element, behaviour, predicate, params)."""
    if not isinstance(value, (list, tuple)):
        raise ModelError("edition_model is a list of rules, each a dict with 'element' and 'behaviour'")
    rules = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, Mapping) or not {"element", "behaviour"} <= item.keys() \
                or set(item) - {"element", "behaviour", "predicate", "params"}:
            raise ModelError(f"edition_model, rule {number} ({item!r}): a dict with 'element' and 'behaviour', and "
                             "optionally 'predicate' and 'params'")
        params = item.get("params") or {}
        if not isinstance(params, Mapping):
            raise ModelError(f"edition_model, rule {number} ({item!r}): 'params' is a dict")
        made = Rule(str(item["element"]), str(item["behaviour"]), str(item.get("predicate") or ""), dict(params))
        try:
            check(made)
        except ModelError as exc:
            raise ModelError(f"edition_model, {exc}") from None
        rules.append(made)
    return tuple(rules)


class ProcessingModel:
    """The rules of an edition (first) and of the library, indexed by element."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules = (*rules, *DEFAULT_RULES)
        self._compiled = [(each, check(each)) for each in self.rules]
        #: the rules of an element name, then those of any element, in order
        self._candidates: dict[str, list[tuple[Rule, etree.XPath | None]]] = {}

    def match(self, element: etree._Element) -> Rule:
        """The rule for ``element``: the first whose element and predicate match (TEI elements only)."""
        qname = etree.QName(element)
        if qname.namespace != TEI_NS:
            return DEFAULT
        name = qname.localname
        candidates = self._candidates.get(name)
        if candidates is None:  # in the order of the rules: an edition's ``*`` rule comes before the library's
            candidates = self._candidates[name] = [(rule, compiled) for rule, compiled in self._compiled
                                                   if rule.element in (name, "*")]
        for each, predicate in candidates:
            if predicate is None or predicate(element):
                return each
        return DEFAULT

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcessingModel) and self.rules == other.rules

    def __hash__(self) -> int:
        return hash(self.rules)


#: the library's model, with no rules of an edition
LIBRARY_MODEL = ProcessingModel()
