"""Server-side time of a search, as the pages ask it, on one warehouse (docs/search-evaluation.md, 'Speed').

    .venv/bin/python -m tests.relevance.search_speed                      # the warehouse `make build` wrote
    .venv/bin/python -m tests.relevance.search_speed --warehouse /tmp/x1000/transitiemonitor.duckdb

Every query of tests/relevance/queries.yaml in the latest measurement, uncached (the search's and the page's
caches are cleared before each run): the Zoeken page's whole search (app.data.site_search: matching, ranking,
grouping, texts) and the Voorbeelden page's first page of results with its facet counts (app.data.evidence_page).
Once to warm up, then REPEATS times.
Wall-clock and CPU milliseconds of this process; on a shared machine the CPU time varies less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

REPEATS = 3


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _line(name: str, samples: list[tuple[float, float]]) -> str:
    walls = sorted(w for w, _ in samples)
    cpus = [c for _, c in samples]
    p95 = walls[round(0.95 * (len(walls) - 1))]
    return (
        f"| {name} | {len(samples)} | {statistics.median(walls):.1f} | {p95:.1f} | {walls[-1]:.1f} | "
        f"{statistics.median(cpus):.1f} |"
    )


def main() -> None:
    from warehouse.build import WAREHOUSE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path(os.environ.get("TM_WAREHOUSE", WAREHOUSE)))
    args = parser.parse_args()
    os.environ["TM_WAREHOUSE"] = str(args.warehouse)

    from app import data
    from app.data import evidence_queries, search_queries
    from tests.relevance import evaluate

    def clear() -> None:
        search_queries._hits.clear()
        search_queries._site_search.clear()
        evidence_queries._search_cached.clear()

    year = int(data.measurements()["measurement_year"].max())  # at 1000×: the scaled copies are in the last years
    queries = [q.query for q in evaluate.load_queries()]
    searches = {
        "Zoeken: site_search": lambda q: data.site_search(q, year),
        "Voorbeelden: evidence_page, 25 rows + facets": lambda q: data.evidence_page(
            data.EvidenceFilter(year=year, search=q), 0, data.EVIDENCE_PAGE_SIZE, facets=True
        ),
        "matching and ranking alone (engine.search)": lambda q: search_queries.engine().search(q),
    }
    print(f"{args.warehouse}: {len(queries)} queries, uncached, {REPEATS} runs each after a warm-up\n")
    print("| search | n | median ms | p95 ms | max ms | median CPU ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, search in searches.items():
        for q in queries:  # warm-up: the engine opened, the stemmer and word lists loaded
            clear()
            search(q)
        samples = []
        for q in queries:
            for _ in range(REPEATS):
                clear()
                samples.append(_timed(lambda q=q, search=search: search(q)))
        print(_line(name, samples))


if __name__ == "__main__":
    main()
