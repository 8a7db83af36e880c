"""The rules of a live scoring session, in plain Python over the vote store (no Streamlit, no SQL).

- A session has a short join code: six characters from an alphabet without look-alikes (no 0/O, 1/I).
- Only the server makes participants. Joining gives a one-time claim (random, valid CLAIM_SECONDS, stored
  hashed); the browser redeems it once (app/scoring/participant_cookie.py) and only then is the participant
  created, with a long random token the server chose, which goes into an HttpOnly cookie and nowhere else. The
  store keeps only SHA-256 hashes; a token or claim the server did not issue identifies nobody.
- Every vote is cast *with the token*, so a participant changes only their own votes; a reload sends the cookie
  again and is the same participant. The same vote again is no change and logs nothing.
- Votes count only while the theme's round is open; a closed round refuses late votes with a Dutch message.
- Facilitator actions need the facilitator secret: at least MIN_SECRET_LENGTH characters (a weaker one keeps the
  controls off and says why), compared with hmac.compare_digest, and wrong guesses are throttled per client
  address and for the whole server, with back-off that doubles.
- Joins, votes and unknown join codes are throttled per session and per client, and a session holds at most
  Limits.max_participants. Every counter lives in the vote store, so the limits hold across app servers.
- What the shared screen and exports show is anonymous: counts, distributions and reasons, never names.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from collections.abc import Callable, Sequence

from app.scoring.errors import (
    CLAIM_USED_MESSAGE,
    NO_SECRET_MESSAGE,
    NOT_JOINED_MESSAGE,
    WEAK_SECRET_MESSAGE,
    FacilitatorDisabled,
    NotAuthorised,
    ScoringError,
    SessionIsFull,
    TooManyAttempts,
    TryAgain,
)
from app.scoring.identity import (
    JOIN_CODE_LENGTH,
    is_plausible_token,
    new_claim,
    new_join_code,
    new_participant_token,
    normalise_join_code,
    one_line,
    token_hash,
)
from app.scoring.limits import Limits, is_weak_secret, wait_text
from app.scoring.summary import DYNAMIC_CODES, CellIndicative
from warehouse.votes import (
    Agreed,
    JoinCodeTaken,
    Participant,
    Session,
    SessionFull,
    Snapshot,
    StoreError,
    StoreUnavailable,
    Vote,
    VoteStore,
)

SCORES = (1, 2, 3, 4, 5)
MAX_REASON = 280
MAX_NAME = 40
MAX_NOTE = 500
FACILITATOR = "facilitator"

log = logging.getLogger("transitiemonitor")


class ScoringService:
    """The session rules over one store, for one client (the address a request came from, for the throttles).
    `facilitator_secret` None or empty: facilitator actions are off; a weak one keeps them off too."""

    def __init__(
        self,
        store: VoteStore,
        facilitator_secret: str | None,
        dynamic_codes: Sequence[str] = DYNAMIC_CODES,
        *,
        client: str | None = None,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self._secret = facilitator_secret or None
        self.dynamic_codes = tuple(dynamic_codes)
        self.client = (client or "onbekend")[:64]
        self.limits = limits or Limits()
        self._clock = clock

    # --- The facilitator -----------------------------------------------------------------------------------

    @property
    def facilitator_enabled(self) -> bool:
        return self._secret is not None and not is_weak_secret(self._secret)

    @property
    def disabled_message(self) -> str:
        """Why the facilitator controls are off, and what to set (empty when they are on)."""
        if self._secret is None:
            return NO_SECRET_MESSAGE
        return WEAK_SECRET_MESSAGE if is_weak_secret(self._secret) else ""

    def _secret_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given).encode("utf-8"), self._secret.encode("utf-8"))

    def check_secret(self, given: str | None) -> None:
        """A secret someone typed: refused while this address or the whole server is blocked, whatever it is
        (so the right one cannot be found by guessing through a block); a wrong one counts as a failure."""
        if not self.facilitator_enabled:
            raise FacilitatorDisabled(self.disabled_message)
        at = self._clock()
        per_client, overall = f"geheim:adres:{self.client}", "geheim:alle"
        wait = self._store_call(self.store.blocked_for, [per_client, overall], at)
        if wait > 0:
            raise TooManyAttempts(
                f"Te veel verkeerde pogingen met het begeleidersgeheim. Wacht {wait_text(wait)} en probeer het dan "
                "opnieuw."
            )
        if self._secret_matches(given):
            self._store_call(self.store.clear_failures, per_client)
            return
        if given:  # an empty field is no guess
            limits = self.limits
            self._store_call(
                self.store.record_failure,
                [(per_client, limits.secret_failures_per_client), (overall, limits.secret_failures_overall)],
                at,
                limits.first_block_seconds,
                limits.longest_block_seconds,
                limits.failure_memory_seconds,
            )
        raise NotAuthorised("Dat begeleidersgeheim klopt niet. Alleen de begeleider kan dit doen.")

    def is_signed_in(self, kept: str | None) -> bool:
        """Whether a secret this server itself kept after a successful check_secret (the page's session state,
        never a value from the browser) is still the configured one. Not throttled: it is no guess."""
        return self.facilitator_enabled and self._secret_matches(kept)

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
        event_type = {"reveal": "round_revealed", "close": "round_closed", "reopen": "round_reopened"}.get(action)
        if event_type is None:
            raise ScoringError("Die actie bestaat niet voor een stemronde.")
        return self._store_call(self.store.change_round, session_id, theme_code, event_type)

    def show_theme(self, secret: str | None, session_id: str, theme_code: str) -> None:
        """The facilitator puts this round on the shared screen; the beamer reads it from the store."""
        self.check_secret(secret)
        self._store_call(self.store.show_theme, session_id, theme_code)

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
        """The session of a typed or scanned code. Unknown codes count against this address: after a few, it
        waits (join codes cannot be found by trying)."""
        code = normalise_join_code(join_code if isinstance(join_code, str) else None)
        if not code:
            raise ScoringError("Vul de sessiecode in die op het scherm staat.")
        at = self._clock()
        bucket = f"code:adres:{self.client}"
        wait = self._store_call(self.store.blocked_for, [bucket], at)
        if wait > 0:
            raise TooManyAttempts(
                f"Te veel onbekende sessiecodes geprobeerd. Wacht {wait_text(wait)} en probeer het dan opnieuw."
            )
        session = self._store_call(self.store.session_by_code, code) if len(code) == JOIN_CODE_LENGTH else None
        if session is None:
            limits = self.limits
            self._store_call(
                self.store.record_failure,
                [(bucket, limits.code_failures_per_client)],
                at,
                limits.first_block_seconds,
                limits.code_longest_block_seconds,
                limits.code_failure_memory_seconds,
            )
            # The code is repeated only if it could be one of ours: nothing else someone typed goes into a message.
            shown = f" '{code}'" if re.fullmatch(r"[A-Z0-9]{1,12}", code) else ""
            raise ScoringError(f"Er is geen sessie met de code{shown}. Controleer de code op het scherm.")
        return session

    def join(self, join_code: str | None, display_name: str | None) -> tuple[Session, str]:
        """Ask to join with a name or pseudonym. Returns the session and a claim: a one-time key, valid for
        Limits.claim_seconds, that the browser redeems (redeem_claim) for its participant token."""
        session = self.find_session(join_code)
        name = one_line(display_name if isinstance(display_name, str) else None)
        if not name:
            raise ScoringError("Vul een naam of pseudoniem in; die ziet alleen de begeleider, nooit bij uw score.")
        if len(name) > MAX_NAME:
            raise ScoringError(f"Die naam is te lang: hooguit {MAX_NAME} tekens.")
        limits, at = self.limits, self._clock()
        self._take_turn(
            [
                (f"aanmelden:sessie:{session.session_id}", limits.joins_per_minute_per_session, 60.0),
                (f"aanmelden:adres:{self.client}", limits.joins_per_minute_per_client, 60.0),
            ],
            at,
            "Er melden zich nu te veel deelnemers tegelijk aan. Wacht {wait} en probeer het dan opnieuw.",
        )
        claim = new_claim()
        self._store_call(
            self.store.add_claim,
            session.session_id,
            token_hash(claim),
            name,
            at + limits.claim_seconds,
            at,
            limits.max_participants,
        )
        return session, claim

    def redeem_claim(self, claim: str | None) -> tuple[str, Participant, str]:
        """The claim from a join, once: creates the participant with a new token chosen here. Returns the join
        code, the participant and the token (for the browser's cookie, and nothing else)."""
        if not is_plausible_token(claim):
            raise ScoringError(CLAIM_USED_MESSAGE)
        token = new_participant_token()
        redeemed = self._store_call(
            self.store.redeem_claim, token_hash(claim), token_hash(token), self._clock(), self.limits.max_participants
        )
        if redeemed is None:
            raise ScoringError(CLAIM_USED_MESSAGE)
        participant, join_code = redeemed
        return join_code, participant, token

    def identify(self, join_code: str | None, token: str | None) -> tuple[Session, Participant | None]:
        """The session of the code and the participant this browser's token belongs to (None: not joined, or a
        token the server never issued)."""
        session = self.find_session(join_code)
        if not is_plausible_token(token):
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
            raise ScoringError(NOT_JOINED_MESSAGE)
        if theme_code not in session.theme_codes:
            raise ScoringError("Dit thema hoort niet bij deze sessie.")
        self._check_cell(dynamic_code, score)
        reason = one_line(reason if isinstance(reason, str) else None)
        if len(reason) > MAX_REASON:
            raise ScoringError(f"De toelichting is te lang: hooguit {MAX_REASON} tekens.")
        limits = self.limits
        self._take_turn(
            [
                (f"stem:deelnemer:{participant.participant_id}", limits.votes_per_minute_per_participant, 60.0),
                (f"stem:adres:{self.client}", limits.votes_per_minute_per_client, 60.0),
                (f"stem:sessie:{session.session_id}", limits.votes_per_minute_per_session, 60.0),
            ],
            self._clock(),
            "U stemt te vaak kort na elkaar. Wacht {wait} en probeer het dan opnieuw.",
        )
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
        if not isinstance(dynamic_code, str) or dynamic_code not in self.dynamic_codes:
            raise ScoringError("Die dynamiek bestaat niet: kies opbouw, institutionalisering, lock-in of afbouw.")
        if type(score) is not int or score not in SCORES:  # not True, 3.0 or '3'
            raise ScoringError("Kies een score van 1 tot en met 5.")

    def _take_turn(self, limits: Sequence[tuple[str, int, float]], at: float, message: str) -> None:
        # Through _store_call like every store call: a database outage is a Dutch 'probeer het opnieuw' here too.
        wait = self._store_call(self.store.count_hit, limits, at)
        if wait > 0:
            raise TooManyAttempts(message.format(wait=wait_text(wait)))

    @staticmethod
    def _store_call(function, *args):
        try:
            return function(*args)
        except SessionFull as err:
            raise SessionIsFull(str(err)) from err
        except StoreError as err:  # already a Dutch sentence
            raise (TryAgain if isinstance(err, StoreUnavailable) else ScoringError)(str(err)) from err
