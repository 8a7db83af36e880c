"""The vote store: the only code that writes votes. An append-only event log plus the current state derived from it.

Every action is one transaction that appends one row to `scoring_event` and updates the small state tables in
the same transaction, so the two can never disagree:

    scoring_event        the log, never updated or deleted: session_opened, participant_joined, vote_cast,
                         vote_changed, round_revealed, round_closed, round_reopened, agreed_score_recorded
    scoring_session      one row per session (join code unique)
    scoring_round        one row per session × theme: open or closed, results revealed or not
    scoring_participant  one row per participant; the browser's token is stored only as a SHA-256 hash
    scoring_vote         the current vote; primary key session × participant × theme × dynamic, so the
                         database itself guarantees one current vote per participant per cell
    scoring_agreed       the agreed indicative score per session × theme × dynamic (the latest recorded)

Two backends behind one interface: SQLite (a file, no server; WAL, busy_timeout, BEGIN IMMEDIATE) and
PostgreSQL (psycopg 3), for several app processes sharing sessions. All SQL is parameterised; it is written
with `?` placeholders and translated to `%s` for psycopg. This module does not import streamlit or duckdb.
"""

from __future__ import annotations

import contextlib
import csv
import os
import queue
import secrets
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
# Beside the warehouse, but not inside the dbt-built DuckDB file: a rebuild never touches the votes.
DEFAULT_SQLITE_PATH = ROOT / "warehouse" / "votes.sqlite"

EVENT_TYPES = (
    "session_opened",
    "participant_joined",
    "vote_cast",
    "vote_changed",
    "round_revealed",
    "round_closed",
    "round_reopened",
    "agreed_score_recorded",
)
# The columns of the event log, in export order. display_name is never exported (votes are anonymous).
EVENT_COLUMNS = (
    "event_id",
    "session_id",
    "event_type",
    "occurred_at",
    "participant_id",
    "display_name",
    "facilitator",
    "measurement_year",
    "theme_codes",
    "join_code",
    "theme_code",
    "dynamic_code",
    "score",
    "text",
)
EXPORT_COLUMNS = tuple(c for c in EVENT_COLUMNS if c != "display_name")
# What the warehouse gets: no names at all, so the facilitator's name stays out too.
WAREHOUSE_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c != "facilitator")


class StoreError(Exception):
    """A refused store action; the message is Dutch and may be shown to a user as it is."""


class UnknownSession(StoreError):
    pass


class UnknownParticipant(StoreError):
    pass


class RoundClosed(StoreError):
    pass


class JoinCodeTaken(StoreError):
    pass


@dataclass(frozen=True)
class Session:
    session_id: str
    join_code: str
    measurement_year: int
    theme_codes: tuple[str, ...]
    facilitator: str
    opened_at: str


@dataclass(frozen=True)
class Round:
    theme_code: str
    is_open: bool
    revealed: bool


@dataclass(frozen=True)
class Participant:
    participant_id: str
    session_id: str
    display_name: str


@dataclass(frozen=True)
class Vote:
    participant_id: str
    theme_code: str
    dynamic_code: str
    score: int
    reason: str
    event_id: int
    cast_at: str


@dataclass(frozen=True)
class Agreed:
    theme_code: str
    dynamic_code: str
    score: int
    note: str
    recorded_at: str


@dataclass(frozen=True)
class Snapshot:
    """Everything a screen shows about one session, read in one consistent transaction."""

    session: Session
    rounds: dict[str, Round]
    votes: tuple[Vote, ...]
    agreed: dict[tuple[str, str], Agreed]
    participant_count: int


