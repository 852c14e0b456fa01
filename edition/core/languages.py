"""Languages of the TEI (``xml:lang``): which way a language is written, and the main language of texts."""

from __future__ import annotations

from collections import Counter

from lxml import etree

from .xmlparse import XML_LANG, tei

#: languages written from right to left (BCP 47 primary subtags), unless a script subtag says otherwise
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "khw", "ks", "ku", "lrc", "mzn",
                           "nqo", "ota", "pnb", "ps", "sam", "sd", "syc", "syr", "ug", "ur", "yi"})
#: scripts written from right to left (ISO 15924)
RTL_SCRIPTS = frozenset({"arab", "aran", "hebr", "syrc", "syre", "syrj", "syrn", "thaa", "nkoo", "samr", "mand",
                         "mend", "adlm", "rohg", "yezi"})


def direction(lang: str) -> str:
    """``rtl`` or ``ltr`` for a BCP 47 tag: its script subtag decides (``ar-Latn`` is Latin letters), else its
    language."""
    parts = lang.replace("_", "-").lower().split("-")
    script = next((part for part in parts[1:] if len(part) == 4 and part.isalpha()), "")
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"


def text_language(root: etree._Element) -> str:
    """The language of a document's text: its ``text``'s ``xml:lang``, else its root's, else ``""``."""
    text = root.find(f".//{tei('text')}")
    return (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG) or ""


def main_language(roots: list[etree._Element]) -> str:
    """The language most of these texts are in (their :func:`text_language`), ``""`` when none says."""
    counted = Counter(lang for lang in map(text_language, roots) if lang)
    return counted.most_common(1)[0][0] if counted else ""
