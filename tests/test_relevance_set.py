"""The relevance test set (tests/relevance/queries.yaml) stays valid as the warehouse changes, and the evaluator
counts what docs/search-evaluation.md says it counts."""

from __future__ import annotations

from pathlib import Path

from tests.relevance import evaluate

MIN_QUERIES = 45


def test_every_judged_result_exists_in_the_warehouse(warehouse_path: Path) -> None:
    queries = evaluate.load_queries()
    assert evaluate.unknown_judgments(queries, evaluate.known_ids(warehouse_path)) == []


def test_the_set_covers_every_query_type_with_one_to_three_best_results() -> None:
    queries = evaluate.load_queries()
    assert len(queries) >= MIN_QUERIES
    assert {q.type for q in queries} == set(evaluate.TYPES)
    assert all(1 <= len(q.best) <= 3 for q in queries)
    assert all(not set(q.best) & set(q.relevant) for q in queries)
    assert len({q.query.lower() for q in queries}) == len(queries)


def test_a_sentence_copy_counts_as_its_variatie_paragraph_once() -> None:
    judged = evaluate.Judged(
        "x", "q", "plain", ("evidence:2025-variatie-digitalisering-opbouw-01",), ("evidence:2025-voorbeeld-a-01",)
    )
    ranked = [
        "evidence:2025-variatie_sector-digitalisering-opbouw-03",
        "evidence:2025-variatie-digitalisering-opbouw-01",
        "source:2025-01",
    ]
    score = evaluate.score_query(judged, ranked)
    assert score.results == 2  # the sentence and its paragraph are one result
    assert score.recall == 0.5
    assert score.precision == 0.5
    assert score.best_in_top


def test_precision_is_over_the_first_ten_shown_and_undefined_when_nothing_is_shown() -> None:
    judged = evaluate.Judged("x", "q", "plain", ("source:2025-01",), ())
    shown = [f"source:2025-{n:02d}" for n in range(20, 40)] + ["source:2025-01"]
    late = evaluate.score_query(judged, shown)
    assert (late.recall, late.precision, late.best_in_top) == (1.0, 0.0, False)
    empty = evaluate.score_query(judged, [])
    assert (empty.zero, empty.precision, empty.recall) == (True, None, 0.0)
    summary = evaluate.summarise([late, empty])[-1]
    assert (summary.queries, summary.zero, summary.precision) == (2, 1, 0.0)
