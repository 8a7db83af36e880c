"""From session to final (issue #10, phase 2): every vote in the warehouse, measurements with a status, and the
pre-filled scoring form.

One fictional 2026 measurement (status 'concept', in a private copy of data_raw/) and a real SQLite vote store
filled through the session API; the warehouse is built from both, rebuilt in the middle of the session, and
finally built with the experts' filled-in form that makes 2026 'vastgesteld'.
"""

from __future__ import annotations

import csv
import shutil
import statistics
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from app.scoring.session import ScoringService
from tests.helpers import joined, open_app_page
from warehouse.build import DATA_RAW, build
from warehouse.raw import validate
from warehouse.raw.contract import MEASUREMENT_FILES
from warehouse.template import build_template, from_warehouse
from warehouse.votes import SqliteVoteStore, read_for_warehouse

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
SECRET = "geheim-voor-de-test"
THEMES = ["digitalisering", "flexibele_leerroutes", "student_naar_lerende", "leren_met_maatschappij"]
ALL_THEMES = [*THEMES, "rollen_professionals"]
THEME = "flexibele_leerroutes"
FACILITATOR = "Begeleider Fenna Facilitatorsnaam"
NAMES = [f"Deelnemer{n} Achternaamxyz" for n in "ABCDEFGHI"]
# 9 participants on (THEME, opbouw): median 3, range 2-4.
OPBOUW_VOTES = [2, 3, 3, 4, 2, 3, 4, 3, 3]


def write_measurement(folder: Path, year: int, status: str | None) -> None:
    header = next(s for s in MEASUREMENT_FILES if s.name == "measurement.csv").header
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "measurement.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        row = {"measurement_year": year, "label": f"Meting {year} (fictief)", "provenance": "test"}
        if status is not None:
            row["status"] = status
        writer.writerow(row)


