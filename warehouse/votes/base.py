"""The vote store: the only code that writes votes. One interface, two backends (sqlite.py, postgres.py).

Every action is one transaction that appends one row to the event log and updates the state tables derived
from it (schema.py); the claims and throttle counters beside it are bookkeeping that every app server shares.
SQLite is a file, no server (WAL, busy_timeout, BEGIN IMMEDIATE); PostgreSQL (psycopg 3) serves several app
processes sharing sessions. All SQL is parameterised; it is written with `?` placeholders
and translated to `%s` for psycopg. This package imports neither streamlit nor duckdb.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator, Sequence
from typing import Any

from warehouse.votes.model import (
    Agreed,
    JoinCodeTaken,
    Participant,
    RoundClosed,
    Session,
    SessionFull,
    UnknownParticipant,
    UnknownSession,
    Vote,
    now,
)
from warehouse.votes.reading import Reading
from warehouse.votes.throttle import Throttles
from warehouse.votes.transaction import Transaction


class VoteStore(Throttles, Reading):
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

    def show_theme(self, session_id: str, theme_code: str) -> None:
        """Put a round on the shared screen: every beamer showing the session follows within its refresh."""
        with self._transaction(write=True) as tx:
            if not tx.one(
                "select 1 as found from scoring_round where session_id = ? and theme_code = ?",
                [session_id, theme_code],
            ):
                raise UnknownSession("Dit thema hoort niet bij deze sessie.")
            tx.run(
                "insert into scoring_screen (session_id, theme_code, changed_at) values (?, ?, ?) "
                "on conflict (session_id) do update set theme_code = excluded.theme_code, "
                "changed_at = excluded.changed_at",
                [session_id, theme_code, now()],
            )

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
