"""The filled-in scoring form (.xlsx): its sheets read as the CSV files they stand for."""

from __future__ import annotations

from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path

from warehouse.raw.contract import (
    FORM_REFERENCE_COLUMNS,
    MEASUREMENT_FILES,
    MONTH,
    REQUIRED_SHEETS,
    WORKBOOK_SHEETS,
)
from warehouse.raw.problems import Problem, Table, display_path
from warehouse.raw.records import table_from_records


def _cell_text(value: object, kind: str | None = None) -> str:
    """A spreadsheet cell as the text a CSV would hold (3.0 → '3', a date → '2026-10-01').

    Excel turns '2027-03' typed in a cell into a date: in a month column that date counts as its month.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
        return day.strftime("%Y-%m") if kind == MONTH else day.isoformat()
    return str(value)


def read_workbook(path: Path, data_raw: Path, problems: list[Problem], year: str) -> dict[str, Table]:
    """The filled-in scoring form: sheets meting, scores and (optional) bewijs, same columns as the CSV files.

    An empty measurement_year cell means the year of the folder the form sits in; an empty provenance cell
    becomes the form's own file, sheet and row. A formula whose result Excel did not store (a form written by
    another program) is named as such, not as an empty cell.
    """
    from openpyxl import load_workbook

    shown = display_path(path, data_raw)
    specs = {spec.name: spec for spec in MEASUREMENT_FILES}
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises several kinds for a file that is not a workbook
        problems.append(Problem(shown, None, None, f"is geen leesbaar Excel-bestand (.xlsx): {err}"))
        return {}
    tables: dict[str, Table] = {}
    for sheet, file_name in WORKBOOK_SHEETS.items():
        if sheet not in workbook.sheetnames:
            if sheet in REQUIRED_SHEETS:
                problems.append(Problem(f"{shown}, blad '{sheet}'", None, None, "verplicht blad ontbreekt"))
            continue
        kinds = {c.name: c.kind for c in specs[file_name].columns}
        records = []
        header: list[str] | None = None
        formula_cells: dict[tuple[int, int], str] = {}
        rows = zip_longest(
            workbook[sheet].iter_rows(values_only=True), formulas[sheet].iter_rows(values_only=True), fillvalue=()
        )
        for row_no, (row, formula_row) in enumerate(rows, start=1):
            fields = []
            for index, value in enumerate(row):
                formula = formula_row[index] if index < len(formula_row) else None
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    formula_cells[(row_no, index)] = formula
                name = header[index].strip() if header and index < len(header) else None
                fields.append(_cell_text(value, kinds.get(name)))
            while fields and not fields[-1].strip() and (row_no, len(fields) - 1) not in formula_cells:
                fields.pop()
            if any(f.strip() for f in fields) or any(r == row_no for r, _ in formula_cells):
                records.append((row_no, row_no, fields))
                header = header or fields
        if records:
            width = len(records[0][2])
            records = [(r, line, f + [""] * (width - len(f))) for r, line, f in records]
            header = records[0][2]
            for row_no, _, fields in records[1:]:
                if "measurement_year" in header:
                    at = header.index("measurement_year")
                    if (row_no, at) not in formula_cells:
                        fields[at] = fields[at].strip() or year
                if "provenance" in header:  # the form itself is the provenance of what it holds
                    at = header.index("provenance")
                    if (row_no, at) not in formula_cells:
                        fields[at] = fields[at].strip() or f"{path.name}, blad '{sheet}', rij {row_no}"
            if sheet == "scores":
                records, formula_cells = _without_reference_columns(records, formula_cells)
        table = table_from_records(
            specs[file_name],
            path,
            f"{shown}, blad '{sheet}'",
            records,
            problems,
            "er staat iets naast de tabel",
            formula_cells=formula_cells,
        )
        if table is not None:
            table.target = f"measurements/{year}/{file_name}"
            tables[file_name] = table
    workbook.close()
    formulas.close()
    return tables


def _without_reference_columns(
    records: list[tuple[int, int, list[str]]], formula_cells: dict[tuple[int, int], str]
) -> tuple[list[tuple[int, int, list[str]]], dict[tuple[int, int], str]]:
    """The pre-filled form's reference columns (indicative and previous scores) are there to read, not to load."""
    header = [h.strip() for h in records[0][2]]
    keep = [i for i, name in enumerate(header) if name not in FORM_REFERENCE_COLUMNS]
    if len(keep) == len(header):
        return records, formula_cells
    moved = {old: new for new, old in enumerate(keep)}
    return (
        [(row_no, line, [fields[i] for i in keep]) for row_no, line, fields in records],
        {(r, moved[i]): f for (r, i), f in formula_cells.items() if i in moved},
    )
