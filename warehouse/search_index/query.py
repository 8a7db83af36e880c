"""How a typed search becomes what the index looks up.

A search is split into units: a typed word, or a run of typed words that the thesaurus knows as one phrase
('Hogeschool van Arnhem en Nijmegen'). Each unit is satisfied by its best alternative: the word itself, its hyphen
parts, the word joined with its neighbour ('exit strategie' → exitstrategie), its compound parts, a typo
correction, or a synonym from the thesaurus. An alternative is a set of words that must all occur, with a weight.
A result need not satisfy every unit (OR semantics); engine.py rewards results that satisfy more of them.

A short or all-capital word (SER, HAN, NVAO) is an acronym: matched as a whole word only, never split or corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from warehouse.search_index import dutch
from warehouse.search_index.thesaurus import Thesaurus, phrase_words

MAX_WORDS = 8  # more typed words are ignored (the page says so)
TYPED = 1.0
HYPHEN_PARTS = 0.9  # 'lock-in' as 'lock' and 'in'
JOINED = 0.9  # 'exit strategie' as 'exitstrategie'
SYNONYM = 0.9
COMPOUND_PARTS = 0.7  # 'platformafhankelijkheid' as 'platform' and 'afhankelijkheid'
TYPO = 0.7
VERB_OF_NOUN = 0.7  # 'scores' as the verb 'scoren' (scoring, scoort)
COMMON_PART_ZIPF = 5.0  # a part this common in Dutch (tussen, jaar) finds too much apart from its compound


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # normalised words; all must occur
    weight: float
    kind: str  # typed, hyphen, joined, compound, typo, synonym


@dataclass(frozen=True)
class Unit:
    typed: str
    alternatives: tuple[Alternative, ...]
    acronym: bool = False  # matched whole only: never split, corrected or matched as a compound part


@dataclass(frozen=True)
class Plan:
    units: tuple[Unit, ...] = ()
    expanded: tuple[str, ...] = ()  # 'ook gezocht op: …' (thesaurus phrases added)
    suggestions: tuple[tuple[str, str], ...] = ()  # 'Bedoelde u …?': (typed word, correction)
    ignored: tuple[str, ...] = ()  # typed words past MAX_WORDS

    def __bool__(self) -> bool:
        return bool(self.units)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(u.typed for u in self.units)

    def corrected(self, text: str) -> str:
        """The typed search with each suggested correction in place of its word."""
        fixes = dict(self.suggestions)
        return " ".join(fixes.get(dutch.normalise(w), w) for w in dutch.WORD.findall(text))


def content_words(words: Sequence[str]) -> tuple[str, ...]:
    """The words of a phrase that must occur: hyphen parts apart, stop words left out unless nothing else is left."""
    parts = [p for w in words for p in dutch.parts_of(w)]
    kept = tuple(p for p in parts if p not in dutch.STOPWORDS)
    return kept or tuple(parts)


@dataclass
class _Reader:
    """Reads one typed search into units (see plan())."""

    typed: list[str]
    thesaurus: Thesaurus
    known: Callable[[str], bool]
    vocabulary: Sequence[str]
    expand: bool

    def __post_init__(self) -> None:
        self.words = [dutch.normalise(w) for w in self.typed]
        self.units: list[Unit] = []
        self.expanded: list[str] = []
        self.suggestions: list[tuple[str, str]] = []

    def phrase_end(self, start: int) -> int | None:
        """The end of the longest thesaurus phrase starting at `start` (two or more words), if any."""
        longest = min(len(self.words), start + self.thesaurus.longest)
        for end in range(longest, start + 1, -1):
            if self.thesaurus.has(self.words[start:end]):
                return end
        return None

    def prefix_end(self, start: int) -> int | None:
        """The end of the longest run of two or more typed words (two content words) that starts a longer
        thesaurus phrase: the start of a name."""
        for end in range(len(self.words), start + 1, -1):
            words = self.words[start:end]
            if len([w for w in words if w not in dutch.STOPWORDS]) >= 2 and self.thesaurus.starting_with(words):
                return end
        return None

    def synonyms(self, words: Sequence[str], phrases: Sequence[str] | None = None) -> list[Alternative]:
        if not self.expand:
            return []
        found = []
        for phrase in self.thesaurus.others(words) if phrases is None else phrases:
            found.append(Alternative(content_words(phrase_words(phrase)), SYNONYM, "synonym"))
            self.expanded.append(phrase)
        return found

    def read_phrase(self, start: int, end: int, phrases: Sequence[str] | None = None) -> None:
        words = self.words[start:end]
        alternatives = [Alternative(content_words(words), TYPED, "typed"), *self.synonyms(words, phrases)]
        self.units.append(Unit(" ".join(self.typed[start:end]), tuple(dict.fromkeys(alternatives))))

    def joins_next(self, i: int) -> bool:
        """Whether this typed word and the next are one word of the index ('exit strategie' → exitstrategie)."""
        if i + 1 >= len(self.words):
            return False
        pair = self.words[i : i + 2]
        if any(w in dutch.STOPWORDS for w in pair) or any(dutch.is_acronym(t) for t in self.typed[i : i + 2]):
            return False
        return self.known(dutch.joined("".join(pair)))

    def read_pair(self, i: int) -> None:
        """Two typed words the index knows as one: one unit, written either way."""
        pair = self.words[i : i + 2]
        whole = dutch.joined("".join(pair))
        alternatives = [
            Alternative((whole,), TYPED, "typed"),
            Alternative(content_words(pair), JOINED, "separate"),
            *self.synonyms(pair),
            *self.synonyms([whole]),
        ]
        self.units.append(Unit(" ".join(self.typed[i : i + 2]), tuple(dict.fromkeys(alternatives))))

    def read_word(self, i: int) -> None:
        word, typed = self.words[i], self.typed[i]
        acronym = dutch.is_acronym(typed)
        whole = dutch.joined(word)
        alternatives = [Alternative((whole,), TYPED, "typed")]
        parts = dutch.parts_of(word)
        if len(parts) > 1:
            alternatives.append(Alternative(content_words(parts), HYPHEN_PARTS, "hyphen"))
        if not acronym:
            alternatives += self.word_forms(i, whole)
        alternatives += self.synonyms([word])
        self.units.append(Unit(typed, tuple(dict.fromkeys(alternatives)), acronym))

    def known_whole_of_common_parts(self, whole: str, parts: Sequence[str]) -> bool:
        """A compound the index holds whole, made of words common anywhere (tussenjaar: tussen + jaar): its parts
        apart say nothing of it, so they are not searched."""
        return self.known(whole) and all(dutch.zipf(p) >= COMMON_PART_ZIPF for p in parts)

    def word_forms(self, i: int, whole: str) -> list[Alternative]:
        """Compound parts, the word joined with a neighbour, and typo corrections for an unknown word."""
        found = []
        compound = dutch.split_compound(whole) or dutch.split_known(whole, self.known)
        if compound and not self.known_whole_of_common_parts(whole, compound):
            found.append(Alternative(compound, COMPOUND_PARTS, "compound"))
        if verb := dutch.verb_of_noun(whole):
            found.append(Alternative((verb,), VERB_OF_NOUN, "verb"))
        for neighbour in (i - 1, i + 1):  # two typed words written as one
            if 0 <= neighbour < len(self.words) and self.words[neighbour] not in dutch.STOPWORDS:
                pair = (self.words[neighbour], whole) if neighbour < i else (whole, self.words[neighbour])
                found.append(Alternative((dutch.joined("".join(pair)),), JOINED, "joined"))
        if not self.known(whole) and dutch.looks_like_typo(whole):
            for candidate in dutch.typo_candidates(whole, self.vocabulary):
                found.append(Alternative((candidate,), TYPO, "typo"))
                found += [replace(a, weight=TYPO * SYNONYM) for a in self.synonyms([candidate])]
                self.suggestions.append((whole, candidate))
        return found

    def read(self) -> None:
        i = 0
        while i < len(self.words):
            i = self.read_at(i)

    def read_at(self, i: int) -> int:
        """Read the unit starting at typed word i; the index of the next."""
        end = self.phrase_end(i) if self.expand else None
        if end is not None:
            self.read_phrase(i, end)
            return end
        end = self.prefix_end(i) if self.expand else None
        if end is not None:
            self.read_phrase(i, end, self.thesaurus.starting_with(self.words[i:end]))
            return end
        if self.words[i] in dutch.STOPWORDS and any(w not in dutch.STOPWORDS for w in self.words):
            return i + 1
        if self.joins_next(i):
            self.read_pair(i)
            return i + 2
        self.read_word(i)
        return i + 1


def plan(
    text: str | None,
    thesaurus: Thesaurus | None = None,
    known: Callable[[str], bool] = lambda word: True,
    vocabulary: Sequence[str] = (),
    expand: bool = True,
) -> Plan:
    """The units of a typed search. `known(word)` says whether the index holds the word (an unknown one gets typo
    corrections from `vocabulary`, most common word first); `expand=False` leaves the thesaurus out."""
    typed = dutch.WORD.findall(text or "")
    reader = _Reader(typed[:MAX_WORDS], thesaurus or Thesaurus(), known, vocabulary, expand)
    reader.read()
    return Plan(
        tuple(reader.units),
        tuple(dict.fromkeys(reader.expanded)),
        tuple(dict.fromkeys(reader.suggestions)),
        tuple(typed[MAX_WORDS:]),
    )
