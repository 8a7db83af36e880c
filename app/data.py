"""The one door to the warehouse: a read-only DuckDB connection and parameterised queries on the public marts.

This module and app.sql_worker are the only ones that import duckdb; user SQL from the SQL page runs only in
app.sql_worker's throwaway processes, never here. Every query result is cached per warehouse version (inode and
modification time of the file), so a rebuild that swaps in a new file is picked up on the next rerun.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
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
    """The measurements with final scores (status 'vastgesteld'), oldest first: what the sidebar's Meetmoment,
    Voortgang and every 'latest measurement' choose from. A measurement still in progress ('concept') is not
    among them; see concept_measurements() and indicative_scores(). Column status is always 'vastgesteld' here."""
    return _frame(
        "select measurement_year, label, measurement_seq, is_baseline, fieldwork_start, fieldwork_end, report_month, "
        "report_title, publisher, commissioned_by, authors, scoring_method, status from dim_measurement "
        "where status = 'vastgesteld' order by measurement_year"
    )


def themes() -> pl.DataFrame:
    return _frame(
        "select theme_code, theme_name, sort_order, description, transition_question_lead, transition_question, "
        "other_names "
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
        "select section, heading, text_kind, seq, method_text, provenance from dim_method_text "
        "where measurement_year = ? order by source_line nulls last, section, text_kind, seq",
        year,
    )


def sources(year: int) -> pl.DataFrame:
    return _frame(
        "select source_seq, title, organisation, url, is_public, citation, cited_in from dim_source "
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


# --- The SQL page: user SQL in a throwaway worker process (app/sql_worker.py) --------------------------------

SQL_ROW_CAP = 5_000
SQL_COLUMN_CAP = 200
SQL_BYTE_CAP = 20 * 1024 * 1024
SQL_TEXT_CAP = 200_000  # characters of SQL; a longer text is refused before a worker starts
SQL_TIMEOUT_MS = 10_000
SQL_MEMORY_LIMIT = "1GB"  # DuckDB's own limit inside the worker
SQL_ADDRESS_SPACE = 2 * 1024**3  # the kernel's limit on the whole worker process (RLIMIT_AS)
SQL_KILL_MARGIN_S = 2.0  # the server kills a worker this long after its time limit
SQL_MAX_WORKERS = 4  # queries running at once over all sessions; each may take SQL_ADDRESS_SPACE
SQL_WORK_ROOT: str | None = None  # where the workers' private directories go; None is the system temp folder

_worker_slots = threading.BoundedSemaphore(SQL_MAX_WORKERS)


@dataclass(frozen=True)
class SqlLimits:
    timeout_ms: int = SQL_TIMEOUT_MS
    row_cap: int = SQL_ROW_CAP
    column_cap: int = SQL_COLUMN_CAP
    byte_cap: int = SQL_BYTE_CAP
    text_cap: int = SQL_TEXT_CAP
    address_space_bytes: int = SQL_ADDRESS_SPACE
    duckdb_memory: str = SQL_MEMORY_LIMIT


class SqlRefused(ValueError):
    """User SQL that the SQL page did not run or that failed: a Dutch message, and DuckDB's own text apart
    (plain text for display, with server paths and the user name scrubbed)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class SqlResult:
    frame: pl.DataFrame
    truncated: bool  # more than SQL_ROW_CAP rows
    seconds: float
    truncated_bytes: bool = False  # fewer rows than asked, to stay under SQL_BYTE_CAP
    column_count: int = 0  # columns of the query; only the first SQL_COLUMN_CAP are shown
    workdir: str = ""  # the worker's private directory, removed when the query is done


def sql_page_enabled() -> bool:
    """A deployment switches the SQL page off with TM_SQL_PAGE=uit."""
    return os.environ.get("TM_SQL_PAGE", "aan").strip().lower() not in ("uit", "off", "0", "false", "nee")


