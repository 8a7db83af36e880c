"""The warehouse file and the one read-only DuckDB connection to it, for the pages' queries.

Every query result is cached per warehouse version (inode and modification time of the file), so a rebuild that
swaps in a new file is picked up on the next rerun.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
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


def warehouse_version() -> tuple[str, int, int]:
    """Which build of the warehouse is served (path, inode, modification time): changes when a build swaps in."""
    return _version()


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
