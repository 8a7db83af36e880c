"""Runs one query from the SQL page in a throwaway process: `python -m app.sql_worker`, request on stdin.

This is the second module that imports duckdb (besides app.data), because user SQL must never run in the
Streamlit server process: DuckDB's own limits do not bound scalar work (`len(range(4e7))`, `repeat('x', 2e9)`,
a million-value IN list take many seconds and GB), so only the operating system can, in a process of its own.
app.data starts this module with an empty private working directory as cwd, waits for it with a wall-clock
limit, kills it when needed and removes the directory afterwards. Each process answers one query and exits, so
nothing a query creates (a temp type of PIVOT, spilled files) survives into the next one.

Protocol: stdin holds one JSON request. stdout gets one JSON line (the outcome), followed on success by the
result as an Arrow IPC stream. Every column that is not plainly displayable is converted to text here, in SQL,
so the server never has to convert an odd type. Refusals and errors carry a Dutch message and, separately,
DuckDB's own text with server paths and the user name scrubbed.
"""

from __future__ import annotations

import io
import json
import os
import pwd
import re
import resource
import sys
import time
from dataclasses import dataclass

import duckdb
import pyarrow as pa

# Types the server shows as they are; every other type is cast to VARCHAR in the query itself.
PLAIN_TYPES = {
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
}

# Table functions that only read the warehouse or generate values; any other table function is refused.
ALLOWED_TABLE_FUNCTIONS = {
    "range",
    "generate_series",
    "unnest",
    "repeat",
    "repeat_row",
    "json_each",
    "json_tree",
    "summary",
    "test_all_types",
    "duckdb_tables",
    "duckdb_columns",
    "duckdb_views",
    "duckdb_schemas",
    "duckdb_types",
    "duckdb_functions",
    "duckdb_constraints",
    "duckdb_keywords",
    "duckdb_indexes",
    "duckdb_dependencies",
    "pragma_table_info",
    "pragma_show",
}

# Names refused wherever they appear: file access, running SQL from a string, and introspection that shows
# server paths, settings or the user.
DENIED_NAMES = {
    "glob",
    "sniff_csv",
    "query",
    "query_table",
    "json_execute_serialized_sql",
    "json_deserialize_sql",
    "current_setting",
    "getenv",
    "duckdb_settings",
    "duckdb_databases",
    "duckdb_extensions",
    "duckdb_secrets",
    "which_secret",
    "duckdb_temporary_files",
    "duckdb_logs",
    "duckdb_log_contexts",
    "enable_logging",
    "disable_logging",
    "checkpoint",
    "force_checkpoint",
    "iceberg_scan",
    "delta_scan",
    "sqlite_scan",
    "postgres_scan",
    "mysql_scan",
}
DENIED_PREFIXES = ("read_", "parquet_", "write_", "pragma_database", "pragma_storage", "pragma_metadata", "copy_")

EXPLAIN_MODIFIERS = {"analyze", "analyse"}
# A quoted name that DuckDB would read as a file (replacement scan): a path, a URL or a data file suffix.
FILE_LIKE = re.compile(r"[/\\:]|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|db|duckdb|sqlite|xlsx|arrow|gz|zst)$")


class Refused(Exception):
    """A query this page will not run: Dutch message, optional DuckDB text."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail


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


# --- Limits and connection --------------------------------------------------------------------------------


def apply_os_limits(request: Request) -> None:
    """Memory and CPU ceilings the kernel enforces, whatever DuckDB does; no core files, no big files."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (request.address_space_bytes, request.address_space_bytes))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = int(used.ru_utime + used.ru_stime) + request.timeout_ms // 1000 + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))


def open_locked_connection(request: Request) -> duckdb.DuckDBPyConnection:
    """An in-memory database that attaches the warehouse read-only, then switches file access off and locks
    the configuration: no SQL can then read or write files, attach, install, load or change a setting.

    Spills go to a temp folder inside this process's private working directory, which app.data removes.
    """
    connection = duckdb.connect(":memory:", config={"threads": 1})
    quoted = request.warehouse.replace("'", "''")
    connection.execute(f"ATTACH '{quoted}' AS warehouse (READ_ONLY)")
    connection.execute("USE warehouse")
    temp = os.path.join(os.getcwd(), ".tmp").replace("'", "''")
    connection.execute(f"SET temp_directory = '{temp}'")
    connection.execute("SET max_temp_directory_size = '256MB'")
    connection.execute(f"SET max_execution_time = {int(request.timeout_ms)}")
    connection.execute(f"SET memory_limit = '{request.duckdb_memory}'")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


# --- Statement check --------------------------------------------------------------------------------------


