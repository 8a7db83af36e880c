"""Which vote store the configuration points at: a postgresql:// URL (TM_VOTES_URL), else a SQLite file
(TM_VOTES_PATH, else warehouse/votes.sqlite). The app opens it to write; the warehouse build only reads it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from warehouse.votes.base import VoteStore
from warehouse.votes.model import StoreError
from warehouse.votes.postgres import PostgresVoteStore
from warehouse.votes.schema import WAREHOUSE_COLUMNS
from warehouse.votes.sqlite import SqliteVoteStore

ROOT = Path(__file__).resolve().parents[2]
# Beside the warehouse, but not inside the dbt-built DuckDB file: a rebuild never touches the votes.
DEFAULT_SQLITE_PATH = ROOT / "warehouse" / "votes.sqlite"


def _configured_url(url: str | None) -> str:
    """The given URL, else TM_VOTES_URL; empty means SQLite."""
    return url if url is not None else os.environ.get("TM_VOTES_URL", "").strip()


def _checked_url(url: str) -> str:
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreError("TM_VOTES_URL moet beginnen met postgresql:// (bijvoorbeeld postgresql://host/db).")
    return url


def _configured_path(path: str | os.PathLike[str] | None) -> str | os.PathLike[str]:
    return path or os.environ.get("TM_VOTES_PATH") or DEFAULT_SQLITE_PATH


def open_store(url: str | None = None, path: str | os.PathLike[str] | None = None) -> VoteStore:
    """PostgreSQL if a postgresql:// URL is given (or TM_VOTES_URL is set), else the SQLite file at `path`,
    TM_VOTES_PATH or warehouse/votes.sqlite."""
    url = _configured_url(url)
    if url:
        return PostgresVoteStore(_checked_url(url))
    return SqliteVoteStore(_configured_path(path))


def describe_store(url: str | None = None, path: str | os.PathLike[str] | None = None) -> str:
    """Which store the configuration points at, for messages: never the URL itself (it may hold a password)."""
    if _configured_url(url):
        return "PostgreSQL (TM_VOTES_URL)"
    return str(_configured_path(path))


def read_for_warehouse(url: str | None = None, path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Every event of the configured store (as open_store chooses it) for the build, in WAREHOUSE_COLUMNS,
    oldest first. Reads only: a SQLite file that does not exist yet, or a database without the tables, is an
    empty log; nothing is created or changed. A store that cannot be read raises (StoreError, OSError, …)."""
    url = _configured_url(url)
    if url:
        store: VoteStore = PostgresVoteStore(_checked_url(url), read_only=True)
        try:
            with store._transaction(write=False) as tx:
                if not tx.one("select to_regclass('scoring_event') is not null as present")["present"]:
                    return []
            rows = store.events()
        finally:
            store.close()
    else:
        try:
            store = SqliteVoteStore(_configured_path(path), read_only=True)
        except FileNotFoundError:
            return []
        with store._transaction(write=False) as tx:
            if not tx.one("select count(*) as n from sqlite_master where name = 'scoring_event'")["n"]:
                return []
        rows = store.events()
    return [{c: row[c] for c in WAREHOUSE_COLUMNS} for row in rows]
