"""What the shared screen shows of a round: counts while voting, the distribution, median and a sample of
reasons once revealed, and what earlier sessions on a measurement agreed. Anonymous by construction."""

from __future__ import annotations

import hashlib
import math
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
    q1: int | None = None  # the middle half of the votes, as whole levels (nearest rank: no fractional quartiles)
    q3: int | None = None
    reasons: tuple[str, ...] = ()  # sorted alphabetically, without names
    agreed: Agreed | None = None
    round_number: int = 1
    previous_scores: tuple[int, ...] = ()  # sorted votes of the previous round (a reopened round), once revealed

    def spread_change(self) -> str | None:
        """Compared with the previous round, did the votes come closer together: 'smaller', 'larger' or 'same',
        by the width of the middle half and then of the whole range (what a Delphi panel looks for); None
        without a previous round to compare with."""
        if not self.previous_scores or not self.scores:
            return None
        before_q1, before_q3 = middle_half(self.previous_scores)
        before = (before_q3 - before_q1, self.previous_scores[-1] - self.previous_scores[0])
        now = (self.q3 - self.q1, self.scores[-1] - self.scores[0])
        return "smaller" if now < before else "larger" if now > before else "same"

    def level_counts(self) -> list[tuple[int, int]]:
        """(level, number of votes) for each level 1–5 that got votes, lowest first."""
        counts = Counter(self.scores)
        return [(level, counts[level]) for level in range(1, 6) if counts[level]]

    @property
    def suggested_score(self) -> int | None:
        """The median as a whole level, a half rounded up (3,5 → 4; Python's round() would give 4 but 2,5 → 2)."""
        return None if self.median is None else math.floor(self.median + 0.5)

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
    (min–max and the middle half of the votes, in whole levels) and the reasons, sorted so their order says
    nothing about who."""
    round_ = snapshot.rounds.get(theme_code)
    revealed = bool(round_ and round_.revealed)
    round_number = round_.number if round_ else 1
    previous_votes = snapshot.previous_round_votes.get(theme_code, ())
    summaries = []
    for dynamic_code in dynamic_codes:
        votes = [v for v in snapshot.votes if v.theme_code == theme_code and v.dynamic_code == dynamic_code]
        agreed = snapshot.agreed.get((theme_code, dynamic_code))
        if not revealed or not votes:
            summaries.append(CellSummary(dynamic_code, len(votes), revealed, agreed=agreed, round_number=round_number))
            continue
        scores = sorted(v.score for v in votes)
        q1, q3 = middle_half(scores)
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
                round_number,
                tuple(sorted(v.score for v in previous_votes if v.dynamic_code == dynamic_code)),
            )
        )
    return summaries


def middle_half(scores: Sequence[int]) -> tuple[int, int]:
    """The levels between which the middle half of the (sorted, whole-number) votes lies: the votes at rank
    ⌈n/4⌉ and ⌈3n/4⌉ (nearest rank), so always levels someone chose. [2, 3, 3, 5] → (2, 3); [3, 4] → (3, 4)."""
    n = len(scores)
    return scores[max(math.ceil(n / 4), 1) - 1], scores[max(math.ceil(3 * n / 4), 1) - 1]


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