def _tokens(sql: str) -> list[tuple[str, duckdb.token_type, int]]:
    """(text, type, start) of every token, by DuckDB's own tokenizer."""
    found = duckdb.tokenize(sql)
    ends = [start for start, _ in found[1:]] + [len(sql)]
    return [(sql[start:end].strip(), kind, start) for (start, kind), end in zip(found, ends, strict=True)]


def _without_trailing_comments(sql: str) -> str:
    """The statement without trailing comments and semicolons, so that it can be wrapped in a subquery."""
    meaningful = [token for token in _tokens(sql) if token[1] != duckdb.token_type.comment]
    while meaningful and meaningful[-1][0] == ";":
        meaningful.pop()
    if not meaningful:
        return ""
    text, _, start = meaningful[-1]
    return sql[: start + len(text)]


def _name(token_text: str) -> str:
    return token_text.strip('"').lower()


def _refuse_denied_names(sql: str) -> None:
    for text, kind, _ in _tokens(sql):
        if kind not in (duckdb.token_type.identifier, duckdb.token_type.keyword):
            continue
        name = _name(text)
        if name in DENIED_NAMES or name.startswith(DENIED_PREFIXES):
            raise Refused(
                "geweigerd",
                "Deze query gebruikt een functie die hier niet beschikbaar is: bestanden lezen, SQL uit tekst "
                "uitvoeren en instellingen of serverpaden opvragen kan op deze pagina niet.",
                f"Niet toegestaan: {name}",
            )
        if kind == duckdb.token_type.identifier and text.startswith('"') and FILE_LIKE.search(name):
            raise Refused(
                "bestand",
                "Bestanden lezen kan hier niet: gebruik de tabellen uit het schema.",
                f"Niet toegestaan: {text}",
            )


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _refuse_non_warehouse_sources(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Look at every table a SELECT reads in DuckDB's own parse tree: no file names, only known table functions."""
    serialized = json.loads(connection.sql("select json_serialize_sql(?)", params=[sql]).fetchall()[0][0])
    if serialized.get("error"):
        raise Refused("geweigerd", "Deze query kan hier niet worden gecontroleerd en wordt niet uitgevoerd.")
    for node in _walk(serialized["statements"]):
        kind = node.get("type")
        if kind in ("BASE_TABLE", "SHOW_REF") and re.search(r"[/\\:.]", (node.get("table_name") or "").strip('"')):
            raise Refused(
                "bestand",
                "Bestanden lezen kan hier niet: gebruik de tabellen uit het schema.",
                f"Niet toegestaan: {node['table_name']}",
            )
        if kind == "TABLE_FUNCTION":
            name = (node.get("function") or {}).get("function_name", "").lower()
            if name not in ALLOWED_TABLE_FUNCTIONS:
                raise Refused(
                    "geweigerd",
                    "Deze tabelfunctie is hier niet beschikbaar: alleen de tabellen uit het schema en functies "
                    "als range() en unnest() mogen.",
                    f"Niet toegestaan: {name}",
                )


def _not_reading(kind: duckdb.StatementType) -> Refused:
    return Refused(
        "geweigerd",
        f"Alleen lezen mag hier (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, SHOW, PIVOT, EXPLAIN); "
        f"dit is een {kind.name}-opdracht en die wordt niet uitgevoerd.",
    )


def _single_statement(connection: duckdb.DuckDBPyConnection, sql: str):
    try:
        statements = connection.extract_statements(sql)
    except duckdb.ParserException as err:
        raise Refused("syntax", "De SQL klopt niet. Controleer de schrijfwijze.", str(err)) from None
    if not statements:
        raise Refused("leeg", "Er staat geen SQL-opdracht in het invoerveld.")
    if len(statements) > 1:
        raise Refused("meerdere", f"Eén opdracht tegelijk, a.u.b.: er staan er {len(statements)}. Haal de andere weg.")
    return statements[0]


def check(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[str, str]:
    """('select' | 'pivot' | 'explain', statement text) for a query that only reads; raises Refused otherwise.

    DuckDB's parser decides at every level: an EXPLAIN runs what it wraps, so the wrapped statement is checked
    too; a PIVOT is a MULTI statement in DuckDB 2.0 (a temp enum of the pivot values, then a SELECT).
    """
    statement = _single_statement(connection, sql)
    text = _without_trailing_comments(sql)
    _refuse_denied_names(text)
    first_word = _name(_tokens(text)[0][0])
    if statement.type == duckdb.StatementType.SELECT:
        _refuse_non_warehouse_sources(connection, text)
        return "select", text
    if statement.type == duckdb.StatementType.MULTI:
        # DuckDB splits a PIVOT without an IN list into a temp enum of the pivot values and a SELECT. A statement
        # that starts with SELECT, FROM, PIVOT or "(" can only be a query; after WITH it could be an INSERT.
        if first_word in ("pivot", "pivot_wider", "select", "from", "("):
            return "pivot", text
        raise Refused(
            "geweigerd",
            "Een PIVOT zonder IN-lijst mag hier als losse opdracht of binnen SELECT … FROM (PIVOT …), niet na WITH. "
            "Zet de PIVOT in een subquery of noem de waarden met IN (…).",
        )
    if statement.type == duckdb.StatementType.EXPLAIN and first_word == "explain":
        tokens = _tokens(text)[1:]
        if tokens and _name(tokens[0][0]) in EXPLAIN_MODIFIERS:
            tokens = tokens[1:]
        wrapped = text[tokens[0][2] :] if tokens else ""
        inner = _single_statement(connection, wrapped) if wrapped else None
        if inner is None or inner.type != duckdb.StatementType.SELECT:
            raise Refused(
                "geweigerd",
                "EXPLAIN mag hier alleen over een leesopdracht (SELECT, WITH, FROM): EXPLAIN ANALYZE voert de "
                "opdracht echt uit.",
            )
        _refuse_non_warehouse_sources(connection, wrapped)
        return "explain", text
    raise _not_reading(statement.type)


# --- Running and converting -------------------------------------------------------------------------------


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}_{count + 1}")
    return result


def displayable_query(kind: str, text: str, connection: duckdb.DuckDBPyConnection, request: Request):
    """The query to run, the column names to show and how many columns the statement has.

    Columns are renamed by position (so duplicate names are harmless) and every type that is not plainly
    displayable is cast to VARCHAR: LIST, STRUCT, MAP, UNION, INTERVAL, TIMESTAMPTZ, BLOB, BIT, infinite dates...
    """
    relation = connection.sql(text)
    names, types = list(relation.columns), [str(t) for t in relation.types]
    if kind == "explain":
        return text, names, len(names)
    shown = min(len(names), request.column_cap)
    aliases = ", ".join(f"k{index}" for index in range(shown))
    columns = ", ".join(
        f"k{index}" if types[index] in PLAIN_TYPES else f"cast(k{index} as varchar) as k{index}"
        for index in range(shown)
    )
    wrapped = f"select {columns} from (\n{text}\n) as user_query({aliases}) limit {request.row_cap + 1}"
    return wrapped, _unique(names[:shown]), len(names)


def collect(connection: duckdb.DuckDBPyConnection, query: str, names: list[str], request: Request):
    """Read the result in batches and stop at the row cap or the byte cap, whichever comes first."""
    batches, rows, size, over_bytes = [], 0, 0, False
    reader = connection.sql(query).to_arrow_reader(1024)
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows > request.row_cap or size > request.byte_cap:
            over_bytes = size > request.byte_cap
            break
    schema = reader.schema
    table = pa.Table.from_batches(batches, schema=schema).rename_columns(names)
    over_rows = table.num_rows > request.row_cap
    table = table.slice(0, request.row_cap)
    payload = _ipc(table)
    while len(payload) > request.byte_cap and table.num_rows > 0:
        over_bytes = True
        keep = int(table.num_rows * request.byte_cap / len(payload) * 0.9)
        table = table.slice(0, keep)
        payload = _ipc(table)
    return payload, table.num_rows, over_rows, over_bytes


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


# --- Messages ---------------------------------------------------------------------------------------------


def scrub(message: str, request: Request | None = None) -> str:
    """DuckDB's message without absolute server paths or the user name."""
    known = [os.getcwd(), os.path.expanduser("~"), os.path.dirname(os.path.abspath(__file__))]
    if request:
        known += [request.warehouse, os.path.dirname(request.warehouse)]
    for path in sorted({p for p in known if p and p != "/"}, key=len, reverse=True):
        message = message.replace(path, "…")
    message = re.sub(r"(?<![\w.:/])/(?:[\w.\-]+/)*[\w.\-]+", "…", message)
    user = pwd.getpwuid(os.getuid()).pw_name
    return re.sub(rf"\b{re.escape(user)}\b", "…", message)


def explain_error(err: BaseException, request: Request) -> Refused:
    detail = scrub(str(err), request)
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


# --- Entry point ------------------------------------------------------------------------------------------


def answer(request: Request) -> tuple[dict, bytes]:
    started = time.perf_counter()
    try:
        connection = open_locked_connection(request)
        kind, text = check(connection, request.sql)
        query, names, column_count = displayable_query(kind, text, connection, request)
        payload, rows, over_rows, over_bytes = collect(connection, query, names, request)
    except Refused as refused:
        refused.detail = scrub(refused.detail, request)
        return {"ok": False, "kind": refused.kind, "message": refused.message, "detail": refused.detail}, b""
    except BaseException as err:  # noqa: BLE001 - every failure becomes a Dutch sentence, never a stack trace
        refused = explain_error(err, request)
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


if __name__ == "__main__":
    main()
