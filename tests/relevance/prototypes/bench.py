"""Index build time and query time of the search prototypes (and today's search) on one warehouse.

    .venv/bin/python -m tests.relevance.prototypes.bench                        # the 1× warehouse
    .venv/bin/python -m tests.relevance.prototypes.bench --warehouse /tmp/x1000/transitiemonitor.duckdb

A scaled warehouse comes from tests/scale_data.py (scaled_data_raw) and warehouse.build. The queries are those of
tests/relevance/queries.yaml; each is run once to warm up, then REPEATS times, as a results page asks: the number
of results and the first 25 (today's search: evidence_page with its page size). Build: the whole index from the marts
(reading the texts included), median of --runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from tests.relevance import evaluate

REPEATS = 5


def _timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds (this process, all threads): on a shared machine the CPU time varies less."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _latencies(search: Callable[[str], object], queries: list[str], before_each: Callable[[], None] = lambda: None):
    for q in queries:  # warm-up
        before_each()
        search(q)
    walls, cpus = [], []
    for q in queries:
        for _ in range(REPEATS):
            before_each()
            wall, cpu, _ = _timed(lambda q=q: search(q))
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    walls.sort()
    return statistics.median(walls), walls[round(0.95 * (len(walls) - 1))], walls[-1], statistics.median(cpus)


def _row(name: str, build: list[tuple[float, float]] | None, docs: str, latency: tuple[float, ...]) -> str:
    if build:
        walls, cpus = [w for w, _ in build], [c for _, c in build]
        built = f"{statistics.median(walls):.2f} s (n={len(build)}, min {min(walls):.2f}; "
        built += f"CPU {statistics.median(cpus):.2f} s)"
    else:
        built = "in the dbt build"
    median, p95, worst, cpu = latency
    return f"| {name} | {built} | {docs} | {median:.1f} | {p95:.1f} | {worst:.1f} | {cpu:.1f} |"


def main() -> None:
    from warehouse.build import WAREHOUSE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--thesaurus", default="aliases")
    parser.add_argument("--engines", default="tantivy,duckdb", help="comma-separated: tantivy, duckdb")
    parser.add_argument("--skip-today", action="store_true")
    args = parser.parse_args()
    os.environ["TM_WAREHOUSE"] = str(args.warehouse)
    queries = [q.query for q in evaluate.load_queries()]
    lines = [
        f"Warehouse: {args.warehouse} · {len(queries)} queries × {REPEATS} after a warm-up",
        f"thesaurus {args.thesaurus}",
        "",
        "| search | index build | documents | query median ms | p95 ms | max ms | query CPU median ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    from tests.relevance.prototypes import duckdb_engine, tantivy_engine

    builders = {
        "tantivy": lambda: tantivy_engine.TantivySearch.build(args.warehouse, thesaurus=args.thesaurus),
        "duckdb": lambda: duckdb_engine.DuckdbSearch.build(args.warehouse, thesaurus=args.thesaurus),
    }
    for name in args.engines.split(","):
        build = builders[name]
        times, engine = [], None
        for _ in range(args.runs):
            engine = None
            gc.collect()
            wall, cpu, engine = _timed(build)
            times.append((wall, cpu))
            print(f"{name}: built in {wall:.2f} s (CPU {cpu:.2f} s)", flush=True)
        docs = engine.searcher.num_docs if name == "tantivy" else engine.n_docs
        lines.append(_row(name, times, f"{docs:,}".replace(",", "."), _latencies(engine.page, queries)))
        print(lines[-1], flush=True)
        engine = None
        gc.collect()
    if not args.skip_today:
        from app import data

        def todays_page(text: str):
            return data.evidence_page(data.EvidenceFilter(search=text), 0, data.EVIDENCE_PAGE_SIZE)

        latency = _latencies(todays_page, queries, before_each=data._search_cached.clear)
        lines.append(_row("today (evidence only, no facets)", None, "evidence", latency))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
