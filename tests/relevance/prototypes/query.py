"""How a typed search becomes what both prototypes look up: units (a typed word, or a thesaurus phrase), each with
alternatives that satisfy it (the word, its compound parts, a typo correction, a synonym), each alternative a set
of words that must all occur, with a weight. A result scores per unit by its best alternative; the more units it
satisfies, the better (OR semantics, not every word must match).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.relevance.prototypes import dutch
from tests.relevance.prototypes.thesaurus import Thesaurus

TYPED = 1.0
HYPHEN_PARTS = 0.9  # 'lock-in' as 'lock' and 'in'
JOINED = 0.9  # 'exit strategie' as 'exitstrategie'
SYNONYM = 0.9
COMPOUND_PARTS = 0.8  # 'platformafhankelijkheid' as 'platform' and 'afhankelijkheid'
TYPO = 0.7


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # normalised words; all must occur
    weight: float
    kind: str  # typed, joined, hyphen, compound, typo, synonym


@dataclass(frozen=True)
class Unit:
    typed: str
    alternatives: tuple[Alternative, ...]
    whole_only: bool = False  # an acronym: never split, corrected or prefix-matched


@dataclass(frozen=True)
class Plan:
    units: tuple[Unit, ...]
    expanded: tuple[str, ...] = ()  # 'ook gezocht op: …'
    suggestions: tuple[str, ...] = ()  # 'Bedoelde u …?'


def _content(phrase: str) -> tuple[str, ...]:
    """The words of a phrase that must occur: a hyphenated word by its parts ('LLO-katalysator' and 'LLO
    Katalysator' alike), stop words left out unless the phrase is nothing else."""
    words = [p for w in phrase.split() for p in dutch.SEPARATOR.split(w) if p]
    kept = tuple(w for w in words if w not in dutch.STOPWORDS)
    return kept or tuple(words)


def plan(
    text: str,
    thesaurus: Thesaurus,
    known: Callable[[str], bool] | None = None,
    vocabulary: list[str] | None = None,
    decompound: bool = True,
) -> Plan:
    """The units of a typed search. `known(word)` says whether the index has the word; with `vocabulary` (the
    corpus's words) an unknown word gets typo corrections. `decompound=False` leaves compounds to the engine."""
    typed = dutch.WORD.findall(text)
    words = [dutch.normalise(w) for w in typed]
    phrases = thesaurus.phrases
    units: list[Unit] = []
    expanded: list[str] = []
    suggestions: list[str] = []
    i = 0
    while i < len(words):
        span = next(
            (j for j in range(len(words), i, -1) if " ".join(words[i:j]) in phrases),
            None,
        )
        if span is not None:
            phrase = " ".join(words[i:span])
            alternatives = [Alternative(_content(phrase), TYPED, "typed")]
            for group in thesaurus.groups_with(phrase):
                for other in group:
                    if other != phrase:
                        alternatives.append(Alternative(_content(other), SYNONYM, "synonym"))
                        expanded.append(other)
            acronym = span - i == 1 and dutch.is_acronym(typed[i])
            units.append(Unit(" ".join(typed[i:span]), tuple(dict.fromkeys(alternatives)), acronym))
            i = span
            continue
        word = words[i]
        if word in dutch.STOPWORDS and any(w not in dutch.STOPWORDS for w in words):
            i += 1
            continue
        acronym = dutch.is_acronym(typed[i])
        joined = "".join(dutch.SEPARATOR.split(word))
        alternatives = [Alternative((joined,), TYPED, "typed")]
        parts = tuple(p for p in dutch.SEPARATOR.split(word) if p)
        if len(parts) > 1:
            alternatives.append(Alternative(_content(" ".join(parts)), HYPHEN_PARTS, "hyphen"))
        if not acronym:
            compound = dutch.split_compound(joined) if decompound else ()
            if compound:
                alternatives.append(Alternative(compound, COMPOUND_PARTS, "compound"))
            for neighbour in (i - 1, i + 1):  # two typed words written as one
                if 0 <= neighbour < len(words) and words[neighbour] not in dutch.STOPWORDS:
                    pair = (words[neighbour] + word) if neighbour < i else (word + words[neighbour])
                    alternatives.append(Alternative((dutch.SEPARATOR.sub("", pair),), JOINED, "joined"))
            if vocabulary is not None and known is not None and not known(joined):
                for candidate in dutch.typo_candidates(joined, vocabulary):
                    alternatives.append(Alternative((candidate,), TYPO, "typo"))
                    suggestions.append(candidate)
        units.append(Unit(typed[i], tuple(dict.fromkeys(alternatives)), acronym))
        i += 1
    return Plan(tuple(units), tuple(dict.fromkeys(expanded)), tuple(dict.fromkeys(suggestions)))
