"""Real files from real programs, rules checked before dbt, and a warehouse that works wherever it is copied.

CSVs as Dutch Excel saves them, spreadsheets the build cannot read, Excel's dates and formulas, the nulmeting as
data, dbt's failures in Dutch, the copied warehouse, and a thousand pieces of evidence in one cell.
"""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from tests.helpers import assert_refused, rewrite_csv
from tests.test_measurements import FIXTURES, fill_form

# The row a row appended to the thesaurus gets in a message (the header is row 1): the file grows as it is curated.
with (Path(__file__).resolve().parent.parent / "data_raw" / "reference" / "thesaurus.csv").open(encoding="utf-8") as f:
    THESAURUS_APPENDED_ROW = len(list(csv.reader(f))) + 1
from warehouse.build import DBT_PROJECT, build
from warehouse.raw import validate

SCORES = Path("measurements/2025/scores.csv")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]], separator: str, encoding: str, crlf: bool, bom: bool) -> None:
    text = "".join(
        separator.join('"' + v.replace('"', '""') + '"' if any(c in v for c in f'"{separator}\n') else v for v in r)
        + ("\r\n" if crlf else "\n")
        for r in rows
    )
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))


def _scores(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.sql("select score_id, score, justification, provenance from fct_score order by score_id").fetchall()
    con.close()
    return rows


# --- CSV from Dutch Excel --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "encoding", "crlf", "bom", "described"),
    [
        (
            ";",
            "cp1252",
            True,
            True,
            "scheidingsteken puntkomma (';'), codering Windows-1252 met BOM, Windows-regeleinden",
        ),
        (";", "utf-8", True, True, "scheidingsteken puntkomma (';'), codering UTF-8 met BOM, Windows-regeleinden"),
        (",", "cp1252", False, False, "scheidingsteken komma (','), codering Windows-1252"),
    ],
    ids=["puntkomma-cp1252-crlf-bom", "puntkomma-utf8-bom", "komma-cp1252"],
)
def test_csv_from_dutch_excel_builds_the_same_scores(
    data_raw_copy, tmp_path, warehouse_path, separator, encoding, crlf, bom, described
):
    path = data_raw_copy / SCORES
    _write(path, _rows(path), separator, encoding, crlf, bom)
    built = tmp_path / "wh.duckdb"
    result = build(data_raw_copy, built)
    assert result.ok, result.messages
    assert f"Ter info: data_raw/{SCORES.as_posix()}: gelezen met {described}" in result.messages
    assert _scores(built) == _scores(warehouse_path)  # accents, quotes and paragraphs came through unchanged


def test_plain_csv_gets_no_note(data_raw_copy):
    assert not validate(data_raw_copy).notes


def test_header_with_another_separator_says_so(data_raw_copy, previous_warehouse):
    path = data_raw_copy / SCORES
    _write(path, _rows(path), "\t", "utf-8", False, False)
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "scores.csv, rij 1: kopregel klopt niet",
        "de kopregel lijkt gescheiden door een tab ('\t'), gelezen is met een komma (','): scheid de kolommen met "
        "komma's of puntkomma's",
    )


def test_bom_and_a_bad_byte_name_the_right_line(data_raw_copy, previous_warehouse):
    """The BOM is not counted as text: the byte and its line are the ones an editor shows."""
    path = data_raw_copy / SCORES
    text = path.read_text(encoding="utf-8")
    line_no, line = next((n, ln) for n, ln in enumerate(text.split("\n"), start=1) if "é" in ln)
    column = line.index("é") + 1
    broken = text.replace("é", "\x00", 1).encode("utf-8").replace(b"\x00", b"\xe9")
    path.write_bytes(b"\xef\xbb\xbf" + broken)
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"is geen geldige UTF-8: byte 0xe9 op regel {line_no}, teken {column} (na ",
        "de rest van het bestand is UTF-8 (het begint met een UTF-8-kenmerk, BOM), deze byte niet",
    )


@pytest.mark.parametrize(
    ("name", "what"), [("scores.xls", "een oud Excel-bestand (.xls)"), ("meting.ods", "een OpenDocument-spreadsheet")]
)
def test_other_spreadsheets_get_the_xlsx_advice(data_raw_copy, previous_warehouse, name, what):
    folder = data_raw_copy / "measurements" / "2026"
    folder.mkdir()
    (folder / name).write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/measurements/2026/{name}: is {what}",
        "de bouw leest alleen Excel-werkmappen (.xlsx) en CSV",
        "'Excel-werkmap (*.xlsx)'",
    )
    assert "verplicht bestand ontbreekt" not in text  # the spreadsheet is the measurement; one message says it