def _worker_environment(workdir: str) -> dict[str, str]:
    """Only what Python needs: no server variables, and HOME in the private directory so DuckDB shows no home."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def seconds_text(milliseconds: int) -> str:
    """Dutch seconds: 10 or 1,5."""
    return f"{milliseconds / 1000:g}".replace(".", ",")


def _dead_worker(returncode: int, stderr: bytes, limits: SqlLimits) -> SqlRefused:
    if returncode == -signal.SIGXCPU:
        return SqlRefused(
            f"De query rekende langer dan {seconds_text(limits.timeout_ms)} s en is gestopt. "
            "Maak de vraag kleiner of eenvoudiger."
        )
    if returncode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL):
        return SqlRefused(
            "De query vroeg meer geheugen dan hier mag en is afgebroken. Maak de vraag kleiner: minder rijen, "
            "kortere teksten of een kleinere lijst."
        )
    last_line = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return SqlRefused(
        "De query is onderweg afgebroken. Probeer het opnieuw of maak de vraag kleiner.",
        _scrub(f"afsluitcode {returncode}: {last_line[0]}"),
    )


def _scrub(text: str) -> str:
    for path in sorted({str(ROOT), os.path.expanduser("~"), str(warehouse_path())}, key=len, reverse=True):
        if path not in ("", "/"):
            text = text.replace(path, "…")
    return text


def run_user_sql(sql: str, warehouse: str | Path | None = None, limits: SqlLimits | None = None) -> SqlResult:
    """Run one reading statement in a fresh worker process and return what it answered, converted for display.

    Raises SqlRefused with a Dutch message for anything refused, failed, too slow or too big. The server never
    runs the SQL itself: it waits for the worker at most the time limit plus a margin, then kills it.
    """
    limits = limits or SqlLimits()
    if not sql.strip():
        raise SqlRefused("Er staat geen SQL-opdracht in het invoerveld.")
    if len(sql) > limits.text_cap:
        raise SqlRefused(
            f"De SQL is te lang: {number_text(len(sql))} tekens, hier mogen er {number_text(limits.text_cap)}. "
            "Zet een lange lijst waarden liever in een voorwaarde of een join."
        )
    path = str(warehouse or _version()[0])
    request = json.dumps(
        {
            "sql": sql,
            "warehouse": path,
            "timeout_ms": limits.timeout_ms,
            "row_cap": limits.row_cap,
            "column_cap": limits.column_cap,
            "byte_cap": limits.byte_cap,
            "address_space_bytes": limits.address_space_bytes,
            "duckdb_memory": limits.duckdb_memory,
        }
    ).encode()
    wall_clock = limits.timeout_ms / 1000 + SQL_KILL_MARGIN_S
    if not _worker_slots.acquire(timeout=wall_clock):
        raise SqlRefused(
            f"Er lopen al {SQL_MAX_WORKERS} SQL-query's tegelijk. Probeer het over een paar seconden opnieuw."
        )
    workdir = tempfile.mkdtemp(prefix="tm-sql-", dir=SQL_WORK_ROOT)
    try:
        started = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, "-m", "app.sql_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=_worker_environment(workdir),
            start_new_session=True,  # its own process group: a kill reaches only the worker
        )
        try:
            stdout, stderr = worker.communicate(request, timeout=wall_clock)
        except subprocess.TimeoutExpired:
            raise SqlRefused(
                f"De query duurde langer dan {seconds_text(limits.timeout_ms)} s en is gestopt. "
                "Maak de vraag kleiner of eenvoudiger."
            ) from None
        finally:
            if worker.poll() is None:  # timed out, or this thread was stopped: the worker must not outlive it
                worker.kill()
                worker.communicate()
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        _worker_slots.release()
    header, _, payload = stdout.partition(b"\n")
    if worker.returncode != 0 or not header:
        raise _dead_worker(worker.returncode, stderr, limits)
    outcome = json.loads(header)
    if not outcome["ok"]:
        raise SqlRefused(outcome["message"], outcome["detail"])
    try:
        frame = pl.read_ipc_stream(io.BytesIO(payload))
    except Exception as err:  # noqa: BLE001 - a result that cannot be read is a Dutch message, not a trace
        raise SqlRefused("Het resultaat kon niet worden gelezen. Probeer minder kolommen of rijen.", str(err)) from None
    return SqlResult(
        frame=frame,
        truncated=outcome["truncated_rows"],
        seconds=seconds,
        truncated_bytes=outcome["truncated_bytes"],
        column_count=outcome["columns"],
        workdir=workdir,
    )


def number_text(value: int) -> str:
    """Dutch thousands separator: 5.000."""
    return f"{value:,}".replace(",", ".")


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


# --- Scoring sessions: indicative scores beside the final ones (issue #10) ----------------------------------


def concept_measurements() -> pl.DataFrame:
    """Measurements in progress (status 'concept'): no final scores yet, maybe indicative ones from a session."""
    return _frame(
        "select measurement_year, label, measurement_seq, status from dim_measurement where status = 'concept' "
        "order by measurement_year"
    )


def indicative_scores(year: int) -> pl.DataFrame:
    """What the koersteam's scoring sessions said, to show beside the final scores of measurement `year`: per
    theme × dynamic the latest session's agreed indicative score and the spread of the votes.

    Rows for sessions on `year` itself, and, when `year` is the latest final measurement, for sessions on later
    measurements that are not final yet (concept, or not in data_raw at all). measurement_label names the
    measurement the session scored; measurement_status is 'concept', 'vastgesteld' or null (no such measurement).
    """
    return _frame(
        "select c.measurement_year, coalesce(m.label, 'Meting ' || c.measurement_year) as measurement_label, "
        "c.measurement_status, c.session_id, c.join_code, c.session_opened_at, c.theme_code, c.dynamic_code, "
        "c.vote_count, c.median_score, c.min_score, c.max_score, c.q1_score, c.q3_score, c.spread_label, "
        "c.agreed_score, c.agreed_note "
        "from fct_session_cell c left join dim_measurement m using (measurement_year) "
        "join dim_theme t on t.theme_code = c.theme_code join dim_dynamic d on d.dynamic_code = c.dynamic_code "
        "where c.is_latest_for_cell and (c.measurement_year = ? or (c.measurement_year > ? "
        "  and coalesce(c.measurement_status, 'concept') = 'concept' "
        "  and ? = (select max(measurement_year) from dim_measurement where status = 'vastgesteld'))) "
        "order by c.measurement_year, t.sort_order, d.sort_order",
        year,
        year,
        year,
    )


def scoring_sessions() -> pl.DataFrame:
    """Every live scoring session in the warehouse (as of the last build), newest first. No names."""
    return _frame(
        "select session_id, join_code, measurement_year, theme_codes, opened_at, last_event_at, participant_count, "
        "rating_count, agreed_count from dim_scoring_session order by opened_at desc"
    )
