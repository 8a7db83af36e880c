"""The filled-in scoring form (.xlsx): its sheets read as the CSV files they stand for, within the limits."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from warehouse.raw import limits
from warehouse.raw.contract import (
    FORM_REFERENCE_COLUMNS,
    MEASUREMENT_FILES,
    MONTH,
    REQUIRED_SHEETS,
    WORKBOOK_SHEETS,
)
from warehouse.raw.limits import (
    EXCEL_LAST_ROW,
    MAX_COLUMNS,
    beyond_excel,
    too_many_rows,
    too_wide,
    workbook_refusal,
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

    Its size is checked from the zip directory before anything is unpacked, and it is read as a stream
    (openpyxl read_only), row by row within the limits. Any failure to read it (broken or forged XML, an entity,
    a file no spreadsheet program writes) is one Dutch refusal naming the file, and the sheet when known.
    """
    from openpyxl import load_workbook

    shown = display_path(path, data_raw)
    refusal = workbook_refusal(path)
    if refusal:
        problems.append(Problem(shown, None, None, refusal))
        return {}
    books = []
    try:
        part = _part_with_a_dtd(path)
        if part:
            problems.append(Problem(shown, None, None, f"{XML_REFUSED} (in {part}); {SAVE_AGAIN}"))
            return {}
        books.append(load_workbook(path, read_only=True, data_only=True))
        books.append(load_workbook(path, read_only=True, data_only=False))
    except Exception as err:  # noqa: BLE001 - openpyxl fails in many ways on a broken or hostile file
        for book in books:
            book.close()
        problems.append(Problem(shown, None, None, unreadable(err)))
        return {}
    try:
        return _read_sheets(books[0], books[1], path, shown, problems, year)
    finally:
        for book in books:
            book.close()


def _read_sheets(
    values: Any, formulas: Any, path: Path, shown: str, problems: list[Problem], year: str
) -> dict[str, Table]:
    """Each sheet as the table it stands for. An empty measurement_year cell means the year of the folder the form
    sits in; an empty provenance cell becomes the form's own file, sheet and row. A formula whose result Excel did
    not store (a form written by another program) is named as such, not as an empty cell."""
    specs = {spec.name: spec for spec in MEASUREMENT_FILES}
    tables: dict[str, Table] = {}
    for sheet, file_name in WORKBOOK_SHEETS.items():
        where = f"{shown}, blad '{sheet}'"
        if sheet not in values.sheetnames:
            if sheet in REQUIRED_SHEETS:
                problems.append(Problem(where, None, None, "verplicht blad ontbreekt"))
            continue
        kinds = {c.name: c.kind for c in specs[file_name].columns}
        try:
            read = _sheet_records(values[sheet], formulas[sheet], kinds, where, problems)
        except Exception as err:  # noqa: BLE001 - openpyxl parses each sheet only now, as it is read
            problems.append(Problem(where, None, None, unreadable(err)))
            return {}
        if read is None:
            continue
        records, formula_cells = read
        if records:
            records = _complete(records, formula_cells, f"{path.name}, blad '{sheet}'", year)
            if sheet == "scores":
                records, formula_cells = _without_reference_columns(records, formula_cells)
        table = table_from_records(
            specs[file_name],
            path,
            where,
            records,
            problems,
            "er staat iets naast de tabel",
            formula_cells=formula_cells,
        )
        if table is not None:
            table.target = f"measurements/{year}/{file_name}"
            tables[file_name] = table
    return tables


Records = list[tuple[int, int, list[str]]]  # (spreadsheet row, the same row, fields), as CSV records are


def _sheet_records(
    values: Any, formulas: Any, kinds: dict[str, str], where: str, problems: list[Problem]
) -> tuple[Records, dict[tuple[int, int], str]] | None:
    """The rows of one sheet that hold something, and its formulas without a stored value; None, with the
    problem, for a sheet beyond the limits: reading stops at the first row past them."""
    for sheet in (values, formulas):
        sheet.reset_dimensions()  # a forged dimension (A1:XFD1048576) must not pad every row to 16,384 cells
    records: Records = []
    header: list[str] | None = None
    formula_cells: dict[tuple[int, int], str] = {}
    rows = zip_longest(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), fillvalue=())
    for row_no, (row, formula_row) in enumerate(rows, start=1):
        width = max(len(row), len(formula_row))
        refusal = beyond_excel() if row_no > EXCEL_LAST_ROW else too_wide(width) if width > MAX_COLUMNS else None
        if refusal is None and width:  # rows missing from the sheet's XML come as empty tuples: nothing to read
            fields, has_formula = _row_fields(row_no, row, formula_row, header, kinds, formula_cells)
            if has_formula or any(f.strip() for f in fields):
                refusal = too_many_rows() if len(records) > limits.MAX_ROWS else None  # the header is records[0]
                records.append((row_no, row_no, fields))
                header = header or fields
        if refusal:
            problems.append(Problem(where, row_no, None, refusal))
            return None
    return records, formula_cells


