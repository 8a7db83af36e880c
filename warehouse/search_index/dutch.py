"""Dutch words for the search: reading, stemming, splitting compounds and finding typo candidates.

Everything here ships in the wheels (PyStemmer's Snowball Dutch, wordfreq's Dutch frequencies, rapidfuzz): nothing
is downloaded at run time. The index (warehouse/search_index/index.py) and a typed search (query.py) read words with
the same functions, so a word is always analysed alike on both sides.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import Stemmer
import wordfreq
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Letters and digits, parts joined by a hyphen or apostrophe: the same words as dbt's macros/search.sql.
WORD = re.compile(r"[^\W_]+(?:[-'’‐‑][^\W_]+)*")
SEPARATOR = re.compile(r"[-'’‐‑]")

# Snowball's Dutch stop words.
_STOPWORD_TEXT = """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan zou of
    wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben deze u
    want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder kan hun
    dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets
    uw iemand geweest andere
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Snowball 3's Dutch stemmer strips 'ge' inside a word, which is right for participles (ingezet → inzet,
# gedigitaliseerd → digitaliseer) but merges unrelated words where 'ge' belongs to the root: begeleiding → beleid,
# gelijk → lijk, gemeente → meen, gebied → bied (bieden), gegevens → geven. A word holding one of these roots is
# cut after the root instead.
GE_ROOTS = (
    "begeleid", "gelijk", "gemeent", "gebied", "geheel", "gezond", "gedrag", "gemak", "geleidelijk", "gegeven",
    "gemiddeld", "gelegenheid", "eigenaar",
)  # fmt: skip

COMPOUND_FROM = 7  # shorter words are not split
PART_FROM = 3  # shortest part of a compound
KNOWN_PART_FROM = 5  # shortest part of a split against the monitor's own words
SHORT_PART = 4  # a part this short must be a common word ('werk' is, 'ikke' is not)
SHORT_PART_ZIPF = 4.0
PART_MIN_ZIPF = 3.0  # rarer words are no part
WHOLE_MAX_ZIPF = 4.5  # a word this common is left whole (ontwikkeling, organisatie, samenwerking)
SUFFIXES = frozenset(  # derivational endings are no compound part
    {"heid", "ling", "ing", "schap", "satie", "isatie", "isering", "sering", "isme", "iteit", "teit", "baar", "lijk"}
    | {"elijk", "isch", "tie"}
)
PART_PENALTY = 1.5  # per part: two likely parts beat three
LINKING = ("s", "e", "en")  # tussenletters: personeel-s-tekort, dier-en-arts
PLURAL_EN_ZIPF = 2.5
VERB_FORM_FROM = 6  # a longer word ending in -d or -t whose stem + 'en' is a common verb is a form of that verb
VERB_EN_ZIPF = 3.0  # word + 'en' is a word Dutch knows: the word is a stem of its own ('toets' of 'toetsen')
TYPO_FROM = 5  # shorter words (and acronyms) are never corrected
TYPO_MAX_ZIPF = 1.0  # a word Dutch knows (verbieden) is not corrected, even where the monitor lacks it


