"""The terms of a word and of a text, the same at indexing time and at search time.

A word of a text gives body terms (its stem; a hyphenated word also its parts' stems: 'open-source' → opensource,
open, source) and part terms (the stems of its compound parts: 'personeelstekorten' → personeel, tekort). The index
(index.py) holds both as separate fields; a match on a part counts less (engine.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from warehouse.search_index import dutch


@lru_cache(maxsize=500_000)
def word_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(body terms, part terms) of one normalised word of a text."""
    parts = dutch.parts_of(word)
    whole = "".join(parts)
    body = [dutch.stem(whole)]
    if len(parts) > 1:
        body += [dutch.stem(p) for p in parts]
    compound_parts = []
    for piece in parts if len(parts) > 1 else [whole]:
        compound_parts += [dutch.stem(p) for p in dutch.split_compound(piece)]
    return tuple(dict.fromkeys(body)), tuple(dict.fromkeys(t for t in compound_parts if t not in body))


def search_terms(word: str) -> tuple[str, ...]:
    """The body term a word of a search is looked up by: its stem, hyphens removed."""
    return (dutch.stem(dutch.joined(word)),)


def words_of(text: str) -> list[str]:
    """The normalised words of a text."""
    return dutch.WORD.findall(dutch.normalise(text))


# Elided compounds: 'bij- en omscholing' holds 'bijscholing', 'loopbaanoriëntatie en -begeleiding' holds
# 'loopbaanbegeleiding'. Letters only: 'hbo- en wo' has no head to share and is left alone.
_ELIDED_FIRST = re.compile(r"([^\W\d_]{2,})- (?:en|of) ([^\W\d_]{5,})")
_ELIDED_SECOND = re.compile(r"([^\W\d_]{5,}) (?:en|of) -([^\W\d_]{3,})")
AFFIX_FROM = 5  # the shared part of an elided compound is a word of at least five letters
AFFIX_ZIPF = 3.0


def _head(word: str) -> str | None:
    """The last part of a compound ('omscholing' → scholing): from the compound split, else the longest proper
    ending that is a common Dutch word."""
    parts = dutch.split_compound(word)
    if parts:
        return parts[-1]
    for start in range(2, len(word) - AFFIX_FROM + 1):
        if dutch.zipf(word[start:]) >= AFFIX_ZIPF:
            return word[start:]
    return None


def _modifier(word: str) -> str | None:
    """The first part of a compound ('loopbaanoriëntatie' → loopbaan), as _head from the other end."""
    parts = dutch.split_compound(word)
    if parts:
        return parts[0]
    for end in range(len(word) - 2, AFFIX_FROM - 1, -1):
        if dutch.zipf(word[:end]) >= AFFIX_ZIPF:
            return word[:end]
    return None


def elided_words(normalised: str) -> list[str]:
    """The whole words an elided compound stands for, in a normalised text."""
    found = []
    for first, second in _ELIDED_FIRST.findall(normalised):
        head = _head(second)
        if head and not second.startswith(first):
            found.append(first + head)
    for first, second in _ELIDED_SECOND.findall(normalised):
        modifier = _modifier(first)
        if modifier:
            found.append(modifier + second)
    return found


def text_terms(text: str) -> tuple[str, str, list[str]]:
    """A text as the index stores it: body terms and part terms (each as one space-separated string, in text order,
    the words of elided compounds at the end) and its distinct surface words without hyphens (the vocabulary for
    typo corrections)."""
    body: list[str] = []
    parts: list[str] = []
    normalised = dutch.normalise(text)
    for word in [*dutch.WORD.findall(normalised), *elided_words(normalised)]:
        word_body, word_parts = word_terms(word)
        body += word_body
        parts += word_parts
    surface = list(dict.fromkeys(dutch.joined(w) for w in words_of(text)))
    return " ".join(body), " ".join(parts), surface


def matching_words(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where in a text (character spans) the words stand whose terms include one of `terms`: for highlighting."""
    spans = []
    for match in dutch.WORD.finditer(text):
        body, parts = word_terms(dutch.normalise(match.group(0)))
        if terms.intersection(body) or terms.intersection(parts):
            spans.append(match.span())
    return spans
