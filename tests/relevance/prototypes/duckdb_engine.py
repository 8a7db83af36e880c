"""Prototype (b): DuckDB with a token table and BM25 in SQL; Dutch from PyStemmer, wordfreq and rapidfuzz.

The index is built from the marts in one pass. DuckDB splits every text into words once (regexp_extract_all); only
the distinct words go through Python (stem, compound parts), and a hash join on the word gives each occurrence its
terms. Compound parts count half in a term's frequency; BM25's term-frequency part is stored per posting.

A search is one SQL statement: BM25 per (result, unit, alternative), the best alternative per unit, summed over
units and multiplied by the square of the share of units matched (a result with one of two typed words scores a
quarter); two typed words next to each other (at most one word between) lift a result. Results under
RELATIVE_CUTOFF of the best score are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from tests.relevance.prototypes import corpus, dutch, query, thesaurus

K1 = 1.2
B = 0.75  # length normalisation: 0.75 is BM25's usual value
PART_WEIGHT = 0.5  # an occurrence as a compound part counts half
PHRASE_LIFT = 0.3  # per pair of adjacent typed words found next to each other
RELATIVE_CUTOFF = 0.2  # results under this share of the best score are not shown
PHRASE_CANDIDATES = 500  # adjacency is checked for the best results only
WORD_PATTERN = r"[\pL\pN]+(?:[-'’‐‑][\pL\pN]+)*"  # as the warehouse's macros/search.sql
SQL_WORD_PATTERN = WORD_PATTERN.replace("'", "''")
TERM_STRUCT = "struct(unit integer, alt integer, term varchar, weight double, size integer)[]"


@dataclass
class DuckdbSearch:
    con: duckdb.DuckDBPyConnection
    thesaurus: thesaurus.Thesaurus
    stem: object
    vocabulary: list[str]
    term_set: frozenset[str]
    n_docs: int
    decompound: bool = True
    b: float = B
    cutoff: float = RELATIVE_CUTOFF

    @classmethod
    def build(
        cls,
        warehouse: Path,
        thesaurus: str = "aliases",
        stemming: str = "dutch",
        decompound: bool = True,
        database: str = ":memory:",
        b: float = B,
        cutoff: float = RELATIVE_CUTOFF,
    ) -> DuckdbSearch:
        with duckdb.connect(str(warehouse), read_only=True) as marts:
            docs = corpus.documents(marts)
            expansions = _thesaurus(marts, thesaurus, docs)
        stem = dutch.stemmer(stemming)
        con = duckdb.connect(database)
        con.execute("set threads = 2")
        table = pa.table({"doc_key": range(len(docs)), "id": [d.id for d in docs], "text": [d.text for d in docs]})
        con.register("source_docs", table)
        con.execute("create or replace table docs as select doc_key, id, text from source_docs")
        con.unregister("source_docs")
        # Every word once per occurrence, with its position: split in DuckDB, not in Python.
        con.execute(
            "create or replace table occurrences as "
            "select doc_key, generate_subscripts(words, 1) as pos, unnest(words) as word from ("
            f"  select doc_key, regexp_extract_all(lower(strip_accents(text)), '{SQL_WORD_PATTERN}') as words "
            "  from docs)"
        )
        words = [w for (w,) in con.sql("select distinct word from occurrences").fetchall()]
        lexicon = _lexicon(words, stem, decompound)
        con.register("lexicon_rows", lexicon)
        con.execute("create or replace table lexicon as select * from lexicon_rows")
        con.unregister("lexicon_rows")
        con.execute(
            "create or replace table lengths as select doc_key, count(*) as len from occurrences group by doc_key"
        )
        con.execute("create or replace table corpus_stats as select count(*) as n, avg(len) as avgdl from lengths")
        # BM25's term-frequency part is fixed once the index is built: stored per posting ('impact'), so a search
        # multiplies it by the term's idf and joins nothing else. Postings and positions are stored in term order,
        # so that a search reads only the row groups of its terms (zone maps).
        con.execute(
            "create or replace table postings as "
            f"select doc_key, term, tf * ({K1} + 1) / (tf + {K1} * (1 - {b} + {b} * len / avgdl)) as impact from ("
            f"  select o.doc_key, l.term, sum(case when l.is_part then {PART_WEIGHT} else 1 end) as tf "
            "  from occurrences o join lexicon l using (word) group by all"
            ") join lengths using (doc_key), corpus_stats order by term, doc_key"
        )
        con.execute(
            "create or replace table positions as "
            "select o.doc_key, o.pos, l.term from occurrences o join lexicon l using (word) where not l.is_part "
            "order by l.term, o.doc_key"
        )
        con.execute(
            "create or replace table terms as select term, ln(1 + (any_value(n) - count(*) + 0.5) / (count(*) + 0.5)) "
            "as idf from postings, corpus_stats group by term"
        )
        vocabulary = [w for (w,) in con.sql("select distinct word from lexicon where not is_part").fetchall()]
        term_set = frozenset(t for (t,) in con.sql("select term from terms").fetchall())
        con.execute("drop table occurrences")
        return cls(con, expansions, stem, vocabulary, term_set, len(docs), decompound, b, cutoff)

    def known(self, word: str) -> bool:
        return self.stem(word) in self.term_set

    def plan(self, text: str) -> query.Plan:
        return query.plan(text, self.thesaurus, self.known, self.vocabulary, self.decompound)

    def search(self, text: str) -> list[str]:
        return [i for i, _ in self.ranked(text)[1]]

    def page(self, text: str, limit: int = 25) -> tuple[int, list[str]]:
        """What a results page needs: how many results, and the first `limit`."""
        total, shown = self.ranked(text, limit)
        return total, [i for i, _ in shown]

    def ranked(self, text: str, limit: int | None = None) -> tuple[int, list[tuple[str, float]]]:
        plan = self.plan(text)
        rows = []
        for u, unit in enumerate(plan.units):
            for a, alternative in enumerate(unit.alternatives):
                terms = list(dict.fromkeys(self.stem(w) for w in alternative.words))
                rows += [
                    {"unit": u, "alt": a, "term": t, "weight": alternative.weight, "size": len(terms)} for t in terms
                ]
        if not rows:
            return 0, []
        pairs = [
            {"unit": u, "alt": 0, "term": self.stem(first.alternatives[0].words[0]), "weight": 0.0, "size": 0}
            for u, (first, second) in enumerate(zip(plan.units, plan.units[1:], strict=False))
            if len(first.alternatives[0].words) == 1 and len(second.alternatives[0].words) == 1
        ] + [
            {"unit": u, "alt": 1, "term": self.stem(second.alternatives[0].words[0]), "weight": 0.0, "size": 0}
            for u, (first, second) in enumerate(zip(plan.units, plan.units[1:], strict=False))
            if len(first.alternatives[0].words) == 1 and len(second.alternatives[0].words) == 1
        ]
        terms = sorted({r["term"] for r in rows})
        pair_terms = sorted({r["term"] for r in pairs}) or [""]
        in_terms, in_pairs = ", ".join("?" * len(terms)), ", ".join("?" * len(pair_terms))
        sql = f"""
            with q as (select unnest(?::{TERM_STRUCT}, recursive := true)),
            hits as (
                select p.doc_key, q.unit, q.alt, q.weight, q.size, t.idf * p.impact as s
                from postings p join q using (term) join terms t using (term)
                where p.term in ({in_terms})),
            alternatives as (
                select doc_key, unit, alt, any_value(weight) * sum(s) / any_value(size) as s, count(*) as present,
                    any_value(size) as size
                from hits group by doc_key, unit, alt),
            units as (select doc_key, unit, max(s) as s from alternatives where present = size group by all),
            ranked as (select doc_key, sum(s) * pow(count(*) / ?, 2) as score from units group by doc_key),
            top as (select doc_key from ranked order by score desc limit {PHRASE_CANDIDATES}),
            pair_terms as (select unnest(?::{TERM_STRUCT}, recursive := true)),
            adjacent as (
                select a.doc_key, count(distinct pa.unit) as pairs
                from pair_terms pa join pair_terms pb on pb.unit = pa.unit and pa.alt = 0 and pb.alt = 1
                    join positions a on a.term = pa.term
                    join positions b on b.doc_key = a.doc_key and b.term = pb.term and b.pos - a.pos between 1 and 2
                where a.term in ({in_pairs}) and b.term in ({in_pairs})
                    and a.doc_key in (select doc_key from top) and b.doc_key in (select doc_key from top)
                group by a.doc_key),
            scored as (
                select r.doc_key, r.score * (1 + {PHRASE_LIFT} * coalesce(j.pairs, 0)) as score
                from ranked r left join adjacent j using (doc_key))
            select d.id, s.score, count(*) over () as total from scored s join docs d using (doc_key)
            where s.score >= {self.cutoff} * (select max(score) from scored)
            order by s.score desc, d.doc_key
            {"limit " + str(int(limit)) if limit is not None else ""}
        """
        pair_rows = pairs or [{"unit": -1, "alt": 0, "term": "", "weight": 0.0, "size": 0}]
        params = [rows, *terms, len(plan.units), pair_rows, *pair_terms, *pair_terms]
        found = self.con.sql(sql, params=params).fetchall()
        return (found[0][2] if found else 0), [(i, score) for i, score, _ in found]


def _thesaurus(marts, level: str, docs: list[corpus.Document]) -> thesaurus.Thesaurus:
    return thesaurus.build(marts, level, [d.text for d in docs])


def _lexicon(words: list[str], stem, decompound: bool) -> pa.Table:
    """Each distinct word's terms: its stem (a hyphenated word joined, 'opensource'), the stems of its hyphen parts
    and of its compound parts (marked is_part)."""
    rows_word, rows_term, rows_part = [], [], []
    for word in words:
        parts = [p for p in dutch.SEPARATOR.split(word) if p]
        joined = "".join(parts)
        entries = {stem(joined): False}
        if len(parts) > 1:
            for p in parts:
                entries.setdefault(stem(p), True)
        if decompound:
            for piece in parts if len(parts) > 1 else [joined]:
                for p in dutch.split_compound(piece):
                    entries.setdefault(stem(p), True)
        for term, is_part in entries.items():
            rows_word.append(word)
            rows_term.append(term)
            rows_part.append(is_part)
    return pa.table({"word": rows_word, "term": rows_term, "is_part": rows_part})
