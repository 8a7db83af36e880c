"""The SQL page: what an analyst can ask, and every way out of the warehouse that it refuses."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import data

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"


@pytest.fixture
def locked(warehouse_path):
    connection = data.open_locked_connection(str(warehouse_path), timeout_ms=1500)
    yield connection
    connection.close()


def refusal(sql: str, connection) -> str:
    with pytest.raises(data.SqlRefused) as refused:
        data.run_user_sql(sql, connection)
    return str(refused.value)


def test_a_reading_query_runs(locked):
    result = data.run_user_sql("select theme_code, score from fct_score where dynamic_code = 'lock_in'", locked)
    assert result.frame.height == 5
    assert not result.truncated


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from read_csv('/etc/passwd')", "Bestanden lezen of schrijven kan hier niet"),
        ("select * from read_text('/etc/hostname')", "Bestanden lezen of schrijven kan hier niet"),
        ("select * from glob('/etc/*')", "Bestanden lezen of schrijven kan hier niet"),
        ("select * from '/etc/passwd'", "does not exist"),
        ("select * from read_parquet('x.parquet')", "Bestanden lezen of schrijven kan hier niet"),
        ("copy fct_score to '/tmp/tm_leak.csv'", "COPY-opdracht"),
        ("export database '/tmp/tm_export'", "EXPORT-opdracht"),
        ("attach '/tmp/other.duckdb' as other", "ATTACH-opdracht"),
        ("detach warehouse", "DETACH-opdracht"),
        ("install httpfs", "LOAD-opdracht"),
        ("load fts", "LOAD-opdracht"),
        ("set enable_external_access = true", "SET-opdracht"),
        ("reset lock_configuration", "SET-opdracht"),
        ("pragma threads = 8", "SET-opdracht"),
        ("drop table fct_score", "DROP-opdracht"),
        ("delete from fct_score", "DELETE-opdracht"),
        ("update fct_score set score = 5", "UPDATE-opdracht"),
        ("insert into fct_score select * from fct_score", "INSERT-opdracht"),
        ("create temp table t as select 1", "CREATE-opdracht"),
        ("select 1; copy fct_score to '/tmp/tm_leak2.csv'", "Eén opdracht tegelijk"),
        ("", "geen SQL-opdracht"),
        ("selec 1", "De SQL klopt niet"),
    ],
)
def test_refused(locked, sql, expected):
    assert expected in refusal(sql, locked)
    assert not Path("/tmp/tm_leak.csv").exists() and not Path("/tmp/tm_export").exists()


def test_engine_refuses_even_what_slips_past_the_statement_check(locked):
    """Defence in depth: the locked connection itself rejects file access and setting changes."""
    import duckdb

    for sql in ("copy fct_score to '/tmp/tm_leak3.csv'", "set enable_external_access = true", "attach '/tmp/x.db'"):
        with pytest.raises(duckdb.Error):
            locked.execute(sql)
    assert not Path("/tmp/tm_leak3.csv").exists()
    with pytest.raises(duckdb.Error):
        locked.execute("create table fct_score_copy as select * from fct_score")  # the warehouse is read-only


def test_a_heavy_query_stops_at_the_time_limit(locked):
    started = time.perf_counter()
    message = refusal("select count(*) from range(3000000000) a, range(10) b where a.range % 7 = b.range", locked)
    assert "duurde langer dan" in message
    assert time.perf_counter() - started < 10


def test_rows_are_capped(locked):
    result = data.run_user_sql("select * from range(20000)", locked)
    assert result.frame.height == data.SQL_ROW_CAP
    assert result.truncated


def test_each_session_has_its_own_connection(warehouse_path):
    first = data.open_locked_connection(str(warehouse_path))
    second = data.open_locked_connection(str(warehouse_path))
    assert first is not second
    assert data.run_user_sql("select count(*) as n from fct_evidence", second).frame["n"][0] > 300
    first.close()
    second.close()


# --- The page ---------------------------------------------------------------------------------------------


@pytest.fixture
def sql_page(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page("views/sql.py").run()
    assert not at.exception
    return at


def test_example_loads_and_runs_with_row_count(sql_page):
    at = sql_page
    question = next(b for b in at.button if b.label == "Waar is institutionalisering hoogstens 2 terwijl opbouw 4 is?")
    question.click().run()
    assert "i.score <= 2" in at.text_area(key="sql").value
    count = next(m.value for m in at.markdown if " in " in m.value and "rij" in m.value)
    assert count.startswith("**1 rij**")  # only Leren met en van de maatschappij: opbouw 4, institutionalisering 2
    assert at.dataframe[0].value.iloc[0, 0] == "Leren met en van de maatschappij"  # the result comes first
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download Excel"]


def test_at_least_eight_examples_all_run(sql_page):
    at = sql_page
    examples = [b for b in at.button if b.key and b.key.startswith("voorbeeld-")]
    assert len(examples) >= 8
    for index in range(len(examples)):
        at.button(key=f"voorbeeld-{index}").click().run()
        assert not at.error, (index, [e.value for e in at.error])


def test_refusal_is_shown_not_a_stack_trace(sql_page):
    at = sql_page
    at.text_area(key="sql").input("select * from read_csv('/etc/passwd')").run()
    assert not at.exception
    assert "Bestanden lezen of schrijven kan hier niet" in at.error[0].value


def test_schema_browser_lists_marts_with_descriptions(sql_page):
    at = sql_page
    labels = [e.label for e in at.expander]
    assert "`fct_score`" in labels and "`fct_evidence`" in labels and "`dim_theme`" in labels
    fct_score = next(e for e in at.expander if e.label == "`fct_score`")
    columns = fct_score.dataframe[0].value
    row = columns[columns["kolom"] == "score"].iloc[0]
    assert row["type"] == "INTEGER"
    assert "1 (little dynamic) to 5" in row["betekenis"]


def test_sql_page_can_be_switched_off(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("TM_SQL_PAGE", "uit")
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert "SQL" not in [link.value for link in at.get("page_link")]
    with pytest.raises(Exception):  # noqa: B017 - the page is not registered at all
        at.switch_page("views/sql.py").run()
        assert not at.exception
