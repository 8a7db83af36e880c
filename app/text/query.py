"""How a typed search is read and which words of a text it matches. No Streamlit and no SQL here.

The warehouse indexes every word of the evidence in lower case without accents (dbt_project/macros/search.sql);
a word with a hyphen or apostrophe is indexed whole without it ('micro-credential' → 'microcredential') and by its
parts. A search reads its words the same way and matches each by prefix, after stripping one light Dutch suffix
(-en, -s, -e), so 'micro-credential', 'Microcredentials' and 'microcredential' all find 'microcredentials'. Two
typed words also match as one ('micro credential' finds 'microcredentials'). Every typed word must match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The same words as macros/search.sql's '[\pL\pN]+(?:[-'’‐‑][\pL\pN]+)*' ([^\W_] is a letter or digit).
WORD = re.compile(r"[^\W_]+(?:[-'’‐‑][^\W_]+)*")
SEPARATOR = re.compile(r"[-'’‐‑]")
MAX_WORDS = 6  # more typed words are ignored (the page says so)
MAX_PARTS = 4  # a typed word with more parts is matched whole only
PREFIX_FROM = 3  # shorter words match whole words only: 'de' does not find every word that starts with 'de'
SUFFIXES = ("en", "s", "e")  # longest first; 'pilot's' has lost its apostrophe already
MIN_STEM = 4
PREFIX_END = "\uffff"


def normalise(text: str) -> str:
    """Lower case without accents, as DuckDB's lower(strip_accents(…)) on the evidence."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(term: str) -> str:
    """One light Dutch suffix off, if a stem of at least MIN_STEM letters remains: docenten → docent."""
    for suffix in SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_STEM:
            return term[: -len(suffix)]
    return term


@dataclass(frozen=True)
class Prefix:
    text: str
    whole_word: bool  # short: match the whole term only

    @property
    def low(self) -> str:
        return self.text

    @property
    def high(self) -> str:
        """Exclusive upper bound of the term range: the prefix's range, or just the word itself."""
        return self.text + ("\x00" if self.whole_word else PREFIX_END)

    def matches(self, term: str) -> bool:
        return term == self.text if self.whole_word else term.startswith(self.text)


@dataclass(frozen=True)
class Query:
    """A typed search: the words as typed, the prefixes to look up (bit i = prefixes[i]) and, per typed word,
    the alternatives that satisfy it (a bit mask: every prefix in it must match)."""

    words: tuple[str, ...]
    prefixes: tuple[Prefix, ...]
    units: tuple[tuple[int, ...], ...]
    ignored: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.units)


def _prefix(term: str) -> Prefix:
    stemmed = stem(term)
    return Prefix(stemmed, whole_word=len(term) < PREFIX_FROM)


def parse(text: str | None) -> Query:
    words = WORD.findall(normalise(text or ""))
    kept, ignored = words[:MAX_WORDS], tuple(words[MAX_WORDS:])
    joined = [SEPARATOR.sub("", w) for w in kept]
    prefixes: list[Prefix] = []

    def bit(term: str) -> int:
        prefix = _prefix(term)
        if prefix not in prefixes:
            prefixes.append(prefix)
        return prefixes.index(prefix)

    units = []
    for i, word in enumerate(kept):
        alternatives = [1 << bit(joined[i])]
        parts = [p for p in SEPARATOR.split(word) if p]
        if 1 < len(parts) <= MAX_PARTS:
            mask = 0
            for part in parts:
                mask |= 1 << bit(part)
            alternatives.append(mask)
        if i > 0:  # 'micro credential': the two words as one
            alternatives.append(1 << bit(joined[i - 1] + joined[i]))
        if i < len(kept) - 1:
            alternatives.append(1 << bit(joined[i] + joined[i + 1]))
        units.append(tuple(dict.fromkeys(alternatives)))
    return Query(tuple(kept), tuple(prefixes), tuple(units), ignored)


def word_matches(word: str, prefixes: tuple[Prefix, ...]) -> bool:
    """Whether a word of a text is one the search found (whole, without its hyphens, or one of its parts)."""
    normal = normalise(word)
    candidates = [SEPARATOR.sub("", normal), *SEPARATOR.split(normal)]
    return any(p.matches(c) for p in prefixes for c in candidates if c)
