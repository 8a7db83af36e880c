"""The vote store: the only code that writes votes. One interface, two backends (sqlite.py, postgres.py).

Every action is one transaction that appends one row to the event log and updates the state tables derived
from it (schema.py); the claims and throttle counters beside it are bookkeeping that every app server shares.
SQLite is a file, no server (WAL, busy_timeout, BEGIN IMMEDIATE); PostgreSQL (psycopg 3) serves several app
processes sharing sessions. All SQL is parameterised; it is written with `?` placeholders
and translated to `%s` for psycopg. This package imports neither streamlit nor duckdb.
"""

from __future__ import annotations

import contextlib
import csv
import secrets
from collections.abc import Iterator, Sequence
from typing import IO, Any

from warehouse.votes.model import (
    Agreed,
    JoinCodeTaken,
    Participant,
    Round,
    RoundClosed,
    Session,
    SessionFull,
    Snapshot,
    UnknownParticipant,
    UnknownSession,
    Vote,
    now,
)
from warehouse.votes.schema import EVENT_COLUMNS, EXPORT_COLUMNS, formula_safe


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


class VoteStore:
    """The interface both backends share. Subclasses only say how to open a transaction."""

    backend = "?"

    # --- Backend hooks ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Transaction]:
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        """Release connections (PostgreSQL); a no-op for SQLite."""

    # --- Writing: one event and its state change per transaction -----------------------------------------

    @staticmethod
    def _append(tx: Transaction, session_id: str, event_type: str, at: str, **fields: Any) -> int:
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

    def join(
        self, session_id: str, token_hash: str, display_name: str, max_participants: int | None = None
    ) -> tuple[Participant, bool]:
        """The participant with this token in this session, created if new. Returns (participant, is_new).

        Joining again with the same token (a reload, a dropped connection) returns the same participant and
        appends no event. A new participant beyond `max_participants` is refused (SessionFull).
        """
        with self._transaction(write=True) as tx:
            return self._join(tx, session_id, token_hash, display_name, max_participants)

    def _join(
        self, tx: Transaction, session_id: str, token_hash: str, display_name: str, max_participants: int | None
    ) -> tuple[Participant, bool]:
        at = now()
        # The session row locked: joins to one session queue, so the count below stays true (PostgreSQL).
        if not tx.one("select 1 as found from scoring_session where session_id = ? for update", [session_id]):
            raise UnknownSession("Deze sessie bestaat niet.")
        existing = tx.one(
            "select participant_id, display_name from scoring_participant where session_id = ? and token_hash = ?",
            [session_id, token_hash],
        )
        if existing:
            return Participant(existing["participant_id"], session_id, existing["display_name"]), False
        self._check_room(tx, session_id, max_participants)
        participant_id = "p" + secrets.token_hex(6)  # public and random; the token itself is never stored
        tx.run(
            "insert into scoring_participant (participant_id, session_id, token_hash, display_name, joined_at) "
            "values (?, ?, ?, ?, ?)",
            [participant_id, session_id, token_hash, display_name, at],
        )
        self._append(tx, session_id, "participant_joined", at, participant_id=participant_id, display_name=display_name)
        return Participant(participant_id, session_id, display_name), True

    @staticmethod
    def _check_room(tx: Transaction, session_id: str, max_participants: int | None) -> None:
        if max_participants is None:
            return
        count = tx.one("select count(*) as n from scoring_participant where session_id = ?", [session_id])
        if count and int(count["n"]) >= max_participants:
            raise SessionFull(
                f"Deze sessie is vol: er doen al {max_participants} deelnemers mee. Vraag de begeleider om hulp."
            )

    def cast_vote(
        self, session_id: str, participant_id: str, theme_code: str, dynamic_code: str, score: int, reason: str
    ) -> Vote:
        """Record a participant's vote for one cell (a change if they voted there before). The same score and
        reason again is no change: the current vote comes back and nothing is appended.

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
                "select score, reason, event_id, cast_at from scoring_vote where session_id = ? and participant_id = ? "
                "and theme_code = ? and dynamic_code = ?",
                [session_id, participant_id, theme_code, dynamic_code],
            )
            if previous and int(previous["score"]) == score and previous["reason"] == reason:
                return Vote(
                    participant_id,
                    theme_code,
                    dynamic_code,
                    score,
                    reason,
                    int(previous["event_id"]),
                    previous["cast_at"],
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

    # --- Claims: a join waiting for its browser (one use, short-lived, stored only as a hash) -------------------

    def add_claim(
        self,
        session_id: str,
        claim_hash: str,
        display_name: str,
        expires_at: float,
        at: float,
        max_participants: int | None = None,
    ) -> None:
        """Remember a join until the browser redeems it (redeem_claim). Refused when the session is already full;
        expired claims are cleared on the way."""
        with self._transaction(write=True) as tx:
            tx.run("delete from scoring_claim where expires_at < ?", [at])
            if not tx.one("select 1 as found from scoring_session where session_id = ?", [session_id]):
                raise UnknownSession("Deze sessie bestaat niet.")
            self._check_room(tx, session_id, max_participants)
            tx.run(
                "insert into scoring_claim (claim_hash, session_id, display_name, expires_at) values (?, ?, ?, ?)",
                [claim_hash, session_id, display_name, expires_at],
            )

    def redeem_claim(
        self, claim_hash: str, token_hash: str, at: float, max_participants: int | None = None
    ) -> tuple[Participant, str] | None:
        """The participant for a claim, created with this token; returns (participant, join code). None if the
        claim is unknown, used or expired: a claim is deleted the moment it is read, whichever server reads it."""
        with self._transaction(write=True) as tx:
            claim = tx.one(
                "delete from scoring_claim where claim_hash = ? returning session_id, display_name, expires_at",
                [claim_hash],
            )
            if claim is None or float(claim["expires_at"]) < at:
                return None
            participant, _ = self._join(tx, claim["session_id"], token_hash, claim["display_name"], max_participants)
            code = tx.one("select join_code from scoring_session where session_id = ?", [claim["session_id"]])
        assert code is not None
        return participant, code["join_code"]

    # --- Throttles: counters in the store, so that they hold across app servers ------------------------------
    #
    # A bucket is a name such as 'stem:deelnemer:p1a2b3' or 'geheim:alle'. Hits count actions in a fixed window
    # (joins, votes); failures count wrong attempts in a row and block the bucket for a while (secret guesses).

    FORGET_AFTER = 24 * 3600  # a bucket untouched this long (and not blocked) is deleted
    PRUNE_EVERY = 600
    _pruned_at = 0.0

    def _prune(self, at: float) -> None:
        """Now and then, in a transaction of its own: forget old buckets, skipping any another server holds."""
        if at - self._pruned_at < self.PRUNE_EVERY:
            return
        self._pruned_at = at
        with self._transaction(write=True) as tx:
            tx.run(
                "delete from scoring_limit where bucket in (select bucket from scoring_limit "
                "where touched_at < ? and blocked_until < ? for update skip locked)",
                [at - self.FORGET_AFTER, at],
            )

    def _buckets(self, tx: Transaction, names: Sequence[str], at: float) -> dict[str, dict[str, Any]]:
        """The rows of these buckets, created if new and locked (in name order: two transactions never wait on
        each other crosswise)."""
        names = sorted(set(names))
        for name in names:
            tx.run(
                "insert into scoring_limit (bucket, window_start, hits, failures, blocked_until, touched_at) "
                "values (?, ?, 0, 0, 0, ?) on conflict (bucket) do nothing",
                [name, at, at],
            )
        rows = tx.rows(
            "select bucket, window_start, hits, failures, blocked_until, touched_at from scoring_limit "
            f"where bucket in ({', '.join('?' for _ in names)}) order by bucket for update",
            names,
        )
        return {row["bucket"]: row for row in rows}

    def count_hit(self, limits: Sequence[tuple[str, int, float]], at: float) -> float:
        """One action against each (bucket, most hits, window in seconds), all or nothing. Returns 0.0 when it is
        allowed (and counted in every bucket), else the seconds until the fullest bucket's window ends."""
        self._prune(at)
        with self._transaction(write=True) as tx:
            rows = self._buckets(tx, [name for name, _, _ in limits], at)
            wait, counts = 0.0, {}
            for name, most, window in limits:
                row = rows[name]
                start, hits = float(row["window_start"]), int(row["hits"])
                if at - start >= window:  # a new window
                    start, hits = at, 0
                if hits >= most:
                    wait = max(wait, start + window - at)
                counts[name] = (start, hits + 1)
            if wait > 0:
                return wait
            for name, (start, hits) in counts.items():
                tx.run(
                    "update scoring_limit set window_start = ?, hits = ?, touched_at = ? where bucket = ?",
                    [start, hits, at, name],
                )
        return 0.0

    def blocked_for(self, buckets: Sequence[str], at: float) -> float:
        """Seconds until none of these buckets is blocked any more (0.0: none is)."""
        if not buckets:
            return 0.0
        with self._transaction(write=False) as tx:
            row = tx.one(
                "select max(blocked_until) as until from scoring_limit "
                f"where bucket in ({', '.join('?' for _ in buckets)})",
                list(buckets),
            )
        until = row["until"] if row and row["until"] is not None else 0.0
        return max(0.0, float(until) - at)

    def record_failure(
        self, rules: Sequence[tuple[str, int]], at: float, first_block: float, longest_block: float, memory: float
    ) -> None:
        """A wrong attempt against each (bucket, failures allowed). From the allowed number on, every failure
        blocks the bucket, twice as long as the one before (first_block, …, at most longest_block). Failures
        older than `memory` seconds are forgotten."""
        self._prune(at)
        with self._transaction(write=True) as tx:
            rows = self._buckets(tx, [name for name, _ in rules], at)
            for name, allowed in rules:
                row = rows[name]
                failures = (int(row["failures"]) if at - float(row["touched_at"]) < memory else 0) + 1
                blocked_until = float(row["blocked_until"])
                if failures >= allowed:
                    doubling = min(failures - allowed, 30)
                    blocked_until = max(blocked_until, at + min(longest_block, first_block * 2**doubling))
                tx.run(
                    "update scoring_limit set failures = ?, blocked_until = ?, touched_at = ? where bucket = ?",
                    [failures, blocked_until, at, name],
                )

    def clear_failures(self, bucket: str) -> None:
        with self._transaction(write=True) as tx:
            tx.run(
                "update scoring_limit set failures = 0, blocked_until = 0 where bucket = ? and failures > 0", [bucket]
            )

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
        """Every event as a row for the warehouse: anonymous (no names, not even the facilitator's), oldest first."""
        return [{c: row[c] for c in EXPORT_COLUMNS} for row in self.events(session_id)]

    def write_csv(self, target: IO[str], session_id: str | None = None) -> int:
        """export_rows() as CSV (header first); returns the number of rows. Every cell and the header are
        formula-safe: a reason typed as '=HYPERLINK(…)' opens in Excel as text."""
        rows = self.export_rows(session_id)
        writer = csv.writer(target, lineterminator="\r\n")  # RFC 4180; and a CR inside a cell is quoted
        writer.writerow([formula_safe(c) for c in EXPORT_COLUMNS])
        writer.writerows([formula_safe(row[c]) for c in EXPORT_COLUMNS] for row in rows)
        return len(rows)

    def event_count(self, session_id: str | None = None) -> int:
        with self._transaction(write=False) as tx:
            row = tx.one(
                "select count(*) as n from scoring_event where (cast(? as text) is null or session_id = ?)",
                [session_id, session_id],
            )
        return int(row["n"]) if row else 0