# --- Excel's dates and formulas ----------------------------------------------------------------------------


def test_form_with_excel_dates_is_accepted(data_raw_copy, tmp_path):
    """Typing 2027-03 in the month cell makes Excel store a date; dates arrive as datetimes."""
    path = fill_form(data_raw_copy / "measurements" / "2027" / "form.xlsx", 2027, {})
    workbook = load_workbook(path)
    sheet = workbook["meting"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("report_date") + 1, value=datetime(2027, 3, 1))
    sheet.cell(row=2, column=header.index("fieldwork_start") + 1, value=datetime(2026, 10, 1, 0, 0))
    workbook.save(path)
    built = tmp_path / "wh.duckdb"
    result = build(data_raw_copy, built)
    assert result.ok, result.messages
    con = duckdb.connect(str(built), read_only=True)
    row = con.sql("select report_month, fieldwork_start from dim_measurement where measurement_year = 2027").fetchall()
    con.close()
    assert row == [("2027-03", datetime(2026, 10, 1).date())]


def test_formula_without_stored_value_has_its_own_message(data_raw_copy, previous_warehouse):
    path = fill_form(data_raw_copy / "measurements" / "2026" / "form.xlsx", 2026, {})
    workbook = load_workbook(path)
    workbook["scores"]["E3"] = "=2+1"  # openpyxl, like many programs, stores no result for a formula
    workbook.save(path)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "form.xlsx, blad 'scores', rij 3, kolom 'score': formule zonder opgeslagen waarde (=2+1): open het bestand "
        "in Excel en sla het opnieuw op",
    )
    assert "verplicht veld is leeg" not in text


# --- The nulmeting is stated in data ---------------------------------------------------------------------


def _add_year(data_raw: Path, year: str) -> None:
    target = data_raw / "measurements" / year
    shutil.copytree(FIXTURES / "2026", target)
    for name in ("measurement.csv", "scores.csv"):
        path = target / name
        path.write_text(path.read_text(encoding="utf-8").replace("2026", year), encoding="utf-8")


def test_measurement_before_the_nulmeting_is_refused(data_raw_copy, previous_warehouse):
    _add_year(data_raw_copy, "2024")
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2024: meting 2024 ligt vóór de nulmeting (2025, vastgelegd in "
        "data_raw/reference/baseline.csv); elke meting komt na de nulmeting",
    )


def test_baseline_must_name_an_existing_measurement(data_raw_copy, previous_warehouse):
    (data_raw_copy / "reference" / "baseline.csv").write_text(
        "measurement_year,provenance,source_line\n2030,test,\n", encoding="utf-8"
    )
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/reference/baseline.csv, rij 2, kolom 'measurement_year': er is geen meting 2030",
    )


def test_exactly_one_baseline(data_raw_copy, previous_warehouse):
    (data_raw_copy / "reference" / "baseline.csv").write_text(
        "measurement_year,provenance,source_line\n2025,test,\n2026,test,\n", encoding="utf-8"
    )
    _add_year(data_raw_copy, "2026")
    assert_refused(data_raw_copy, previous_warehouse, "baseline.csv: heeft 2 regels; er is precies één nulmeting")


def test_the_baseline_is_marked_from_data(warehouse):
    assert warehouse.sql("select measurement_year from dim_measurement where is_baseline").fetchall() == [(2025,)]


# --- Rules that dbt tests too are caught first, by file, row and column ----------------------------------


def _set(row_index: int, column: str, value: str):
    def change(rows):
        rows[row_index][column] = value
        return rows

    return change


