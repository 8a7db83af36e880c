"""The product's search finds what people mean (issue #19): the judged queries of tests/relevance/queries.yaml run
through the one search box (app.data.site_search, in the order the Zoeken page shows) on the test warehouse,
against the issue's thresholds. docs/search-evaluation.md has the figures per query type."""

from __future__ import annotations

import statistics

import pytest

from tests.relevance import evaluate

MIN_RECALL = 0.85
MIN_PRECISION_AT_10 = 0.90
MIN_BEST_IN_TOP_3 = 0.85


@pytest.fixture(scope="module")
def scores(warehouse_path, monkeypatch_module):
    monkeypatch_module.setenv("TM_WAREHOUSE", str(warehouse_path))
    queries = evaluate.load_queries()
    return evaluate.evaluate(evaluate.product_search, queries)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _report(scores) -> str:
    return "\n" + evaluate.table(evaluate.summarise(scores))


def test_no_query_finds_nothing(scores):
    assert [s.query for s in scores if s.zero] == [], _report(scores)


def test_precision_of_the_first_ten(scores):
    precision = statistics.fmean(s.precision for s in scores if s.precision is not None)
    assert precision >= MIN_PRECISION_AT_10, _report(scores)


def test_the_best_result_is_in_the_first_three(scores):
    share = statistics.fmean(s.best_in_top for s in scores)
    assert share >= MIN_BEST_IN_TOP_3, _report(scores)


def test_mean_recall(scores):
    recall = statistics.fmean(s.recall for s in scores)
    assert recall >= MIN_RECALL, _report(scores)
