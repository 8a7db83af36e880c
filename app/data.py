"""The one door to the warehouse: a read-only DuckDB connection and parameterised queries on the public marts.

This is the only module that imports duckdb. Every query result is cached per warehouse version (inode and
modification time of the file), so a rebuild that swaps in a new file is picked up on the next rerun.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = ROOT / "warehouse" / "transitiemonitor.duckdb"


class WarehouseMissing(RuntimeError):
    """No warehouse has been built yet."""


def warehouse_path() -> Path:
    return Path(os.environ.get("TM_WAREHOUSE", DEFAULT_WAREHOUSE))


def _version() -> tuple[str, int, int]:
    path = warehouse_path()
    try:
        stat = path.stat()
    except FileNotFoundError as err:
        raise WarehouseMissing(f"Geen warehouse gevonden op {path}. Bouw het met `make build`.") from err
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def _close(connection: duckdb.DuckDBPyConnection) -> None:
    connection.close()


@st.cache_resource(max_entries=1, show_spinner=False, on_release=_close)
def _open(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


_switch_lock = threading.Lock()
_current: dict[str, tuple] = {}


def _connection() -> duckdb.DuckDBPyConnection:
    version = _version()
    with _switch_lock:
        if _current.get("version") not in (None, version):
            # DuckDB hands out the cached old database while any connection to the path is open:
            # close the old one before opening the swapped-in file.
            _open.clear()
        _current["version"] = version
        return _open(*version)


def _run(sql: str, params: tuple) -> pl.DataFrame:
    for attempt in (1, 2):
        try:
            with _connection().cursor() as cursor:  # a cursor per query: safe across sessions' threads
                return cursor.sql(sql, params=list(params)).pl()
        except duckdb.ConnectionException:
            if attempt == 2:
                raise
            _current.pop("version", None)  # the file was swapped mid-query: reopen and try once more
    raise AssertionError("unreachable")


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(version: tuple, sql: str, params: tuple) -> pl.DataFrame:
    return _run(sql, params)


def _frame(sql: str, *params) -> pl.DataFrame:
    return _cached(_version(), sql, tuple(params))


# --- Dimensions -------------------------------------------------------------------------------------------


def measurements() -> pl.DataFrame:
    return _frame(
        "select measurement_year, label, measurement_seq, is_baseline, fieldwork_start, fieldwork_end, report_month, "
        "report_title, publisher, commissioned_by, authors, scoring_method from dim_measurement "
        "order by measurement_year"
    )


def themes() -> pl.DataFrame:
    return _frame(
        "select theme_code, theme_name, sort_order, description, transition_question, other_names "
        "from dim_theme order by sort_order"
    )


def dynamics() -> pl.DataFrame:
    return _frame(
        "select dynamic_code, dynamic_name, quadrant_label, sort_order, higher_is_better, guiding_questions, "
        "score_direction from dim_dynamic order by sort_order"
    )


def sectors() -> pl.DataFrame:
    return _frame("select sector_code, sector_name, description from dim_sector order by sort_order")


def rubric() -> pl.DataFrame:
    return _frame(
        "select dynamic_code, level, descriptor_seq, descriptor from dim_rubric_level "
        "order by dynamic_code, level, descriptor_seq"
    )


def evidence_kinds() -> pl.DataFrame:
    return _frame("select evidence_kind, evidence_kind_label, description from dim_evidence_kind order by sort_order")


def institutions() -> pl.DataFrame:
    return _frame(
        "select institution_code, institution_name, institution_kind, sector_code from dim_institution "
        "where institution_code in (select institution_code from bridge_evidence_institution) "
        "order by institution_name"
    )


def sessions(year: int) -> pl.DataFrame:
    return _frame(
        "select session_id, session_code, session_number, session_name, session_date, theme_codes, reading_guide, "
        "intro_heading, intro_text from dim_session where measurement_year = ? order by session_number",
        year,
    )


def method_texts(year: int) -> pl.DataFrame:
    return _frame(
        "select section, heading, seq, method_text from dim_method_text where measurement_year = ? "
        "order by section, seq",
        year,
    )


def sources(year: int) -> pl.DataFrame:
    return _frame(
        "select source_seq, title, organisation, url, is_public, citation from dim_source "
        "where measurement_year = ? order by source_seq",
        year,
    )


# --- Facts -------------------------------------------------------------------------------------------------


def scores(year: int) -> pl.DataFrame:
    """Every score of one measurement, all sector scopes, with theme and dynamic names."""
    return _frame(
        "select s.measurement_year, s.theme_code, t.theme_name, t.sort_order as theme_order, s.dynamic_code, "
        "d.dynamic_name, d.sort_order as dynamic_order, d.higher_is_better, s.sector_code, s.score, s.justification, "
        "s.provenance from fct_score s join dim_theme t using (theme_code) join dim_dynamic d using (dynamic_code) "
        "where s.measurement_year = ? order by t.sort_order, d.sort_order",
        year,
    )


def theme_scores_by_year(theme_code: str) -> pl.DataFrame:
    """One theme's scores in every measurement (all sector scopes)."""
    return _frame(
        "select s.measurement_year, m.label, s.theme_code, s.dynamic_code, d.dynamic_name, "
        "d.sort_order as dynamic_order, "
        "d.higher_is_better, s.sector_code, s.score from fct_score s join dim_dynamic d using (dynamic_code) "
        "join dim_measurement m using (measurement_year) where s.theme_code = ? "
        "order by s.measurement_year, d.sort_order",
        theme_code,
    )