def all_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every text value in every table of the warehouse, as one string."""
    parts = []
    tables = con.sql("select table_name from duckdb_tables() where schema_name = 'main'").fetchall()
    for (table,) in tables:
        columns = con.execute(
            "select column_name from duckdb_columns() where schema_name = 'main' and table_name = ?", [table]
        ).fetchall()
        for (column,) in columns:
            values = con.sql(f'select distinct cast("{column}" as varchar) from "{table}"').fetchall()
            parts.extend(str(v) for (v,) in values if v is not None)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """data_raw/ plus a concept 2026 measurement, a vote store with a session on 2026, and a first build."""
    root = tmp_path_factory.mktemp("votes")
    raw = root / "data_raw"
    shutil.copytree(DATA_RAW, raw)
    write_measurement(raw / "measurements" / "2026", 2026, "concept")
    votes_path = root / "votes.sqlite"
    service = ScoringService(SqliteVoteStore(votes_path), SECRET)
    session = service.open_session(SECRET, FACILITATOR, 2026, [THEME, "digitalisering"], ALL_THEMES)
    tokens = []
    for name, score in zip(NAMES, OPBOUW_VOTES, strict=True):
        _, token = joined(service, session.join_code, name)
        tokens.append(token)
        service.vote(session.join_code, token, THEME, "opbouw", score, f"reden van {name.split()[0][-1]}")
    service.vote(session.join_code, tokens[0], THEME, "opbouw", 1, "toch lager")  # a change: 2 → 1
    service.vote(session.join_code, tokens[0], THEME, "opbouw", 2, "toch 2")  # and back: 2 changes
    service.vote(session.join_code, tokens[2], THEME, "opbouw", OPBOUW_VOTES[2], "reden aangevuld")  # no change of mind
    service.vote(session.join_code, tokens[1], THEME, "lock_in", 5, "")
    service.change_round(SECRET, session.session_id, THEME, "reveal")
    service.change_round(SECRET, session.session_id, THEME, "close")
    service.change_round(SECRET, session.session_id, THEME, "reopen")
    service.vote(session.join_code, tokens[2], THEME, "lock_in", 4, "na heropenen")  # round 2
    service.record_agreed(SECRET, session.session_id, THEME, "opbouw", 2, "eerst 4 afgesproken")
    service.record_agreed(SECRET, session.session_id, THEME, "opbouw", 3, "Koers: <b>3</b>, niet 4")  # latest wins
    service.record_agreed(SECRET, session.session_id, "digitalisering", "afbouw", 2, "")  # agreed without votes
    warehouse = root / "served" / "transitiemonitor.duckdb"
    events_before = service.store.events()
    result = build(raw, warehouse, votes_path=votes_path)
    assert result.ok, "\n".join(result.messages)
    assert service.store.events() == events_before, "the build changed the vote store"
    return {
        "raw": raw,
        "root": root,
        "votes_path": votes_path,
        "service": service,
        "session": session,
        "tokens": tokens,
        "warehouse": warehouse,
        "result": result,
    }


def query(warehouse: Path, sql: str, *params):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_final_vote_is_in_fct_rating_exactly_once(world):
    service, session = world["service"], world["session"]
    snapshot = service.snapshot(session.session_id)
    expected = sorted((v.participant_id, v.theme_code, v.dynamic_code, v.score) for v in snapshot.votes)
    rows = query(
        world["warehouse"],
        "select participant_id, theme_code, dynamic_code, score from fct_rating where scoring_session_id = ? "
        "order by all",
        session.session_id,
    )
    assert sorted(rows) == expected and len(rows) == 11
    first = service.identify(session.join_code, world["tokens"][0])[1].participant_id
    (changes, round_, reason) = query(
        world["warehouse"],
        "select change_count, vote_round, reason from fct_rating where participant_id = ? and dynamic_code = 'opbouw'",
        first,
    )[0]
    assert (changes, round_, reason) == (2, 1, "toch 2")
    third = service.identify(session.join_code, world["tokens"][2])[1].participant_id
    assert query(
        world["warehouse"],
        "select change_count, reason from fct_rating where participant_id = ? and dynamic_code = 'opbouw'",
        third,
    ) == [(0, "reden aangevuld")]  # only the reason changed: the score never did
    assert query(world["warehouse"], "select max(vote_round) from fct_rating where dynamic_code = 'lock_in'") == [(2,)]


def test_the_agreement_row_summarises_the_votes(world):
    session = world["session"]
    row = query(
        world["warehouse"],
        "select vote_count, median_score, min_score, max_score, q1_score, q3_score, spread_label, agreed_score, "
        "agreed_note, measurement_year, measurement_status, is_latest_for_cell from fct_session_cell "
        "where scoring_session_id = ? and theme_code = ? and dynamic_code = 'opbouw'",
        session.session_id,
        THEME,
    )[0]
    q1, _, q3 = statistics.quantiles(OPBOUW_VOTES, n=4, method="inclusive")
    assert row == (9, 3.0, 2, 4, q1, q3, "matig", 3, "Koers: <b>3</b>, niet 4", 2026, "concept", True)
    agreed_only = query(
        world["warehouse"],
        "select vote_count, median_score, spread_label, agreed_score from fct_session_cell "
        "where theme_code = 'digitalisering' and dynamic_code = 'afbouw'",
    )
    assert agreed_only == [(0, None, None, 2)]
    assert query(
        world["warehouse"],
        "select participant_count, rating_count, agreed_count, theme_codes from dim_scoring_session",
    ) == [(9, 11, 2, [THEME, "digitalisering"])]


def test_no_name_reaches_the_warehouse(world):
    con = duckdb.connect(str(world["warehouse"]), read_only=True)
    try:
        text = all_text(con)
    finally:
        con.close()
    assert "reden van B" in text  # the scan does see the votes' text
    for name in [*NAMES, FACILITATOR]:
        for part in name.split():
            if len(part) > 8:  # the distinctive parts: 'DeelnemerA', 'Achternaamxyz', 'Facilitatorsnaam'
                assert part not in text, part


def test_a_concept_measurement_has_no_final_scores(world):
    warehouse = world["warehouse"]
    assert query(warehouse, "select measurement_year, status from dim_measurement order by 1") == [
        (2025, "vastgesteld"),
        (2026, "concept"),
    ]
    assert query(warehouse, "select count(*) from fct_score where measurement_year = 2026") == [(0,)]
    assert query(warehouse, "select count(*) from fct_score_change where measurement_year = 2026") == [(0,)]


def test_a_rebuild_mid_session_keeps_every_vote_and_the_session_running(world, tmp_path):
    service, session, tokens = world["service"], world["session"], world["tokens"]
    warehouse = tmp_path / "transitiemonitor.duckdb"
    shutil.copy(world["warehouse"], warehouse)
    before = query(warehouse, "select count(*), sum(score) from fct_rating")[0]
    events = service.store.event_count()
    _, late_token = joined(service, session.join_code, "Laatkomer Achternaamxyz")
    service.vote(session.join_code, late_token, THEME, "opbouw", 5, "laat")
    service.vote(session.join_code, tokens[3], THEME, "afbouw", 1, "")
    result = build(world["raw"], warehouse, votes_path=world["votes_path"])
    assert result.ok, result.messages
    assert service.store.event_count() == events + 3
    after = query(warehouse, "select count(*), sum(score) from fct_rating")[0]
    assert after == (before[0] + 2, before[1] + 6)
    assert query(
        warehouse, "select vote_count from fct_session_cell where theme_code = ? and dynamic_code = 'opbouw'", THEME
    ) == [(10,)]
    # The session goes on after the build: the round is open, a vote still lands.
    service.vote(session.join_code, tokens[4], THEME, "afbouw", 2, "")
    assert service.snapshot(session.session_id).rounds[THEME].is_open


def test_no_store_or_an_empty_one_builds_with_empty_marts(tmp_path, previous_warehouse):
    assert read_for_warehouse(path=tmp_path / "bestaat-niet.sqlite") == []
    assert not (tmp_path / "bestaat-niet.sqlite").exists(), "reading must not create the store"
    empty = tmp_path / "leeg.sqlite"
    SqliteVoteStore(empty)
    assert read_for_warehouse(path=empty) == []


def test_the_build_reads_postgresql_too(world, tmp_path):
    """The build's reader on the other backend: same rows as from SQLite (no dbt needed to show that)."""
    from app import serve
    from tests import postgres_server
    from warehouse.votes import PostgresVoteStore

    if postgres_server.binaries() is None:
        pytest.skip(postgres_server.MISSING)
    server = postgres_server.start(serve.free_port())
    try:
        assert read_for_warehouse(url=server.url) == []  # no tables yet: an empty log, nothing created
        store = PostgresVoteStore(server.url)
        service = ScoringService(store, SECRET)
        session = service.open_session(SECRET, FACILITATOR, 2026, [THEME], ALL_THEMES)
        _, token = joined(service, session.join_code, NAMES[0])
        service.vote(session.join_code, token, THEME, "opbouw", 4, "pg")
        rows = read_for_warehouse(url=server.url)
        store.close()
        assert [r["event_type"] for r in rows] == ["session_opened", "participant_joined", "vote_cast"]
        assert all(NAMES[0] not in str(v) and FACILITATOR not in str(v) for r in rows for v in r.values())
        assert set(rows[0]) == set(read_for_warehouse(path=world["votes_path"])[0])
    finally:
        server.stop()


