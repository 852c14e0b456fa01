"""Languages of the TEI (``xml:lang``, the header's ``langUsage``): which way a language is written, the main
language of texts, and a guess from their words when they do not say."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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
    "alb": "sq", "ara": "ar", "arb": "ar", "baq": "eu", "bel": "be", "bos": "bs", "bre": "br", "bul": "bg",
    "cat": "ca", "ces": "cs", "chi": "zh", "cym": "cy", "cze": "cs", "dan": "da", "deu": "de", "div": "dv",
    "dut": "nl", "ell": "el", "eng": "en", "est": "et", "eus": "eu", "fas": "fa", "fin": "fi", "fra": "fr",
    "fre": "fr", "fry": "fy", "ger": "de", "gla": "gd", "gle": "ga", "glg": "gl", "gre": "el", "heb": "he",
    "hin": "hi", "hrv": "hr", "hun": "hu", "ice": "is", "isl": "is", "ita": "it", "jpn": "ja", "kas": "ks",
    "kor": "ko", "kur": "ku", "lat": "la", "lav": "lv", "lit": "lt", "ltz": "lb", "mac": "mk", "mkd": "mk",
    "nld": "nl", "nor": "no", "per": "fa", "pes": "fa", "pol": "pl", "por": "pt", "pus": "ps", "roh": "rm",
    "ron": "ro", "rum": "ro", "rus": "ru", "san": "sa", "slk": "sk", "slo": "sk", "slv": "sl", "snd": "sd",
    "spa": "es", "sqi": "sq", "srp": "sr", "swe": "sv", "tur": "tr", "uig": "ug", "ukr": "uk", "urd": "ur",
    "wel": "cy", "yid": "yi", "zho": "zh",
}
#: codes that name no language: undetermined, several, no linguistic content, not coded
NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})


def two_letter_tag(tag: str) -> str:
    """A language tag with its language in the two-letter code where there is one (``deu`` → ``de``,
    ``ger-CH`` → ``de-CH``); other tags as they are."""
    primary, dash, rest = tag.strip().partition("-")
    return TWO_LETTER.get(primary.lower(), primary) + dash + rest


def names_a_language(tag: str | None) -> bool:
    """Whether ``tag`` names a language: not empty, not ``und``, ``mul``, ``zxx`` or ``mis``, not one of the
    codes reserved for local use (``qaa``–``qtz``), not a private one (``x-…``)."""
    primary = (tag or "").strip().partition("-")[0].lower()
    return (primary.isalpha() and len(primary) >= 2 and primary not in NO_LANGUAGE and primary not in ("x", "i")
            and not (len(primary) == 3 and "qaa" <= primary <= "qtz"))


def declared_language(root: etree._Element) -> str:
    """The language a document says its text is in: its ``text``'s ``xml:lang``, else its root's, else its
    header's ``langUsage`` when that names one language, or gives each its ``@usage`` (a percentage) and one
    the most; ``""`` when it does not say (a tag that names no language: :func:`names_a_language`)."""
    text = root.find(f".//{tei('text')}")
    for lang in (text.get(XML_LANG) if text is not None else None, root.get(XML_LANG)):
        if names_a_language(lang):
            return two_letter_tag(lang)
    used = [(language.get("ident", ""), language.get("usage"))
            for language in root.iterfind(f".//{tei('langUsage')}/{tei('language')}")]
    used = [(ident.strip(), usage) for ident, usage in used if names_a_language(ident)]
    if len(used) == 1:
        return two_letter_tag(used[0][0])
    shares = sorted(((_usage(usage), ident) for ident, usage in used), reverse=True)
    if shares and all(usage is not None for _ident, usage in used) and (len(shares) == 1 or
                                                                          shares[0][0] > shares[1][0]):
        return two_letter_tag(shares[0][1])
    return ""


def _usage(usage: str | None) -> float:
    try:
        return float(usage or "0")
    except ValueError:
        return 0.0


@dataclass(frozen=True)
class TextsLanguage:
    """The main language of texts (:func:`texts_language`)."""

    #: what most texts say they are in or look like, ``""`` when none says and their words do not tell
    language: str
    #: how many of the texts do not say theirs
    undeclared: int
    #: the language the words of those look like (``""``: not clear)
    guessed: str


def texts_language(roots: list[etree._Element]) -> TextsLanguage:
    """The language most of these texts are in: as they say (:func:`declared_language`), and for those that do
    not, as their words look (:func:`guessed_language`, which counts for them all)."""
    declared = [declared_language(root) for root in roots]
    counted = Counter(lang for lang in declared if lang)
    undeclared = [root for root, lang in zip(roots, declared, strict=True) if not lang]
    guessed = guessed_language(undeclared) if undeclared else ""
    if guessed:
        counted[guessed] += len(undeclared)
    return TextsLanguage(counted.most_common(1)[0][0] if counted else "", len(undeclared), guessed)


#: frequent short words of languages editions are often in; a word of more than one list counts for none
#: (:func:`guessed_language`)
FREQUENT_WORDS = {
    "de": "der die das und nicht ist ich sie den mit von zu auf für ein eine dem des sich auch wie wir ihr wird "
          "bei hat war aber noch nach werden kann diese einer sind oder",
    "en": "the and of to in that is was he for it with as his on be at by this had which not are but from have "
          "you they were been would their there",
    "fr": "le la les et des est que une pour qui dans pas sur au du ne se plus par avec il ce elle nous vous à aux "
          "sont cette été fait leur son ses mais comme",
    "it": "il che di la non per una sono del della ma come più anche nel gli alla questo essere ho è delle degli "
          "questa molto",
    "es": "el la que de los las y en por con para una es su al lo como más pero sus le ya muy fue este está "
          "también",
    "pt": "que não de para uma com os das do da em se mais por como ao pelo foi são também muito mas seu sua "
          "isso",
    "nl": "de het een en van ik dat niet zijn op te met voor hij maar aan als ook er bij zij naar werd wordt",
    "pl": "się nie na że to jest do jak ale co tak jego przez od po tym był być czy które jako już dla jej",
    "cs": "se na je že to jako ale jsem jak do by tak od jeho pro nebo které byl až jsou také jen když",
    "la": "et in est non ad cum quod qui quae ut sed enim esse ab autem sunt etiam hoc nec atque vel eius ita "
          "tamen quam",
    "sv": "och att det som en är på för med har inte den av till jag om var ett men sig hade skulle hon vad "
          "mycket också honom sina",
    "da": "og at det som en er på for med har ikke den af til jeg om var et men sig havde skulle hun hvad "
          "meget også ham sine mig",
    "ru": "и в не на что я с он как это по но из у к за то все она так его было были",
    "uk": "і в не на що я з він як це та але у до за то все вона так його було були",
    "ar": "في من على أن إلى التي الذي عن ما هذا كان لا هذه مع قد",
    "fa": "و در به از که این را با است برای آن یک خود شد",
}
#: the names of the languages guessed, to say which
LANGUAGE_NAMES = {"de": "German", "en": "English", "fr": "French", "it": "Italian", "es": "Spanish",
                  "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "la": "Latin", "sv": "Swedish",
                  "da": "Danish", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "fa": "Persian"}
_SHARED = {word for word, count in Counter(word for words in FREQUENT_WORDS.values()
                                            for word in set(words.split())).items() if count > 1}
_FREQUENT = {language: frozenset(words.split()) - _SHARED for language, words in FREQUENT_WORDS.items()}
#: a guess needs this share of a sample's words to be the language's frequent words, and this lead over the next
GUESS_SHARE, GUESS_LEAD = 0.02, 2.0
#: the words of a sample, from at most :data:`SAMPLE_TEXTS` texts taken evenly; fewer words than
#: :data:`FEWEST_WORDS` tell nothing
SAMPLE_WORDS, SAMPLE_TEXTS, FEWEST_WORDS = 50_000, 250, 100


def guessed_language(roots: Iterable[etree._Element]) -> str:
    """The language of :data:`FREQUENT_WORDS` whose frequent words make up most of a sample of the texts'
    words (all of their ``text``: notes and front matter too), ``""`` when none does clearly
    (:data:`GUESS_SHARE`, :data:`GUESS_LEAD`) or the sample is too small."""
    texts = [text for text in (root.find(f".//{tei('text')}") for root in roots) if text is not None]
    if not texts:
        return ""
    texts = texts[::-(-len(texts) // SAMPLE_TEXTS)]
    per_text = SAMPLE_WORDS // len(texts)
    words = [word for text in texts for word in re.findall(r"\w+", " ".join(text.itertext()).lower())[:per_text]]
    if len(words) < FEWEST_WORDS:
        return ""
    counted = Counter(words)
    scores = sorted(((sum(counted[word] for word in frequent) / len(words), language)
                     for language, frequent in _FREQUENT.items()), reverse=True)
    (best, language), (second, _) = scores[0], scores[1]
    return language if best >= GUESS_SHARE and best >= GUESS_LEAD * second else ""
