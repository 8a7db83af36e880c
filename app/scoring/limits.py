"""How much a scoring session takes: rates per session, client and server, the participant cap, and when a
facilitator secret is too weak to use. The counters themselves live in the vote store."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger("transitiemonitor")

MIN_SECRET_LENGTH = 12
MIN_SECRET_CHARACTERS = 6  # different characters: 'aaaaaaaaaaaa' is long but no secret


def is_weak_secret(secret: str) -> bool:
    return len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_SECRET_CHARACTERS


def wait_text(seconds: float) -> str:
    """'1 seconde', '40 seconden', '2 minuten': rounded up, so the person never comes back too early."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} {'seconde' if whole == 1 else 'seconden'}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} {'minuut' if minutes == 1 else 'minuten'}"


@dataclass(frozen=True)
class Limits:
    """How much the session takes, per session, per client address and for the whole server. Only the participant
    cap is set from the environment (TM_SESSION_MAX_PARTICIPANTS); the rates fit a meeting room behind one
    address with room to spare."""

    max_participants: int = 60
    joins_per_minute_per_session: int = 60
    joins_per_minute_per_client: int = 60
    votes_per_minute_per_participant: int = 30
    votes_per_minute_per_client: int = 600
    votes_per_minute_per_session: int = 600
    secret_failures_per_client: int = 5  # wrong secrets before the first wait, from one address
    secret_failures_overall: int = 20  # … from all addresses together
    first_block_seconds: float = 15.0  # then 30, 60, … s
    longest_block_seconds: float = 900.0
    failure_memory_seconds: float = 3600.0  # failures older than this are forgotten
    # Unknown join codes: a code is one of 32**6, so a short wait is enough to stop enumeration, and a room
    # behind one address that mistypes now and then is never held up for long.
    code_failures_per_client: int = 30
    code_longest_block_seconds: float = 60.0
    code_failure_memory_seconds: float = 600.0
    claim_seconds: float = 120.0  # how long a join waits for its browser to redeem the claim

    ENV = "TM_SESSION_MAX_PARTICIPANTS"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        raw = environ.get(cls.ENV, "").strip()
        if not raw:
            return cls()
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 10_000:
            return cls(max_participants=int(raw))
        log.warning("%s=%r is geen aantal van 1 tot 10000: standaard %d", cls.ENV, raw, cls.max_participants)
        return cls()
