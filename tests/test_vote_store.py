"""The vote store on both backends: SQLite (a temporary file) and PostgreSQL (a real throwaway server from
Debian's postgresql package, started for this test session — never mocked)."""

from __future__ import annotations

import csv
import io
import random
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from app import serve
from tests import postgres_server
from warehouse.votes import (
    EXPORT_COLUMNS,
    PostgresVoteStore,
    RoundClosed,
    SessionFull,
    SqliteVoteStore,
    UnknownParticipant,
    VoteStore,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DYNAMICS = ("opbouw", "institutionalisering", "lock_in", "afbouw")
THEME = "flexibele_leerroutes"


@pytest.fixture(scope="session")
def postgres_url():
    if postgres_server.binaries() is None:
        pytest.fail(postgres_server.MISSING)
    server = postgres_server.start(serve.free_port())
    yield server.url
    server.stop()


_database_seq = iter(range(1, 10_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A fresh, empty store: a new SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield SqliteVoteStore(tmp_path / "votes.sqlite")
        return
    import psycopg

    base = request.getfixturevalue("postgres_url")
    name = f"votes_{next(_database_seq)}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"create database {name}")  # a fixed test name, not user input
    store = PostgresVoteStore(base.rsplit("/", 1)[0] + "/" + name)
    yield store
    store.close()


def open_session(store: VoteStore, code: str = "K7QM4X", themes=(THEME,)):
    return store.open_session(facilitator="Begeleider", measurement_year=2026, theme_codes=list(themes), join_code=code)


def test_a_session_with_votes_and_changes_keeps_one_current_vote_per_cell(store):
    session = open_session(store)
    anna, new = store.join(session.session_id, "hash-anna", "Anna")
    assert new
    store.cast_vote(session.session_id, anna.participant_id, THEME, "opbouw", 3, "eerste gedachte")
    store.cast_vote(session.session_id, anna.participant_id, THEME, "opbouw", 4, "toch iets hoger")
    store.cast_vote(session.session_id, anna.participant_id, THEME, "lock_in", 2, "")

    snapshot = store.snapshot(session.session_id)
    current = {(v.dynamic_code): (v.score, v.reason) for v in snapshot.votes}
    assert current == {"opbouw": (4, "toch iets hoger"), "lock_in": (2, "")}
    assert snapshot.rounds[THEME].is_open and not snapshot.rounds[THEME].revealed
    assert snapshot.participant_count == 1
    assert [e["event_type"] for e in store.events(session.session_id)] == [
        "session_opened",
        "participant_joined",
        "vote_cast",
        "vote_changed",
        "vote_cast",
    ]


def test_joining_again_with_the_same_token_is_the_same_participant(store):
    session = open_session(store)
    first, first_new = store.join(session.session_id, "hash-1", "Bram")
    again, again_new = store.join(session.session_id, "hash-1", "Bram")
    assert first == again and first_new and not again_new
    assert store.participant_by_token(session.session_id, "hash-1") == first
    assert store.snapshot(session.session_id).participant_count == 1
    assert store.event_count(session.session_id) == 2  # opened, joined once


def test_the_database_itself_refuses_a_second_current_vote_for_a_cell(store):
    session = open_session(store)
    participant, _ = store.join(session.session_id, "hash", "Cas")
    vote = store.cast_vote(session.session_id, participant.participant_id, THEME, "afbouw", 2, "")
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), store._transaction(write=True) as tx:
        tx.run(
            "insert into scoring_vote (session_id, participant_id, theme_code, dynamic_code, score, reason, "
            "event_id, cast_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [session.session_id, participant.participant_id, THEME, "afbouw", 5, "", vote.event_id, vote.cast_at],
        )
    assert [v.score for v in store.snapshot(session.session_id).votes] == [2]


def test_a_closed_round_refuses_votes_until_reopened(store):
    session = open_session(store)
    participant, _ = store.join(session.session_id, "hash", "Dirk")
    store.cast_vote(session.session_id, participant.participant_id, THEME, "opbouw", 3, "")
    assert store.change_round(session.session_id, THEME, "round_revealed")
    assert store.change_round(session.session_id, THEME, "round_closed")
    assert not store.change_round(session.session_id, THEME, "round_closed")  # already closed: nothing appended
    with pytest.raises(RoundClosed, match="gesloten"):
        store.cast_vote(session.session_id, participant.participant_id, THEME, "opbouw", 5, "te laat")
    assert store.snapshot(session.session_id).votes[0].score == 3

    assert store.change_round(session.session_id, THEME, "round_reopened")
    reopened = store.snapshot(session.session_id).rounds[THEME]
    assert reopened.is_open and not reopened.revealed  # a new round of voting starts with the results hidden
    store.cast_vote(session.session_id, participant.participant_id, THEME, "opbouw", 5, "na de discussie")
    assert store.snapshot(session.session_id).votes[0].score == 5
    types = [e["event_type"] for e in store.events(session.session_id)]
    assert types.count("round_closed") == 1 and types.count("round_reopened") == 1


def test_a_reopened_round_keeps_the_previous_round_to_compare_with(store):
    """Delphi-style rounds: after a reopening the snapshot numbers the round and holds every participant's vote
    as it stood at the reopening (replayed from the log), while the current votes move on."""
    session = open_session(store)
    ids = [store.join(session.session_id, f"hash-{name}", name)[0].participant_id for name in ("An", "Bo", "Cas")]
    for participant_id, score in zip(ids, (2, 3, 5), strict=True):
        store.cast_vote(session.session_id, participant_id, THEME, "opbouw", score, "eerste ronde")
    store.cast_vote(session.session_id, ids[0], THEME, "opbouw", 1, "toch lager")  # a change within round 1
    first = store.snapshot(session.session_id)
    assert first.rounds[THEME].number == 1 and first.previous_round_votes == {}

    store.change_round(session.session_id, THEME, "round_closed")
    store.change_round(session.session_id, THEME, "round_reopened")
    store.cast_vote(session.session_id, ids[2], THEME, "opbouw", 3, "na de discussie")
    assert store.snapshot(session.session_id).previous_round_votes == {}  # hidden until the new round's reveal
    store.change_round(session.session_id, THEME, "round_revealed")
    second = store.snapshot(session.session_id)
    assert second.rounds[THEME].number == 2
    assert sorted(v.score for v in second.previous_round_votes[THEME]) == [1, 3, 5]
    assert sorted(v.score for v in second.votes) == [1, 3, 3]

    store.change_round(session.session_id, THEME, "round_closed")
    store.change_round(session.session_id, THEME, "round_reopened")
    store.change_round(session.session_id, THEME, "round_revealed")
    third = store.snapshot(session.session_id)
    assert third.rounds[THEME].number == 3
    assert sorted(v.score for v in third.previous_round_votes[THEME]) == [1, 3, 3]  # as round 2 ended


def test_a_participant_of_one_session_cannot_vote_in_another(store):
    first = open_session(store, "AAAAAA")
    second = open_session(store, "BBBBBB")
    outsider, _ = store.join(first.session_id, "hash", "Eva")
    with pytest.raises(UnknownParticipant):
        store.cast_vote(second.session_id, outsider.participant_id, THEME, "opbouw", 4, "")
    assert store.snapshot(second.session_id).votes == ()


def test_agreed_scores_and_the_anonymous_export(store):
    session = open_session(store)
    participant, _ = store.join(session.session_id, "hash", "Femke Geheimnaam")
    store.cast_vote(session.session_id, participant.participant_id, THEME, "lock_in", 4, "<b>vet</b>, met komma")
    store.record_agreed(session.session_id, THEME, "lock_in", 3, "eerste voorstel")
    store.record_agreed(session.session_id, THEME, "lock_in", 4, "na de discussie")
    agreed = store.snapshot(session.session_id).agreed[(THEME, "lock_in")]
    assert (agreed.score, agreed.note) == (4, "na de discussie")

    rows = store.export_rows()
    assert len(rows) == store.event_count() == 5
    assert all(tuple(row) == EXPORT_COLUMNS for row in rows)
    assert "display_name" not in rows[0]
    target = io.StringIO()
    assert store.write_csv(target) == 5
    text = target.getvalue()
    assert "Femke Geheimnaam" not in text
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert '"<b>vet</b>, met komma"' in text
    assert "Femke Geheimnaam" in [e["display_name"] for e in store.events()]  # the log itself keeps it


PARTICIPANTS = 20
CHANGES_PER_PARTICIPANT = 10  # after the first vote on each of the four dynamics


def test_twenty_participants_voting_and_changing_at_once(store):
    """20 threads join and vote on all four dynamics, then change their votes at random, all at once. Every
    participant's last vote per cell must be the current one, each counted once, and the log must hold
    exactly one event per action."""
    session = open_session(store)
    start = threading.Barrier(PARTICIPANTS)
    intended: dict[int, dict[str, int]] = {}
    errors: list[BaseException] = []
    actions = Counter()
    lock = threading.Lock()

    def participant(number: int) -> None:
        rng = random.Random(number)
        try:
            start.wait()
            person, _ = store.join(session.session_id, f"hash-{number}", f"Deelnemer {number}")
            last: dict[str, int] = {}
            plan = list(DYNAMICS) + [rng.choice(DYNAMICS) for _ in range(CHANGES_PER_PARTICIPANT)]
            unchanged = 0  # the same score again: no event
            for dynamic in plan:
                score = rng.randint(1, 5)
                store.cast_vote(session.session_id, person.participant_id, THEME, dynamic, score, f"r{number}")
                unchanged += last.get(dynamic) == score
                last[dynamic] = score
            with lock:
                intended[person.participant_id] = last
                actions["join"] += 1
                actions["vote"] += len(plan)
                actions["unchanged"] += unchanged
        except BaseException as err:  # noqa: BLE001 - reported below, with the thread's number
            errors.append(err)

    threads = [threading.Thread(target=participant, args=(n,)) for n in range(PARTICIPANTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.perf_counter() - began
    assert not errors, errors

    snapshot = store.snapshot(session.session_id)
    current = {(v.participant_id, v.dynamic_code): v.score for v in snapshot.votes}
    expected = {(p, d): s for p, votes in intended.items() for d, s in votes.items()}
    assert len(snapshot.votes) == len(current) == PARTICIPANTS * len(DYNAMICS)  # nothing doubled
    assert current == expected  # nothing lost: every participant's last vote is the one that counts
    assert snapshot.participant_count == PARTICIPANTS

    events = store.events(session.session_id)
    types = Counter(e["event_type"] for e in events)
    assert len(events) == 1 + actions["join"] + actions["vote"] - actions["unchanged"]
    assert types["vote_cast"] == PARTICIPANTS * len(DYNAMICS)
    assert types["vote_changed"] == actions["vote"] - actions["unchanged"] - PARTICIPANTS * len(DYNAMICS)
    # The current vote of a cell is the latest event of that participant and cell.
    latest = {}
    for event in events:
        if event["event_type"] in ("vote_cast", "vote_changed"):
            latest[(event["participant_id"], event["dynamic_code"])] = event["score"]
    assert latest == current

    _record(
        store.backend,
        f"{actions['join'] + actions['vote']} acties ({actions['join']} aanmeldingen, {actions['vote']} stemmen) "
        f"van {PARTICIPANTS} threads in {seconds:.2f} s = {(actions['join'] + actions['vote']) / seconds:.0f} per s",
    )


def test_votes_racing_with_close_land_before_it_or_are_refused(store):
    """While 20 participants vote, the facilitator closes the round: no vote is stored after the close."""
    session = open_session(store)
    people = [store.join(session.session_id, f"hash-{n}", f"D{n}")[0] for n in range(PARTICIPANTS)]
    accepted, refused = Counter(), Counter()
    go = threading.Event()

    def keep_voting(person) -> None:
        go.wait()
        for i in range(30):
            try:
                store.cast_vote(session.session_id, person.participant_id, THEME, DYNAMICS[i % 4], 1 + i % 5, "")
                accepted[person.participant_id] += 1
            except RoundClosed:
                refused[person.participant_id] += 1

    threads = [threading.Thread(target=keep_voting, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    go.set()
    time.sleep(0.05)
    assert store.change_round(session.session_id, THEME, "round_closed")
    for thread in threads:
        thread.join(timeout=120)

    events = store.events(session.session_id)
    close_id = next(e["event_id"] for e in events if e["event_type"] == "round_closed")
    vote_ids = [e["event_id"] for e in events if e["event_type"].startswith("vote_")]
    assert len(vote_ids) == sum(accepted.values())
    assert sum(accepted.values()) + sum(refused.values()) == PARTICIPANTS * 30
    assert all(event_id < close_id for event_id in vote_ids)
    _record(
        store.backend,
        f"sluiten tijdens het stemmen: {sum(accepted.values())} stemmen vóór het sluiten opgeslagen, "
        f"{sum(refused.values())} daarna geweigerd, geen enkele erna",
    )


def _record(backend: str, line: str) -> None:
    """Measurements for the report: tests/artifacts/vote-store-concurrency.txt."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "vote-store-concurrency.txt").open("a", encoding="utf-8") as out:
        out.write(f"{backend}: {line}\n")
    print(f"{backend}: {line}")


# --- Doors that must stay shut (issue #16) ------------------------------------------------------------------


def second_server(store: VoteStore, tmp_path: Path) -> VoteStore:
    """The same store as another app server opens it: a new store object (new connections) on the same data."""
    if isinstance(store, SqliteVoteStore):
        return SqliteVoteStore(store.path)
    return PostgresVoteStore(store.url)


def test_the_same_vote_again_appends_nothing(store):
    """Probe 10: typing a reason and then clicking a score saved the same vote twice: vote_cast plus an identical
    vote_changed. Only a real change is an event."""
    session = open_session(store)
    person, _ = store.join(session.session_id, "hash", "Gijs")
    first = store.cast_vote(session.session_id, person.participant_id, THEME, "opbouw", 3, "zo is het")
    again = store.cast_vote(session.session_id, person.participant_id, THEME, "opbouw", 3, "zo is het")
    assert again == first
    store.cast_vote(session.session_id, person.participant_id, THEME, "opbouw", 3, "toch anders")
    store.cast_vote(session.session_id, person.participant_id, THEME, "opbouw", 4, "toch anders")
    types = [e["event_type"] for e in store.events(session.session_id)]
    assert types == ["session_opened", "participant_joined", "vote_cast", "vote_changed", "vote_changed"]


def test_the_session_log_is_formula_safe_and_names_nobody(store):
    """Probes 6 and 7: reasons starting with =, @, +, -, tab or CR were written raw into the CSV, and the log
    'zonder namen' held the facilitator's name."""
    session = store.open_session(
        facilitator="Fenna Begeleidersnaam", measurement_year=2026, theme_codes=[THEME], join_code="K7QM4X"
    )
    hostile = ['=HYPERLINK("http://example.invalid","klik")', "@SUM(1+1)", "+31 6", "-2+3", "\tverstopt", "\r=1+1"]
    for number, reason in enumerate(hostile):
        person, _ = store.join(session.session_id, f"hash-{number}", f"Deelnemer {number}")
        store.cast_vote(session.session_id, person.participant_id, THEME, DYNAMICS[number % 4], 3, reason)
    store.record_agreed(session.session_id, THEME, "opbouw", 3, "=1+1")
    target = io.StringIO()
    store.write_csv(target, session.session_id)
    rows = list(csv.reader(io.StringIO(target.getvalue())))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert "facilitator" not in rows[0] and "display_name" not in rows[0]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for reason in hostile:
        assert "'" + reason in cells  # still there, as text
    text = target.getvalue()
    assert "Fenna" not in text and "Begeleidersnaam" not in text and "Deelnemer" not in text


def test_a_claim_works_once_on_any_server_and_not_after_it_expires(store, tmp_path):
    """Probe 3/4 below the rules: a join waits as a hashed claim; whichever server redeems it first creates the
    participant, with the token hash given then; a second redemption, anywhere, gets nothing."""
    session = open_session(store)
    other = second_server(store, tmp_path)
    store.add_claim(session.session_id, "claim-hash", "Hanna", expires_at=1_000.0, at=900.0)
    redeemed = other.redeem_claim("claim-hash", "token-hash", at=950.0)
    assert redeemed is not None
    participant, code = redeemed
    assert code == session.join_code and participant.display_name == "Hanna"
    assert store.participant_by_token(session.session_id, "token-hash") == participant
    assert store.redeem_claim("claim-hash", "other-token-hash", at=951.0) is None
    assert other.redeem_claim("claim-hash", "other-token-hash", at=951.0) is None

    store.add_claim(session.session_id, "late", "Ids", expires_at=1_000.0, at=990.0)
    assert store.redeem_claim("late", "late-token", at=1_001.0) is None
    assert store.participant_by_token(session.session_id, "late-token") is None
    assert store.snapshot(session.session_id).participant_count == 1
    other.close()


def test_a_session_holds_at_most_its_cap_of_participants(store):
    """Probe 8: no cap on joins. The store refuses a new participant beyond the cap, in the join itself (so two
    servers cannot both let the last one in), and refuses a claim once the session is full."""
    session = open_session(store)
    for number in range(3):
        store.join(session.session_id, f"hash-{number}", f"D{number}", max_participants=3)
    assert store.join(session.session_id, "hash-0", "D0", max_participants=3)[1] is False  # a reload still works
    with pytest.raises(SessionFull, match="Deze sessie is vol: er doen al 3 deelnemers mee"):
        store.join(session.session_id, "hash-new", "Nieuw", max_participants=3)
    with pytest.raises(SessionFull):
        store.add_claim(session.session_id, "c", "Nieuw", expires_at=2.0, at=1.0, max_participants=3)
    assert store.snapshot(session.session_id).participant_count == 3


def test_throttle_counters_hold_across_servers(store, tmp_path):
    """Probes 1 and 8: the counters live in the store, so a second app server sees the first one's hits and
    failures (a window of hits; failures that block with a doubling wait)."""
    other = second_server(store, tmp_path)
    limits = [("stem:deelnemer:p1", 3, 60.0), ("stem:sessie:s1", 100, 60.0)]
    assert [store.count_hit(limits, at=1_000.0 + i) for i in range(2)] == [0.0, 0.0]
    assert other.count_hit(limits, at=1_002.0) == 0.0
    assert other.count_hit(limits, at=1_003.0) == pytest.approx(57.0)  # full until the window ends
    assert store.count_hit(limits, at=1_010.0) == pytest.approx(50.0)
    assert store.count_hit(limits, at=1_060.0) == 0.0  # a new window

    rules = [("geheim:adres:a", 2), ("geheim:alle", 5)]
    store.record_failure(rules, at=2_000.0, first_block=15.0, longest_block=900.0, memory=3600.0)
    assert other.blocked_for(["geheim:adres:a", "geheim:alle"], at=2_000.0) == 0.0
    other.record_failure(rules, at=2_001.0, first_block=15.0, longest_block=900.0, memory=3600.0)
    assert store.blocked_for(["geheim:adres:a"], at=2_001.0) == pytest.approx(15.0)
    assert store.blocked_for(["geheim:alle"], at=2_001.0) == 0.0
    store.record_failure(rules, at=2_020.0, first_block=15.0, longest_block=900.0, memory=3600.0)
    assert other.blocked_for(["geheim:adres:a", "geheim:alle"], at=2_020.0) == pytest.approx(30.0)  # doubled
    other.clear_failures("geheim:adres:a")
    assert store.blocked_for(["geheim:adres:a"], at=2_020.0) == 0.0
    other.close()


def test_the_audit_log_keeps_who_did_what_with_the_join_code_and_refuses_unknown_actions(store):
    from warehouse.votes import audit

    session = open_session(store)
    audit.record(
        store, actor="fien@hva.nl", actor_role="begeleider", action="session_opened", session_id=session.session_id
    )
    audit.record(
        store,
        actor="fien@hva.nl",
        actor_role="begeleider",
        action="round_closed",
        session_id=session.session_id,
        theme_code=THEME,
    )
    audit.record(store, actor="jan@hva.nl", actor_role="analist", action="sql_run", detail="select 1;" + "x" * 20_000)
    entries = audit.entries(store)
    assert [(e.actor, e.action, e.join_code, e.theme_code) for e in entries] == [
        ("jan@hva.nl", "sql_run", None, None),
        ("fien@hva.nl", "round_closed", "K7QM4X", THEME),
        ("fien@hva.nl", "session_opened", "K7QM4X", None),
    ]
    assert entries[0].detail.startswith("select 1;x") and entries[0].detail.endswith("… (afgekapt)")
    assert len(entries[0].detail) < audit.MAX_DETAIL + 20
    assert entries[0].occurred_at >= entries[2].occurred_at
    with pytest.raises(ValueError):
        audit.record(store, actor="x", actor_role="-", action="vote_cast")
    # The database refuses an action outside the list too, whoever writes it.
    with pytest.raises(Exception, match="(?i)check"), store._transaction(write=True) as tx:
        tx.run(
            "insert into audit_log (occurred_at, actor, actor_role, action, detail) values (?, ?, ?, ?, ?)",
            ["2026-01-01", "x", "-", "vote_cast", ""],
        )
    assert len(audit.entries(store)) == 3
