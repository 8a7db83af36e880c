"""A broken raw file stops the build with a message naming file, row and column; the old warehouse stays."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.helpers import assert_refused, rewrite_csv
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


def test_utf8_file_with_a_stray_windows_byte_is_reported(data_raw_copy, previous_warehouse):
    """A UTF-8 file with one Windows-1252 byte pasted in is not read as Windows-1252 (that would garble every
    other accent): the byte is named by line and position."""
    path = data_raw_copy / SCORES
    raw = path.read_bytes()
    at = raw.index("ë".encode())  # the first ë in the file, in UTF-8
    path.write_bytes(raw[:at] + "ë".encode("cp1252") + raw[at + 2 :])
    line = raw[:at].count(b"\n") + 1
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/{SCORES.as_posix()}: is geen geldige UTF-8: byte 0xeb op regel {line}, teken",
        "de rest van het bestand is UTF-8, deze byte niet",
        "'CSV UTF-8 (door komma's gescheiden)'",
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


def _rewrite_evidence(data_raw: Path, change) -> list[dict[str, str]]:
    return rewrite_csv(data_raw / "measurements" / "2025" / "evidence.csv", change)


def test_sector_statements_that_do_not_add_up_are_named(data_raw_copy, previous_warehouse):
    """A rule dbt also tests (assert_sector_statements_cover_their_variation) is caught first, by row."""

    def add_a_sentence(rows):
        next(r for r in rows if r["evidence_kind"] == "variatie_sector")["text"] += " Een zin die er niet staat."
        return rows

    rows = _rewrite_evidence(data_raw_copy, add_a_sentence)
    first = next(i for i, r in enumerate(rows) if r["evidence_kind"] == "variatie_sector") + 2
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"evidence.csv, rij {first}, kolom 'text': de uitspraken per sector (variatie_sector, rijen {first}, ",
        "geven samen niet precies de variatie-alinea van rij",
        "Verdeel de alinea letterlijk over de uitspraken",
    )
    assert "dbt" not in text
    con = duckdb.connect(str(previous_warehouse), read_only=True)
    assert con.sql("select what from marker").fetchall()[0] == ("vorige bouw",)
    con.close()


def test_sector_statements_without_their_variation_row_are_named(data_raw_copy, previous_warehouse):
    def drop_one_variation(rows):
        cell = next((r["theme_code"], r["dynamic_code"]) for r in rows if r["evidence_kind"] == "variatie_sector")
        return [
            r for r in rows if not (r["evidence_kind"] == "variatie" and (r["theme_code"], r["dynamic_code"]) == cell)
        ]

    _rewrite_evidence(data_raw_copy, drop_one_variation)
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "kolom 'evidence_kind': uitspraken per sector (variatie_sector, rijen",
        "zonder hun variatie-regel: er is geen regel met evidence_kind 'variatie' voor",
    )


def test_successful_build_replaces_previous_warehouse(data_raw_copy, previous_warehouse):
    result = build(data_raw_copy, previous_warehouse)
    assert result.ok, result.messages
    con = duckdb.connect(str(previous_warehouse), read_only=True)
    assert con.sql("select count(*) from fct_score").fetchall()[0] == (20,)
    tables = {r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()}
    con.close()
    assert "marker" not in tables


def test_a_fault_in_the_check_itself_is_one_dutch_sentence(data_raw_copy, previous_warehouse, monkeypatch, caplog):
    """The check is fuzzed never to raise; should it still, the person building reads Dutch, the log the trace."""

    def broken(data_raw):
        raise KeyError("internal detail")

    monkeypatch.setattr("warehouse.build.validate", broken)
    text = assert_refused(
        data_raw_copy, previous_warehouse, "Bouw afgebroken: de controle van data_raw/ liep vast op een fout"
    )
    assert "internal detail" not in text and "KeyError" not in text
    assert "internal detail" in caplog.text  # the maintainer finds it in the log
