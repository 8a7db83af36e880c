"""How well a search over the monitor finds what people mean (issue #19), measured on tests/relevance/queries.yaml.

A search is any function from a typed query to a ranked list of result ids (evidence:…, score:…, method:…,
source:…, as in queries.yaml). Per query: recall (share of all judged results that the search returns at all),
precision of the first ten (share of the shown first ten that are judged relevant; undefined when nothing is
shown), whether a 'best' result is in the first three, and whether nothing was found. Per query type: the means.

    .venv/bin/python -m tests.relevance.evaluate                   # the product's search (app.data.site_search)
    .venv/bin/python -m tests.relevance.evaluate --engine tantivy  # a prototype from tests/relevance/prototypes
    .venv/bin/python -m tests.relevance.evaluate --engine duckdb --thesaurus curated --per-query

A 'variatie_sector' row is one sentence of its 'variatie' paragraph: results and judgments are both counted as
that paragraph, once, so showing the paragraph and its sentence copies is not counted as finding more.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

QUERIES = Path(__file__).with_name("queries.yaml")
TYPES = ("word_form", "compound", "typo", "synonym_alias", "acronym", "phrase", "multi_word", "plain")
SHOWN = 10  # precision is over the first ten shown
BEST_WITHIN = 3  # a 'best' result must be in the first three
RESULT_CAP = 2_000  # more results than this are not read (recall is over what a user could page to)

Search = Callable[[str], Sequence[str]]

_VARIATIE_SECTOR = re.compile(r"^evidence:(\d{4})-variatie_sector-(.+)-\d+$")


@dataclass(frozen=True)
class Judged:
    """One query of queries.yaml with its judged results."""

    id: str
    query: str
    type: str
    best: tuple[str, ...]
    relevant: tuple[str, ...]

    @property
    def judged(self) -> frozenset[str]:
        return frozenset(unit(i) for i in (*self.best, *self.relevant))


@dataclass(frozen=True)
class QueryScore:
    id: str
    type: str
    query: str
    results: int
    recall: float
    precision: float | None  # None: nothing shown
    best_in_top: bool
    milliseconds: float
    missed_best: tuple[str, ...]
    false_in_top: tuple[str, ...]

    @property
    def zero(self) -> bool:
        return self.results == 0


@dataclass(frozen=True)
class TypeSummary:
    type: str
    queries: int
    recall: float
    precision: float | None
    best_in_top: float
    zero: int


def load_queries(path: Path = QUERIES) -> list[Judged]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    queries = [
        Judged(e["id"], str(e["query"]), e["type"], tuple(e["best"]), tuple(e.get("relevant") or ())) for e in entries
    ]
    unknown_types = {q.type for q in queries} - set(TYPES)
    if unknown_types:
        raise ValueError(f"unknown query types in {path.name}: {sorted(unknown_types)}")
    ids = [q.id for q in queries]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate query ids in {path.name}")
    return queries


def unit(result_id: str) -> str:
    """The unit a result counts as: a variatie_sector sentence counts as its variatie paragraph."""
    match = _VARIATIE_SECTOR.match(result_id)
    return f"evidence:{match[1]}-variatie-{match[2]}-01" if match else result_id


def collapse(ranked: Iterable[str]) -> list[str]:
    """The ranked results as units, each once, in the order first shown."""
    return list(dict.fromkeys(unit(i) for i in ranked))


def score_query(judged: Judged, ranked: Sequence[str], milliseconds: float = 0.0) -> QueryScore:
    shown = collapse(ranked)
    relevant = judged.judged
    first = shown[:SHOWN]
    best = {unit(i) for i in judged.best}
    return QueryScore(
        id=judged.id,
        type=judged.type,
        query=judged.query,
        results=len(shown),
        recall=len(relevant.intersection(shown)) / len(relevant),
        precision=sum(i in relevant for i in first) / len(first) if first else None,
        best_in_top=bool(best.intersection(shown[:BEST_WITHIN])),
        milliseconds=milliseconds,
        missed_best=tuple(sorted(best - set(shown[:BEST_WITHIN]))),
        false_in_top=tuple(i for i in first if i not in relevant),
    )


def evaluate(search: Search, queries: Sequence[Judged]) -> list[QueryScore]:
    scores = []
    for judged in queries:
        started = time.perf_counter()
        ranked = list(search(judged.query))[:RESULT_CAP]
        scores.append(score_query(judged, ranked, (time.perf_counter() - started) * 1000))
    return scores


def _summary(name: str, scores: Sequence[QueryScore]) -> TypeSummary:
    precisions = [s.precision for s in scores if s.precision is not None]
    return TypeSummary(
        type=name,
        queries=len(scores),
        recall=statistics.fmean(s.recall for s in scores),
        precision=statistics.fmean(precisions) if precisions else None,
        best_in_top=statistics.fmean(s.best_in_top for s in scores),
        zero=sum(s.zero for s in scores),
    )


def summarise(scores: Sequence[QueryScore]) -> list[TypeSummary]:
    """One line per query type (in TYPES order) and a last line over all queries."""
    by_type = [_summary(t, [s for s in scores if s.type == t]) for t in TYPES if any(s.type == t for s in scores)]
    return [*by_type, _summary("all", scores)]


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(summaries: Sequence[TypeSummary]) -> str:
    """The per-type figures as a Markdown table."""
    lines = [
        "| type | queries | recall | precision@10 | best in top 3 | zero results |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in summaries:
        lines.append(
            f"| {s.type} | {s.queries} | {_figure(s.recall)} | {_figure(s.precision)} | "
            f"{s.best_in_top:.0%} | {s.zero} |"
        )
    return "\n".join(lines)


def per_query_table(scores: Sequence[QueryScore]) -> str:
    lines = [
        "| id | type | query | results | recall | P@10 | best≤3 | ms |",
        "| --- | --- | --- | ---: | ---: | ---: | :---: | ---: |",
    ]
    for s in scores:
        lines.append(
            f"| {s.id} | {s.type} | {s.query} | {s.results} | {s.recall:.2f} | {_figure(s.precision)} | "
            f"{'ja' if s.best_in_top else 'nee'} | {s.milliseconds:.1f} |"
        )
    return "\n".join(lines)


def latency(scores: Sequence[QueryScore]) -> str:
    times = sorted(s.milliseconds for s in scores)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"query time: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"


def known_ids(warehouse: Path) -> set[str]:
    """Every id a judgment may name, from the warehouse marts."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        ids = {"evidence:" + i for (i,) in con.sql("select evidence_id from fct_evidence").fetchall()}
        scores = con.sql("select distinct theme_code, dynamic_code from fct_score").fetchall()
        ids |= {f"score:{theme}:{dynamic}" for theme, dynamic in scores}
        ids |= {"method:" + i for (i,) in con.sql("select method_text_id from dim_method_text").fetchall()}
        ids |= {"source:" + i for (i,) in con.sql("select source_id from dim_source").fetchall()}
    return ids


