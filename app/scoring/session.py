"""The rules of a live scoring session, in plain Python over the vote store (no Streamlit, no SQL).

- A session has a short join code: six characters from an alphabet without look-alikes (no 0/O, 1/I).
- A participant is a random token that only their own browser holds (in the page URL and in its session
  state). The store keeps only its SHA-256 hash; every vote is cast *with the token*, so a participant can
  change only their own votes, and a reload with the same token is the same participant.
- Votes count only while the theme's round is open; a closed round refuses late votes with a Dutch message.
- Facilitator actions need the facilitator secret (compared with hmac.compare_digest); with no secret
  configured they are off.
- What the shared screen and exports show is anonymous: counts, distributions and reasons, never names.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from warehouse.votes import (
    Agreed,
    JoinCodeTaken,
    Participant,
    Session,
    Snapshot,
    StoreError,
    StoreUnavailable,
    Vote,
    VoteStore,
)

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O and 1/I: read aloud and typed on a phone
JOIN_CODE_LENGTH = 6
DYNAMIC_CODES = ("opbouw", "institutionalisering", "lock_in", "afbouw")
SCORES = (1, 2, 3, 4, 5)
MAX_REASON = 280
MAX_NAME = 40
MAX_NOTE = 500
FACILITATOR = "facilitator"


class ScoringError(Exception):
    """Something a user did that the session refuses; str() is a Dutch sentence to show as it is."""


class NotAuthorised(ScoringError):
    pass


class FacilitatorDisabled(ScoringError):
    pass


class TryAgain(ScoringError):
    """The vote store did not answer: nothing was written, and the same action may succeed in a moment."""


NO_SECRET_MESSAGE = (
    "De begeleidersknoppen staan uit: er is geen begeleidersgeheim ingesteld. Zet de omgevingsvariabele "
    "TM_FACILITATOR_SECRET (of facilitator_secret in .streamlit/secrets.toml) en start het dashboard opnieuw."
)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str | None) -> str:
    """What someone typed or scanned, tidied: upper case, without spaces or dashes. The lookup decides the rest."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def new_participant_token() -> str:
    return secrets.token_urlsafe(18)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def one_line(text: str | None) -> str:
    """A reason or name on one line: line breaks and runs of spaces become one space."""
    return " ".join((text or "").split())


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