# --- Measurement status in the validator (fast: no dbt) ------------------------------------------------------


def test_status_rules_in_the_validator(tmp_path):
    raw = tmp_path / "data_raw"
    shutil.copytree(DATA_RAW, raw)
    write_measurement(raw / "measurements" / "2026", 2026, "concept")
    assert not validate(raw).errors  # a concept measurement without scores
    write_measurement(raw / "measurements" / "2026", 2026, None)
    messages = [str(p) for p in validate(raw).errors]
    assert any("2026/scores.csv" in m and "zet dan status 'concept'" in m for m in messages), messages
    write_measurement(raw / "measurements" / "2026", 2026, "klaar")
    assert any("kolom 'status'" in str(p) and "concept, vastgesteld" in str(p) for p in validate(raw).errors)


# --- The pre-filled form ---------------------------------------------------------------------------------------


def test_prefilled_form_carries_agreed_and_previous_scores_and_once_filled_makes_2026_final(world, tmp_path):
    label, indicative, previous = from_warehouse(world["warehouse"], 2026)
    form = tmp_path / "scoringsformulier-2026.xlsx"
    build_template(form, year=2026, label=label, indicative=indicative, previous=previous)
    workbook = load_workbook(form)
    meting = workbook["meting"]
    header = [c.value for c in meting[1]]
    row = dict(zip(header, [c.value for c in meting[2]], strict=True))
    assert (row["measurement_year"], row["label"], row["status"]) == (2026, "Meting 2026 (fictief)", "concept")
    sheet = workbook["scores"]
    header = [c.value for c in sheet[1]]
    rows = {
        (r["theme_code"], r["dynamic_code"]): r
        for r in (dict(zip(header, [c.value for c in line], strict=True)) for line in sheet.iter_rows(min_row=2))
    }
    assert len(rows) == 20
    cell = rows[(THEME, "opbouw")]
    assert cell["score"] is None and cell["justification"] in (None, "")
    assert cell["indicatief_score"] == 3
    assert cell["indicatief_spreiding"] == "2–4, mediaan 3, 9 stemmen"
    assert cell["indicatief_toelichting"].startswith("Koers: <b>3</b>, niet 4 (sessie ")
    with (DATA_RAW / "measurements" / "2025" / "scores.csv").open(encoding="utf-8", newline="") as f:
        nulmeting = {(r["theme_code"], r["dynamic_code"]): r for r in csv.DictReader(f)}
    assert cell["vorige_score"] == int(nulmeting[(THEME, "opbouw")]["score"])
    assert cell["vorige_onderbouwing"] == nulmeting[(THEME, "opbouw")]["justification"]
    assert rows[("rollen_professionals", "afbouw")]["indicatief_score"] is None

    # Half filled and still 'concept': the validator accepts it.
    raw = tmp_path / "data_raw"
    shutil.copytree(world["raw"], raw)
    year_dir = raw / "measurements" / "2026"
    shutil.rmtree(year_dir)
    year_dir.mkdir()
    score_at, justification_at = header.index("score"), header.index("justification")
    lines = list(sheet.iter_rows(min_row=2))
    lines[0][score_at].value, lines[0][justification_at].value = 4, "FICTIEF: half ingevuld."
    workbook.save(year_dir / "formulier.xlsx")
    assert not validate(raw).errors, [str(p) for p in validate(raw).errors]

    # Filled in by the experts and 'vastgesteld': the build makes 2026 final.
    for line in lines:
        line[score_at].value = line[header.index("indicatief_score")].value or line[header.index("vorige_score")].value
        line[justification_at].value = "FICTIEF: vastgesteld door de experts."
    meting.cell(row=2, column=[c.value for c in meting[1]].index("status") + 1, value="vastgesteld")
    workbook.save(year_dir / "formulier.xlsx")
    warehouse = tmp_path / "final" / "transitiemonitor.duckdb"
    result = build(raw, warehouse, votes_path=world["votes_path"])
    assert result.ok, "\n".join(result.messages)
    assert query(warehouse, "select status from dim_measurement where measurement_year = 2026") == [("vastgesteld",)]
    assert query(
        warehouse,
        "select score from fct_score where measurement_year = 2026 and theme_code = ? and dynamic_code = 'opbouw'",
        THEME,
    ) == [(3,)]
    assert query(warehouse, "select count(*) from fct_score where measurement_year = 2026") == [(20,)]


