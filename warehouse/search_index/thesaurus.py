"""Groups of words that mean the same thing in the monitor, for query expansion ('ook gezocht op: …').

The groups come from the warehouse table search.thesaurus (dbt model search_thesaurus): the curated
data_raw/reference/thesaurus.csv (concepts in the report's own words and the abbreviations it defines, with
provenance per row) and the institutions' names and aliases from dim_institution. Groups that share a phrase are
merged: 'HAN' in the institutions and in the curated list is one group.

A phrase is looked up by its key: its words normalised and stemmed, so 'aanbestedingen' finds the group of
'aanbesteding'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from warehouse.search_index import analysis, dutch


def phrase_words(text: str) -> tuple[str, ...]:
    """A phrase as normalised words: 'Hogeschool van Arnhem en Nijmegen' → ('hogeschool', 'van', …)."""
    return tuple(dutch.WORD.findall(dutch.normalise(text)))


def key(words: Iterable[str]) -> str:
    """The lookup key of normalised words: each joined (no hyphens) and stemmed."""
    return " ".join(dutch.stem(dutch.joined(w)) for w in words)


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[tuple[str, ...], ...] = ()  # each group: phrases as typed in the source, in a stable order
    _by_key: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    longest: int = 0  # words in the longest phrase

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]]) -> Thesaurus:
        """Merge groups that share a phrase key; keep groups of two or more phrases."""
        merged: list[dict[str, str]] = []  # per group: key → phrase as written
        for group in groups:
            entry = {key(words): phrase for phrase in group if (words := phrase_words(phrase))}
            overlapping = [m for m in merged if m.keys() & entry.keys()]
            for other in overlapping:
                entry = {**other, **entry}
                merged.remove(other)
            merged.append(entry)
        kept = [tuple(sorted(g.values(), key=str.lower)) for g in merged if len(g) > 1]
        kept.sort(key=lambda g: g[0].lower())
        by_key: dict[str, list[int]] = {}
        for index, group in enumerate(kept):
            for phrase in group:
                by_key.setdefault(key(phrase_words(phrase)), []).append(index)
                for whole in analysis.elided_words(dutch.normalise(phrase)):  # 'loopbaanoriëntatie en -begeleiding'
                    by_key.setdefault(key([whole]), []).append(index)
        longest = max((len(k.split()) for k in by_key), default=0)
        return cls(tuple(kept), {k: tuple(v) for k, v in by_key.items()}, longest)

    def others(self, words: Iterable[str]) -> list[str]:
        """The other phrases of every group that holds these (normalised) words, as written in the source."""
        wanted = key(words)
        found = []
        for index in self._by_key.get(wanted, ()):
            found += [p for p in self.groups[index] if key(phrase_words(p)) != wanted]
        return list(dict.fromkeys(found))

    def has(self, words: Iterable[str]) -> bool:
        return key(words) in self._by_key

    def starting_with(self, words: Iterable[str]) -> list[str]:
        """The phrases of every group that has a longer phrase starting with these words ('ministerie van
        onderwijs' → the group of 'Ministerie van Onderwijs, Cultuur en Wetenschap'): a name typed in part."""
        start = key(words) + " "
        found = []
        for phrase_key, indices in self._by_key.items():
            if phrase_key.startswith(start):
                for index in indices:
                    found += self.groups[index]
        return list(dict.fromkeys(found))


def from_rows(rows: Iterable[tuple[str, str]]) -> Thesaurus:
    """A thesaurus from (group, phrase) rows, as search.thesaurus holds them."""
    groups: dict[str, list[str]] = {}
    for group, phrase in rows:
        groups.setdefault(group, []).append(phrase)
    return Thesaurus.from_groups(groups.values())
