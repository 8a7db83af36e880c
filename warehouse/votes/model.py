"""What the vote store hands out and refuses with: plain values, the errors (Dutch messages) and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


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


class SessionFull(StoreError):
    pass


class StoreUnavailable(StoreError):
    """The database did not answer (down, restarting, unreachable): nothing was written; trying again later may
    succeed."""


UNAVAILABLE_MESSAGE = (
    "De stemopslag is even niet bereikbaar; er is niets opgeslagen. Probeer het over een paar seconden opnieuw."
)


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
    number: int = 1  # 1 + how often the round was reopened: Delphi-style rounds of the same question


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
    shown_theme: str | None = None  # the round the facilitator has on the shared screen (None: not chosen yet)
    # Per reopened theme whose new round is revealed, the votes as they stood when it was last reopened: the
    # previous round to compare with (the reveal is the only place it shows).
    previous_round_votes: dict[str, tuple[Vote, ...]] = field(default_factory=dict)


def now() -> str:
    """UTC, ISO 8601 with milliseconds: sorts as text and reads the same on both backends."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
