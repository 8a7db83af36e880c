"""The SQL page: what an analyst can ask, every way out of the warehouse that it refuses, and the limits of the
worker process that runs the query (never the server process)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import data

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
REPO = Path(__file__).resolve().parent.parent

# Small limits keep the runaway tests quick; the page uses the defaults in app.data.
# Room for a worker to start on a busy machine (it derives its rules from duckdb_functions() first); the tests of
# runaway queries set their own, shorter limit.
QUICK = data.SqlLimits(timeout_ms=5000)
RUNAWAY = data.SqlLimits(timeout_ms=1500)


@pytest.fixture
def workdirs(tmp_path, monkeypatch):
    """The workers' private directories go here, so a test can see that each is removed afterwards."""
    root = tmp_path / "werkmappen"
    root.mkdir()
    monkeypatch.setattr("app.data.sql.SQL_WORK_ROOT", str(root))
    return root


@pytest.fixture
def ask(warehouse_path, workdirs):
    def run(sql: str, limits: data.SqlLimits = QUICK) -> data.SqlResult:
        return data.run_user_sql(sql, warehouse_path, limits)

    return run


def refusal(ask, sql: str, limits: data.SqlLimits = QUICK) -> data.SqlRefused:
    with pytest.raises(data.SqlRefused) as refused:
        ask(sql, limits)
    return refused.value


