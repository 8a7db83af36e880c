"""`make backup` / `make restore` (warehouse/backup.py): a round trip through a backup gives back exactly the votes
and the event log, on SQLite (its backup API) and on a real PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import itertools

import pytest

from app.serve import free_port
from tests import postgres_server
from warehouse import backup
from warehouse.votes import audit, open_store

_database_seq = itertools.count(1)


@pytest.fixture(scope="module")
def postgres_base():
    if postgres_server.binaries() is None:
        pytest.fail(postgres_server.MISSING)
    server = postgres_server.start(free_port())
    yield server.url
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def locations(request, tmp_path):
    """Two empty stores of one kind (where the votes live, and a fresh one to restore into), as open_store's
    url/path arguments."""
    if request.param == "sqlite":
        return [{"path": tmp_path / f"{name}.sqlite"} for name in ("live", "fresh")]
    import psycopg

    base = request.getfixturevalue("postgres_base")
    found = []
    for _ in range(2):
        name = f"backup_{next(_database_seq)}"
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"create database {name}")  # a fixed test name, not user input
        found.append({"url": base.rsplit("/", 1)[0] + "/" + name})
    return found


def a_meeting(store) -> str:
    """A small session: two participants, votes and a change, a closed round and an agreed score."""
    session = store.open_session(facilitator="Bea", measurement_year=2026, theme_codes=["t1", "t2"], join_code="K7M2")
    anna, _ = store.join(session.session_id, "hash-anna", "Anna")
    bram, _ = store.join(session.session_id, "hash-bram", "Bram")
    store.cast_vote(session.session_id, anna.participant_id, "t1", "opbouw", 4, "goed op weg")
    store.cast_vote(session.session_id, bram.participant_id, "t1", "opbouw", 2, "")
    store.cast_vote(session.session_id, anna.participant_id, "t1", "opbouw", 3, "toch iets minder")
    store.cast_vote(session.session_id, bram.participant_id, "t2", "lock_in", 5, "vast")
    store.change_round(session.session_id, "t1", "round_closed")
    store.record_agreed(session.session_id, "t1", "opbouw", 3, "samen besloten")
    return session.session_id


def test_a_backup_round_trip_gives_back_every_event_and_vote(locations, tmp_path):
    live_at, fresh_at = locations
    live = open_store(**live_at)
    session_id = a_meeting(live)
    audit.record(live, actor="fien@hva.nl", actor_role="begeleider", action="round_closed", session_id=session_id)
    events, snapshot, audit_log = live.events(), live.snapshot(session_id), audit.entries(live)

    made = backup.make_backup(tmp_path / "stemmen.bak", **live_at)
    assert made.events == len(events) == 9
    assert made.path.is_file() and not list(tmp_path.glob(".stemmen.bak.*")), "a partial file was left behind"

    # Into a fresh store: allowed without --vervang, and everything is there.
    assert backup.restore_backup(made.path, **fresh_at) == len(events)
    fresh = open_store(**fresh_at)
    assert fresh.events() == events
    assert fresh.snapshot(session_id) == snapshot
    assert audit.entries(fresh) == audit_log and audit_log[0].actor == "fien@hva.nl"  # the audit log comes along

    # The meeting went on after the backup; restoring over it is refused unless asked for, then it replaces all.
    participant = live.participant_by_token(session_id, "hash-bram")
    live.cast_vote(session_id, participant.participant_id, "t2", "afbouw", 1, "na de back-up")
    with pytest.raises(backup.BackupError, match="bevat al 10 gebeurtenis"):
        backup.restore_backup(made.path, **live_at)
    assert live.event_count() == 10
    assert backup.restore_backup(made.path, **live_at, replace=True) == len(events)
    assert live.events() == events
    assert live.snapshot(session_id) == snapshot

    # The log goes on after a restore: new events are numbered after the restored ones, not over them.
    vote = live.cast_vote(session_id, participant.participant_id, "t2", "afbouw", 2, "na het terugzetten")
    assert vote.event_id > max(e["event_id"] for e in events)
    live.close()
    fresh.close()


def test_a_backup_goes_back_only_into_the_same_kind_of_store(locations, tmp_path, request):
    live_at, _ = locations
    store = open_store(**live_at)
    a_meeting(store)
    store.close()
    made = backup.make_backup(tmp_path / "stemmen.bak", **live_at)
    other = (
        {"path": tmp_path / "ander.sqlite"} if "url" in live_at else {"url": request.getfixturevalue("postgres_base")}
    )
    with pytest.raises(backup.BackupError, match="Zet hem terug in dezelfde soort opslag"):
        backup.restore_backup(made.path, **other)

    # A store that cannot be reached is named by its kind, never by its connection string (it may hold a password).
    with pytest.raises(backup.BackupError, match=r"PostgreSQL \(TM_VOTES_URL\)") as refused:
        backup.restore_backup(made.path, url="postgresql://niemand:geheim@127.0.0.1:1/stemmen")
    assert "geheim" not in str(refused.value)

    not_a_backup = tmp_path / "notities.txt"
    not_a_backup.write_text("geen back-up")
    with pytest.raises(backup.BackupError, match="geen back-up van de stemopslag"):
        backup.restore_backup(not_a_backup, **live_at)


def test_the_commands_use_the_configured_store_and_answer_in_dutch(monkeypatch, tmp_path, capsys):
    votes = tmp_path / "votes.sqlite"
    monkeypatch.setenv("TM_VOTES_PATH", str(votes))
    monkeypatch.delenv("TM_VOTES_URL", raising=False)
    store = open_store()
    a_meeting(store)
    target = tmp_path / "kopie.sqlite"

    assert backup.main(["maken", "--naar", str(target)]) == 0
    assert f"Back-up gemaakt: {target} (9 gebeurtenis(sen), sqlite)" in capsys.readouterr().out

    assert backup.main(["terugzetten", str(target)]) == 1
    assert "geef --vervang" in capsys.readouterr().err
    assert backup.main(["terugzetten", str(target), "--vervang"]) == 0
    assert "de stemopslag bevat nu 9 gebeurtenis(sen)" in capsys.readouterr().out
