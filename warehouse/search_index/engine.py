"""A typed search against the index: matching and ranking.

Per unit of the query (query.py) one tantivy search: BM25 of its best alternative (a disjunction-max), a term found
as a compound part counting PART_BOOST; longer words of the index that start or end with the typed stem
(PREFIX_WEIGHT) and, for a compound, its rarest part alone (TELLING_PART_WEIGHT) count less. Per text the unit
scores are summed and multiplied by the square of the share of the query it covers, each unit weighted by its idf: a
text with both typed words beats one with either, and a text with only a common word of the query ('onderwijs')
counts little; two typed words next to each other (phrase, at most PHRASE_SLOP words between) lift a text by
PHRASE_LIFT. Texts under RELATIVE_CUTOFF of the best score (RELATIVE_CUTOFF_MANY for a search of several units) are
not returned: they match a minor part of the query only. The constants were chosen on tests/relevance/queries.yaml
(docs/search-evaluation.md says how).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import tantivy

from warehouse.search_index import analysis, dutch
from warehouse.search_index import query as query_plan
from warehouse.search_index.thesaurus import Thesaurus

PART_BOOST = 0.5
PREFIX_WEIGHT = 0.6  # a longer word starting with the typed word's stem (bezuin → bezuinigd), if the stem is long
PREFIX_FROM = 5
PREFIX_TERMS = 30
HEAD_FROM = 6  # a stem this long is also found at the end of a compound (docentprofessionalisering)
HEAD_MODIFIER = 3  # ... after at least this many letters
LONGER_KINDS = ("typed", "typo")
TELLING_PART_WEIGHT = 0.3  # a compound's rarest part alone: below the texts with the whole word or all parts
TELLING_PART_IDF = 3.0
PHRASE_LIFT = 0.3
PHRASE_SLOP = 2
RELATIVE_CUTOFF = 0.1
RELATIVE_CUTOFF_MANY = 0.2  # a search of several units: its partial matches are many
COVERAGE_POWER = 2


@dataclass(frozen=True)
class Hits:
    plan: query_plan.Plan
    ranked: tuple[tuple[int, float], ...] = ()  # (text_key, score), best first
    terms: frozenset[str] = field(default_factory=frozenset)  # what a shown text marks (analysis.matching_words)


def alternative_terms(alternative: query_plan.Alternative) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for w in alternative.words for t in analysis.search_terms(w)))


class Engine:
    def __init__(self, index: tantivy.Index, thesaurus: Thesaurus, vocabulary: Sequence[str]):
        self.index = index
        self.schema = index.schema
        self.searcher = index.searcher()
        self.thesaurus = thesaurus
        self.vocabulary = list(vocabulary)  # most common first
        self.size = max(1, self.searcher.num_docs)

    @lru_cache(maxsize=4096)  # noqa: B019 - one engine per warehouse version, kept for the process's life
    def known(self, word: str) -> bool:
        """Whether the index holds the word (as a word or a compound part)."""
        term = analysis.search_terms(word)[0]
        return self.searcher.doc_freq("body", term) > 0 or self.searcher.doc_freq("parts", term) > 0

    def plan(self, text: str, expand: bool = True) -> query_plan.Plan:
        return query_plan.plan(text, self.thesaurus, self.known, self.vocabulary, expand)

    def _term(self, term: str, acronym: bool) -> tantivy.Query:
        body = tantivy.Query.term_query(self.schema, "body", term)
        if acronym:
            return body
        part = tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "parts", term), PART_BOOST)
        return tantivy.Query.disjunction_max_query([body, part])

    def _alternative(self, alternative: query_plan.Alternative, acronym: bool) -> tantivy.Query | None:
        terms = alternative_terms(alternative)
        if not terms:
            return None
        if len(terms) == 1:
            inner = self._term(terms[0], acronym)
        else:
            inner = tantivy.Query.boolean_query([(tantivy.Occur.Must, self._term(t, acronym)) for t in terms])
        return tantivy.Query.boost_query(inner, alternative.weight / len(terms))

    @cached_property
    def body_terms(self) -> tuple[str, ...]:
        """Every body term of the index (the stems of the vocabulary's words), for compounds ending in a word."""
        return tuple(sorted({analysis.search_terms(w)[0] for w in self.vocabulary}))

    def longer_terms(self, unit: query_plan.Unit) -> list[str]:
        """Longer words of the index holding the stem of a typed (or corrected) word at their start or end: word
        forms Snowball leaves apart (bezuin → bezuinigd) and compounds whose parts Dutch's word list does not know
        (professionalisering in docentprofessionalisering). Not for acronyms or short stems."""
        if unit.acronym:
            return []
        found: dict[str, None] = {}
        for alternative in unit.alternatives:
            terms = alternative_terms(alternative)
            if alternative.kind not in LONGER_KINDS or len(terms) != 1 or len(terms[0]) < PREFIX_FROM:
                continue
            starts = [terms[0]] + [r for w in alternative.words if (r := dutch.latinate_root(w))]
            for start in starts:
                found.update((t, None) for t, _ in self.searcher.terms_with_prefix("body", start, limit=PREFIX_TERMS))
            if len(terms[0]) >= HEAD_FROM:
                head = [t for t in self.body_terms if t.endswith(terms[0]) and len(t) - len(terms[0]) >= HEAD_MODIFIER]
                found.update(dict.fromkeys(head[:PREFIX_TERMS]))
        typed = {t for a in unit.alternatives for t in alternative_terms(a)}
        return [t for t in found if t not in typed]

    def _longer(self, unit: query_plan.Unit) -> tantivy.Query | None:
        longer = self.longer_terms(unit)
        if not longer:
            return None
        queries = [tantivy.Query.term_query(self.schema, "body", t) for t in longer]
        return tantivy.Query.boost_query(tantivy.Query.disjunction_max_query(queries), PREFIX_WEIGHT)

    def telling_parts(self, unit: query_plan.Unit) -> list[str]:
        """Of each compound split of the unit, the part the monitor uses least, if it is rare enough to say something
        alone: toetsvormen also finds toetsing and toetsmomenten (not every text with 'vormen')."""
        found = []
        for alternative in unit.alternatives:
            if alternative.kind != "compound" or len(alternative.words) < 2:
                continue
            idf, term = max((self._idf(t), t) for w in alternative.words for t in analysis.search_terms(w))
            if idf >= TELLING_PART_IDF:
                found.append(term)
        return found

    def unit_query(self, unit: query_plan.Unit) -> tantivy.Query | None:
        queries = [q for a in unit.alternatives if (q := self._alternative(a, unit.acronym)) is not None]
        longer = self._longer(unit)
        if longer is not None:
            queries.append(longer)
        parts = [self._term(t, acronym=False) for t in self.telling_parts(unit)]  # also inside other compounds
        if parts:
            queries.append(tantivy.Query.boost_query(tantivy.Query.disjunction_max_query(parts), TELLING_PART_WEIGHT))
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else tantivy.Query.disjunction_max_query(queries)

    def _scores(self, built: tantivy.Query) -> dict[int, float]:
        hits = self.searcher.search(built, self.size, count=False).hits
        keys = self.searcher.fast_field_values("text_key", [address for _, address in hits])
        return {key: score for (score, _), key in zip(hits, keys, strict=True)}

    def _phrase_pairs(self, plan: query_plan.Plan) -> dict[int, int]:
        """Per text, how many pairs of adjacent typed words stand (nearly) next to each other in it."""
        pairs: dict[int, int] = {}
        for first, second in zip(plan.units, plan.units[1:], strict=False):
            a, b = first.alternatives[0], second.alternatives[0]
            if len(a.words) != 1 or len(b.words) != 1:
                continue
            terms = [alternative_terms(a)[0], alternative_terms(b)[0]]
            phrase = tantivy.Query.phrase_query(self.schema, "body", terms, slop=PHRASE_SLOP)
            for key in self._scores(phrase):
                pairs[key] = pairs.get(key, 0) + 1
        return pairs

    def _idf(self, term: str) -> float:
        frequency = max(self.searcher.doc_freq("body", term), self.searcher.doc_freq("parts", term))
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5)) if frequency else 0.0

    def unit_weight(self, unit: query_plan.Unit) -> float:
        """How much a unit says: the idf of its most telling alternative that the index holds (mean over its
        terms). A common word ('onderwijs') says little, a rare one or a name much."""
        best = 0.0
        for alternative in unit.alternatives:
            idfs = [self._idf(t) for t in alternative_terms(alternative)]
            if idfs and all(idfs):
                best = max(best, sum(idfs) / len(idfs))
        if not best:  # a word being typed ('microcred'): its longer forms
            best = max((self._idf(t) for t in self.longer_terms(unit)), default=0.0)
        return best

    def search(self, text: str, expand: bool = True) -> Hits:
        plan = self.plan(text, expand)
        units = [(q, self.unit_weight(unit)) for unit in plan.units if (q := self.unit_query(unit)) is not None]
        units = [(q, w) for q, w in units if w > 0]
        if not units:
            return Hits(plan, terms=self.highlight_terms(plan))
        totals: dict[int, float] = {}
        covered: dict[int, float] = {}
        for built, weight in units:
            for key, score in self._scores(built).items():
                totals[key] = totals.get(key, 0.0) + score
                covered[key] = covered.get(key, 0.0) + weight
        pairs = self._phrase_pairs(plan) if len(units) > 1 else {}
        mass = sum(w for _, w in units)
        scored = {
            key: total * (covered[key] / mass) ** COVERAGE_POWER * (1 + PHRASE_LIFT * pairs.get(key, 0))
            for key, total in totals.items()
        }
        best = max(scored.values(), default=0.0)
        cutoff = RELATIVE_CUTOFF_MANY if len(units) > 1 else RELATIVE_CUTOFF
        ranked = sorted(
            ((key, score) for key, score in scored.items() if score >= cutoff * best),
            key=lambda item: (-item[1], item[0]),
        )
        return Hits(plan, tuple(ranked), self.highlight_terms(plan))

    def highlight_terms(self, plan: query_plan.Plan) -> frozenset[str]:
        """Every term the plan looks up (typed words, their forms, corrections, synonyms, longer forms)."""
        terms = {t for unit in plan.units for a in unit.alternatives for t in alternative_terms(a)}
        terms.update(t for unit in plan.units for t in (*self.longer_terms(unit), *self.telling_parts(unit)))
        return frozenset(terms)


def from_warehouse(con, folder) -> Engine:
    """The engine of a built warehouse, given a DuckDB connection to it and the folder it lies in: its index
    directory, thesaurus and vocabulary. A warehouse copied without its index directory gets an index built in
    memory from its texts (a few seconds at the nulmeting's size), so it still searches wherever it is copied."""
    from pathlib import Path

    from warehouse.search_index import index, thesaurus

    ((directory,),) = con.sql("select index_directory from search.index_build").fetchall()
    groups = thesaurus.from_rows(con.sql("select group_id, term from search.thesaurus").fetchall())
    vocabulary = [w for (w,) in con.sql("select word from search.vocabulary order by text_count desc, word").fetchall()]
    path = Path(folder) / directory
    if path.is_dir() and tantivy.Index.exists(str(path)):
        opened = index.open_index(path)
    else:
        opened, _ = index.in_memory(index.read_texts(con))
    return Engine(opened, groups, vocabulary)
