"""Turns a checked statement into a result the server can show as it is: every odd type as text, unique column
names, at most the row and byte caps, as one Arrow IPC stream."""

from __future__ import annotations

import io

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


def unique_names(names: list[str]) -> list[str]:
    """Column names as given, a repeated one followed by its place: a, a (kolom 2). Never a name that is already
    there: if the query itself has a column 'a (kolom 2)', the repeat gets another suffix."""
    taken = set(names)
    seen: set[str] = set()
    result = []
    for position, name in enumerate(names, start=1):
        if name not in seen:
            seen.add(name)
            result.append(name)
            continue
        candidate = f"{name} (kolom {position})"
        while candidate in taken:
            candidate += f" (kolom {position})"
        taken.add(candidate)
        result.append(candidate)
    return result


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def displayable_query(kind: str, text: str, connection: duckdb.DuckDBPyConnection, row_cap: int, column_cap: int):
    """The query to run, the column names to show and how many columns the statement has.

    Columns are renamed by position (so duplicate names are harmless) and every type that is not plainly
    displayable is cast to VARCHAR: LIST, STRUCT, MAP, UNION, INTERVAL, TIMESTAMPTZ, BLOB, BIT, infinite dates...
    """
    relation = connection.sql(text)
    names, types = list(relation.columns), [str(t) for t in relation.types]
    if kind == "explain":
        return text, unique_names(names), len(names)
    shown = min(len(names), column_cap)
    aliases = ", ".join(f"k{index}" for index in range(shown))
    columns = ", ".join(
        f"k{index}" if types[index] in PLAIN_TYPES else f"cast(k{index} as varchar) as k{index}"
        for index in range(shown)
    )
    wrapped = f"select {columns} from (\n{text}\n) as user_query({aliases}) limit {row_cap + 1}"
    return wrapped, unique_names(names[:shown]), len(names)


def collect(connection: duckdb.DuckDBPyConnection, query: str, names: list[str], row_cap: int, byte_cap: int):
    """(payload, rows, cut for rows, cut for bytes): the result read in batches, stopped at the row or byte cap.

    A result that does not fit in the worker's memory as one stream is cut further, never lost.
    """
    batches, rows, size, over_bytes = [], 0, 0, False
    reader = connection.sql(query).to_arrow_reader(1024)
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows > row_cap or size > byte_cap:
            over_bytes = size > byte_cap
            break
    table = pa.Table.from_batches(batches, schema=reader.schema).rename_columns(names)
    del batches, reader
    over_rows = table.num_rows > row_cap
    table = table.slice(0, row_cap)
    while True:
        try:
            payload = ipc_stream(table)
        except MemoryError:
            payload = b""
        if payload and len(payload) <= byte_cap:
            return payload, table.num_rows, over_rows, over_bytes
        if table.num_rows == 0:
            return ipc_stream(table.schema.empty_table()), 0, over_rows, True
        over_bytes = True
        keep = int(table.num_rows * byte_cap / len(payload) * 0.9) if payload else table.num_rows // 2
        table = table.slice(0, min(keep, table.num_rows - 1))


def ipc_stream(table: pa.Table) -> bytes:
    """The table as one Arrow IPC stream. Not a `with` block: closing a writer after a failed write raises
    'I/O operation on closed file' and hides the MemoryError that collect() cuts the result for."""
    sink = io.BytesIO()
    writer = pa.ipc.new_stream(sink, table.schema)
    writer.write_table(table)
    writer.close()
    return sink.getvalue()
