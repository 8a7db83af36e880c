"""The SQL page's statement checker in-process (fast): its rules fail closed, PIVOT is checked like a SELECT, and a
property-based fuzz of hostile statements (always refused) and benign ones (always allowed). A few generated
statements also go end-to-end through the worker process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import data
from app.sqlbox import rules, tree
from app.sqlbox.checker import Checker, Refused, pivot_with_placeholder_values
from app.sqlbox.worker import Request, open_locked_connection

FUZZ = settings(
    max_examples=80,
    deadline=timedelta(seconds=3),
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def connection(warehouse_path):
    request = Request("", str(warehouse_path), 5000, 5000, 200, 20 * 1024**2, 2 * 1024**3, "1GB")
    con = open_locked_connection(request)
    yield con
    con.close()


@pytest.fixture(scope="module")
def checker(connection):
    return Checker(connection, rules.load_rules(connection))


def refused(checker: Checker, sql: str) -> Refused:
    with pytest.raises(Refused) as caught:
        checker.check(sql)
    return caught.value


# --- The rules --------------------------------------------------------------------------------------------


def test_every_function_of_this_duckdb_was_reviewed(checker):
    """Fails after a DuckDB upgrade until someone reviews the new functions (until then they are refused)."""
    unreviewed = sorted(name for name, why in checker.rules.refused_functions.items() if why == rules.UNREVIEWED)
    assert unreviewed == []


def test_a_function_no_one_reviewed_is_refused(connection, monkeypatch):
    reviewed = rules.reviewed_names()
    monkeypatch.setattr(rules, "reviewed_names", lambda: reviewed - {"upper"})
    strict = Checker(connection, rules.load_rules(connection))
    refusal = refused(strict, "select upper(theme_name) from dim_theme")
    assert "niet beschikbaar" in refusal.message and rules.UNREVIEWED in refusal.detail
    strict.check("select lower(theme_name) from dim_theme")


def test_functions_that_take_sql_or_a_function_name_are_refused_unless_checked():
    reviewed = frozenset({"new_runner", "new_caller", "new_math"})
    assert rules._expression_reason("system", "new_runner", ["sql"], reviewed) == rules.RUNS_TEXT
    assert rules._expression_reason("system", "new_caller", ["list", "function_name"], reviewed) == rules.RUNS_TEXT
    assert rules._expression_reason("system", "new_math", ["x"], reviewed) is None
    assert rules._expression_reason("warehouse", "new_math", ["x"], reviewed) == rules.UNREVIEWED


def test_nothing_runs_when_the_parse_tree_is_not_understood(connection, monkeypatch):
    """A DuckDB that serializes its parse tree differently would hide every call from the checker: fail closed."""
    monkeypatch.setattr(tree, "VALUE_FUNCTIONS", {})
    with pytest.raises(Refused) as caught:
        Checker(connection, rules.load_rules(connection))
    assert "begrijpt deze DuckDB-versie niet" in caught.value.message


def test_views_and_macros_over_refused_functions_are_refused(checker):
    for view in ("pg_settings", "duckdb_databases", "pragma_database_list", "pg_database"):
        assert checker.rules.refused_relations.get(view) == rules.USES_REFUSED
    assert checker.rules.refused_functions["get_block_size"] == rules.USES_REFUSED
    assert "duckdb_tables" not in checker.rules.refused_relations


def test_a_refused_call_that_the_parse_tree_leaves_out_is_refused_too(checker):
    """DuckDB's serialization drops a WINDOW clause that no expression uses; a refused call in it is refused."""
    sql = "select 1 from fct_score window w as (order by current_setting('temp_directory'))"
    assert "current_setting" not in str(tree.parse(checker.connection, sql))
    assert "current_setting" in refused(checker, sql).detail


def test_unknown_names_get_the_dutch_does_not_exist_message(checker):
    assert refused(checker, "select upperr('x')").kind == "naam"
    assert refused(checker, "select * from no_such_function()").kind == "naam"


