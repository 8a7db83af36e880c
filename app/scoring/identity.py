"""Who is who in a scoring session: join codes read aloud, tokens and claims only the server makes (stored as
hashes), and names and reasons on one line without hidden controls."""

from __future__ import annotations

import hashlib
import re
import secrets

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O and 1/I: read aloud and typed on a phone
JOIN_CODE_LENGTH = 6
MAX_TOKEN_LENGTH = 100  # a token or claim longer than ours is not ours: refused before it is hashed


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str | None) -> str:
    """What someone typed or scanned, tidied: upper case, without spaces or dashes. The lookup decides the rest."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def new_participant_token() -> str:
    return secrets.token_urlsafe(32)


def new_claim() -> str:
    return secrets.token_urlsafe(32)


def is_plausible_token(value: object) -> bool:
    """A string the length of ours at most (the store decides whether it is one)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_TOKEN_LENGTH


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Controls that reorder or hide the text around them (bidi embeddings, overrides, isolates) and the C0 controls
# that are no whitespace: never part of a name or reason, so they are not even stored.
_HIDDEN_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str | None) -> str:
    """A reason or name on one line: line breaks and runs of spaces become one space; bidi and other hidden
    controls are dropped."""
    return " ".join(_HIDDEN_CONTROLS.sub("", text or "").split())