def normalise(text: str) -> str:
    """Lower case without accents, as DuckDB's lower(strip_accents(…))."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_acronym(typed: str) -> bool:
    """A typed word matched whole only, never split, corrected or stemmed: short, or in capitals (SER, NVAO)."""
    letters = SEPARATOR.sub("", typed)
    return len(letters) <= 3 or (letters.isupper() and len(letters) <= 5)


def parts_of(word: str) -> list[str]:
    """The hyphen or apostrophe parts of a (normalised) word: 'lock-in' → ['lock', 'in']."""
    return [p for p in SEPARATOR.split(word) if p]


def joined(word: str) -> str:
    """A word without its hyphens and apostrophes: 'open-source' → 'opensource'."""
    return SEPARATOR.sub("", word)


_SNOWBALL = Stemmer.Stemmer("dutch")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Dutch stem of a normalised word, with five corrections: a Latin plural is stemmed as its
    singular (curricula as curriculum); a verb form in -d/-t without ge- is stemmed as its verb; a root from GE_ROOTS
    keeps its 'ge'; a word that is the stem of its own plural stays whole; -eer/-er stems are one (digitaliseer,
    digitaliser)."""
    if word.endswith(("ieen", "eeen")):  # strategieën, ideeën without their trema: the plural -en of -ie, -ee
        word = word[:-2]
    word = latin_singular(word)
    for root in GE_ROOTS:
        at = word.find(root)
        if at >= 0:
            return word[: at + len(root)]
    if len(word) >= VERB_FORM_FROM and word[-1] in "dt" and zipf(word[:-1] + "en") >= VERB_EN_ZIPF:
        return stem(word[:-1] + "en")  # verzameld, bezuinigd, onderzoekt: as their verb (verzamelen)
    stemmed = _SNOWBALL.stemWord(word)
    if stemmed != word and len(word) - len(stemmed) <= 1 and zipf(word + "en") >= PLURAL_EN_ZIPF:
        stemmed = word  # toets, kans, open: the stem of their plural toetsen, not Snowball's 'toet', 'kan', 'oop'
    if len(stemmed) > 6 and stemmed.endswith("eer"):
        stemmed = stemmed[:-3] + "er"
    return stemmed


# Latin plurals Snowball leaves apart from their singular: curricula (curriculum), media (medium), criteria, musea,
# centra; alumni (alumnus), stimuli. (plural ending, singular ending)
LATIN_PLURALS = (("a", "um"), ("i", "us"))
LATIN_FROM = 5  # shorter words stay as they are: data is no plural of datum here, visa no word of the monitor
LATIN_SINGULAR_ZIPF = 2.0  # the singular must be a word Dutch knows (agenda has no agendum)


