"""Groups of words that mean the same thing, for query expansion in the search prototypes.

Three sources, each a level of `--thesaurus`:
- 'aliases': the institutions' own names and spellings (dim_institution: name, aliases, and the code when it is an
  abbreviation, so 'rug' and 'nvao' count), plus the abbreviations the report defines itself in its text
  ('Learning Management System (LMS)', 'BPV (beroepspraktijkvorming)'), found by their initials. Both come from
  the data, not from the relevance queries.
- 'curated': 'aliases' plus thesaurus_curated.csv, a short hand-written list of the report's vocabulary. It was
  written by the author of the relevance queries, after reading them: its figures are an upper bound.
- 'none': no expansion.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from tests.relevance.prototypes import dutch

CURATED = Path(__file__).with_name("thesaurus_curated.csv")
LEVELS = ("none", "aliases", "curated")

# 'Long Form (ABBR)' and 'ABBR (long form)'; the long form is at most eight words.
_LONG_THEN_SHORT = re.compile(r"((?:[\w’'-]+\s+){0,7}[\w’'-]+)\s*\(([A-Z][A-Za-z]{1,5})(?:'s|s)?\)")
_DEFINITION_HINT = re.compile(r"\([A-Z][A-Za-z]{1,5}(?:'s|s)?\)|\b[A-Z]{2,6}\s*\(")
_SHORT_THEN_LONG = re.compile(r"\b([A-Z][A-Z]{1,5})\s*\(([^()]{4,80})\)")


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[tuple[str, ...], ...]  # each group: phrases as normalised words joined by one space

    def groups_with(self, phrase: str) -> list[tuple[str, ...]]:
        return [g for g in self.groups if phrase in g]

    @property
    def phrases(self) -> set[str]:
        return {p for g in self.groups for p in g}


def _phrase(text: str) -> str:
    """A phrase as the query reads it: normalised words, hyphens kept, one space between."""
    return " ".join(dutch.WORD.findall(dutch.normalise(text)))


def _initials_match(abbreviation: str, words: list[str]) -> list[str] | None:
    """The shortest tail of `words` whose initials spell the abbreviation: of all words but stop words, or of the
    capitalised words only ('Centres for Teaching and Learning'); one word may hold the letters in order
    ('beroepspraktijkvorming' for BPV)."""
    letters = abbreviation.lower()
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        content = "".join(w[0].lower() for w in tail if w and w.lower() not in dutch.STOPWORDS)
        capitals = "".join(w[0].lower() for w in tail if w[:1].isupper())
        if letters in (content, capitals) and tail[0][:1].lower() == letters[0]:
            return tail
    if len(words) == 1 and re.fullmatch(".*".join(map(re.escape, letters)) + ".*", words[0].lower()):
        return words if words[0][:1].lower() == letters[0] else None
    return None


def defined_abbreviations(texts: list[str]) -> list[tuple[str, str]]:
    """(abbreviation, long form) pairs the texts define in parentheses."""
    found = set()
    candidates = {t for t in texts if _DEFINITION_HINT.search(t)}  # each distinct text once, and only these
    for text in candidates:
        for long_form, short in _LONG_THEN_SHORT.findall(text):
            words = re.split(r"[\s-]+", long_form)
            tail = _initials_match(short, words)
            if tail:
                found.add((short, " ".join(tail)))
        for short, long_form in _SHORT_THEN_LONG.findall(text):
            words = re.split(r"[\s-]+", long_form.strip())
            if _initials_match(short, words) == words:
                found.add((short, long_form.strip()))
    return sorted(found)


def _institution_groups(con) -> list[set[str]]:
    groups = []
    for code, name, aliases in con.sql(
        "select institution_code, institution_name, aliases from dim_institution"
    ).fetchall():
        group = {name, *aliases}
        if code.isalpha() and len(code) <= 5:  # the code is an abbreviation of the name: rug, nvao, hva
            group.add(code)
        groups.append(group)
    return groups


def _curated_groups() -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    with CURATED.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            groups.setdefault(row["group"], set()).add(row["term"])
    return list(groups.values())


def build(con, level: str, texts: list[str]) -> Thesaurus:
    if level not in LEVELS:
        raise ValueError(level)
    if level == "none":
        return Thesaurus(())
    raw = _institution_groups(con)
    raw += [{short, long_form} for short, long_form in defined_abbreviations(texts)]
    if level == "curated":
        raw += _curated_groups()
    # Merge groups that share a phrase (LLO defined twice, an institution also in the curated list).
    merged: list[set[str]] = []
    for group in ({_phrase(p) for p in g if _phrase(p)} for g in raw):
        overlapping = [m for m in merged if m & group]
        for m in overlapping:
            group |= m
            merged.remove(m)
        merged.append(group)
    return Thesaurus(tuple(tuple(sorted(g)) for g in merged if len(g) > 1))
