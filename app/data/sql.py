"""The SQL page's runner: user SQL in a throwaway worker process (app/sql_worker.py), never in this server, with
limits on time, memory, rows, columns and bytes; refusals and failures as Dutch messages."""

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

import polars as pl

from app.data.connection import ROOT, _frame, _version, warehouse_path
from app.text.numbers import number_text, seconds_text

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


def schema() -> pl.DataFrame:
    """Every public mart with its columns, types and the descriptions from the dbt yml."""
    return _frame(
        "select t.table_name, t.comment as table_comment, c.column_name, c.data_type, c.comment as column_comment "
        "from duckdb_tables() t join duckdb_columns() c using (database_name, schema_name, table_name) "
        "where t.schema_name = 'main' and t.database_name = current_database() "
        "order by t.table_name, c.column_index"
    )