EVIDENCE_COLUMNS = (
    "e.evidence_id, e.measurement_year, e.evidence_kind, k.evidence_kind_label, e.theme_code, e.dynamic_code, "
    "e.session_id, e.session_code, e.parent_evidence_id, e.seq, e.heading, e.evidence_text, e.sector_codes, "
    "e.institution_codes, e.provenance"
)


def evidence(
    year: int | None = None,
    theme_code: str | None = None,
    dynamic_code: str | None = None,
    sector_code: str | None = None,
    kinds: tuple[str, ...] = (),
    institution_code: str | None = None,
    search: str = "",
) -> pl.DataFrame:
    """Evidence matching every given filter; None or empty means 'any'.

    A sector filter keeps evidence about that sector and sector-wide evidence, never evidence about other
    sectors only. The search is case- and accent-insensitive on heading and text.
    """
    terms = [t for t in search.split() if t]
    return _frame(
        f"select {EVIDENCE_COLUMNS}, "
        "exists (select 1 from bridge_evidence_sector b where b.evidence_id = e.evidence_id "
        "        and b.sector_code = ?) as about_sector "
        "from fct_evidence e join dim_evidence_kind k using (evidence_kind) "
        "left join dim_theme t on t.theme_code = e.theme_code "
        "left join dim_dynamic d on d.dynamic_code = e.dynamic_code "
        "left join dim_session s on s.session_id = e.session_id "
        "where (? is null or e.measurement_year = ?) "
        "  and (? is null or e.evidence_id in (select evidence_id from bridge_evidence_theme where theme_code = ?)) "
        "  and (? is null or e.dynamic_code = ?) "
        "  and (? is null or ? = 'alle' or e.evidence_id in (select evidence_id from bridge_evidence_sector "
        "       where sector_code in (?, 'alle'))) "
        "  and (len(?::varchar[]) = 0 or list_contains(?::varchar[], e.evidence_kind)) "
        "  and (? is null or list_contains(e.institution_codes, ?)) "
        "  and coalesce(list_bool_and(list_transform(?::varchar[], "
        "      lambda w: contains(e.search_text, lower(strip_accents(w))))), true) "
        "order by e.measurement_year, t.sort_order nulls first, d.sort_order nulls first, k.sort_order, "
        "s.session_number nulls first, e.seq",
        sector_code,
        year,
        year,
        theme_code,
        theme_code,
        dynamic_code,
        dynamic_code,
        sector_code,
        sector_code,
        sector_code,
        list(kinds),
        list(kinds),
        institution_code,
        institution_code,
        terms,
    )


# --- The SQL page: user SQL on its own locked-down connection ----------------------------------------------

SQL_ROW_CAP = 5_000
SQL_TIMEOUT_MS = 10_000
SQL_MEMORY_LIMIT = "1GB"
READING_STATEMENTS = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)


class SqlRefused(ValueError):
    """User SQL that the SQL page will not run; the message says why, in Dutch."""


@dataclass(frozen=True)
class SqlResult:
    frame: pl.DataFrame
    truncated: bool
    seconds: float


def sql_page_enabled() -> bool:
    """A deployment switches the SQL page off with TM_SQL_PAGE=uit."""
    return os.environ.get("TM_SQL_PAGE", "aan").strip().lower() not in ("uit", "off", "0", "false", "nee")


def open_locked_connection(path: str, timeout_ms: int = SQL_TIMEOUT_MS) -> duckdb.DuckDBPyConnection:
    """An in-memory database that attaches the warehouse read-only, then switches file access off and locks
    the configuration: no SQL can then read or write files, attach, install, load or change a setting.

    (read_only alone would still let SQL read and write files.)
    """
    connection = duckdb.connect(":memory:", config={"threads": 1})
    quoted = path.replace("'", "''")
    connection.execute(f"ATTACH '{quoted}' AS warehouse (READ_ONLY)")
    connection.execute("USE warehouse")
    connection.execute(f"SET max_execution_time = {int(timeout_ms)}")
    connection.execute(f"SET memory_limit = '{SQL_MEMORY_LIMIT}'")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