def _append_copy(row_index: int, **changes):
    def change(rows):
        return [*rows, {**rows[row_index], **changes}]

    return change


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "reference/dynamics.csv",
            _set(2, "higher_is_better", "true"),
            "dynamics.csv, rij 4, kolom 'higher_is_better': moet false zijn: alleen bij lock-in",
        ),
        (
            "reference/themes.csv",
            _set(1, "sort_order", "1"),
            "themes.csv, rij 3, kolom 'sort_order': '1' staat ook in rij 2",
        ),
        (
            "reference/institutions.csv",
            _append_copy(0, institution_code="nieuwe_instelling"),
            "kolom 'institution_code': 'nieuwe_instelling' heeft geen schrijfwijze in institution_aliases.csv",
        ),
        (
            "reference/rubric_descriptors.csv",
            lambda rows: [r for r in rows if not (r["dynamic_code"] == "afbouw" and r["level"] == "3")],
            "rubric_descriptors.csv, kolom 'level': de scoringstabel beschrijft voor afbouw niveau 3 niet",
        ),
        (
            "reference/sectors.csv",
            _append_copy(0, sector_code="vo", sort_order="9"),
            "kolom 'sector_code': 'vo' is niet toegestaan",
        ),
        (
            "measurements/2025/evidence.csv",
            _set(0, "dynamic_code", "lockin"),
            "evidence.csv, rij 2, kolom 'dynamic_code': onbekende code 'lockin'",
        ),
        (
            "measurements/2025/evidence.csv",
            lambda rows: [*rows, {**rows[0], "seq": "0" + rows[0]["seq"]}],
            "dubbele regel: measurement_year=2025, evidence_kind=samenvatting_dynamiek",
        ),
        (
            "measurements/2025/session_examples.csv",
            _set(0, "finding_seq", "99"),
            "session_examples.csv, rij 2, kolom 'finding_seq': er is geen bevinding 99 bij sessie",
        ),
        (
            "measurements/2025/session_themes.csv",
            lambda rows: [r for r in rows if r["session_code"] != "lerende_cultuur"],
            "sessions.csv, rij 4, kolom 'session_code': sessie 'lerende_cultuur' voedt geen enkel thema",
        ),
        (
            "measurements/2025/scores.csv",
            _append_copy(0, sector_code="mbo"),
            "scores.csv, rij 22, kolom 'sector_code': de nulmeting heeft alleen sectorbrede scores",
        ),
        (
            "measurements/2025/measurement.csv",
            lambda rows: [],
            "measurement.csv: bevat geen meting; vul één regel in met jaar en naam",
        ),
        (
            "reference/thesaurus.csv",
            _append_copy(0, concept="kunstmatige_intelligentie_typo", term="KI"),
            f"thesaurus.csv, rij {THESAURUS_APPENDED_ROW}, kolom 'concept': 'kunstmatige_intelligentie_typo' heeft "
            "maar één term",
        ),
        (
            "measurements/2025/evidence_sectors.csv",
            _set(0, "sector_codes", "mbo;vmbo"),
            "evidence_sectors.csv, rij 2, kolom 'sector_codes': onbekende code 'vmbo'",
        ),
    ],
    ids=[
        "polariteit",
        "dubbele-volgorde",
        "instelling-zonder-schrijfwijze",
        "scoringstabel-gat",
        "onbekende-sector",
        "bewijs-onbekende-dynamiek",
        "seq-01-is-1",
        "voorbeeld-zonder-bevinding",
        "sessie-zonder-thema",
        "sectorscore-in-nulmeting",
        "meting-zonder-regel",
        "thesaurus-begrip-met-een-term",
        "nagekeken-sector-onbekend",
    ],
)
def test_rules_dbt_also_tests_are_named_first(data_raw_copy, previous_warehouse, file, change, expected):
    rewrite_csv(data_raw_copy / file, change)
    text = assert_refused(data_raw_copy, previous_warehouse, expected)
    assert "dbt" not in text


def test_nulmeting_score_without_evidence_is_named(data_raw_copy, previous_warehouse):
    """§4.3 Afbouw has no examples or variation: its evidence is the sessions' findings. Without them, every
    afbouw score of the nulmeting lacks evidence."""
    for name in ("session_findings.csv", "session_examples.csv"):
        (data_raw_copy / "measurements" / "2025" / name).unlink()
    assert_refused(
        data_raw_copy,
        previous_warehouse,
        "× afbouw heeft geen voorbeeld, variatie of sessiebevinding; voeg het toe in evidence.csv",
    )


