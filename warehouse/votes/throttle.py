"""Bookkeeping every app server shares beside the event log: one-time join claims and the throttle counters.

A mixin of VoteStore (base.py): it uses only its `_transaction`, so both backends get it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from warehouse.votes.model import Participant, UnknownSession
from warehouse.votes.transaction import Transaction


class Throttles:
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
