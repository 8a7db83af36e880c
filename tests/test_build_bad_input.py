"""A broken raw file stops the build with a message naming file, row and column; the old warehouse stays."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.helpers import assert_refused
from warehouse.build import build

SCORES = Path("measurements/2025/scores.csv")


def _rewrite_cell(csv_path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts as a spreadsheet does (header = 1)."""
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys())
    rows[row - 2][column] = value
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("score", "7", "kolom 'score': 7 ligt buiten de schaal; toegestaan: 1, 2, 3, 4 of 5"),
        ("score", "vier", "kolom 'score': 'vier' is geen geheel getal"),
        ("score", "3.5", "kolom 'score': '3.5' is geen geheel getal"),
        ("theme_code", "flexibiliteit", "kolom 'theme_code': onbekende code 'flexibiliteit'"),
        ("dynamic_code", "lockin", "kolom 'dynamic_code': onbekende code 'lockin'"),
        ("sector_code", "vo", "kolom 'sector_code': onbekende code 'vo'"),
        ("justification", "", "kolom 'justification': verplicht veld is leeg"),
    ],
)
def test_bad_score_cell_is_named(data_raw_copy, previous_warehouse, column, value, message):
    _rewrite_cell(data_raw_copy / SCORES, 4, column, value)
    text = assert_refused(data_raw_copy, previous_warehouse, f"data_raw/{SCORES.as_posix()}, rij 4, {message}")
    if column == "theme_code":
        assert "toegestaan: digitalisering, flexibele_leerroutes" in text


def test_duplicate_score_names_both_rows(data_raw_copy, previous_warehouse):
    path = data_raw_copy / SCORES
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(rows[2])  # the score of spreadsheet row 3 again
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "rij 22: dubbele regel: measurement_year=2025, theme_code=digitalisering, "
        "dynamic_code=institutionalisering, sector_code=alle staat ook in rij 3",
    )


def test_wrong_header_lists_expected_columns(data_raw_copy, previous_warehouse):
    path = data_raw_copy / SCORES
    text = path.read_text(encoding="utf-8").replace("theme_code,", "thema,", 1)
    path.write_text(text, encoding="utf-8")
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "scores.csv, rij 1: kopregel klopt niet (ontbrekende kolommen: theme_code; onbekende kolommen: thema)",
        "verwacht: measurement_year,theme_code,dynamic_code",
    )


def test_broken_quoting_is_reported(data_raw_copy, previous_warehouse):
    path = data_raw_copy / "reference" / "dynamics.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[2].startswith("institutionalisering,") and '"Welke nieuwe principes' in lines[2]
    lines[2] = lines[2].replace('"', "", 1)  # drop the opening quote of a quoted field with commas in it
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_refused(data_raw_copy, previous_warehouse, "data_raw/reference/dynamics.csv, rij 3")


def test_unclosed_quote_is_reported(data_raw_copy, previous_warehouse):
    path = data_raw_copy / "reference" / "sectors.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'vo,5,"voortgezet onderwijs,oeps\n', encoding="utf-8")
    assert_refused(
        data_raw_copy, previous_warehouse, "data_raw/reference/sectors.csv", "controleer de aanhalingstekens"
    )


def test_non_utf8_file_is_reported(data_raw_copy, previous_warehouse):
    path = data_raw_copy / SCORES
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/{SCORES.as_posix()}: is geen UTF-8",
        "sla het bestand op als 'CSV UTF-8'",
    )


def test_missing_required_file_is_reported(data_raw_copy, previous_warehouse):
    (data_raw_copy / SCORES).unlink()
    assert_refused(data_raw_copy, previous_warehouse, "scores.csv: verplicht bestand ontbreekt")


def test_year_must_match_its_folder(data_raw_copy, previous_warehouse):
    _rewrite_cell(data_raw_copy / SCORES, 2, "measurement_year", "2026")
    assert_refused(data_raw_copy, previous_warehouse, "rij 2, kolom 'measurement_year': 2026 hoort niet in de map 2025")


def test_incomplete_sector_wide_grid_is_refused(data_raw_copy, previous_warehouse):
    path = data_raw_copy / SCORES
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    kept = [r for r in rows if not (r[1] == "digitalisering" and r[2] == "lock_in")]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(kept)
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "kolom 'sector_code': de sectorbrede scores (sector_code alle) zijn onvolledig: 1 van de 20 ontbreken "
        "(digitalisering × lock_in)",
    )


def test_dbt_test_failure_also_keeps_previous_warehouse(data_raw_copy, previous_warehouse):
    """A file that passes validation but breaks a report rule fails in dbt: here a per-sector variation
    statement that no longer adds up to its paragraph."""
    path = data_raw_copy / "measurements" / "2025" / "evidence.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    statement = next(r for r in rows if r["evidence_kind"] == "variatie_sector")
    statement["text"] += " Een zin die niet in het rapport staat."
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "dbt build faalde",
        "assert_sector_statements_cover_their_variation",
    )
    con = duckdb.connect(str(previous_warehouse), read_only=True)
    assert con.sql("select what from marker").fetchall()[0] == ("vorige bouw",)
    con.close()


def test_successful_build_replaces_previous_warehouse(data_raw_copy, previous_warehouse):
    result = build(data_raw_copy, previous_warehouse)
    assert result.ok, result.messages
    con = duckdb.connect(str(previous_warehouse), read_only=True)
    assert con.sql("select count(*) from fct_score").fetchall()[0] == (20,)
    tables = {r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()}
    con.close()
    assert "marker" not in tables