def test_dbt_failure_is_explained_with_the_rows_involved(data_raw_copy, previous_warehouse, tmp_path):
    """A rule only dbt checks (here a test added to a copy of the project) fails in Dutch, naming the rows and
    where in data_raw/ they stand; never only dbt's 'Got 4 results, configured to fail if != 0'."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    (project / "tests" / "assert_no_lock_in_above_three.sql").write_text(
        "select measurement_year, theme_code, dynamic_code, sector_code, score\n"
        "from {{ ref('fct_score') }} where dynamic_code = 'lock_in' and score > 3\n",
        encoding="utf-8",
    )
    scores = _rows(data_raw_copy / SCORES)
    high = [(n, r) for n, r in enumerate(scores, start=1) if r[2] == "lock_in" and int(r[4]) > 3]
    row_no, first = high[0]
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "Bouw afgebroken: dbt build faalde",
        f"Controle 'assert_no_lock_in_above_three' faalde: de controle in "
        f"dbt_project/tests/assert_no_lock_in_above_three.sql ({len(high)} afwijkende rij(en)).",
        f"  - measurement_year=2025, theme_code={first[1]}, dynamic_code=lock_in, sector_code=alle, score={first[4]}"
        f" → data_raw/{SCORES.as_posix()}, rij {row_no}",
        dbt_project=project,
    )
    assert "Got " not in text


# --- A warehouse that works wherever it is copied ----------------------------------------------------------


MARTS = {
    "bridge_evidence_institution",
    "bridge_evidence_sector",
    "bridge_evidence_theme",
    "bridge_session_theme",
    "dim_dynamic",
    "dim_evidence_kind",
    "dim_institution",
    "dim_measurement",
    "dim_method_text",
    "dim_rubric_level",
    "dim_sector",
    "dim_session",
    "dim_source",
    "dim_theme",
    "fct_evidence",
    "fct_score",
    "fct_score_change",
}
# From the vote store (issue #10): empty when there is none, as here.
VOTE_MARTS = {"dim_scoring_session", "fct_rating", "fct_session_cell"}
# The search's own tables, apart from the analytic marts (issue #19).
SEARCH_TABLES = {"document", "evidence", "thesaurus", "vocabulary", "index_build"}


def test_copied_warehouse_works_without_data_raw(warehouse_path, tmp_path):
    # The session's build: dbt read a scratch copy of data_raw/ that the build deleted when it finished, so the
    # copy below has no raw files to lean on; external access off makes any file read fail loudly.
    elsewhere = tmp_path / "server" / "transitiemonitor.duckdb"
    elsewhere.parent.mkdir()
    shutil.copyfile(warehouse_path, elsewhere)

    con = duckdb.connect(str(elsewhere), read_only=True, config={"enable_external_access": False})
    relations = con.sql(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        "union all select schema_name, view_name from duckdb_views() where database_name = current_database() "
        "and not internal"
    ).fetchall()
    assert {schema for schema, _ in relations} == {"main", "search"}  # staging, intermediate, the seed dropped
    assert {name for schema, name in relations if schema == "main"} == MARTS | VOTE_MARTS
    assert {name for schema, name in relations if schema == "search"} == SEARCH_TABLES
    for schema, name in relations:
        if name in VOTE_MARTS:
            continue
        assert con.sql(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0] > 0, name
    comment = con.sql("select comment from duckdb_tables() where table_name = 'fct_score'").fetchall()[0][0]
    assert comment.startswith("One row per measurement_year")  # the dbt descriptions stay for the SQL page
    con.close()


# --- Evidence ids never collide ------------------------------------------------------------------------------


def test_a_thousand_pieces_of_evidence_in_one_cell(data_raw_copy, tmp_path, warehouse):
    path = data_raw_copy / "measurements" / "2025" / "evidence.csv"
    rows = _rows(path)
    header = rows[0]
    cell = [r for r in rows[1:] if r[1] == "voorbeeld" and r[2] == "digitalisering" and r[3] == "opbouw"]
    template = dict(zip(header, cell[0], strict=True))
    extra = [
        [
            {**template, "seq": str(seq), "heading": "", "text": f"FICTIEF testvoorbeeld {seq}", "source_line": ""}[h]
            for h in header
        ]
        for seq in range(len(cell) + 1, 1001)
    ]
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(extra)
    built = tmp_path / "wh.duckdb"
    result = build(data_raw_copy, built)
    assert result.ok, result.messages
    con = duckdb.connect(str(built), read_only=True)
    ids = [
        r[0]
        for r in con.sql(
            "select evidence_id from fct_evidence where evidence_kind = 'voorbeeld' "
            "and theme_code = 'digitalisering' and dynamic_code = 'opbouw'"
        ).fetchall()
    ]
    before = {r[0] for r in warehouse.sql("select evidence_id from fct_evidence").fetchall()}
    after = {r[0] for r in con.sql("select evidence_id from fct_evidence").fetchall()}
    con.close()
    assert len(ids) == len(set(ids)) == 1000
    prefix = "2025-voorbeeld-digitalisering-opbouw-"
    assert {prefix + "01", prefix + "99", prefix + "100", prefix + "123", prefix + "1000"} <= set(ids)
    assert before <= after  # every id of the nulmeting is unchanged
