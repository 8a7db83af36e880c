"""Answers one query from the SQL page in this throwaway process (started as `python -m app.sql_worker`).

User SQL must never run in the Streamlit server process: DuckDB's own limits do not bound scalar work
(`len(range(4e7))`, `repeat('x', 2e9)`, a million-value IN list take many seconds and GB), so only the operating
system can, in a process of its own. app.data starts the worker with an empty private working directory as cwd,
waits for it with a wall-clock limit, kills it when needed and removes the directory afterwards. Each process answers
one query and exits, so nothing a query creates (a temp type of PIVOT, spilled files) survives into the next one.

Protocol: stdin holds one JSON request. stdout gets one JSON line (the outcome), followed on success by the result
as an Arrow IPC stream. Refusals and errors carry a Dutch message and, separately, DuckDB's own text with server
paths and the user name scrubbed.
"""

from __future__ import annotations

import json
import os
import pwd
import resource
import sys
import time
from dataclasses import dataclass

import duckdb

from app.sqlbox.checker import WAREHOUSE, Checker, Refused
from app.sqlbox.results import collect, displayable_query
from app.sqlbox.rules import load_rules
from app.sqlbox.scrub import Scrubber

TEMP_FOLDER = ".tmp"  # relative to the private working directory, so no setting or message holds its full path


@dataclass(frozen=True)
class Request:
    sql: str
    warehouse: str
    timeout_ms: int
    row_cap: int
    column_cap: int
    byte_cap: int
    address_space_bytes: int
    duckdb_memory: str


def apply_os_limits(request: Request) -> None:
    """Memory and CPU ceilings the kernel enforces, whatever DuckDB does; no core files, no big files."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (request.address_space_bytes, request.address_space_bytes))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = int(used.ru_utime + used.ru_stime) + request.timeout_ms // 1000 + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))


def open_locked_connection(request: Request) -> duckdb.DuckDBPyConnection:
    """An in-memory database that attaches the warehouse read-only, then switches file access and Python
    replacement scans off and locks the configuration: no SQL can then read or write files, attach, install, load
    or change a setting. Spills go to a temp folder inside this process's private working directory."""
    connection = duckdb.connect(":memory:", config={"threads": 1})
    quoted = request.warehouse.replace("'", "''")
    connection.execute(f"ATTACH '{quoted}' AS {WAREHOUSE} (READ_ONLY)")
    connection.execute(f"USE {WAREHOUSE}")
    connection.execute(f"SET temp_directory = '{TEMP_FOLDER}'")
    connection.execute("SET max_temp_directory_size = '256MB'")
    connection.execute(f"SET max_execution_time = {int(request.timeout_ms)}")
    connection.execute(f"SET memory_limit = '{request.duckdb_memory}'")
    connection.execute("SET python_enable_replacements = false")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


def scrubber_for(request: Request) -> Scrubber:
    """Every path of this machine a message could name: the warehouse, the working and temp folders, the homes,
    the code and the Python installation."""
    account = pwd.getpwuid(os.getuid())
    paths = [
        request.warehouse,
        os.path.dirname(request.warehouse),
        os.getcwd(),
        os.path.join(os.getcwd(), TEMP_FOLDER),
        os.path.expanduser("~"),
        account.pw_dir,
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        sys.prefix,
        sys.base_prefix,
        os.path.dirname(sys.executable),
    ]
    return Scrubber(paths, account.pw_name, unique=[os.path.basename(os.getcwd())])


def explain_error(err: BaseException, request: Request, detail: str) -> Refused:
    lowered = detail.lower()
    seconds = f"{request.timeout_ms / 1000:g}".replace(".", ",")
    if isinstance(err, MemoryError | duckdb.OutOfMemoryException) or "out of memory" in lowered:
        return Refused(
            "geheugen",
            "De query vroeg meer geheugen dan hier mag en is gestopt. Maak de vraag kleiner: minder rijen, "
            "kortere teksten of een kleinere lijst.",
            detail,
        )
    if isinstance(err, duckdb.InterruptException) or "maximum execution time" in lowered or "interrupt" in lowered:
        return Refused(
            "tijd",
            f"De query duurde langer dan {seconds} s en is gestopt. Maak de vraag kleiner of eenvoudiger.",
            detail,
        )
    if isinstance(err, duckdb.PermissionException) or "file system operations are disabled" in lowered:
        return Refused(
            "bestand", "Bestanden lezen of schrijven kan hier niet: gebruik de tabellen uit het schema.", detail
        )
    if isinstance(err, duckdb.ParserException):
        return Refused("syntax", "De SQL klopt niet. Controleer de schrijfwijze.", detail)
    if isinstance(err, duckdb.CatalogException | duckdb.BinderException):
        return Refused("naam", "Een tabel, kolom of functie in de query bestaat niet. Kijk in het schema.", detail)
    if isinstance(err, duckdb.Error):
        return Refused("fout", "DuckDB kon de query niet uitvoeren. Controleer de SQL.", detail)
    return Refused("fout", "De query kon niet worden uitgevoerd of het resultaat niet worden omgezet.", detail)


def answer(request: Request) -> tuple[dict, bytes]:
    started = time.perf_counter()
    scrubber = scrubber_for(request)
    try:
        connection = open_locked_connection(request)
        checked = Checker(connection, load_rules(connection)).check(request.sql)
        query, names, column_count = displayable_query(
            checked.kind, checked.text, connection, request.row_cap, request.column_cap
        )
        payload, rows, over_rows, over_bytes = collect(connection, query, names, request.row_cap, request.byte_cap)
    except Refused as refused:
        return {
            "ok": False,
            "kind": refused.kind,
            "message": refused.message,
            "detail": scrubber.scrub(refused.detail),
        }, b""
    except BaseException as err:  # noqa: BLE001 - every failure becomes a Dutch sentence, never a stack trace
        refused = explain_error(err, request, scrubber.scrub(str(err)))
        return {"ok": False, "kind": refused.kind, "message": refused.message, "detail": refused.detail}, b""
    outcome = {
        "ok": True,
        "rows": rows,
        "truncated_rows": over_rows,
        "truncated_bytes": over_bytes,
        "columns": column_count,
        "truncated_columns": column_count > len(names),
        "seconds": time.perf_counter() - started,
    }
    return outcome, payload


def main() -> None:
    # Only the answer goes to stdout: anything DuckDB or a library prints goes to /dev/null.
    answer_stream = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    raw = sys.stdin.buffer.read()
    if not raw:
        return  # the server stopped before handing over a query
    request = Request(**json.loads(raw))
    apply_os_limits(request)
    outcome, payload = answer(request)
    answer_stream.write(json.dumps(outcome).encode() + b"\n" + payload)
    answer_stream.flush()
