"""What the shared screen shows of a round: counts while voting, the distribution, median and a sample of
reasons once revealed, and what earlier sessions on a measurement agreed. Anonymous by construction."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from warehouse.votes import Agreed, Snapshot

DYNAMIC_CODES = ("opbouw", "institutionalisering", "lock_in", "afbouw")
REASONS_SHOWN = 6  # the shared screen shows a sample of this many reasons per cell, and how many more there are


@dataclass(frozen=True)
class CellSummary:
    """What the shared screen shows for one theme × dynamic. Distribution and reasons only when revealed."""

    dynamic_code: str
    count: int
    revealed: bool
    scores: tuple[int, ...] = ()  # sorted; empty until revealed
    median: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    q1: float | None = None
    q3: float | None = None
    reasons: tuple[str, ...] = ()  # sorted alphabetically, without names
    agreed: Agreed | None = None

    def reason_sample(self, limit: int = REASONS_SHOWN) -> tuple[list[tuple[str, int]], int]:
        """At most `limit` different reasons for the shared screen, alphabetically, each with how often it was
        given, and how many reasons are not shown. Chosen by a hash of the text: the same sample on every
        refresh, and saying nothing about who."""
        times = Counter(self.reasons)
        chosen = sorted(times, key=lambda r: hashlib.sha256(r.encode("utf-8")).digest())[:limit]
        shown = sorted(((r, times[r]) for r in chosen), key=lambda pair: pair[0].casefold())
        return shown, len(self.reasons) - sum(n for _, n in shown)


def summarise(snapshot: Snapshot, theme_code: str, dynamic_codes: Sequence[str] = DYNAMIC_CODES) -> list[CellSummary]:
    """Per dynamic: the number of votes, and once the round is revealed the distribution, median, spread
    (min–max and the interquartile range) and the reasons, sorted so their order says nothing about who."""
    round_ = snapshot.rounds.get(theme_code)
    revealed = bool(round_ and round_.revealed)
    summaries = []
    for dynamic_code in dynamic_codes:
        votes = [v for v in snapshot.votes if v.theme_code == theme_code and v.dynamic_code == dynamic_code]
        agreed = snapshot.agreed.get((theme_code, dynamic_code))
        if not revealed or not votes:
            summaries.append(CellSummary(dynamic_code, len(votes), revealed, agreed=agreed))
            continue
        scores = sorted(v.score for v in votes)
        if len(scores) > 1:
            q1, _, q3 = statistics.quantiles(scores, n=4, method="inclusive")
        else:
            q1 = q3 = float(scores[0])
        summaries.append(
            CellSummary(
                dynamic_code,
                len(scores),
                True,
                tuple(scores),
                float(statistics.median(scores)),
                scores[0],
                scores[-1],
                q1,
                q3,
                tuple(sorted((v.reason for v in votes if v.reason), key=str.casefold)),
                agreed,
            )
        )
    return summaries


@dataclass(frozen=True)
class CellIndicative:
    """What the sessions on one measurement said about one theme × dynamic: the session the dashboard and the
    pre-filled form use (the latest with an agreed score, else the latest with votes), its final votes and
    its agreed score."""

    theme_code: str
    dynamic_code: str
    scores: tuple[int, ...]  # sorted final votes
    agreed: Agreed | None
    join_code: str
    opened_at: str

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.scores)) if self.scores else None