def now() -> str:
    """UTC, ISO 8601 with milliseconds: sorts as text and reads the same on both backends."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _schema(id_column: str) -> list[str]:
    return [
        f"""create table if not exists scoring_event (
            event_id {id_column},
            session_id text not null,
            event_type text not null check (event_type in ({", ".join(f"'{t}'" for t in EVENT_TYPES)})),
            occurred_at text not null,
            participant_id text,
            display_name text,
            facilitator text,
            measurement_year integer,
            theme_codes text,
            join_code text,
            theme_code text,
            dynamic_code text,
            score integer check (score between 1 and 5),
            text text
        )""",
        "create index if not exists scoring_event_session on scoring_event (session_id, event_id)",
        """create table if not exists scoring_session (
            session_id text primary key,
            join_code text not null unique,
            measurement_year integer not null,
            theme_codes text not null,
            facilitator text not null,
            opened_at text not null
        )""",
        """create table if not exists scoring_round (
            session_id text not null references scoring_session (session_id),
            theme_code text not null,
            is_open integer not null check (is_open in (0, 1)),
            revealed integer not null check (revealed in (0, 1)),
            primary key (session_id, theme_code)
        )""",
        """create table if not exists scoring_participant (
            participant_id text primary key,
            session_id text not null references scoring_session (session_id),
            token_hash text not null,
            display_name text not null,
            joined_at text not null,
            unique (session_id, token_hash)
        )""",
        """create table if not exists scoring_vote (
            session_id text not null,
            participant_id text not null references scoring_participant (participant_id),
            theme_code text not null,
            dynamic_code text not null,
            score integer not null check (score between 1 and 5),
            reason text not null,
            event_id bigint not null,
            cast_at text not null,
            primary key (session_id, participant_id, theme_code, dynamic_code),
            foreign key (session_id, theme_code) references scoring_round (session_id, theme_code)
        )""",
        """create table if not exists scoring_agreed (
            session_id text not null,
            theme_code text not null,
            dynamic_code text not null,
            score integer not null check (score between 1 and 5),
            note text not null,
            event_id bigint not null,
            recorded_at text not null,
            primary key (session_id, theme_code, dynamic_code),
            foreign key (session_id, theme_code) references scoring_round (session_id, theme_code)
        )""",
    ]


class _Tx:
    """One open transaction: `rows` and `one` return dicts, whatever the backend."""

    def __init__(self, cursor: Any, placeholder: str, lock_clause: bool) -> None:
        self._cursor = cursor
        self._placeholder = placeholder
        self._lock_clause = lock_clause

    def _sql(self, sql: str) -> str:
        if not self._lock_clause:  # SQLite: BEGIN IMMEDIATE already holds the write lock
            sql = sql.replace(" for update", "").replace(" for share", "")
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


class VoteStore:
    """The interface both backends share. Subclasses only say how to open a transaction."""

    backend = "?"

    # --- Backend hooks ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[_Tx]:
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        """Release connections (PostgreSQL); a no-op for SQLite."""

    # --- Writing: one event and its state change per transaction -----------------------------------------

    @staticmethod
    def _append(tx: _Tx, session_id: str, event_type: str, at: str, **fields: Any) -> int:
        columns = ["session_id", "event_type", "occurred_at", *fields]
        row = tx.one(
            f"insert into scoring_event ({', '.join(columns)}) values ({', '.join('?' for _ in columns)}) "
            "returning event_id",
            [session_id, event_type, at, *fields.values()],
        )
        assert row is not None
        return int(row["event_id"])

    def open_session(
        self, *, facilitator: str, measurement_year: int, theme_codes: Sequence[str], join_code: str
    ) -> Session:
        """A new session with one open round per theme. Raises JoinCodeTaken if the code is in use."""
        session_id = secrets.token_hex(8)
        at = now()
        themes = ",".join(theme_codes)
        with self._transaction(write=True) as tx:
            if tx.one("select 1 as taken from scoring_session where join_code = ?", [join_code]):
                raise JoinCodeTaken("Deze sessiecode is al in gebruik.")
            self._append(
                tx,
                session_id,
                "session_opened",
                at,
                facilitator=facilitator,
                measurement_year=measurement_year,
                theme_codes=themes,
                join_code=join_code,
            )
            tx.run(
                "insert into scoring_session (session_id, join_code, measurement_year, theme_codes, facilitator, "
                "opened_at) values (?, ?, ?, ?, ?, ?)",
                [session_id, join_code, measurement_year, themes, facilitator, at],
            )
            for theme_code in theme_codes:
                tx.run(
                    "insert into scoring_round (session_id, theme_code, is_open, revealed) values (?, ?, 1, 0)",
                    [session_id, theme_code],
                )
        return Session(session_id, join_code, measurement_year, tuple(theme_codes), facilitator, at)

    def join(self, session_id: str, token_hash: str, display_name: str) -> tuple[Participant, bool]:
        """The participant with this token in this session, created if new. Returns (participant, is_new).

        Joining again with the same token (a reload, a dropped connection) returns the same participant and
        appends no event.
        """
        at = now()
        participant_id = "p" + secrets.token_hex(6)  # public and random; the token itself is never stored
        with self._transaction(write=True) as tx:
            if not tx.one("select 1 as found from scoring_session where session_id = ?", [session_id]):
                raise UnknownSession("Deze sessie bestaat niet.")
            inserted = tx.one(
                "insert into scoring_participant (participant_id, session_id, token_hash, display_name, joined_at) "
                "values (?, ?, ?, ?, ?) on conflict (session_id, token_hash) do nothing returning participant_id",
                [participant_id, session_id, token_hash, display_name, at],
            )
            if inserted:
                self._append(
                    tx,
                    session_id,
                    "participant_joined",
                    at,
                    participant_id=participant_id,
                    display_name=display_name,
                )
                return Participant(participant_id, session_id, display_name), True
            existing = tx.one(
                "select participant_id, display_name from scoring_participant where session_id = ? and token_hash = ?",
                [session_id, token_hash],
            )
            assert existing is not None
            return Participant(existing["participant_id"], session_id, existing["display_name"]), False

    def cast_vote(
        self, session_id: str, participant_id: str, theme_code: str, dynamic_code: str, score: int, reason: str
    ) -> Vote:
        """Record a participant's vote for one cell (a change if they voted there before).

        The round's state is read under a share lock in the same transaction, so a vote racing with 'close'
        either lands before it or is refused: never after.
        """
        at = now()
        with self._transaction(write=True) as tx:
            # Serialises one participant's own actions (PostgreSQL); SQLite's BEGIN IMMEDIATE serialises all.
            participant = tx.one(
                "select participant_id from scoring_participant where participant_id = ? and session_id = ? for update",
                [participant_id, session_id],
            )
            if not participant:
                raise UnknownParticipant("U bent (nog) geen deelnemer van deze sessie.")
            round_row = tx.one(
                "select is_open from scoring_round where session_id = ? and theme_code = ? for share",
                [session_id, theme_code],
            )
            if not round_row:
                raise UnknownSession("Dit thema hoort niet bij deze sessie.")
            if not round_row["is_open"]:
                raise RoundClosed("De stemronde voor dit thema is gesloten: uw stem is niet meer opgeslagen.")
            previous = tx.one(
                "select score from scoring_vote where session_id = ? and participant_id = ? and theme_code = ? "
                "and dynamic_code = ?",
                [session_id, participant_id, theme_code, dynamic_code],
            )
            event_id = self._append(
                tx,
                session_id,
                "vote_changed" if previous else "vote_cast",
                at,
                participant_id=participant_id,
                theme_code=theme_code,
                dynamic_code=dynamic_code,
                score=score,
                text=reason,
            )
            tx.run(
                "insert into scoring_vote (session_id, participant_id, theme_code, dynamic_code, score, reason, "
                "event_id, cast_at) values (?, ?, ?, ?, ?, ?, ?, ?) "
                "on conflict (session_id, participant_id, theme_code, dynamic_code) do update set "
                "score = excluded.score, reason = excluded.reason, event_id = excluded.event_id, "
                "cast_at = excluded.cast_at",
                [session_id, participant_id, theme_code, dynamic_code, score, reason, event_id, at],
            )
        return Vote(participant_id, theme_code, dynamic_code, score, reason, event_id, at)

    def change_round(self, session_id: str, theme_code: str, event_type: str) -> bool:
        """round_revealed, round_closed or round_reopened. Returns False (and appends nothing) if the round
        already was in that state. Reopening also hides the results again: a new round of voting starts
        unbiased."""
        changes = {
            "round_revealed": ("revealed", 1, None),
            "round_closed": ("is_open", 0, None),
            "round_reopened": ("is_open", 1, "revealed = 0"),
        }
        column, value, extra = changes[event_type]
        with self._transaction(write=True) as tx:
            row = tx.one(
                "select is_open, revealed from scoring_round where session_id = ? and theme_code = ? for update",
                [session_id, theme_code],
            )
            if not row:
                raise UnknownSession("Dit thema hoort niet bij deze sessie.")
            if row[column] == value and (extra is None or not row["revealed"]):
                return False
            self._append(tx, session_id, event_type, now(), theme_code=theme_code)
            assignments = f"{column} = ?" + (f", {extra}" if extra else "")
            tx.run(
                f"update scoring_round set {assignments} where session_id = ? and theme_code = ?",
                [value, session_id, theme_code],
            )
        return True

    def record_agreed(self, session_id: str, theme_code: str, dynamic_code: str, score: int, note: str) -> Agreed:
        at = now()
        with self._transaction(write=True) as tx:
            if not tx.one(
                "select 1 as found from scoring_round where session_id = ? and theme_code = ?",
                [session_id, theme_code],
            ):
                raise UnknownSession("Dit thema hoort niet bij deze sessie.")
            event_id = self._append(
                tx,
                session_id,
                "agreed_score_recorded",
                at,
                theme_code=theme_code,
                dynamic_code=dynamic_code,
                score=score,
                text=note,
            )
            tx.run(
                "insert into scoring_agreed (session_id, theme_code, dynamic_code, score, note, event_id, "
                "recorded_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (session_id, theme_code, dynamic_code) "
                "do update set score = excluded.score, note = excluded.note, event_id = excluded.event_id, "
                "recorded_at = excluded.recorded_at",
                [session_id, theme_code, dynamic_code, score, note, event_id, at],
            )
        return Agreed(theme_code, dynamic_code, score, note, at)

    # --- Reading -------------------------------------------------------------------------------------------

    @staticmethod
    def _session(row: dict[str, Any]) -> Session:
        return Session(
            row["session_id"],
            row["join_code"],
            int(row["measurement_year"]),
            tuple(row["theme_codes"].split(",")),
            row["facilitator"],
            row["opened_at"],
        )

    _SESSION_COLUMNS = "session_id, join_code, measurement_year, theme_codes, facilitator, opened_at"

    def session_by_code(self, join_code: str) -> Session | None:
        with self._transaction(write=False) as tx:
            row = tx.one(f"select {self._SESSION_COLUMNS} from scoring_session where join_code = ?", [join_code])
        return self._session(row) if row else None

    def recent_sessions(self, limit: int = 20) -> list[Session]:
        with self._transaction(write=False) as tx:
            rows = tx.rows(
                f"select {self._SESSION_COLUMNS} from scoring_session order by opened_at desc limit ?", [limit]
            )
        return [self._session(r) for r in rows]

    def sessions_for_year(self, measurement_year: int) -> list[Session]:
        """Every session on one measurement, oldest first."""
        with self._transaction(write=False) as tx:
            rows = tx.rows(
                f"select {self._SESSION_COLUMNS} from scoring_session where measurement_year = ? order by opened_at",
                [measurement_year],
            )
        return [self._session(r) for r in rows]

    def participant_by_token(self, session_id: str, token_hash: str) -> Participant | None:
        with self._transaction(write=False) as tx:
            row = tx.one(
                "select participant_id, display_name from scoring_participant where session_id = ? and token_hash = ?",
                [session_id, token_hash],
            )
        return Participant(row["participant_id"], session_id, row["display_name"]) if row else None

    def participant_names(self, session_id: str) -> list[str]:
        """For the facilitator's 'who is in' list only; never shown next to a score."""
        with self._transaction(write=False) as tx:
            rows = tx.rows("select display_name from scoring_participant where session_id = ?", [session_id])
        return sorted((r["display_name"] for r in rows), key=str.casefold)

    def snapshot(self, session_id: str) -> Snapshot:
        with self._transaction(write=False) as tx:
            row = tx.one(f"select {self._SESSION_COLUMNS} from scoring_session where session_id = ?", [session_id])
            if not row:
                raise UnknownSession("Deze sessie bestaat niet.")
            rounds = tx.rows(
                "select theme_code, is_open, revealed from scoring_round where session_id = ?", [session_id]
            )
            votes = tx.rows(
                "select participant_id, theme_code, dynamic_code, score, reason, event_id, cast_at "
                "from scoring_vote where session_id = ? order by event_id",
                [session_id],
            )
            agreed = tx.rows(
                "select theme_code, dynamic_code, score, note, recorded_at from scoring_agreed where session_id = ?",
                [session_id],
            )
            count = tx.one("select count(*) as n from scoring_participant where session_id = ?", [session_id])
        return Snapshot(
            session=self._session(row),
            rounds={r["theme_code"]: Round(r["theme_code"], bool(r["is_open"]), bool(r["revealed"])) for r in rounds},
            votes=tuple(Vote(**{**v, "score": int(v["score"]), "event_id": int(v["event_id"])}) for v in votes),
            agreed={(a["theme_code"], a["dynamic_code"]): Agreed(**a) for a in agreed},
            participant_count=int(count["n"]) if count else 0,
        )

    # --- Export (phase 2: the build reads these rows into a dbt source) ---------------------------------

    def events(self, session_id: str | None = None) -> list[dict[str, Any]]:
        """The whole log (or one session's), oldest first, every column including display names."""
        with self._transaction(write=False) as tx:
            return tx.rows(
                f"select {', '.join(EVENT_COLUMNS)} from scoring_event "
                "where (cast(? as text) is null or session_id = ?) order by event_id",
                [session_id, session_id],
            )

    def export_rows(self, session_id: str | None = None) -> list[dict[str, Any]]:
        """Every event as a row for the warehouse: anonymous (no display names), oldest first."""
        return [{c: row[c] for c in EXPORT_COLUMNS} for row in self.events(session_id)]

    def write_csv(self, target: IO[str], session_id: str | None = None) -> int:
        """export_rows() as CSV (header first); returns the number of rows."""
        rows = self.export_rows(session_id)
        writer = csv.DictWriter(target, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return len(rows)

    def event_count(self, session_id: str | None = None) -> int:
        with self._transaction(write=False) as tx:
            row = tx.one(
                "select count(*) as n from scoring_event where (cast(? as text) is null or session_id = ?)",
                [session_id, session_id],
            )
        return int(row["n"]) if row else 0


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
            for statement in _schema("integer primary key autoincrement"):
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
    def _transaction(self, write: bool) -> Iterator[_Tx]:
        if write and self.read_only:
            raise StoreError("Deze stemopslag is alleen geopend om te lezen.")
        with contextlib.closing(self._connect()) as connection:
            cursor = connection.cursor()
            cursor.execute("begin immediate" if write else "begin")
            try:
                yield _Tx(cursor, "?", lock_clause=False)
            except BaseException:
                cursor.execute("rollback")
                raise
            cursor.execute("commit")

    def __repr__(self) -> str:
        return f"SqliteVoteStore({str(self.path)!r})"


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
            for statement in _schema("bigint generated always as identity primary key"):
                tx.run(statement)

    def _connection(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return self._psycopg.connect(self.url, autocommit=False, connect_timeout=10)

    def _release(self, connection: Any, healthy: bool) -> None:
        if healthy and not connection.closed and self._idle.qsize() < self.MAX_IDLE:
            self._idle.put(connection)
        else:
            connection.close()

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[_Tx]:
        if write and self.read_only:
            raise StoreError("Deze stemopslag is alleen geopend om te lezen.")
        connection = self._connection()
        healthy = False
        try:
            with connection.cursor() as cursor:
                if not write:  # one snapshot for all reads of a screen
                    cursor.execute("set transaction isolation level repeatable read read only")
                yield _Tx(cursor, "%s", lock_clause=True)
            connection.commit()
            healthy = True
        except StoreError:
            connection.rollback()
            healthy = True
            raise
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


def open_store(url: str | None = None, path: str | os.PathLike[str] | None = None) -> VoteStore:
    """PostgreSQL if a postgresql:// URL is given (or TM_VOTES_URL is set), else the SQLite file at `path`,
    TM_VOTES_PATH or warehouse/votes.sqlite."""
    url = url if url is not None else os.environ.get("TM_VOTES_URL", "").strip()
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError("TM_VOTES_URL moet beginnen met postgresql:// (bijvoorbeeld postgresql://host/db).")
        return PostgresVoteStore(url)
    return SqliteVoteStore(path or os.environ.get("TM_VOTES_PATH") or DEFAULT_SQLITE_PATH)


def describe_store(url: str | None = None, path: str | os.PathLike[str] | None = None) -> str:
    """Which store the configuration points at, for messages: never the URL itself (it may hold a password)."""
    url = url if url is not None else os.environ.get("TM_VOTES_URL", "").strip()
    if url:
        return "PostgreSQL (TM_VOTES_URL)"
    return str(path or os.environ.get("TM_VOTES_PATH") or DEFAULT_SQLITE_PATH)


def read_for_warehouse(url: str | None = None, path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Every event of the configured store (as open_store chooses it) for the build, in WAREHOUSE_COLUMNS,
    oldest first. Reads only: a SQLite file that does not exist yet, or a database without the tables, is an
    empty log; nothing is created or changed. A store that cannot be read raises (StoreError, OSError, …)."""
    url = url if url is not None else os.environ.get("TM_VOTES_URL", "").strip()
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError("TM_VOTES_URL moet beginnen met postgresql:// (bijvoorbeeld postgresql://host/db).")
        store: VoteStore = PostgresVoteStore(url, read_only=True)
        try:
            with store._transaction(write=False) as tx:
                if not tx.one("select to_regclass('scoring_event') is not null as present")["present"]:
                    return []
            rows = store.events()
        finally:
            store.close()
    else:
        try:
            store = SqliteVoteStore(path or os.environ.get("TM_VOTES_PATH") or DEFAULT_SQLITE_PATH, read_only=True)
        except FileNotFoundError:
            return []
        with store._transaction(write=False) as tx:
            if not tx.one("select count(*) as n from sqlite_master where name = 'scoring_event'")["n"]:
                return []
        rows = store.events()
    return [{c: row[c] for c in WAREHOUSE_COLUMNS} for row in rows]