def unknown_judgments(queries: Sequence[Judged], known: set[str]) -> list[tuple[str, str]]:
    return [(q.id, i) for q in queries for i in (*q.best, *q.relevant) if i not in known]


_SCORE_DOC = re.compile(r"^score:(\d{4})-([a-z_]+)-([a-z_]+)-([a-z_]+)$")


def judged_id(doc_id: str) -> str:
    """A product result id as queries.yaml names it: a nulmeting's sector-wide score as score:<theme>:<dynamic>."""
    match = _SCORE_DOC.match(doc_id)
    if match and match[1] == "2025" and match[4] == "alle":
        return f"score:{match[2]}:{match[3]}"
    return doc_id


def product_search(query: str, expand: bool = True) -> list[str]:
    """The product's one search box (app.data.site_search), in the order the Zoeken page shows its results; a
    result that stands for several rows (a text repeated word for word) counts as each of them."""
    from app import data

    found = data.site_search(query, None, expand)
    return [judged_id(doc_id) for members in found.results["members"].to_list() for doc_id in members]


def _engine(name: str, warehouse: Path, thesaurus: str) -> Search:
    if name == "product":
        return product_search
    if name == "product-unexpanded":
        return lambda query: product_search(query, expand=False)
    if name == "tantivy":
        from tests.relevance.prototypes import tantivy_engine

        return tantivy_engine.TantivySearch.build(warehouse, thesaurus=thesaurus).search
    if name == "duckdb":
        from tests.relevance.prototypes import duckdb_engine

        return duckdb_engine.DuckdbSearch.build(warehouse, thesaurus=thesaurus).search
    raise ValueError(name)


def main(argv: Sequence[str] | None = None) -> int:
    from warehouse.build import WAREHOUSE  # the default warehouse file, as `make build` writes it

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("product", "product-unexpanded", "tantivy", "duckdb"), default="product")
    parser.add_argument("--thesaurus", choices=("none", "aliases", "curated"), default="aliases")
    parser.add_argument("--warehouse", type=Path, default=Path(os.environ.get("TM_WAREHOUSE", WAREHOUSE)))
    parser.add_argument("--per-query", action="store_true", help="also one line per query")
    args = parser.parse_args(argv)
    os.environ["TM_WAREHOUSE"] = str(args.warehouse)

    queries = load_queries()
    unknown = unknown_judgments(queries, known_ids(args.warehouse))
    if unknown:
        print(f"judged ids not in the warehouse: {unknown}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    search = _engine(args.engine, args.warehouse, args.thesaurus)
    built = time.perf_counter() - started
    scores = evaluate(search, queries)
    label = args.engine if args.engine.startswith("product") else f"{args.engine}, thesaurus {args.thesaurus}"
    print(f"## {label}: {len(queries)} queries\n")
    print(table(summarise(scores)))
    print(f"\n{latency(scores)}; index built in {built:.2f} s")
    if args.per_query:
        print()
        print(per_query_table(scores))
        for s in scores:
            if not s.best_in_top or s.false_in_top:
                missed = list(s.missed_best) if not s.best_in_top else []
                false = list(s.false_in_top)
                print(f"- {s.id} {s.query!r}: best not in top 3: {missed}; not relevant in top 10: {false}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