# --- PIVOT: checked as the same statement with placeholder values -----------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("pivot t on a using sum(b)", "pivot t on a in (null) using sum(b)"),
        (
            "PIVOT_WIDER t ON a, b IN (1) USING sum(c) GROUP BY d",
            "PIVOT_WIDER t ON a in (null), b IN (1) USING sum(c) GROUP BY d",
        ),
        ("pivot t join u on t.x = u.x on (a || b)", "pivot t join u on t.x = u.x on (a || b) in (null)"),
        (
            "select * from (pivot t on a) p join q on p.x = q.x",
            "select * from (pivot t on a in (null)) p join q on p.x = q.x",
        ),
        (
            "with p as (pivot (select 1 as a) on a) select * from p",
            "with p as (pivot (select 1 as a) on a in (null)) select * from p",
        ),
        ("from t pivot (sum(b) for a in ('x'))", "from t pivot (sum(b) for a in ('x'))"),
    ],
)
def test_pivot_placeholder_values(sql, expected):
    assert pivot_with_placeholder_values(sql) == expected


def test_pivot_of_warehouse_tables_passes_and_of_anything_else_is_refused(checker):
    assert checker.check("pivot fct_score on dynamic_code using max(score) group by theme_code").kind == "pivot"
    assert checker.check("with p as (pivot fct_score on dynamic_code using max(score)) select * from p").kind == "pivot"
    assert (
        refused(checker, "with p as (pivot fct_score on dynamic_code) insert into x select * from p").kind
        == "geweigerd"
    )


# --- Property-based: generated hostile statements are refused, generated benign ones pass ------------------

HOSTILE_TABLE_FUNCTIONS = [
    "duckdb_settings()",
    "duckdb_databases()",
    "duckdb_memory()",
    "pragma_user_agent()",
    "duckdb_live_query_metrics()",
    "duckdb_profiling_settings()",
    "duckdb_temporary_files()",
    "duckdb_extensions()",
    "pragma_version()",
    "pragma_platform()",
    "pragma_database_size()",
    "duckdb_logs()",
    "read_text('/etc/hostname')",
    "read_csv('x.csv')",
    "read_blob('.tmp/*')",
    "glob('*')",
    "parquet_metadata('x.parquet')",
    "destroy_external_resource('query', 'select 1')",
    "json_execute_serialized_sql('{}')",
    "query_table('pg_settings')",
    "query('select * from duckdb_settings()')",
]
HOSTILE_RELATIONS = [
    "pg_settings",
    "pg_catalog.pg_database",
    "system.main.duckdb_databases",
    "pragma_database_list",
    "duckdb_logs",
    "'/etc/passwd'",
    "'.tmp/x.csv'",
    '"x.parquet"',
]
HOSTILE_EXPRESSIONS = [
    "current_setting('temp_directory')",
    "getvariable('x')",
    "version()",
    "current_user",
    "session_user",
    "current_query()",
    "json_serialize_plan('select 1')",
    "list_aggregate([1], 'current_setting')",
    "write_log('x')",
    "get_block_size('warehouse')",
    "sleep_ms(1)",
    "txid_current()",
]


def _case(draw, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=True))


@st.composite
def spelled(draw, call: str) -> str:
    """One spelling of a call: its name in any case, quoted, qualified or followed by a comment."""
    name, paren, rest = call.partition("(")
    if name.startswith(("'", '"')) or "." in name:
        return call
    form = draw(st.sampled_from(["plain", "case", "quoted", "qualified", "comment"]))
    if form == "case":
        name = _case(draw, name)
    elif form == "quoted":
        name = f'"{name}"'
    elif form == "qualified" and paren:
        name = f"main.{name}"
    elif form == "comment" and paren:
        name = f"{name} /* x */ "
    return name + paren + rest


def nested(sql: str, levels: int) -> str:
    for _ in range(levels):
        sql = "select * from query('" + sql.replace("'", "''") + "')"
    return sql


SOURCE_WRAPPERS = [
    "select * from {s}",
    "from {s}",
    "select count(*) from (select * from {s}) as t",
    "with c as (select * from {s}) select * from c",
    "with c as materialized (select * from {s}) select 1",
    "select 1 from fct_score where exists (select 1 from {s})",
    "select (select count(*) from {s})",
    "select * from fct_score, {s}",
    "select * from fct_score join {s} on true",
    "select 1 union all select 1 from {s}",
    "pivot (select *, 'k' as k from {s}) on k using count(*)",
    "select * from (pivot (select *, 'k' as k from {s}) on k using count(*))",
    "with p as (pivot (select *, 'k' as k from {s}) on k using count(*)) select * from p",
    "explain select * from {s}",
    "explain analyze select * from {s}",
    "describe select * from {s}",
    "summarize select * from {s}",
]
EXPRESSION_WRAPPERS = [
    "select {e}",
    "select {e} as x from fct_score",
    "select * from fct_score where {e} is not null",
    "select list_transform([1], lambda x: {e})",
    "select coalesce(null, {e})",
    "select case when true then {e} end",
    "select (select {e})",
    "with c as (select {e} as v) select * from c",
    "select * from range(length(cast({e} as varchar)))",
    "select string_agg(cast({e} as varchar), ',') from range(2)",
    "pivot (select {e} as k from fct_score) on k using count(*)",
    "select 'a' || {e}",
    "select count(*) over w from fct_score window w as (order by {e})",
    "select * from fct_score order by {e} limit 1",
]


