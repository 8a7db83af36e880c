"""Dutch words for the search prototypes: normalising, stemming (Snowball via PyStemmer), splitting compounds
against wordfreq's Dutch word list, and typo candidates (rapidfuzz). Everything ships in the wheels: nothing is
downloaded at run time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

import Stemmer
import wordfreq
from rapidfuzz import process
from rapidfuzz.distance import OSA

# The app's word pattern (app/search.py): letters and digits, parts joined by a hyphen or apostrophe.
WORD = re.compile(r"[^\W_]+(?:[-'’‐‑][^\W_]+)*")
SEPARATOR = re.compile(r"[-'’‐‑]")

# Snowball's Dutch stop words (the list tantivy's stopword("dutch") filter uses).
_STOPWORD_TEXT = """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan
    zou of wat
    mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben deze u want nog
    zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder
    ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

COMPOUND_FROM = 7  # shorter words are not split
PART_FROM = 3  # shortest part of a compound
SHORT_PART = 4  # a part this short must be a common word ('werk' is, 'ikke' is not)
SHORT_PART_ZIPF = 4.0
PART_MIN_ZIPF = 3.0  # rarer words are no part
WHOLE_MAX_ZIPF = 4.5  # a word this common is left whole (ontwikkeling, organisatie, samenwerking)
SUFFIXES = frozenset(  # no compound part: derivational endings
    {"heid", "ling", "ing", "schap", "satie", "isatie", "isering", "sering", "isme", "iteit", "teit", "baar", "lijk"}
    | {"elijk", "isch", "tie"}
)
PART_PENALTY = 1.5  # per part: two likely parts beat three
LINKING = ("s", "e", "en")  # tussenletters: personeel-s-tekort, dier-en-arts
TYPO_FROM = 5  # shorter words (and acronyms) are never corrected
TYPO_MAX_ZIPF = 1.0  # a word Dutch knows (verbieden, techbedrijven) is not corrected, even if the report lacks it


def normalise(text: str) -> str:
    """Lower case without accents, as the warehouse's lower(strip_accents(…))."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_acronym(typed: str) -> bool:
    """A typed word that is matched whole only: short, or in capitals (SER, HAN, NVAO, FAIR)."""
    letters = SEPARATOR.sub("", typed)
    return len(letters) <= 3 or (letters.isupper() and len(letters) <= 5)


def surface_words(text: str) -> list[str]:
    """The words of a text, normalised; a hyphenated word once joined ('opensource') and once per part."""
    words = []
    for match in WORD.finditer(normalise(text)):
        word = match.group(0)
        parts = [p for p in SEPARATOR.split(word) if p]
        if len(parts) > 1:
            words.append("".join(parts))
            words.extend(parts)
        else:
            words.append(word)
    return words


STEMMERS = ("dutch", "dutch_porter")  # Snowball 3's Dutch (also tantivy's) and the classic Dutch Porter


@lru_cache(maxsize=len(STEMMERS))
def stemmer(algorithm: str = "dutch"):
    """A cached stem function. Snowball 3's 'dutch' strips ge- inside words (gedigitaliseerd → digitaliseer, but
    also begeleiding → beleid); 'dutch_porter' does not. Both fold the -eer/-er split of -iseer/-iser stems."""
    snowball = Stemmer.Stemmer(algorithm)

    @lru_cache(maxsize=200_000)
    def stem(word: str) -> str:
        stemmed = snowball.stemWord(word)
        if len(stemmed) > 6 and stemmed.endswith("eer"):
            stemmed = stemmed[:-3] + "er"
        return stemmed

    return stem


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return {w: f for w, f in wordfreq.get_frequency_dict("nl").items() if w.isalpha()}


def _part_cost(part: str) -> float | None:
    """Minus the log frequency of a part, or None if it is no word to split on."""
    frequency = _frequencies().get(part)
    if frequency is None or len(part) < PART_FROM:
        return None
    zipf = math.log10(frequency) + 9
    if zipf < PART_MIN_ZIPF or (len(part) <= SHORT_PART and zipf < SHORT_PART_ZIPF):
        return None
    return -math.log10(frequency)


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Dutch compound ('personeelstekorten' → personeel, tekorten), or () if the word has none.
    Known compounds are split too ('werkdruk' → werk, druk). The most likely split wins: each part costs its -log
    frequency plus PART_PENALTY, so fewer, commoner parts are preferred; a linking s, e or en between parts is
    allowed; stop words are no parts."""
    if len(word) < COMPOUND_FROM or not word.isalpha() or wordfreq.zipf_frequency(word, "nl") >= WHOLE_MAX_ZIPF:
        return ()
    n = len(word)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for end in range(PART_FROM, n + 1):
        for start in range(0, end - PART_FROM + 1):
            if best[start] is None or (start == 0 and end == n):  # the whole word is no split
                continue
            part = word[start:end]
            cost = None if part in STOPWORDS or part in SUFFIXES else _part_cost(part)
            if cost is None:
                continue
            total = best[start][0] + cost + PART_PENALTY
            if best[end] is None or total < best[end][0]:
                best[end] = (total, (*best[start][1], part))
            for link in LINKING:  # the part plus a linking letter: the next part starts after it
                after = end + len(link)
                if after < n and word[end:after] == link and (best[after] is None or total + 0.5 < best[after][0]):
                    best[after] = (total + 0.5, (*best[start][1], part))
    found = best[n]
    return found[1] if found else ()


def typo_candidates(word: str, vocabulary: list[str], limit: int = 3) -> list[str]:
    """Words of the corpus one edit away (two for long words; a swap of two letters is one edit)."""
    if len(word) < TYPO_FROM or wordfreq.zipf_frequency(word, "nl") >= TYPO_MAX_ZIPF:
        return []
    distance = 1 if len(word) < 8 else 2
    found = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=distance, limit=limit * 4)
    nearest = min((d for _, d, _ in found), default=None)
    return [w for w, d, _ in found if d == nearest][:limit]