class ScoringService:
    """The session rules over one store. `facilitator_secret` None or empty: facilitator actions are off."""

    def __init__(
        self,
        store: VoteStore,
        facilitator_secret: str | None,
        dynamic_codes: Sequence[str] = DYNAMIC_CODES,
    ) -> None:
        self.store = store
        self._secret = facilitator_secret or None
        self.dynamic_codes = tuple(dynamic_codes)

    # --- The facilitator -----------------------------------------------------------------------------------

    @property
    def facilitator_enabled(self) -> bool:
        return self._secret is not None

    def check_secret(self, given: str | None) -> None:
        if self._secret is None:
            raise FacilitatorDisabled(NO_SECRET_MESSAGE)
        if not given or not hmac.compare_digest(given.encode("utf-8"), self._secret.encode("utf-8")):
            raise NotAuthorised("Dat begeleidersgeheim klopt niet. Alleen de begeleider kan dit doen.")

    def open_session(
        self,
        secret: str | None,
        facilitator: str,
        measurement_year: int,
        theme_codes: Sequence[str],
        known_themes: Sequence[str],
    ) -> Session:
        self.check_secret(secret)
        facilitator = one_line(facilitator)[:MAX_NAME]
        if not facilitator:
            raise ScoringError("Vul uw naam in als begeleider.")
        if not theme_codes:
            raise ScoringError("Kies minstens één thema voor de sessie.")
        unknown = [t for t in theme_codes if t not in known_themes]
        if unknown:
            raise ScoringError(f"Onbekend thema: {', '.join(unknown)}.")
        if not 2000 <= int(measurement_year) <= 2100:
            raise ScoringError("Kies een meetmoment tussen 2000 en 2100.")
        for _ in range(10):  # a collision is a one-in-a-billion event; try a fresh code
            try:
                return self.store.open_session(
                    facilitator=facilitator,
                    measurement_year=int(measurement_year),
                    theme_codes=list(dict.fromkeys(theme_codes)),
                    join_code=new_join_code(),
                )
            except JoinCodeTaken:
                continue
        raise ScoringError("Er kon geen vrije sessiecode worden gevonden. Probeer het opnieuw.")

    def change_round(self, secret: str | None, session_id: str, theme_code: str, action: str) -> bool:
        """action: 'reveal', 'close' or 'reopen'. False if the round already was so."""
        self.check_secret(secret)
        event_type = {"reveal": "round_revealed", "close": "round_closed", "reopen": "round_reopened"}[action]
        return self._store_call(self.store.change_round, session_id, theme_code, event_type)

    def record_agreed(
        self, secret: str | None, session_id: str, theme_code: str, dynamic_code: str, score: int | None, note: str
    ) -> Agreed:
        self.check_secret(secret)
        self._check_cell(dynamic_code, score)
        note = one_line(note)
        if len(note) > MAX_NOTE:
            raise ScoringError(f"De toelichting is te lang: hooguit {MAX_NOTE} tekens.")
        return self._store_call(self.store.record_agreed, session_id, theme_code, dynamic_code, int(score), note)

    # --- Participants ------------------------------------------------------------------------------------

    def find_session(self, join_code: str | None) -> Session:
        code = normalise_join_code(join_code)
        if not code:
            raise ScoringError("Vul de sessiecode in die op het scherm staat.")
        session = self._store_call(self.store.session_by_code, code) if len(code) == JOIN_CODE_LENGTH else None
        if session is None:
            raise ScoringError(f"Er is geen sessie met de code '{code[:12]}'. Controleer de code op het scherm.")
        return session

    def join(
        self, join_code: str | None, display_name: str | None, token: str | None = None
    ) -> tuple[Participant, str]:
        """Join with a name or pseudonym. Returns the participant and the token to keep in the browser.
        With a token this browser already joined with, the same participant comes back (no second one)."""
        session = self.find_session(join_code)
        name = one_line(display_name)
        if not name:
            raise ScoringError("Vul een naam of pseudoniem in; die ziet alleen de begeleider, nooit bij uw score.")
        if len(name) > MAX_NAME:
            raise ScoringError(f"Die naam is te lang: hooguit {MAX_NAME} tekens.")
        token = token or new_participant_token()
        participant, _ = self._store_call(self.store.join, session.session_id, token_hash(token), name)
        return participant, token

    def identify(self, join_code: str | None, token: str | None) -> tuple[Session, Participant | None]:
        """The session of the code and the participant this browser's token belongs to (None: not joined)."""
        session = self.find_session(join_code)
        if not token:
            return session, None
        return session, self._store_call(self.store.participant_by_token, session.session_id, token_hash(token))

    def vote(
        self,
        join_code: str | None,
        token: str | None,
        theme_code: str,
        dynamic_code: str,
        score: int | None,
        reason: str | None = "",
    ) -> Vote:
        session, participant = self.identify(join_code, token)
        if participant is None:
            raise ScoringError("U doet nog niet mee aan deze sessie: meld u eerst aan met de sessiecode.")
        if theme_code not in session.theme_codes:
            raise ScoringError("Dit thema hoort niet bij deze sessie.")
        self._check_cell(dynamic_code, score)
        reason = one_line(reason)
        if len(reason) > MAX_REASON:
            raise ScoringError(f"De toelichting is te lang: hooguit {MAX_REASON} tekens.")
        return self._store_call(
            self.store.cast_vote,
            session.session_id,
            participant.participant_id,
            theme_code,
            dynamic_code,
            int(score),
            reason,
        )

    # --- Reading -----------------------------------------------------------------------------------------

    def snapshot(self, session_id: str) -> Snapshot:
        return self._store_call(self.store.snapshot, session_id)

    def indicative_cells(self, measurement_year: int) -> dict[tuple[str, str], CellIndicative]:
        """Per theme × dynamic, what the sessions on this measurement agreed, live from the store (the same
        choice as fct_session_cell.is_latest_for_cell in the warehouse)."""
        chosen: dict[tuple[str, str], CellIndicative] = {}
        for session in self.store.sessions_for_year(measurement_year):  # oldest first: a later one wins
            snapshot = self.store.snapshot(session.session_id)
            cells = {(v.theme_code, v.dynamic_code) for v in snapshot.votes} | set(snapshot.agreed)
            for cell in cells:
                scores = tuple(sorted(v.score for v in snapshot.votes if (v.theme_code, v.dynamic_code) == cell))
                candidate = CellIndicative(
                    *cell, scores, snapshot.agreed.get(cell), session.join_code, session.opened_at
                )
                current = chosen.get(cell)
                if (
                    current is None
                    or (candidate.agreed is not None and current.agreed is None)
                    or (
                        candidate.agreed is not None
                        and current.agreed is not None
                        and candidate.agreed.recorded_at >= current.agreed.recorded_at
                    )
                    or (candidate.agreed is None and current.agreed is None)
                ):
                    chosen[cell] = candidate
        return chosen

    def own_votes(self, snapshot: Snapshot, participant: Participant) -> dict[tuple[str, str], Vote]:
        return {
            (v.theme_code, v.dynamic_code): v for v in snapshot.votes if v.participant_id == participant.participant_id
        }

    # --- Helpers ---------------------------------------------------------------------------------------------

    def _check_cell(self, dynamic_code: str, score: int | None) -> None:
        if dynamic_code not in self.dynamic_codes:
            raise ScoringError("Onbekende dynamiek.")
        if score not in SCORES:
            raise ScoringError("Kies een score van 1 tot en met 5.")

    @staticmethod
    def _store_call(function, *args):
        try:
            return function(*args)
        except StoreError as err:  # already a Dutch sentence
            raise (TryAgain if isinstance(err, StoreUnavailable) else ScoringError)(str(err)) from err
