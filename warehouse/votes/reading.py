"""What the store answers: sessions, participants, the current state of a session, and the event log as rows
for the warehouse build and the session log download.

A mixin of VoteStore (base.py): it uses only its `_transaction`, so both backends get it unchanged.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from warehouse.formula_guard import formula_safe
from warehouse.votes.model import Agreed, Participant, Round, Session, Snapshot, UnknownSession, Vote
from warehouse.votes.schema import EVENT_COLUMNS, EXPORT_COLUMNS
from warehouse.votes.transaction import Transaction


class Reading:
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
            screen = tx.one("select theme_code from scoring_screen where session_id = ?", [session_id])
            reopened = self._reopened(tx, session_id)
            revealed = {r["theme_code"] for r in rounds if r["revealed"]}
            # Replayed only for a revealed round: only the reveal shows it, and screens read a snapshot twice a second.
            previous = {
                theme: self._votes_before(tx, session_id, theme, last)
                for theme, (_, last) in reopened.items()
                if theme in revealed
            }
        return Snapshot(
            session=self._session(row),
            rounds={
                r["theme_code"]: Round(
                    r["theme_code"],
                    bool(r["is_open"]),
                    bool(r["revealed"]),
                    1 + reopened.get(r["theme_code"], (0, 0))[0],
                )
                for r in rounds
            },
            votes=tuple(Vote(**{**v, "score": int(v["score"]), "event_id": int(v["event_id"])}) for v in votes),
            agreed={(a["theme_code"], a["dynamic_code"]): Agreed(**a) for a in agreed},
            participant_count=int(count["n"]) if count else 0,
            shown_theme=screen["theme_code"] if screen else None,
            previous_round_votes=previous,
        )

    @staticmethod
    def _reopened(tx: Transaction, session_id: str) -> dict[str, tuple[int, int]]:
        """Per theme whose round was reopened: how often, and the event id of the last reopening."""
        rows = tx.rows(
            "select theme_code, count(*) as times, max(event_id) as last_event from scoring_event "
            "where session_id = ? and event_type = 'round_reopened' group by theme_code",
            [session_id],
        )
        return {r["theme_code"]: (int(r["times"]), int(r["last_event"])) for r in rows}

    @staticmethod
    def _votes_before(tx: Transaction, session_id: str, theme_code: str, event_id: int) -> tuple[Vote, ...]:
        """Each participant's vote per dynamic as it stood just before event `event_id`, replayed from the log."""
        rows = tx.rows(
            "select participant_id, dynamic_code, score, text, event_id, occurred_at from scoring_event "
            "where session_id = ? and theme_code = ? and event_type in ('vote_cast', 'vote_changed') "
            "and event_id < ? order by event_id",
            [session_id, theme_code, event_id],
        )
        latest = {
            (r["participant_id"], r["dynamic_code"]): Vote(
                r["participant_id"],
                theme_code,
                r["dynamic_code"],
                int(r["score"]),
                r["text"] or "",
                int(r["event_id"]),
                r["occurred_at"],
            )
            for r in rows
        }
        return tuple(sorted(latest.values(), key=lambda vote: vote.event_id))

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