def _row_fields(
    row_no: int,
    row: tuple,
    formula_row: tuple,
    header: list[str] | None,
    kinds: dict[str, str],
    formula_cells: dict[tuple[int, int], str],
) -> tuple[list[str], bool]:
    """A row's cells as CSV text, without the empty ones at its end; and whether it has a formula without a value."""
    fields = []
    has_formula = False
    for index, value in enumerate(row):
        formula = formula_row[index] if index < len(formula_row) else None
        if value is None and isinstance(formula, str) and formula.startswith("="):
            formula_cells[(row_no, index)] = formula
            has_formula = True
        name = header[index].strip() if header and index < len(header) else None
        fields.append(_cell_text(value, kinds.get(name)))
    while fields and not fields[-1].strip() and (row_no, len(fields) - 1) not in formula_cells:
        fields.pop()
    return fields, has_formula


def _complete(records: Records, formula_cells: dict[tuple[int, int], str], place: str, year: str) -> Records:
    """Every row as wide as the header; an empty year is the folder's, an empty provenance the form's own row."""
    width = len(records[0][2])
    records = [(r, line, f + [""] * (width - len(f))) for r, line, f in records]
    header = records[0][2]
    for row_no, _, fields in records[1:]:
        for column, default in (("measurement_year", year), ("provenance", f"{place}, rij {row_no}")):
            if column in header and (row_no, header.index(column)) not in formula_cells:
                at = header.index(column)
                fields[at] = fields[at].strip() or default
    return records


XML_REFUSED = (
    "is geen leesbaar Excel-bestand (.xlsx): het bevat XML die de bouw weigert (een DTD of entiteit zoals &naam;, "
    "of kapotte XML)"
)
SAVE_AGAIN = "Excel schrijft zoiets nooit. Open het bestand in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)'"
# A document type declaration, where entities (external files, 'billion laughs') are declared, in the encodings an
# XML part may have. Content never holds it as is: in a cell's text '<' is written '&lt;'.
DTD_MARKS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _part_with_a_dtd(path: Path) -> str | None:
    """The first XML part that declares a DTD. Refused whichever parser openpyxl would use: defusedxml refuses
    entities, expat only some, and lxml (when installed) quietly leaves them out."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.filename.endswith((".xml", ".rels")) and _declares_a_dtd(archive, member):
                return member.filename
    return None


def _declares_a_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as part:  # read in pieces: within the unpacked limit, never whole
        while chunk := part.read(2**20):
            window = tail + chunk
            if any(mark in window for mark in DTD_MARKS):
                return True
            tail = window[-32:]
    return False


def unreadable(err: BaseException) -> str:
    """Why openpyxl could not read a form, in Dutch; its own words (English) never reach a person."""
    if _is_xml_refusal(err):
        return f"{XML_REFUSED}; {SAVE_AGAIN}"
    return (
        "is geen leesbaar Excel-bestand (.xlsx): de opbouw ervan klopt niet (beschadigd, of niet door een "
        "spreadsheetprogramma geschreven). Open het in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)', "
        "of lever de meting als CSV-bestanden"
    )


def _is_xml_refusal(err: BaseException) -> bool:
    """An XML parse error (expat's ParseError) or defusedxml's refusal of an entity or DTD (a ValueError), also
    when openpyxl raised another exception from it."""
    seen: BaseException | None = err
    for _ in range(10):  # a chain of causes is short; never follow a cycle
        if seen is None:
            return False
        if isinstance(seen, (ParseError, ExpatError)) or type(seen).__module__.split(".")[0] in ("defusedxml", "lxml"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


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