def latin_singular(word: str) -> str:
    """The Latin singular of a (normalised) plural in -a or -i whose singular in -um or -us Dutch knows, else the
    word: 'curricula' → curriculum."""
    if len(word) < LATIN_FROM or not word.isalpha():
        return word
    for plural, singular in LATIN_PLURALS:
        if word.endswith(plural):
            candidate = word[: -len(plural)] + singular
            if zipf(candidate) >= LATIN_SINGULAR_ZIPF:
                return candidate
    return word


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Dutch word → frequency, the alphabetic words only. Read past wordfreq's own caches (`__wrapped__`): its
    get_frequency_dict and get_frequency_list keep the whole list twice for the process's life (~30 MB in the app
    server) beside this dict, which is all the search uses. Same values as get_frequency_dict."""
    frequencies: dict[str, float] = {}
    for index, bucket in enumerate(wordfreq.get_frequency_list.__wrapped__("nl")):
        frequency = wordfreq.cB_to_freq(-index)
        frequencies.update((word, frequency) for word in bucket if word.isalpha())
    return frequencies


def zipf(word: str) -> float:
    """How common a word is in Dutch (wordfreq's Zipf scale: 0 unknown, 3 rare, 6 very common)."""
    frequency = _frequencies().get(word)
    return math.log10(frequency) + 9 if frequency else 0.0


def _part_cost(part: str) -> float | None:
    """Minus the log frequency of a part, or None if it is no word to split on."""
    frequency = _frequencies().get(part)
    if frequency is None or len(part) < PART_FROM or part in STOPWORDS or part in SUFFIXES:
        return None
    part_zipf = math.log10(frequency) + 9
    if part_zipf < PART_MIN_ZIPF or (len(part) <= SHORT_PART and part_zipf < SHORT_PART_ZIPF):
        return None
    return -math.log10(frequency)


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Dutch compound ('personeelstekorten' → personeel, tekorten), or () if it has none.

    The most likely split wins: each part costs its -log frequency plus PART_PENALTY, so fewer and commoner parts
    are preferred; a linking s, e or en between parts is allowed. Known compounds are split too ('werkdruk' → werk,
    druk); very common words are left whole."""
    if len(word) < COMPOUND_FROM or not word.isalpha() or zipf(word) >= WHOLE_MAX_ZIPF:
        return ()
    n = len(word)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for end in range(PART_FROM, n + 1):
        for start in range(0, end - PART_FROM + 1):
            if best[start] is None or (start == 0 and end == n):  # the whole word is no split
                continue
            cost = _part_cost(word[start:end])
            if cost is not None:
                _extend(best, start, end, cost, word)
    found = best[n]
    return found[1] if found else ()


def _extend(best: list, start: int, end: int, cost: float, word: str) -> None:
    """Record word[start:end] as the next part after the best split up to `start`, also with a linking letter."""
    total = best[start][0] + cost + PART_PENALTY
    parts = (*best[start][1], word[start:end])
    if best[end] is None or total < best[end][0]:
        best[end] = (total, parts)
    for link in LINKING:  # the part plus a linking letter: the next part starts after it
        after = end + len(link)
        if after < len(word) and word[end:after] == link and (best[after] is None or total + 0.5 < best[after][0]):
            best[after] = (total + 0.5, parts)


def split_known(word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """Two parts the monitor itself knows as words, for a compound whose parts Dutch's word list lacks or finds
    too rare (docent + professionalisering): the split with the longest shorter part, a linking s allowed."""
    if len(word) < COMPOUND_FROM or not word.isalpha():
        return ()
    splits = []
    for cut in range(KNOWN_PART_FROM, len(word) - KNOWN_PART_FROM + 1):
        first, second = word[:cut], word[cut:]
        if second.startswith("s") and len(second) > KNOWN_PART_FROM and not known(second):
            second = second[1:]  # the linking s
        if known(first) and known(second):
            splits.append((min(len(first), len(second)), (first, second)))
    return max(splits)[1] if splits else ()


# Latinate word families share a root the stemmer cuts differently: certificeren (certificer), certificaat,
# certificering; accreditatie, geaccrediteerd; uitfaseren, uitfasen. (ending, shortest root)
ROOT_ENDINGS = (("eren", 6), ("ering", 6), ("atie", 7))


def latinate_root(word: str) -> str | None:
    """The root of a verb in -eren or a noun in -ering or -atie ('certificeren' → certific), or None."""
    for ending, shortest in ROOT_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            return word[: -len(ending)]
    return None


NOUN_VERB_FROM = 4  # shorter stems in -e are left alone


def verb_of_noun(word: str) -> str | None:
    """The verb of a noun in -e that is its verb without the -n ('score' → scoren), if Dutch knows that verb and
    its noun in -ing (scoring; not 'groten', 'grote' has no 'groting'): the stemmer keeps them apart (score, scoor),
    so 'scores' would not find 'scoring' or 'scoort'."""
    stemmed = stem(word)
    if len(stemmed) < NOUN_VERB_FROM or not stemmed.endswith("e"):
        return None
    verb = stemmed + "n"
    if zipf(verb) < VERB_EN_ZIPF or not zipf(stemmed[:-1] + "ing") or stem(verb) == stemmed:
        return None
    return verb


def looks_like_typo(word: str) -> bool:
    """A word worth correcting: long enough and unknown to Dutch (wordfreq)."""
    return len(word) >= TYPO_FROM and word.isalpha() and zipf(word) < TYPO_MAX_ZIPF


def typo_candidates(word: str, vocabulary: list[str], limit: int = 3) -> list[str]:
    """Words of the vocabulary one edit away (two for words of eight letters or more; a swap of two letters is one
    edit), nearest first; the vocabulary is ordered most common first, which breaks ties."""
    distance = 1 if len(word) < 8 else 2
    found = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=distance, limit=limit * 4)
    nearest = min((d for _, d, _ in found), default=None)
    ranked = sorted((index, w) for w, d, index in found if d == nearest)
    return [w for _, w in ranked][:limit]
