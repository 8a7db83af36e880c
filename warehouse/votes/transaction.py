"""One transaction on either backend: SQL written with `?` placeholders, translated for psycopg's `%s`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Transaction:
    """One open transaction: `rows` and `one` return dicts, whatever the backend."""

    def __init__(self, cursor: Any, placeholder: str, lock_clause: bool) -> None:
        self._cursor = cursor
        self._placeholder = placeholder
        self._lock_clause = lock_clause

    def _sql(self, sql: str) -> str:
        if not self._lock_clause:  # SQLite: BEGIN IMMEDIATE already holds the write lock
            sql = sql.replace(" for update skip locked", "").replace(" for update", "").replace(" for share", "")
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self._cursor.execute(self._sql(sql), tuple(params))
        if self._cursor.description is None:
            return []
        names = [d[0] for d in self._cursor.description]
        return [dict(zip(names, row, strict=True)) for row in self._cursor.fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._sql(sql), tuple(params))
