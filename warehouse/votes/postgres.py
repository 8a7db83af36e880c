"""The vote store in PostgreSQL, for several app processes sharing sessions."""

from __future__ import annotations

import contextlib
import queue
import select
from collections.abc import Iterator
from typing import Any

from warehouse.votes.base import VoteStore
from warehouse.votes.model import UNAVAILABLE_MESSAGE, StoreError, StoreUnavailable
from warehouse.votes.schema import schema_statements
from warehouse.votes.transaction import Transaction


class PostgresVoteStore(VoteStore):
    """PostgreSQL through psycopg 3, for several app processes sharing sessions. A few connections are kept
    open and reused; a connection that failed is dropped."""

    backend = "postgresql"
    MAX_IDLE = 8

    def __init__(self, url: str, read_only: bool = False) -> None:
        import psycopg  # only needed when this backend is chosen

        self._psycopg = psycopg
        self.url = url
        self.read_only = read_only
        self._idle: queue.LifoQueue = queue.LifoQueue()
        if read_only:  # the build: no schema, and only read-only transactions
            return
        with self._transaction(write=True) as tx:
            # Two processes creating the schema at once would collide in the catalog: one at a time.
            tx.run("select pg_advisory_xact_lock(8110410)")
            for statement in schema_statements("bigint generated always as identity primary key"):
                tx.run(statement)

    def _connection(self) -> Any:
        while True:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                return self._psycopg.connect(self.url, autocommit=False, connect_timeout=10)
            if not self._stale(connection):
                return connection
            connection.close()

    @staticmethod
    def _stale(connection: Any) -> bool:
        """An idle connection that has something to read was ended by the server (a restart sends a goodbye, a
        crash an end-of-file): using it would fail a vote although the database is back."""
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def _release(self, connection: Any, healthy: bool) -> None:
        if healthy and not connection.closed and self._idle.qsize() < self.MAX_IDLE:
            self._idle.put(connection)
        else:
            connection.close()

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Transaction]:
        if write and self.read_only:
            raise StoreError("Deze stemopslag is alleen geopend om te lezen.")
        unreachable = (self._psycopg.OperationalError, self._psycopg.InterfaceError)
        try:
            connection = self._connection()
        except unreachable as error:
            raise StoreUnavailable(UNAVAILABLE_MESSAGE) from error
        healthy = False
        try:
            with connection.cursor() as cursor:
                if not write:  # one snapshot for all reads of a screen
                    cursor.execute("set transaction isolation level repeatable read read only")
                yield Transaction(cursor, "%s", lock_clause=True)
            connection.commit()
            healthy = True
        except StoreError:
            connection.rollback()
            healthy = True
            raise
        except unreachable as error:
            # The server went away (or the transaction was cancelled): PostgreSQL rolled it back, so nothing is
            # half-written. The other idle connections are likely dead too.
            self.close()
            raise StoreUnavailable(UNAVAILABLE_MESSAGE) from error
        finally:
            if not healthy:
                with contextlib.suppress(Exception):
                    connection.rollback()
            self._release(connection, healthy)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def __repr__(self) -> str:
        return "PostgresVoteStore(…)"  # the URL may hold a password