def rss_mb() -> float:
    """This (test) process's resident memory now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_reading_query_runs_in_a_removed_private_directory(ask, workdirs):
    result = ask("select theme_code, score from fct_score where dynamic_code = 'lock_in'")
    assert result.frame.height == 5
    assert not result.truncated
    assert Path(result.workdir).parent == workdirs and not Path(result.workdir).exists()
    assert list(workdirs.iterdir()) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from read_csv('/etc/passwd')", "niet beschikbaar"),
        ("select * from read_text('/etc/hostname')", "niet beschikbaar"),
        ("select * from read_text('.tmp/*')", "niet beschikbaar"),
        ("select * from read_blob('.tmp/*')", "niet beschikbaar"),
        ("select * from glob('/etc/*')", "niet beschikbaar"),
        ("select * from '/etc/passwd'", "Bestanden lezen kan hier niet"),
        ("select * from '.tmp/x.csv'", "Bestanden lezen kan hier niet"),
        ('select * from "x.parquet"', "Bestanden lezen kan hier niet"),
        ("describe '/etc/passwd'", "Bestanden lezen kan hier niet"),
        ("select * from read_parquet('x.parquet')", "niet beschikbaar"),
        ("select * from parquet_metadata('x.parquet')", "niet beschikbaar"),
        ("select * from read_json_auto('x.json')", "niet beschikbaar"),
        ("select * from sniff_csv('x.csv')", "niet beschikbaar"),
        ("select * from query('select * from read_text(''/etc/hostname'')')", "niet beschikbaar"),
        ("select * from duckdb_settings()", "niet beschikbaar"),
        ("select * from duckdb_databases()", "niet beschikbaar"),
        ("select * from duckdb_extensions()", "niet beschikbaar"),
        ("select current_setting('temp_directory')", "niet beschikbaar"),
        ("pragma database_list", "PRAGMA-opdracht"),
        ("call pragma_database_list()", "CALL-opdracht"),
        ("copy fct_score to '/tmp/tm_leak.csv'", "COPY-opdracht"),
        ("copy (select 1) to '.tmp/x.csv'", "COPY-opdracht"),
        ("explain analyze copy (select 1) to '.tmp/x.csv'", "EXPLAIN mag hier alleen"),
        ("explain analyze copy (select 1) to '/tmp/tm_leak.csv'", "EXPLAIN mag hier alleen"),
        ("explain copy (select 1) to '/tmp/tm_leak.csv'", "EXPLAIN mag hier alleen"),
        ("explain analyze create temp view fct_score as select 'vervalst' as score", "EXPLAIN mag hier alleen"),
        ("explain analyze select * from read_text('.tmp/*')", "niet beschikbaar"),
        ("explain analyze select * from '/etc/passwd'", "Bestanden lezen kan hier niet"),
        ("export database '/tmp/tm_export'", "EXPORT-opdracht"),
        ("attach '/tmp/other.duckdb' as other", "ATTACH-opdracht"),
        ("detach warehouse", "DETACH-opdracht"),
        ("install httpfs", "LOAD-opdracht"),
        ("load fts", "LOAD-opdracht"),
        ("set enable_external_access = true", "SET-opdracht"),
        ("set variable x = 1", "SET-opdracht"),
        ("reset lock_configuration", "SET-opdracht"),
        ("pragma threads = 8", "SET-opdracht"),
        ("drop table fct_score", "DROP-opdracht"),
        ("delete from fct_score", "DELETE-opdracht"),
        ("update fct_score set score = 5", "UPDATE-opdracht"),
        ("insert into fct_score select * from fct_score", "INSERT-opdracht"),
        ("create temp table t as select 1", "CREATE-opdracht"),
        ("create temp view fct_score as select 'vervalst' as score", "CREATE-opdracht"),
        ("create temp macro m() as 1", "CREATE-opdracht"),
        ("select 1; copy fct_score to '/tmp/tm_leak2.csv'", "Eén opdracht tegelijk"),
        ("", "geen SQL-opdracht"),
        ("-- alleen commentaar", "geen SQL-opdracht"),
        ("selec 1", "De SQL klopt niet"),
    ],
)
def test_refused_and_nothing_written(ask, workdirs, sql, expected):
    refused = refusal(ask, sql)
    assert expected in refused.message
    for leak in ("/tmp/tm_leak.csv", "/tmp/tm_leak2.csv", "/tmp/tm_export", "/tmp/other.duckdb"):
        assert not Path(leak).exists()
    assert not (Path.cwd() / ".tmp").exists() and not (REPO / ".tmp").exists()
    assert list(workdirs.iterdir()) == []  # the worker's private directory is gone


def test_explain_analyze_of_a_create_leaves_fct_score_unchanged(ask):
    before = ask("select score, count(*) as n from fct_score group by all order by all").frame
    refusal(ask, "explain analyze create temp view fct_score as select 'vervalst' as score")
    refusal(ask, "explain analyze create or replace temp view fct_score as select 'vervalst' as score")
    after = ask("select score, count(*) as n from fct_score group by all order by all").frame
    assert after.equals(before)
    assert "vervalst" not in str(after["score"].to_list())


def test_explain_of_a_reading_query_runs(ask):
    for sql in ("explain select * from fct_score", "explain analyze select count(*) from fct_score"):
        result = ask(sql)
        assert result.frame.height >= 1
        assert result.frame.columns == ["explain_key", "explain_value"]


@pytest.mark.parametrize(
    "sql",
    [
        "select 1; -- klaar",
        "select 1 -- klaar",
        "select 1;",
        "select 1 /* klaar */ ;",
        "-- vooraf\nselect 1",
        "from fct_score select count(*)",
        "with a as (select 1 as x) select x from a",
        "describe fct_score",
        "summarize dim_theme",
        "show tables",
        "values (1)",
    ],
)
def test_reading_forms_and_trailing_comments_work(ask, sql):
    assert ask(sql).frame.height >= 1


def test_pivot_works(ask):
    result = ask("pivot fct_score on dynamic_code using max(score) group by theme_code order by theme_code; -- klaar")
    assert result.frame.columns == ["theme_code", "afbouw", "institutionalisering", "lock_in", "opbouw"]
    assert result.frame.height == 5
    assert ask("select * from (pivot fct_score on dynamic_code using max(score) group by theme_code)").frame.height == 5


def test_server_internals_are_not_shown(ask, warehouse_path):
    shown = []
    for sql in ("select * from duckdb_settings()", "select * from duckdb_databases()", "pragma database_list"):
        refused = refusal(ask, sql)
        shown.append(refused.message + refused.detail)
    for sql in ("select * from duckdb_tables()", "select * from duckdb_columns() limit 50", "show all tables"):
        shown.append(ask(sql).frame.write_csv())
    # an error message that would name a path: the name of a file the user may not read
    shown.append(refusal(ask, f"select * from '{warehouse_path}'").detail)
    text = "\n".join(shown)
    for secret in (str(REPO), str(warehouse_path.parent), "/root", "root"):
        assert secret not in text


def test_error_paths_and_user_are_scrubbed(ask):
    refused = refusal(ask, "select * from duckdb_extensions()")
    assert "/root" not in refused.detail


# --- Types: every DuckDB type comes back displayable ---------------------------------------------------------

TYPE_CASES = {
    "list": ("select theme_code, list(score order by score) as scores from fct_score group by 1 order by 1", "["),
    "histogram": ("select histogram(score) from fct_score", "{"),
    "struct": ("select {'a': 1, 'b': 'x'} as s", "{"),
    "map": ("select map(['a'], [1]) as m", "a=1"),
    "array": ("select [1, 2, 3]::integer[3] as a", "[1, 2, 3]"),
    "union": ("select union_value(n := 1) as u", "1"),
    "interval": ("select interval 3 day as i", "3 days"),
    "timestamptz": ("select '2025-01-01 12:00+00'::timestamptz as t", "2025"),
    "blob": ("select '\\xAA'::blob as b", "\\xAA"),
    "bit": ("select '0101'::bit as b", "0101"),
    "hugeint": (
        "select 170141183460469231731687303715884105727::hugeint as h",
        "170141183460469231731687303715884105727",
    ),
    "uhugeint": ("select 340282366920938463463374607431768211455::uhugeint as h", "3402823669209384634"),
    "decimal38": ("select 12345678901234567890.123456::decimal(38, 6) as d", "12345678901234567890.123456"),
    "uuid": ("select '00000000-0000-0000-0000-000000000001'::uuid as u", "00000000-0000"),
    "enum": ("select 'a'::enum('a', 'b') as e", "a"),
    "infinite timestamp": ("select 'infinity'::timestamp as t", "infinity"),
    "infinite date": ("select '-infinity'::date as d", "-infinity"),
    "date": ("select date '2025-06-01' as d", "2025-06-01"),
    "time": ("select time '12:30:00' as t", "12:30:00"),
}


@pytest.mark.parametrize("case", TYPE_CASES)
def test_each_type_is_answered_as_text(ask, case):
    sql, expected = TYPE_CASES[case]
    frame = ask(sql).frame
    last = frame.columns[-1]
    assert str(frame[last].dtype) == "String"
    assert expected in frame[last][0]


def test_nan_and_every_type_of_test_all_types(ask):
    assert str(ask("select 'nan'::double as n").frame["n"][0]) == "nan"
    frame = ask("select * from test_all_types()").frame
    assert frame.height == 3 and frame.width > 50
    frame.to_pandas()  # what st.dataframe does with it


def test_duplicate_column_names_are_kept_apart(ask):
    assert ask("select 1 as a, 2 as a").frame.columns == ["a", "a (kolom 2)"]


# --- Limits: a runaway query is stopped in its worker; the server does not grow -----------------------------


def test_runaway_queries_stop_with_a_dutch_message_and_the_server_does_not_grow(ask):
    before = rss_mb()
    in_list = "select 1 where 1 in (" + ",".join(map(str, range(1_000_000))) + ")"
    cases = {
        "select length(repeat('x', 2000000000))": "geheugen",
        "select len(list_reverse(list_sort(range(60000000))))": "gestopt",
        "select count(*) from range(3000000000) a, range(10) b where a.range % 7 = b.range": "duurde langer",
        in_list: "",  # memory or time, whichever the machine reaches first
    }
    limits = data.SqlLimits(timeout_ms=1500, text_cap=10_000_000)
    for sql, expected in cases.items():
        started = time.perf_counter()
        refused = refusal(ask, sql, limits)
        took = time.perf_counter() - started
        assert expected in refused.message, (sql[:60], refused.message, refused.detail)
        assert any(word in refused.message for word in ("geheugen", "gestopt", "afgebroken")), refused.message
        assert took < limits.timeout_ms / 1000 + data.SQL_KILL_MARGIN_S + 1.5, (sql[:60], took)
    # within limits, but no longer in the server: either answered or stopped, never more than the time limit
    started = time.perf_counter()
    try:
        ask("select len(range(40000000)) as n", limits)
    except data.SqlRefused as refused:
        assert "gestopt" in refused.message or "geheugen" in refused.message
    assert time.perf_counter() - started < limits.timeout_ms / 1000 + data.SQL_KILL_MARGIN_S + 1.5
    assert rss_mb() - before < 200


def test_a_long_sql_text_is_refused_before_a_worker_starts(ask):
    refused = refusal(ask, "select 1 where 1 in (" + ",".join(map(str, range(1_000_000))) + ")", data.SqlLimits())
    assert "te lang" in refused.message


def test_rows_columns_and_bytes_are_capped(ask):
    before = rss_mb()
    rows = ask("select * from range(20000)")
    assert rows.frame.height == data.SQL_ROW_CAP and rows.truncated

    wide = ask("select " + ", ".join(f"range + {i} as c{i}" for i in range(1200)) + " from range(5000)")
    assert wide.frame.width == data.SQL_COLUMN_CAP and wide.column_count == 1200
    assert wide.frame.height == 5000

    big = ask("select repeat('x', 60000) as t from range(5000)")  # 300 MB if it all came back
    assert big.truncated_bytes and 0 < big.frame.height < 5000
    assert big.frame["t"].str.len_bytes().sum() <= data.SQL_BYTE_CAP
    assert rss_mb() - before < 200


def test_another_session_answers_while_a_runaway_query_runs(ask):
    outcome = {}

    def runaway():
        try:
            ask("select count(*) from range(3000000000) a, range(10) b where a.range % 7 = b.range", RUNAWAY)
        except data.SqlRefused as refused:
            outcome["refused"] = refused.message

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    started = time.perf_counter()
    assert ask("select count(*) as n from fct_evidence").frame["n"][0] > 300
    assert time.perf_counter() - started < 2
    thread.join()
    assert "duurde langer" in outcome["refused"]


# --- The page ---------------------------------------------------------------------------------------------


@pytest.fixture
def sql_page(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page("views/sql.py").run()
    assert not at.exception
    return at


def test_caption_formats_its_numbers(sql_page):
    caption = next(c.value for c in sql_page.caption if "Maximaal" in c.value)
    assert "bestanden, instellingen en wijzigingen" in caption
    assert "5.000 rijen, 200 kolommen, 20 MB en 10 seconden" in caption


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
    assert "niet beschikbaar" in at.error[0].value


def test_nested_and_odd_types_show_with_downloads(sql_page):
    at = sql_page
    at.text_area(key="sql").input(
        "select theme_code, list(score) as scores, 'infinity'::timestamp as t from fct_score group by 1"
    ).run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.shape == (5, 3)
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download Excel"]


def test_duckdb_message_is_plain_text_below_a_dutch_sentence(sql_page):
    at = sql_page
    at.text_area(key="sql").input("select cast('[x](http://evil)' as integer)").run()
    assert not at.exception
    assert "DuckDB kon de query niet uitvoeren" in at.error[0].value
    assert "http://evil" not in at.error[0].value
    assert not any("](http://evil)" in m.value for m in at.markdown)  # never rendered as Markdown
    assert any("[x](http://evil)" in c.value for c in at.code)  # shown as plain text, not as a link


def test_schema_browser_lists_marts_with_descriptions(sql_page):
    at = sql_page
    labels = [e.label for e in at.expander]
    assert "`fct_score`" in labels and "`fct_evidence`" in labels and "`dim_theme`" in labels
    assert not any(e.dataframe for e in at.expander)  # a table's columns are made only when it is opened
    at.session_state["schema-fct_score"] = True  # the analyst opens fct_score
    at.run()
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


# --- Issue #16: the probes an attacker got through, each refused or fixed -----------------------------------


def test_probe_1_pivot_checks_its_source_like_a_select(ask):
    for sql in (
        "pivot duckdb_memory() on tag using sum(memory_usage_bytes)",
        "pivot (from pragma_user_agent()) on user_agent using count(*)",
        "pivot (select name, value from duckdb_settings()) on name using first(value)",
        "select * from (pivot duckdb_memory() on tag using sum(memory_usage_bytes))",
        "with m as (pivot duckdb_memory() on tag using sum(memory_usage_bytes)) select * from m",
        "pivot fct_score join duckdb_memory() on true on tag using count(*)",
    ):
        assert "niet beschikbaar" in refusal(ask, sql).message, sql
    assert ask("with p as (pivot fct_score on dynamic_code using max(score)) select count(*) as n from p").frame.height


def test_probe_2_functions_that_run_sql_text_are_refused_or_checked(ask):
    leaks = (
        "select * from destroy_external_resource('query', "
        "'select error(path) from duckdb_databases() where path is not null')",
        "pivot (from destroy_external_resource('query', 'select error(path) from duckdb_databases() "
        "where path is not null')) on Success using count(*)",
        "pivot (from destroy_external_resource('query', 'select error(value) from duckdb_settings() "
        "where name = ''temp_directory''')) on Success using count(*)",
        "select * from query('select * from duckdb_databases()')",
        "select * from query('select * from ' || 'duckdb_settings()')",
        "select * from query('select * from query(''select * from duckdb_settings()'')')",
        "select * from query_table('pg_settings')",
        "select * from json_execute_serialized_sql(json_serialize_sql('select * from duckdb_settings()'))",
        "select json_serialize_plan('select * from duckdb_settings()')",
        "select list_aggregate([1], 'current_setting')",
    )
    for sql in leaks:
        refused = refusal(ask, sql)
        assert "niet beschikbaar" in refused.message, (sql, refused.message)
    # a nested query string that only reads the warehouse is checked and runs
    assert ask("select * from query('select count(*) as n from fct_score')").frame["n"][0] > 0
    assert ask("select list_aggregate([1, 2], 'sum')::integer as s").frame["s"][0] == 3


def test_probe_3_scrubbing_keeps_words_and_catches_paths_in_any_spelling(ask):
    refused = refusal(ask, "select cast('root is een woord, geen pad' as integer)")
    assert "root is een woord, geen pad" in refused.detail

    from app.sqlbox.scrub import Scrubber

    secret = "/srv/tm-data/warehouse-7/transitiemonitor.duckdb"
    scrubber = Scrubber(paths=[secret, "/tmp/tm-sql-ab12cd/.tmp"], user="root", unique=["tm-sql-ab12cd"])
    spellings = [
        secret,
        secret.replace("/", "|"),
        secret.replace("/", "\\"),
        secret.replace("/", " / "),
        secret.replace("/", "X"),
        secret.upper(),
        secret[::-1],
        secret.replace("/", "|")[::-1],
        "%2Fsrv%2Ftm-data%2Fwarehouse-7%2Ftransitiemonitor.duckdb",
        "%252Fsrv%252Ftm-data%252Fwarehouse-7",
        "tm-data/warehouse-7",
        "|tmp|tm-sql-ab12cd|.tmp",
        "tm-sql-ab12cd",
        "/root/.duckdb",
        "|root|x",
    ]
    for spelling in spellings:
        scrubbed = scrubber.scrub(f"Fout bij {spelling} hier")
        assert scrubbed.startswith("Fout bij ") and scrubbed.endswith(" hier"), (spelling, scrubbed)
        for telling in ("tm-data", "warehouse-7", "tm-sql-ab12cd", "7-esuoheraw", "/root", "|root"):
            assert telling not in scrubbed.lower(), (spelling, scrubbed)
    ordinary_texts = ("root is een woord", "de rootmap", "Root-cause", "tmp en srv", "transitiemonitor.duckdb", "km/h")
    for ordinary in (*ordinary_texts, "2026-12-05", "versie 3.11.7"):
        assert scrubber.scrub(ordinary) == ordinary


@pytest.mark.parametrize(
    "sql",
    [
        "select * from duckdb_memory()",
        "select * from pragma_user_agent()",
        "select * from duckdb_live_query_metrics()",
        "select * from duckdb_profiling_settings()",
        "select * from pragma_version()",
        "select * from pragma_platform()",
        "select * from duckdb_temporary_files()",
        "select * from pg_settings",
        "select * from pg_catalog.pg_database",
        "select * from system.main.pragma_database_list",
        "show databases",
        "select version()",
        "select current_user",
        "select get_block_size('warehouse')",
        "pivot duckdb_live_query_metrics() on metric_name using first(metric_value)",
    ],
)
def test_probe_4_introspection_is_refused(ask, sql):
    assert "niet beschikbaar" in refusal(ask, sql).message


def test_probe_5_duplicate_column_names_never_collide(ask):
    frame = ask("select 1 as a, 2 as a, 3 as a_2").frame
    assert frame.columns == ["a", "a (kolom 2)", "a_2"]
    assert frame.row(0) == (1, 2, 3)
    frame = ask('select 1 as a, 2 as a, 3 as "a (kolom 2)", 4 as a').frame
    assert len(set(frame.columns)) == 4 and frame.columns[0] == "a" and frame.columns[2] == "a (kolom 2)"


def test_probe_6_a_result_just_under_the_byte_cap_comes_back_whole(ask):
    columns = ", ".join(f"repeat('x', 30) || range as c{index}" for index in range(100))  # about 19 MB
    result = ask(f"select {columns} from range(5000)", data.SqlLimits())
    assert result.frame.height == 5000 and not result.truncated_bytes and not result.truncated


def test_probe_7_column_aliases_may_hold_a_slash(ask):
    frame = ask('select 1 as "km/h", 2 as "a:b", 3 as "x.csv"').frame
    assert frame.columns == ["km/h", "a:b", "x.csv"]
