"""New measurements land without code changes: CSV or the Excel form, validation, progress, rebuild while read."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.helpers import assert_refused, copy_warehouse
from warehouse.build import DATA_RAW, build
from warehouse.template import TEMPLATE, build_template

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "measurements"
APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"


def nulmeting_scores() -> dict[tuple[str, str], str]:
    with (DATA_RAW / "measurements" / "2025" / "scores.csv").open(encoding="utf-8", newline="") as f:
        return {(r["theme_code"], r["dynamic_code"]): r["score"] for r in csv.DictReader(f)}


def fill_form(path: Path, year: int | None, changes: dict[tuple[str, str], object]) -> Path:
    """Fill the shipped template as a programme manager would: the meting row and every score."""
    workbook = load_workbook(TEMPLATE)
    meting = workbook["meting"]
    meting.append([year, f"Meting {year or ''} (fictief, Excel)".replace("  ", " ")])
    scores = workbook["scores"]
    base = nulmeting_scores()
    for row in scores.iter_rows(min_row=2):
        key = (row[1].value, row[2].value)
        value = changes.get(key, base[key])
        row[4].value = int(value) if isinstance(value, str) and value.isdigit() else value
        row[5].value = f"FICTIEF: onderbouwing via het formulier voor {key[0]} × {key[1]}."
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def multi_year_raw(tmp_path_factory) -> Path:
    """The real data_raw/ plus fictional 2026 and 2028 (CSV) and 2027 (the Excel form)."""
    raw = tmp_path_factory.mktemp("multi") / "data_raw"
    shutil.copytree(DATA_RAW, raw)
    for year in ("2026", "2028"):
        shutil.copytree(FIXTURES / year, raw / "measurements" / year)
    fill_form(raw / "measurements" / "2027" / "formulier 2027.xlsx", None, {("digitalisering", "lock_in"): 3})
    return raw


@pytest.fixture(scope="module")
def multi_year_warehouse(multi_year_raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("multi_wh") / "transitiemonitor.duckdb"
    result = build(multi_year_raw, path)
    assert result.ok, result.messages
    return path, result


def test_template_has_the_contract_and_drop_downs():
    workbook = load_workbook(TEMPLATE)
    assert {"uitleg", "meting", "scores", "bewijs"} <= set(workbook.sheetnames)
    assert [c.value for c in workbook["scores"][1]] == [
        "measurement_year",
        "theme_code",
        "dynamic_code",
        "sector_code",
        "score",
        "justification",
        "provenance",
        "source_line",
    ]
    assert workbook["scores"].max_row == 21  # header + the 20 sector-wide cells, ready to fill
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in workbook["scores"].data_validations.dataValidation}
    assert set(lists) == {"B2", "C2", "D2", "E2"}


def test_template_is_up_to_date(tmp_path):
    """The committed form matches what `make template` writes from the reference codes."""
    fresh = load_workbook(build_template(tmp_path / "form.xlsx"))
    shipped = load_workbook(TEMPLATE)
    for sheet in ("meting", "scores", "bewijs", "codes"):
        assert [[c.value for c in r] for r in fresh[sheet].iter_rows()] == [
            [c.value for c in r] for r in shipped[sheet].iter_rows()
        ]


def test_new_years_are_discovered_from_csv_and_excel(multi_year_warehouse):
    path, result = multi_year_warehouse
    con = duckdb.connect(str(path), read_only=True)
    years = con.sql("select measurement_year, label, is_baseline from dim_measurement order by 1").fetchall()
    assert [y[0] for y in years] == [2025, 2026, 2027, 2028]
    assert years[0][2] is True and years[2][1] == "Meting (fictief, Excel)"
    assert con.sql("select count(*) from fct_score where measurement_year = 2027").fetchall()[0] == (20,)
    mbo = con.sql("select count(*) from fct_score where measurement_year = 2026 and sector_code = 'mbo'").fetchall()
    assert mbo[0] == (4,)
    con.close()
    # The incomplete wo set is accepted with a warning that says what it means.
    assert any("Waarschuwing" in m and "wo: 1 van de 20 cellen gescoord" in m for m in result.messages)


def test_changes_follow_each_dynamics_polarity(multi_year_warehouse):
    path, _ = multi_year_warehouse
    con = duckdb.connect(str(path), read_only=True)
    rows = con.sql(
        """select measurement_year, theme_code, dynamic_code, previous_score, score, change_since_previous,
                  meaning_since_previous, change_since_baseline, meaning_since_baseline
           from fct_score_change where sector_code = 'alle' and change_since_previous != 0 order by all"""
    ).fetchall()
    con.close()
    moved = {(r[0], r[1], r[2]): r[3:] for r in rows}
    assert moved[(2026, "digitalisering", "lock_in")] == (4, 3, -1, "vooruitgang", -1, "vooruitgang")
    assert moved[(2026, "digitalisering", "institutionalisering")] == (3, 4, 1, "vooruitgang", 1, "vooruitgang")
    assert moved[(2026, "flexibele_leerroutes", "afbouw")] == (3, 2, -1, "achteruitgang", -1, "achteruitgang")
    assert moved[(2028, "leren_met_maatschappij", "lock_in")] == (4, 5, 1, "achteruitgang", 1, "achteruitgang")
    assert moved[(2028, "digitalisering", "lock_in")] == (3, 2, -1, "vooruitgang", -2, "vooruitgang")


# --- Broken forms and files ------------------------------------------------------------------------------


@pytest.fixture
def raw_with_form(tmp_path) -> Path:
    raw = tmp_path / "data_raw"
    shutil.copytree(DATA_RAW, raw)
    return raw


def test_form_score_seven_names_sheet_row_and_column(raw_with_form, previous_warehouse):
    fill_form(raw_with_form / "measurements" / "2026" / "form.xlsx", 2026, {("flexibele_leerroutes", "lock_in"): 7})
    assert_refused(
        raw_with_form,
        previous_warehouse,
        "data_raw/measurements/2026/form.xlsx, blad 'scores', rij 8, kolom 'score': 7 ligt buiten de schaal; "
        "toegestaan: 1, 2, 3, 4 of 5",
    )


def test_form_wrong_code_is_named(raw_with_form, previous_warehouse):
    path = fill_form(raw_with_form / "measurements" / "2026" / "form.xlsx", 2026, {})
    workbook = load_workbook(path)
    workbook["scores"]["B3"] = "digitaal"
    workbook.save(path)
    assert_refused(
        raw_with_form, previous_warehouse, "blad 'scores', rij 3, kolom 'theme_code': onbekende code 'digitaal'"
    )


def test_form_duplicated_cell_is_named(raw_with_form, previous_warehouse):
    path = fill_form(raw_with_form / "measurements" / "2026" / "form.xlsx", 2026, {})
    workbook = load_workbook(path)
    workbook["scores"].append([2026, "digitalisering", "opbouw", "alle", 2, "Nog een keer."])
    workbook.save(path)
    assert_refused(raw_with_form, previous_warehouse, "blad 'scores', rij 22: dubbele regel", "staat ook in rij 2")


def test_form_missing_sheet_is_named(raw_with_form, previous_warehouse):
    path = fill_form(raw_with_form / "measurements" / "2026" / "form.xlsx", 2026, {})
    workbook = load_workbook(path)
    del workbook["scores"]
    workbook.save(path)
    assert_refused(raw_with_form, previous_warehouse, "form.xlsx, blad 'scores': verplicht blad ontbreekt")


def test_existing_year_is_not_silently_overwritten(raw_with_form, previous_warehouse):
    fill_form(raw_with_form / "measurements" / "2025" / "form.xlsx", 2025, {})
    assert_refused(raw_with_form, previous_warehouse, "meting 2025 staat er meer dan één keer in", "form.xlsx")


def test_form_year_must_match_its_folder(raw_with_form, previous_warehouse):
    fill_form(raw_with_form / "measurements" / "2026" / "form.xlsx", 2025, {})
    assert_refused(
        raw_with_form,
        previous_warehouse,
        "blad 'meting', rij 2, kolom 'measurement_year': 2025 hoort niet in de map 2026",
    )


def test_not_a_workbook_is_named(raw_with_form, previous_warehouse):
    target = raw_with_form / "measurements" / "2026"
    target.mkdir()
    (target / "form.xlsx").write_text("dit is geen Excel", encoding="utf-8")
    assert_refused(raw_with_form, previous_warehouse, "form.xlsx: is geen leesbaar Excel-bestand")


# --- The Voortgang page and a rebuild while someone reads --------------------------------------------------


def open_voortgang(warehouse: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(params)
    at.run()
    at.switch_page("views/voortgang.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_voortgang_with_one_measurement_shows_the_baseline(warehouse_path, monkeypatch):
    at = open_voortgang(warehouse_path, monkeypatch)
    assert "Voortgang verschijnt vanaf de tweede meting" in at.info[0].value
    table = next(h.proto.body for h in at.get("html") if "De basis: scores per thema (2025)" in h.proto.body)
    assert table.count("<tr>") == 1 + 5  # the header and a row per theme
    assert table.count('<th scope="col"') == 5  # Thema and the four dynamics
    con = duckdb.connect(str(warehouse_path), read_only=True)
    scores = con.execute(
        "select score from fct_score join dim_dynamic using (dynamic_code) where measurement_year = 2025 "
        "and sector_code = 'alle' and theme_code = 'flexibele_leerroutes' order by sort_order"
    ).fetchall()
    con.close()
    row = "".join(f"<td>{score}</td>" for (score,) in scores)
    assert f'<th scope="row">Flexibele leerroutes</th>{row}</tr>' in table


def test_voortgang_shows_deltas_and_their_meaning(multi_year_warehouse, monkeypatch):
    path, _ = multi_year_warehouse
    at = open_voortgang(path, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vooruitgang sinds 2025"] == "3"  # digitalisering inst. 3→5 and lock-in 4→2, student afbouw 1→2
    assert metrics["Achteruitgang sinds 2025"] == "1"  # leren met de maatschappij lock-in 4→5
    changes = at.dataframe[0].value
    row = changes[(changes["Meting"] == 2026) & (changes["Dynamiek"] == "Lock-in")].iloc[0]
    assert (row["Vorige score"], row["Score"], row["Verschil"], row["Betekenis"]) == (4, 3, "-1", "▲ vooruitgang")
    row = changes[
        (changes["Meting"] == 2026) & (changes["Thema"] == "Flexibele leerroutes") & (changes["Dynamiek"] == "Afbouw")
    ].iloc[0]
    assert (row["Verschil"], row["Betekenis"]) == ("-1", "▼ achteruitgang")
    # The progress lines as an SVG image (no plotly), a table one click away, and PNG and SVG downloads of their
    # own, then the radar's.
    assert any('alt="Scores over de jaren. ' in h.proto.body for h in at.get("html"))
    assert at.segmented_control(key="lijnen").options == ["Grafiek", "Tabel"]
    buttons = list(at.get("download_button"))
    assert [b.proto.label for b in buttons][:4] == ["Download PNG", "Download SVG"] * 2
    assert "lijnen-png" in buttons[0].proto.id and "radar-png" in buttons[2].proto.id
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)  # made only when clicked
    at.segmented_control(key="lijnen").set_value("tabel").run()
    lines = next(d.value for d in at.dataframe if "Dynamiek" in d.value.columns and "Meting" not in d.value.columns)
    assert list(lines.columns[:3]) == ["Thema", "Dynamiek", "Nulmeting (2025)"]
    titles = [e.label for e in at.expander]
    assert "Digitalisering ondersteunt waardevolle leerervaringen · Lock-in: 3 → 2 (▲ vooruitgang)" in titles


def test_voortgang_sector_scope(multi_year_warehouse, monkeypatch):
    path, _ = multi_year_warehouse
    sector_wide = open_voortgang(path, monkeypatch)
    hbo = open_voortgang(path, monkeypatch, sector="hbo")
    assert "nog geen eigen scores voor het hbo: u ziet de sectorbrede voortgang" in hbo.info[0].value
    assert {m.label: m.value for m in hbo.metric} == {m.label: m.value for m in sector_wide.metric}
    assert (hbo.dataframe[0].value["Score van"] == "sectorbreed").all()


def test_voortgang_per_sector_marks_its_own_scores(multi_year_warehouse, monkeypatch):
    """mbo was scored on its own once (2026, four cells): its progress is the whole series, never 'one measurement'."""
    path, _ = multi_year_warehouse
    con = duckdb.connect(str(path), read_only=True)
    nulmeting = con.execute(
        "select score from fct_score where measurement_year = 2025 and sector_code = 'alle' "
        "and theme_code = 'flexibele_leerroutes' and dynamic_code = 'opbouw'"
    ).fetchone()[0]
    con.close()
    mbo = open_voortgang(path, monkeypatch, sector="mbo", thema="flexibele_leerroutes")
    assert not any("Voortgang verschijnt vanaf de tweede meting" in i.value for i in mbo.info)
    assert "de eigen mbo-scores waar een meting die geeft (4 scores, gemarkeerd met ◆)" in mbo.info[0].value
    assert len(mbo.metric) == 3
    changes = mbo.dataframe[0].value
    assert sorted(changes["Meting"].unique()) == [2026, 2027, 2028]
    row = changes[(changes["Meting"] == 2026) & (changes["Dynamiek"] == "Opbouw")].iloc[0]
    assert (row["Vorige score"], row["Score"], row["Score van"]) == (nulmeting, 4, "◆ eigen mbo-score")
    assert row["Verschil"] == f"{4 - nulmeting:+d}".replace("+0", "0")
    later = changes[(changes["Meting"] == 2027) & (changes["Dynamiek"] == "Opbouw")].iloc[0]
    assert (later["Vorige score"], later["Score van"]) == (4, "sectorbreed")  # compared with mbo's own 4
    assert (later["Score"], later["Betekenis"]) == (3, "▼ achteruitgang")
    assert "vergelijkt de verandering een eigen mbo-score met een sectorbrede" in " ".join(c.value for c in mbo.caption)


def test_rebuild_while_a_session_reads_on(multi_year_raw, warehouse_path, tmp_path, monkeypatch):
    served = copy_warehouse(warehouse_path, tmp_path / "served.duckdb")  # what users read: the nulmeting only
    monkeypatch.setenv("TM_WAREHOUSE", str(served))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert [o for o in at.selectbox(key="jaar").options] == ["Nulmeting (2025)"]

    # A build while the app holds the file open: it writes a new file and swaps it in, no lock error.
    result = build(multi_year_raw, served)
    assert result.ok, result.messages

    at.segmented_control(key="sector").set_value("mbo").run()  # the same session clicks on
    assert not at.exception
    assert len(at.selectbox(key="jaar").options) == 4


def test_partial_sector_scores_fill_in_with_sector_wide_ones(multi_year_warehouse, monkeypatch):
    path, _ = multi_year_warehouse
    monkeypatch.setenv("TM_WAREHOUSE", str(path))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update({"jaar": "2026", "sector": "mbo"})
    at.run()
    assert not at.exception
    assert "geeft voor het mbo 4 eigen scores (gemarkeerd met ◆); de andere 16 zijn sectorbreed" in at.info[0].value
    grid = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert grid.count("<sup>◆</sup>") == 4
    assert "Flexibele leerroutes, Opbouw: score 4 (eigen mbo-score)" in grid  # the mbo score, not the sector-wide 3
    at.query_params.update({"thema": "flexibele_leerroutes"})
    at.switch_page("views/thema.py").run()
    assert any(h.value == "Opbouw: score 4 (eigen mbo-score)" for h in at.header)
