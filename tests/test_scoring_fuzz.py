"""Generated hostile use of the vote API (probe 12 of issue #16): Hypothesis drives ScoringService through
sequences of open / join / redeem / vote / reveal / close / reopen / secret guesses / waiting, with hostile
codes, names, tokens, reasons, scores and dynamics, and checks after every step:

- only server-issued tokens vote: every stored vote belongs to a participant created by redeeming a claim, and a
  token the server did not issue (made up, a claim, a participant id, a cut-off token) is always refused;
- one participant has at most one vote per cell, and the store holds exactly the votes the successful calls
  made (counts match, events match: one per real change, none for a refused or unchanged vote);
- a closed round never takes a vote; the participant cap holds;
- every refusal is a ScoringError with a Dutch sentence; nothing else is ever raised.

Bounded to a few seconds (max_examples × steps below)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from app.scoring.identity import token_hash
from app.scoring.limits import Limits
from app.scoring.session import ScoringError, ScoringService
from app.scoring.summary import DYNAMIC_CODES
from warehouse.votes import SqliteVoteStore

SECRET = "fuzz-begeleidersgeheim"
THEMES = ("digitalisering", "flexibele_leerroutes", "student_naar_lerende")
LIMITS = Limits(
    max_participants=2,
    joins_per_minute_per_session=6,
    joins_per_minute_per_client=9,
    votes_per_minute_per_participant=6,
    votes_per_minute_per_session=15,
    secret_failures_per_client=3,
    code_failures_per_client=6,
)
HOSTILE_TEXT = [
    "",
    " ",
    "![](//example.invalid/x)",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://example.invalid")',
    "\u202eevil",
    "' or 1=1 --",
    "x" * 300,
    "\x00\r\n\t",
    "１２３",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=80))


def mostly(valid, hostile):
    """Three draws in four from the valid values: enough calls get through to reach caps, changes and repeats."""
    return st.integers(0, 3).flatmap(lambda draw: hostile if draw == 3 else valid)


themes = mostly(st.sampled_from(THEMES), hostile_text)
dynamics = mostly(st.sampled_from(DYNAMIC_CODES), hostile_text)
scores = mostly(
    st.integers(1, 5), st.one_of(st.integers(-2, 7), st.none(), st.booleans(), st.floats(), st.sampled_from(["3", 3.0]))
)
reasons = mostly(st.sampled_from(["", "eens", "Oneens, want  te  vroeg"]), hostile_text)
DUTCH = re.compile(r"\b(de|het|een|is|niet|van|u|uw|deze|dit|geen|te|en|met|kies|vul|wacht|hooguit)\b", re.I)
NOT_FOR_PEOPLE = re.compile(r"Error|Exception|Traceback|None|\bnull\b|sqlite|psycopg|constraint", re.I)


def dutch_refusal(call):
    """Run a call; a refusal must be a ScoringError with a Dutch sentence (anything else fails the test)."""
    try:
        return call(), None
    except ScoringError as err:
        message = str(err)
        ours = re.sub(r"'[A-Z0-9]{1,12}'", "", message)  # a join code repeated back is the person's own text
        assert DUTCH.search(ours) and not NOT_FOR_PEOPLE.search(ours), message
        return None, err


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class HostileSession(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # In memory where the machine has it (/dev/shm): a commit there costs no disk flush, so more steps fit.
        self.folder = tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
        self.clock = Clock()
        store = SqliteVoteStore(Path(self.folder.name) / "votes.sqlite")
        self.service = ScoringService(store, SECRET, client="192.0.2.1", limits=LIMITS, clock=self.clock)
        self.sessions = []  # Session
        self.rounds: dict[tuple[str, str], tuple[bool, bool]] = {}  # (session, theme) → (open, revealed)
        # Dicts, drawn from in insertion order: tokens and ids are random, so a sorted order would differ when
        # Hypothesis replays a case (FlakyStrategyDefinition).
        self.claims: dict[str, tuple[str, float]] = {}  # unredeemed claim → (session id, expires at)
        self.tokens: dict[str, tuple[str, str]] = {}  # issued token → (join code, participant id)
        self.votes: dict[tuple[str, str, str, str], tuple[int, str]] = {}  # (session, participant, theme, dyn)
        self.participants: dict[str, set[str]] = {}  # session id → participant ids created by a claim
        self.events = 0

    def teardown(self) -> None:
        self.folder.cleanup()

    @initialize(themes=st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True))
    def open_first_session(self, themes):
        self.open_session(themes)

    @precondition(lambda self: len(self.sessions) < 3)
    @rule(themes=st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True))
    def open_session(self, themes):
        session, refused = dutch_refusal(lambda: self.service.open_session(SECRET, "Begeleider", 2026, themes, THEMES))
        if refused:
            return
        self.sessions.append(session)
        self.participants[session.session_id] = set()
        self.rounds.update({(session.session_id, t): (True, False) for t in themes})
        self.events += 1

    def _code(self, data, hostile: str | None) -> str:
        if hostile is not None:
            return hostile
        session = data.draw(st.sampled_from(self.sessions))
        return data.draw(st.sampled_from([session.join_code, session.join_code.lower(), f" {session.join_code} "]))

    @rule(data=st.data(), hostile_code=mostly(st.none(), hostile_text), name=mostly(st.just("Anna"), hostile_text))
    def join(self, data, hostile_code, name):
        """Ask to join (the claim waits for its browser)."""
        self._join(self._code(data, hostile_code), name)

    def _join(self, code: str, name: str) -> str | None:
        result, refused = dutch_refusal(lambda: self.service.join(code, name))
        if refused:
            return None
        session, claim = result
        assert " ".join(name.split()) and len(claim) >= 40
        self.claims[claim] = (session.session_id, self.clock.now + LIMITS.claim_seconds)
        return claim

    @rule(data=st.data(), hostile=mostly(st.none(), hostile_text))
    def redeem(self, data, hostile):
        """A browser at the claim route: with a claim the server gave out, or with anything else."""
        use_issued = hostile is None and self.claims
        self._redeem(data.draw(st.sampled_from(list(self.claims))) if use_issued else hostile or "")

    def _redeem(self, claim: str) -> None:
        result, refused = dutch_refusal(lambda: self.service.redeem_claim(claim))
        expected = self.claims.pop(claim, None)
        if refused:
            if expected and expected[1] >= self.clock.now:  # a live claim is refused only when the session is full
                assert len(self.participants[expected[0]]) >= LIMITS.max_participants
                self.claims[claim] = expected  # a refused redemption did not spend it
            return
        assert expected is not None and expected[1] >= self.clock.now, "a claim the server did not issue worked"
        join_code, participant, token = result
        assert token not in self.tokens and participant.participant_id not in self.participants[expected[0]]
        self.tokens[token] = (join_code, participant.participant_id)
        self.participants[expected[0]].add(participant.participant_id)
        self.events += 1

    @rule(data=st.data())
    def arrive(self, data):
        """Someone joins and their browser follows the claim at once: the ordinary way in."""
        claim = self._join(self._code(data, None), "Deelnemer")
        if claim:
            self._redeem(claim)

    @precondition(lambda self: self.tokens)
    @rule(data=st.data(), dynamic=dynamics, score=scores, reason=reasons)
    def vote(self, data, dynamic, score, reason):
        """A participant votes with the token the server gave them, mostly on a theme of their session."""
        token = data.draw(st.sampled_from(list(self.tokens)))
        join_code, participant_id = self.tokens[token]
        session = next(s for s in self.sessions if s.join_code == join_code)
        theme = data.draw(mostly(st.sampled_from(session.theme_codes), themes))
        self._vote(token, theme, dynamic, score, reason)

    @precondition(lambda self: self.votes)
    @rule(data=st.data())
    def vote_again(self, data):
        """The same vote once more (a reason typed, then the score clicked: both widgets save)."""
        session_id, participant_id, theme, dynamic = data.draw(st.sampled_from(list(self.votes)))
        token = next(t for t, (_, p) in self.tokens.items() if p == participant_id)
        self._vote(token, theme, dynamic, *self.votes[(session_id, participant_id, theme, dynamic)])

    def _closed_with_voters(self) -> list[tuple[str, str]]:
        """(token, theme) pairs where the participant's round on that theme is closed."""
        sessions = {s.session_id: s.join_code for s in self.sessions}
        return [
            (token, theme)
            for (session_id, theme), (is_open, _) in list(self.rounds.items())
            if not is_open
            for token, (code, _) in list(self.tokens.items())
            if code == sessions[session_id]
        ]

    @precondition(lambda self: self._closed_with_voters())
    @rule(data=st.data(), dynamic=dynamics, score=scores)
    def vote_in_a_closed_round(self, data, dynamic, score):
        token, theme = data.draw(st.sampled_from(self._closed_with_voters()))
        self._vote(token, theme, dynamic, score, "te laat")

    def _vote(self, token, theme, dynamic, score, reason) -> None:
        join_code, participant_id = self.tokens[token]
        vote, refused = dutch_refusal(lambda: self.service.vote(join_code, token, theme, dynamic, score, reason))
        if refused:
            return
        session = next(s for s in self.sessions if s.join_code == join_code)
        is_open, _ = self.rounds[(session.session_id, theme)]
        assert is_open, "a closed round took a vote"
        assert type(score) is int and 1 <= score <= 5 and dynamic in DYNAMIC_CODES
        key = (session.session_id, participant_id, theme, dynamic)
        if self.votes.get(key) != (vote.score, vote.reason):
            self.events += 1
        self.votes[key] = (vote.score, vote.reason)

    @rule(
        data=st.data(),
        forged=st.one_of(hostile_text, st.sampled_from(["claim", "participant id", "cut off", "hash"])),
        theme=themes,
        dynamic=dynamics,
        score=scores,
        reason=reasons,
    )
    def forged_vote(self, data, forged, theme, dynamic, score, reason):
        """A vote with a token the server never issued: made up, a claim, a participant id, a cut-off or hashed
        token. Always refused."""
        some_token = next(iter(self.tokens), "x")
        token = {
            "claim": next(iter(self.claims), "geen-claim"),
            "participant id": next((p for ps in self.participants.values() for p in ps), "p0"),
            "cut off": some_token[:-1],
            "hash": token_hash(some_token),
        }.get(forged, forged)
        code = self._code(data, None)
        _, refused = dutch_refusal(lambda: self.service.vote(code, token, theme, dynamic, score, reason))
        assert refused, "a token the server did not issue voted"

    @rule(data=st.data(), action=st.sampled_from(["reveal", "close", "reopen", "onzin"]))
    def change_round(self, data, action):
        session = data.draw(st.sampled_from(self.sessions))
        theme = data.draw(st.sampled_from(session.theme_codes))
        changed, refused = dutch_refusal(lambda: self.service.change_round(SECRET, session.session_id, theme, action))
        if refused:
            return
        is_open, revealed = self.rounds[(session.session_id, theme)]
        after = {"reveal": (is_open, True), "close": (False, revealed), "reopen": (True, False)}[action]
        if changed:
            self.events += 1
            self.rounds[(session.session_id, theme)] = after

    @rule(guess=hostile_text)
    def guess_secret(self, guess):
        _, refused = dutch_refusal(lambda: self.service.check_secret(guess))
        assert refused or guess == SECRET

    @rule(seconds=st.sampled_from([1.0, 20.0, 61.0, 130.0]))
    def wait(self, seconds):
        self.clock.now += seconds

    @precondition(lambda self: self.sessions)
    @invariant()
    def the_store_holds_exactly_what_succeeded(self):
        store = self.service.store
        for session in self.sessions:
            snapshot = store.snapshot(session.session_id)
            cells = [(v.participant_id, v.theme_code, v.dynamic_code) for v in snapshot.votes]
            assert len(cells) == len(set(cells)), "two current votes for one participant and cell"
            assert {v.participant_id for v in snapshot.votes} <= self.participants[session.session_id]
            assert snapshot.participant_count == len(self.participants[session.session_id])
            assert snapshot.participant_count <= LIMITS.max_participants
            stored = {
                (session.session_id, *cell): (v.score, v.reason) for cell, v in zip(cells, snapshot.votes, strict=True)
            }
            assert stored == {k: v for k, v in self.votes.items() if k[0] == session.session_id}
            assert {t: (r.is_open, r.revealed) for t, r in snapshot.rounds.items()} == {
                t: state for (s, t), state in self.rounds.items() if s == session.session_id
            }
        assert store.event_count() == self.events


HostileSession.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_hostile_use_of_the_vote_api = HostileSession.TestCase