def _user_connection() -> duckdb.DuckDBPyConnection:
    """One locked connection per browser session, so one user's heavy query never blocks another's."""
    version = _version()
    held = st.session_state.get("_sql_connection")
    if held and held[0] == version:
        return held[1]
    if held:
        held[1].close()
    connection = open_locked_connection(version[0])
    st.session_state["_sql_connection"] = (version, connection)
    return connection


def _short(message: str, limit: int = 400) -> str:
    first = " ".join(message.strip().split("\n")[:3])
    return first if len(first) <= limit else first[: limit - 1] + "…"


def run_user_sql(sql: str, connection: duckdb.DuckDBPyConnection | None = None) -> SqlResult:
    """Run one reading statement; at most SQL_ROW_CAP rows come back. Raises SqlRefused with a Dutch message."""
    connection = connection or _user_connection()
    try:
        statements = connection.extract_statements(sql)
    except duckdb.Error as err:
        raise SqlRefused(f"De SQL klopt niet: {_short(str(err))}") from None
    if not statements:
        raise SqlRefused("Er staat geen SQL-opdracht in het invoerveld.")
    if len(statements) > 1:
        raise SqlRefused(f"Eén opdracht tegelijk, a.u.b.: er staan er {len(statements)}. Haal de andere weg.")
    kind = statements[0].type
    if kind not in READING_STATEMENTS:
        raise SqlRefused(
            f"Alleen lezen mag hier (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, EXPLAIN); "
            f"dit is een {kind.name}-opdracht en die wordt niet uitgevoerd."
        )
    started = time.perf_counter()
    try:
        frame = connection.sql(sql).limit(SQL_ROW_CAP + 1).pl()
    except duckdb.Error as err:
        message = str(err)
        if "maximum execution time" in message.lower() or "interrupt" in message.lower():
            raise SqlRefused(f"De query duurde langer dan {SQL_TIMEOUT_MS // 1000} s en is gestopt.") from None
        if "file system operations are disabled" in message or "external extensions" in message:
            raise SqlRefused(f"Bestanden lezen of schrijven kan hier niet: {_short(message)}") from None
        raise SqlRefused(_short(message)) from None
    seconds = time.perf_counter() - started
    truncated = frame.height > SQL_ROW_CAP
    return SqlResult(frame.head(SQL_ROW_CAP), truncated, seconds)


def schema() -> pl.DataFrame:
    """Every public mart with its columns, types and the descriptions from the dbt yml."""
    return _frame(
        "select t.table_name, t.comment as table_comment, c.column_name, c.data_type, c.comment as column_comment "
        "from duckdb_tables() t join duckdb_columns() c using (database_name, schema_name, table_name) "
        "where t.schema_name = 'main' and t.database_name = current_database() "
        "order by t.table_name, c.column_index"
    )


def score_changes(sector_code: str) -> pl.DataFrame:
    """Every score of one sector scope over all measurements (the sector's own where given, else sector-wide),
    with its change and the justifications."""
    return _frame(
        "select c.measurement_year, m.label, c.theme_code, t.theme_name, t.sort_order as theme_order, "
        "c.dynamic_code, d.dynamic_name, d.sort_order as dynamic_order, d.higher_is_better, c.score, "
        "c.is_own_sector_score, c.previous_year, c.previous_score, c.change_since_previous, "
        "c.meaning_since_previous, c.baseline_year, c.baseline_score, c.change_since_baseline, "
        "c.meaning_since_baseline, s.justification, p.justification as previous_justification, "
        "coalesce(pc.is_own_sector_score, false) as previous_is_own_sector_score "
        "from fct_score_change c join fct_score s using (score_id) "
        "left join fct_score_change pc on pc.measurement_year = c.previous_year and pc.theme_code = c.theme_code "
        "  and pc.dynamic_code = c.dynamic_code and pc.sector_code = c.sector_code "
        "left join fct_score p on p.score_id = pc.score_id "
        "join dim_theme t on t.theme_code = c.theme_code join dim_dynamic d on d.dynamic_code = c.dynamic_code "
        "join dim_measurement m on m.measurement_year = c.measurement_year "
        "where c.sector_code = ? order by c.measurement_year, t.sort_order, d.sort_order",
        sector_code,
    )
