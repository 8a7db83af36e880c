"""Every URL a person can type: absurd or hostile query parameters fall back to a default, never a traceback;
Streamlit's metrics are not public; an error no page caught is a Dutch sentence in the browser."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.asgi import ERROR_SENTENCE, normalised_path
from app.ui import layout
from tests.helpers import open_app_page, running_app

PAGES = tuple(layout.PAGES)  # every page the app has: a new page is fuzzed without a change here
PARAMETERS = (
    "jaar",
    "sector",
    "thema",
    "dynamiek",
    "weergave",
    "zoek",
    "instelling",
    "soort",
    "lijst",
    "van",
    "tot",
    "pagina",
    "pagina_voorbeelden",
    "pagina_sessies",
    "code",
    "deelnemer",
    "ronde",
    "synoniemen",
)
# What an attacker tried, and what Hypothesis adds to it: huge and non-ASCII numbers, markup, control characters.
KNOWN_BAD = [
    "99999999999999999999",
    "-1",
    "0",
    "１２",
    "٣",
    "1e9",
    "NaN",
    "２０２６",
    "![](//example.invalid/x)",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    "\u202e1",
    "x" * 5000,
]
hostile_values = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=200),
)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore//metrics", "/_STCORE/Metrics", "/a/../_stcore/metrics"]
)
def test_metrics_are_not_public(server, path):
    assert _status(server + path) == 404


def test_health_stays_public(server):
    assert _status(server + "/_stcore/health") == 200


def test_path_spellings_are_normalised():
    assert normalised_path("/_stcore//metrics/") == "/_stcore/metrics"
    assert normalised_path("\\_stcore\\metrics") == "/_stcore/metrics"
    assert normalised_path("/x/../../_stcore/./metrics") == "/_stcore/metrics"


@pytest.mark.parametrize("page", ["voorbeelden", "thema"])
@pytest.mark.parametrize("value", ["99999999999999999999", "１２", "-5", "1e3"])
def test_absurd_page_numbers_fall_back_with_a_dutch_note(warehouse_path, monkeypatch, page, value):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    key = {"voorbeelden": "pagina", "thema": "pagina_voorbeelden"}[page]
    at = open_app_page(page, **{key: value})
    if value != "-5":
        assert any("paginanummer in het adres bestaat niet" in c.value for c in at.caption)


@settings(
    max_examples=int(os.environ.get("TM_FUZZ_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(page=st.sampled_from(PAGES), values=st.dictionaries(st.sampled_from(PARAMETERS), hostile_values, min_size=1))
def test_hostile_query_parameters_never_raise(warehouse_path, monkeypatch, page, values):
    """Generated values for every parameter the pages read; open_app_page fails on any exception."""
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    at = open_app_page(page, **{key: value.replace("\x00", "") for key, value in values.items()})
    shown = " ".join(e.value for e in [*at.markdown, *at.caption, *at.error] if isinstance(e.value, str))
    assert "Traceback" not in shown and "Exception" not in shown


def test_an_unexpected_error_is_a_dutch_sentence_without_a_traceback(browser, tmp_path):
    """A warehouse file of the wrong shape makes every page fail: the browser sees our sentence, not Python."""
    broken = tmp_path / "transitiemonitor.duckdb"
    con = duckdb.connect(str(broken))
    con.execute("create table marker as select 'geen warehouse' as what")
    con.close()
    with running_app({"TM_WAREHOUSE": str(broken)}) as base:
        page = browser.new_page()
        try:
            page.goto(base + "/voorbeelden?pagina=3")
            page.get_by_text(ERROR_SENTENCE[:40]).wait_for(timeout=30_000)
            text = page.inner_text("body")
        finally:
            page.close()
    for leak in ("Traceback", "Exception", "duckdb", str(tmp_path), ".py", "Error"):
        assert leak not in text