# --- The pages: indicative beside final, never in Voortgang ----------------------------------------------------


def run_page(world, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("TM_WAREHOUSE", str(world["warehouse"]))
    monkeypatch.setenv("TM_VOTES_PATH", str(world["votes_path"]))
    monkeypatch.delenv("TM_VOTES_URL", raising=False)
    return open_app_page(page, timeout=30, **params)


def test_thema_shows_the_indicative_score_beside_the_final_one(world, monkeypatch):
    at = run_page(world, monkeypatch, "thema", thema=THEME, dynamiek="opbouw")
    captions = [c.value for c in at.caption]
    line = next(c for c in captions if "Indicatief (koersteam)" in c)
    plain = line.replace("\\", "")
    assert "Meting 2026 (fictief) (2026, concept): 3 · spreiding 2–4 · 9 stemmen — Koers: <b>3</b>" in plain, line
    assert "<b>3</b>" not in line  # the note is Markdown-escaped: shown as text
    assert any(h.value.startswith("Opbouw: score ") for h in at.header)  # the final 2025 score stays the score
    assert at.selectbox(key="jaar").options == ["Nulmeting (2025)"]  # the concept is no Meetmoment


def test_overzicht_shows_the_indicative_grid_and_voortgang_ignores_the_concept(world, monkeypatch):
    at = run_page(world, monkeypatch, "overzicht")
    labels = [e.label for e in at.expander]
    assert any("Indicatief (koersteam)" in label and "concept" in label for label in labels), labels
    at = run_page(world, monkeypatch, "voortgang")
    assert "Voortgang verschijnt vanaf de tweede meting" in at.info[0].value
