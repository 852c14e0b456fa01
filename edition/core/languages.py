"""Languages of the TEI (``xml:lang``, the header's ``langUsage``): which way a language is written, the main
language of texts, and a guess from their words when they do not say."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

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
    return "rtl" if TWO_LETTER.get(parts[0], parts[0]) in RTL_LANGUAGES else "ltr"


#: ISO 639-2 (bibliographic and terminological) and 639-3 codes of languages that have a two-letter code, which
#: BCP 47 (``lang`` in HTML), Sphinx and Pagefind's stemmers use: a TEI header often names ``deu`` or ``ger``
TWO_LETTER = {
    "ara": "ar", "baq": "eu", "bel": "be", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs",
    "chi": "zh", "cym": "cy", "cze": "cs", "dan": "da", "deu": "de", "dut": "nl", "ell": "el", "eng": "en",
    "est": "et", "eus": "eu", "fas": "fa", "fin": "fi", "fra": "fr", "fre": "fr", "fry": "fy", "ger": "de",
    "gla": "gd", "gle": "ga", "glg": "gl", "gre": "el", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu",
    "ice": "is", "isl": "is", "ita": "it", "jpn": "ja", "kor": "ko", "lat": "la", "lav": "lv", "lit": "lt",
    "ltz": "lb", "mac": "mk", "mkd": "mk", "nld": "nl", "nor": "no", "per": "fa", "pol": "pl", "por": "pt",
    "roh": "rm", "ron": "ro", "rum": "ro", "rus": "ru", "san": "sa", "slk": "sk", "slo": "sk", "slv": "sl",
    "spa": "es", "sqi": "sq", "alb": "sq", "srp": "sr", "swe": "sv", "tur": "tr", "ukr": "uk", "urd": "ur",
    "wel": "cy", "yid": "yi", "zho": "zh",
}


def normalized(tag: str) -> str:
    """A language tag with its language in the two-letter code where there is one (``deu`` → ``de``,
    ``ger-CH`` → ``de-CH``); other tags as they are."""
    primary, dash, rest = tag.strip().partition("-")
    return TWO_LETTER.get(primary.lower(), primary) + dash + rest


def declared_language(root: etree._Element) -> str:
    """The language a document says its text is in: its ``text``'s ``xml:lang``, else its root's, else the
    language of its header's ``langUsage`` used most (``@usage``, a percentage; else the first); ``""`` when it
    does not say."""
    text = root.find(f".//{tei('text')}")
    lang = (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG)
    if not lang:
        used = [(_usage(language), -number, language.get("ident", "").strip())
                for number, language in enumerate(root.iterfind(f".//{tei('langUsage')}/{tei('language')}"))]
        lang = max((use for use in used if use[2]), default=(0, 0, ""))[2]
    return normalized(lang) if lang else ""


def _usage(language: etree._Element) -> float:
    try:
        return float(language.get("usage", "0"))
    except ValueError:
        return 0.0


def main_language(roots: list[etree._Element]) -> str:
    """The language most of these texts say they are in (:func:`declared_language`), ``""`` when none says."""
    counted = Counter(lang for lang in map(declared_language, roots) if lang)
    return counted.most_common(1)[0][0] if counted else ""


#: frequent short words of languages editions are often in: the words of texts that do not say their language
#: are counted against these (:func:`guessed_language`)
FREQUENT_WORDS = {
    "de": "der die das und nicht ist ich sie es den mit von zu auf für ein eine dem des sich auch wie wir ihr wird "
          "bei hat war aber noch nach",
    "en": "the and of to in that is was he for it with as his on be at by this had which not are but from have you",
    "fr": "le la les et des est que une pour qui dans pas sur au du ne se plus par avec il ce elle nous vous",
    "it": "il che di la non per una sono del della ma come più anche nel gli alla questo essere ho è",
    "es": "el la que de los las y en por con para una es su al lo como más pero sus le ya",
    "pt": "que não de para uma com os das do da em se mais por como ao pelo foi são também",
    "nl": "de het een en van ik dat niet zijn op te met voor hij maar aan als ook er bij",
    "pl": "się nie na że to jest do jak ale co tak jego przez od po tym był być czy które",
    "cs": "se na je že to jako ale jsem jak do by tak od jeho pro nebo které byl až",
    "la": "et in est non ad cum quod qui quae ut sed enim esse ab autem sunt etiam hoc nec atque",
    "sv": "och att det som en är på för med har inte den av till jag om var ett",
    "da": "og at det som en er på for med har ikke den af til jeg om var et",
    "ru": "и в не на что я с он как это по но из у к за то все она так его",
    "uk": "і в не на що я з він як це та але у до за то все вона так його",
    "ar": "في من على أن إلى التي الذي عن ما هذا كان لا هذه مع",
    "fa": "و در به از که این را با است برای آن یک خود",
}
#: the names of the languages guessed, to say which
LANGUAGE_NAMES = {"de": "German", "en": "English", "fr": "French", "it": "Italian", "es": "Spanish",
                  "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "la": "Latin", "sv": "Swedish",
                  "da": "Danish", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "fa": "Persian"}
_FREQUENT = {language: frozenset(words.split()) for language, words in FREQUENT_WORDS.items()}
#: a guess needs this share of a sample's words to be the language's frequent words, and this lead over the next
GUESS_SHARE, GUESS_LEAD = 0.05, 1.5
#: the words of a sample (taken evenly from the texts)
SAMPLE_WORDS = 50_000


def guessed_language(roots: Iterable[etree._Element]) -> str:
    """The language of :data:`FREQUENT_WORDS` whose frequent words make up most of the texts' words (a sample
    of them), ``""`` when none does clearly (:data:`GUESS_SHARE`, :data:`GUESS_LEAD`)."""
    texts = [root.find(f".//{tei('text')}") for root in roots]
    texts = [text for text in texts if text is not None]
    if not texts:
        return ""
    words: list[str] = []
    per_text = max(SAMPLE_WORDS // len(texts), 200)
    for text in texts:
        words += re.findall(r"\w+", " ".join(text.itertext()).lower())[:per_text]
        if len(words) >= SAMPLE_WORDS:
            break
    if not words:
        return ""
    counted = Counter(words)
    scores = sorted(((sum(counted[word] for word in frequent) / len(words), language)
                     for language, frequent in _FREQUENT.items()), reverse=True)
    (best, language), (second, _) = scores[0], scores[1]
    return language if best >= GUESS_SHARE and best >= GUESS_LEAD * second else ""
