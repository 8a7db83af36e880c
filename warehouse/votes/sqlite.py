"""The vote store in a SQLite file: no server, the default."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from warehouse.votes.base import VoteStore
from warehouse.votes.model import StoreError
from warehouse.votes.schema import schema_statements
from warehouse.votes.transaction import Transaction


class SqliteVoteStore(VoteStore):
    """A file beside the warehouse. WAL lets the screens read while someone votes; BEGIN IMMEDIATE takes the
    write lock up front, so two writers queue (busy_timeout) instead of failing halfway."""

    backend = "sqlite"
    BUSY_TIMEOUT_MS = 30_000

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:  # the build: open an existing file for reading, create and change nothing
            if not self.path.is_file():
                raise FileNotFoundError(self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(self._connect()) as connection:
            connection.execute("pragma journal_mode = wal")  # persistent: stored in the file
            connection.execute("begin immediate")
            for statement in schema_statements("integer primary key autoincrement"):
                connection.execute(statement)
            connection.execute("commit")

    def _connect(self) -> sqlite3.Connection:
        # A connection per transaction: cheap for a file, and safe across Streamlit's threads.
        target = f"file:{urllib.parse.quote(str(self.path.resolve()))}?mode=ro" if self.read_only else self.path
        connection = sqlite3.connect(
            target,
            timeout=self.BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            uri=self.read_only,
        )
        connection.execute(f"pragma busy_timeout = {self.BUSY_TIMEOUT_MS}")
        connection.execute("pragma foreign_keys = on")
        return connection

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Transaction]:
        if write and self.read_only:
            raise StoreError("Deze stemopslag is alleen geopend om te lezen.")
        with contextlib.closing(self._connect()) as connection:
            cursor = connection.cursor()
            cursor.execute("begin immediate" if write else "begin")
            try:
                yield Transaction(cursor, "?", lock_clause=False)
            except BaseException:
                cursor.execute("rollback")
                raise
            cursor.execute("commit")

    def __repr__(self) -> str:
        return f"SqliteVoteStore({str(self.path)!r})"