@st.composite
def hostile_statements(draw) -> str:
    if draw(st.booleans()):
        source = draw(st.sampled_from(HOSTILE_TABLE_FUNCTIONS + HOSTILE_RELATIONS))
        sql = draw(st.sampled_from(SOURCE_WRAPPERS)).format(s=draw(spelled(source)))
    else:
        expression = draw(st.sampled_from(HOSTILE_EXPRESSIONS))
        sql = draw(st.sampled_from(EXPRESSION_WRAPPERS)).format(e=draw(spelled(expression)))
    if draw(st.booleans()) and not sql.startswith(("explain", "describe", "summarize", "pivot", "with p")):
        sql = nested(sql, draw(st.integers(1, 2)))
    if draw(st.integers(0, 5)) == 0:  # SQL text that is computed, not constant
        sql = "select * from query('select * from ' || '" + sql.replace("'", "''") + "')"
    return sql + draw(st.sampled_from(["", ";", " -- klaar", "; /* klaar */"]))


@given(sql=hostile_statements())
@FUZZ
def test_fuzz_hostile_statements_are_refused(checker, sql):
    refusal = refused(checker, sql)
    assert refusal.kind in ("geweigerd", "bestand"), (sql, refusal.kind, refusal.message, refusal.detail)


BENIGN_SELECTS = [
    "select theme_code, max(score) as hoogste from fct_score group by theme_code order by 1",
    "select t.theme_name, count(*) from fct_score s join dim_theme t using (theme_code) group by all",
    "from fct_score select count(*) where score >= 3",
    "select upper(theme_name), length(theme_name), theme_name ilike '%a%' from dim_theme",
    "select list_aggregate(list(score), 'max') from fct_score",
    "select * from range(3)",
    "select unnest([1, 2, 3]) as n",
    "select current_date, 1 as \"km/h\", 'root' as woord",
    "select * from duckdb_tables() where schema_name = 'main'",
    "select table_name from information_schema.tables",
    "values (1, 'a'), (2, 'b')",
    "select row_number() over (order by score) from fct_score",
]
BENIGN_WRAPPERS = [
    "{q}",
    "select * from ({q}) as t",
    "with c as ({q}) select * from c",
    "select * from query('{quoted}')",
    "explain {q}",
    "describe {q}",
    "select count(*) from ({q}) t",
]


@st.composite
def benign_statements(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        sql = draw(
            st.sampled_from(
                [
                    "pivot fct_score on dynamic_code using max(score) group by theme_code",
                    "select * from (pivot fct_score on dynamic_code using max(score) group by theme_code)",
                    "with p as (pivot fct_score on dynamic_code in ('opbouw', 'afbouw') using count(*)) from p",
                    "describe fct_score",
                    "summarize dim_theme",
                    "show tables",
                ]
            )
        )
    else:
        query = draw(st.sampled_from(BENIGN_SELECTS))
        sql = draw(st.sampled_from(BENIGN_WRAPPERS)).format(q=query, quoted=query.replace("'", "''"))
    if draw(st.booleans()):
        sql = " ".join(_case(draw, word) if "'" not in word and '"' not in word else word for word in sql.split(" "))
    return sql + draw(st.sampled_from(["", ";", " -- klaar"]))


@given(sql=benign_statements())
@FUZZ
def test_fuzz_benign_statements_pass(checker, sql):
    checker.check(sql)


@given(sql=hostile_statements())
@settings(max_examples=4, deadline=None, database=None)
def test_fuzz_a_few_hostile_statements_end_to_end(warehouse_path, sql):
    with pytest.raises(data.SqlRefused) as caught:
        data.run_user_sql(sql, warehouse_path, data.SqlLimits(timeout_ms=3000))
    assert "niet" in caught.value.message
