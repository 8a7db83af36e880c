"""Prototype (a): tantivy, an embedded engine with BM25, a Dutch analyzer, compound splitting and fuzzy queries.

Three text fields: 'body' (simple tokenizer, lowercase, ascii_fold, Dutch stop words, Snowball Dutch stemmer),
'parts' (the same after tantivy's own compound splitter, SplitCompoundWords, given wordfreq's Dutch words: it splits
a word only when the words cover it completely) and 'words' (lowercase and ascii_fold only: a typo in a suffix
changes the stem, 'mediawijsheit' is no edit away from the stem 'mediawijs', so fuzzy matching runs on words).
Python adds only the joined form of a hyphenated word ('open-source' → also 'opensource'), since tantivy's tokenizer
splits on the hyphen.

A search is built from the same units and thesaurus as prototype (b) (tests/relevance/prototypes/query.py): per unit
a disjunction-max over its alternatives, BM25 summed over units by tantivy; a word the index lacks gets tantivy's
FuzzyTermQuery on 'words' (edit distance 1, 2 from eight letters), adjacent typed words a phrase query (slop 1). As
in (b), the score is multiplied by the square of the share of units a result matches (one search per unit) and
results under RELATIVE_CUTOFF of the best score are not shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import tantivy
import wordfreq

from tests.relevance.prototypes import corpus, dutch, query, thesaurus

PART_BOOST = 0.5  # a match on a compound part counts half
PHRASE_BOOST = 0.3
FUZZY_BOOST = 0.7
RELATIVE_CUTOFF = 0.2
RESULT_LIMIT = 2_000
HEAP = 64_000_000


def _analyzer(split_words: list[str] | None = None, stem: bool = True) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
    builder = builder.filter(tantivy.Filter.ascii_fold())
    if split_words is not None:
        builder = builder.filter(tantivy.Filter.split_compound(split_words))
    if stem:
        builder = builder.filter(tantivy.Filter.stopword("dutch")).filter(tantivy.Filter.stemmer("dutch"))
    return builder.build()


def compound_words() -> list[str]:
    """The words tantivy's splitter may split into: the same as prototype (b)'s parts (dutch.split_compound)."""
    words = []
    for word, frequency in dutch._frequencies().items():
        zipf = math.log10(frequency) + 9
        if word in dutch.STOPWORDS or word in dutch.SUFFIXES or len(word) < dutch.PART_FROM:
            continue
        if zipf >= dutch.PART_MIN_ZIPF and (len(word) > dutch.SHORT_PART or zipf >= dutch.SHORT_PART_ZIPF):
            words.append(word)
    return words


def joined_forms(texts: list[str]) -> list[str]:
    """Per text, the joined form of each hyphenated word ('open-source' → 'opensource'), space-separated. Found by
    DuckDB's regex engine: Python's re takes ~20 s for this at 1000×."""
    con = duckdb.connect()
    con.register("texts", pa.table({"text": texts}))
    rows = con.sql(
        "select array_to_string(list_transform(regexp_extract_all(text, '[\\pL\\pN]+(?:[-‐‑][\\pL\\pN]+)+'), "
        "lambda w: regexp_replace(w, '[-‐‑]', '', 'g')), ' ') from texts"
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


@dataclass
class TantivySearch:
    index: tantivy.Index
    schema: tantivy.Schema
    searcher: tantivy.Searcher
    body: tantivy.TextAnalyzer
    parts: tantivy.TextAnalyzer
    thesaurus: thesaurus.Thesaurus
    cutoff: float = RELATIVE_CUTOFF

    @classmethod
    def build(cls, warehouse: Path, thesaurus: str = "aliases", cutoff: float = RELATIVE_CUTOFF) -> TantivySearch:
        with duckdb.connect(str(warehouse), read_only=True) as marts:
            docs = corpus.documents(marts)
            expansions = _build_thesaurus(marts, thesaurus, docs)
        body, parts = _analyzer(), _analyzer(compound_words())
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("body", tokenizer_name="nl")
        builder.add_text_field("parts", tokenizer_name="nl_parts")
        builder.add_text_field("words", tokenizer_name="nl_words")
        schema = builder.build()
        index = tantivy.Index(schema)  # in memory
        index.register_tokenizer("nl", body)
        index.register_tokenizer("nl_parts", parts)
        index.register_tokenizer("nl_words", _analyzer(stem=False))
        writer = index.writer(heap_size=HEAP, num_threads=2)
        for doc, joined in zip(docs, joined_forms([d.text for d in docs]), strict=True):
            text = f"{doc.text} {joined}" if joined else doc.text
            writer.add_document(tantivy.Document(id=doc.id, body=text, parts=doc.text, words=text))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return cls(index, schema, index.searcher(), body, parts, expansions, cutoff)

    def _term(self, field: str, term: str, boost: float) -> tantivy.Query:
        return tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, field, term), boost)

    def _word(self, term: str) -> tantivy.Query:
        """A term in the body, or (for half) as a compound part."""
        return tantivy.Query.disjunction_max_query(
            [self._term("body", term, 1.0), self._term("parts", term, PART_BOOST)]
        )

    def _alternative(self, alternative: query.Alternative) -> tantivy.Query | None:
        terms = [t for w in alternative.words for t in self.body.analyze(w)]
        if not terms:
            return None
        if len(terms) == 1:
            inner = self._word(terms[0])
        else:
            inner = tantivy.Query.boolean_query([(tantivy.Occur.Must, self._word(t)) for t in dict.fromkeys(terms)])
        return tantivy.Query.boost_query(inner, alternative.weight)

    def _unit(self, unit: query.Unit) -> tantivy.Query | None:
        subqueries = [q for a in unit.alternatives if (q := self._alternative(a)) is not None]
        typed = unit.alternatives[0]
        if not unit.whole_only and len(typed.words) == 1:
            compound = self.parts.analyze(typed.words[0])
            if len(compound) > 1:  # a compound query: its parts, in the body or as parts
                subqueries.append(
                    tantivy.Query.boost_query(
                        tantivy.Query.boolean_query([(tantivy.Occur.Must, self._word(t)) for t in compound]),
                        query.COMPOUND_PARTS,
                    )
                )
            word = typed.words[0]
            terms = self.body.analyze(word)
            if (
                len(terms) == 1
                and len(word) >= dutch.TYPO_FROM
                and self.searcher.doc_freq("body", terms[0]) == 0
                and wordfreq.zipf_frequency(word, "nl") < dutch.TYPO_MAX_ZIPF  # not a Dutch word: a typo
            ):
                distance = 1 if len(word) < 8 else 2
                fuzzy = tantivy.Query.fuzzy_term_query(self.schema, "words", word, distance=distance)
                subqueries.append(tantivy.Query.boost_query(fuzzy, FUZZY_BOOST))
        if not subqueries:
            return None
        return subqueries[0] if len(subqueries) == 1 else tantivy.Query.disjunction_max_query(subqueries)

    def search_query(self, text: str) -> tuple[tantivy.Query | None, list[tantivy.Query]]:
        """The whole query, and one query per unit (to count how many units a result matches)."""
        plan = query.plan(text, self.thesaurus, decompound=False)
        units = [q for unit in plan.units if (q := self._unit(unit)) is not None]
        clauses = [(tantivy.Occur.Should, q) for q in units]
        for first, second in zip(plan.units, plan.units[1:], strict=False):
            a, b = first.alternatives[0].words, second.alternatives[0].words
            terms = [t for w in (*a, *b) for t in self.body.analyze(w)]
            if len(a) == len(b) == 1 and len(terms) == 2:
                phrase = tantivy.Query.phrase_query(self.schema, "body", terms, slop=1)
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(phrase, PHRASE_BOOST)))
        return (tantivy.Query.boolean_query(clauses) if clauses else None), units

    def search(self, text: str) -> list[str]:
        return [i for i, _ in self.ranked(text)[1]]

    def page(self, text: str, limit: int = 25) -> tuple[int, list[str]]:
        """What a results page needs: how many results (of the first RESULT_LIMIT), and the first `limit`."""
        total, shown = self.ranked(text, limit)
        return total, [i for i, _ in shown]

    def ranked(self, text: str, limit: int | None = None) -> tuple[int, list[tuple[str, float]]]:
        """tantivy's BM25 times the square of the share of units matched (as prototype (b)), then the cut-off; the
        number shown and the first `limit` (all when None) with their scores."""
        built, units = self.search_query(text)
        if built is None:
            return 0, []
        hits = self.searcher.search(built, RESULT_LIMIT).hits
        if not hits:
            return 0, []
        matched: dict[tuple[int, int], int] = {}
        if len(units) > 1:
            for unit in units:
                for _, address in self.searcher.search(unit, RESULT_LIMIT).hits:
                    key = (address.segment_ord, address.doc)
                    matched[key] = matched.get(key, 0) + 1
        scored = []
        for score, address in hits:
            share = matched.get((address.segment_ord, address.doc), 0) / len(units) if len(units) > 1 else 1.0
            scored.append((score * share * share, address))
        scored.sort(key=lambda hit: -hit[0])
        best = scored[0][0]
        shown = [(score, address) for score, address in scored if score >= self.cutoff * best]
        return len(shown), [(self.searcher.doc(address)["id"][0], score) for score, address in shown[:limit]]


def _build_thesaurus(marts, level: str, docs: list[corpus.Document]) -> thesaurus.Thesaurus:
    return thesaurus.build(marts, level, [d.text for d in docs])
