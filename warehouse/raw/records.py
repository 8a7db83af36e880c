"""A header and its rows, from a CSV file or a spreadsheet's sheet, checked cell by cell against the contract."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from warehouse.raw.contract import BOOL, DATE, INT, LEVEL, MONTH, SCORE, TEXT, YEAR, Column, RawFile
from warehouse.raw.csv_format import SEPARATOR_NAMES
from warehouse.raw.limits import MAX_CELL_CHARS, YEARS, cell_too_long
from warehouse.raw.problems import Problem, Table, names, quoted

SCORE_RANGE = range(1, 6)
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")  # ASCII digits only: dbt casts nothing else to a number
ANY_DIGITS = re.compile(r"-?\d+")  # digits of any script (full-width ２, Arabic-Indic ٢): Python reads them, dbt not
OTHER_DIGITS = (
    "bevat andere cijfers dan 0-9 (zoals vol-breedte of Arabische cijfers); typ het getal opnieuw met de cijfers 0-9"
)


def _check_number(col: Column, value: str) -> str | None:
    if value.isascii() and value.isdigit() and len(value) <= 9:  # the common case: a plain whole number
        return _check_range(col, int(value), value)
    if not WHOLE_NUMBER.fullmatch(value):
        if value.isascii() and ANY_DIGITS.fullmatch(value):
            return f"{quoted(value)} is te groot voor een volgnummer of jaartal"
        if ANY_DIGITS.fullmatch(value):
            return f"{quoted(value)} {OTHER_DIGITS}"
        if col.kind in (SCORE, LEVEL):
            return f"{quoted(value)} is geen geheel getal; toegestaan: 1, 2, 3, 4 of 5"
        return f"{quoted(value)} is geen geheel getal"
    number = int(value)
    if abs(number) >= 2**31:
        return f"{value} is te groot voor een volgnummer of jaartal"
    return _check_range(col, number, value)


def _check_range(col: Column, number: int, value: str) -> str | None:
    if col.kind in (SCORE, LEVEL) and number not in SCORE_RANGE:
        return f"{number} ligt buiten de schaal; toegestaan: 1, 2, 3, 4 of 5"
    if col.kind == YEAR and number not in YEARS:
        return f"'{value}' is geen jaartal (verwacht bijvoorbeeld 2025)"
    return None


def _is_date(value: str) -> bool:
    """JJJJ-MM-DD in the digits 0-9 (Python also reads 20251006 and full-width digits; dbt does not)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_value(col: Column, value: str) -> str | None:
    """Return a Dutch message if the value does not fit its column's kind, else None."""
    if col.kind in (INT, SCORE, LEVEL, YEAR):
        message = _check_number(col, value)
        if message:
            return message
    elif col.kind == DATE and not _is_date(value):
        return f"{quoted(value)} is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2025-10-06"
    elif col.kind == MONTH and not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        return f"{quoted(value)} is geen maand; schrijf JJJJ-MM, bijvoorbeeld 2026-03"
    elif col.kind == BOOL and value not in ("true", "false"):
        return f"{quoted(value)} is geen ja/nee-waarde; toegestaan: true of false"
    if col.allowed and value not in col.allowed:
        return f"{quoted(value)} is niet toegestaan; toegestaan: {', '.join(col.allowed)}"
    return None


def _header_problem(spec: RawFile, header: list[str], separator: str | None) -> str | None:
    """What is wrong with a header, with a hint when another separator seems to be in it; None if it is right."""
    missing = [c.name for c in spec.columns if c.name not in header and not c.may_be_absent]
    unknown = [c for c in header if c not in spec.header]
    duplicated = len(set(header)) != len(header)
    if not (missing or unknown or duplicated):
        return None
    parts = []
    if missing:
        parts.append(f"ontbrekende kolommen: {', '.join(missing)}")
    if unknown:
        parts.append(f"onbekende kolommen: {names(unknown)}")
    if duplicated:
        parts.append("een kolomnaam staat er twee keer in")
    hint = ""
    if separator is not None:
        others = [s for s in SEPARATOR_NAMES if s != separator and any(s in h for h in header)]
        if others:
            hint = (
                f"; de kopregel lijkt gescheiden door een {SEPARATOR_NAMES[others[0]]} ('{others[0]}'), "
                f"gelezen is met een {SEPARATOR_NAMES[separator]} ('{separator}'): scheid de kolommen met "
                "komma's of puntkomma's"
            )
    return f"kopregel klopt niet ({'; '.join(parts)}){hint}; verwacht: {(separator or ',').join(spec.header)}"


class _RowChecker:
    """Checks a file's rows cell by cell against its columns' kinds, collecting the problems."""

    def __init__(
        self,
        columns: dict[str, Column],
        header: list[str],
        shown: str,
        problems: list[Problem],
        formula_cells: dict[tuple[int, int], str],
    ) -> None:
        self.columns, self.header, self.shown, self.problems = columns, header, shown, problems
        self.formula_cells = formula_cells
        # The positions whose filled cells are checked; free text (most cells) needs nothing.
        self.checked = tuple(i for i, name in enumerate(header) if columns[name].kind != TEXT or columns[name].allowed)
        # (column, value) → message, for the checks done so far: a check depends on nothing else, and a file's
        # numbers and codes repeat (at 1000× a million such cells, a few thousand distinct).
        self.verdicts: dict[tuple[str, str], str | None] = {}

    def values(self, row_no: int, fields: list[str]) -> dict[str, str | None] | None:
        """One row's values by column; None for a row with a cell longer than a cell may be (the row is not read
        further: its other messages would only follow from that one)."""
        header, problems = self.header, self.problems
        if max(map(len, fields), default=0) > MAX_CELL_CHARS:
            for name, f in zip(header, fields, strict=True):
                if len(f) > MAX_CELL_CHARS:
                    problems.append(Problem(self.shown, row_no, name, cell_too_long(len(f))))
            return None
        cells = list(map(str.strip, fields))
        values: dict[str, str | None] = dict(zip(header, cells, strict=True))
        # A row without empty cells visits only the checked columns; one with an empty cell visits every column,
        # in order, so that its messages come in the order of the columns.
        for index in self.checked if "" not in cells else range(len(cells)):
            name, value = header[index], cells[index]
            if not value:
                values[name] = None
                self._empty(row_no, index, name)
                continue
            col = self.columns[name]
            if col.kind == TEXT and not col.allowed:
                continue
            try:
                message = self.verdicts[name, value]
            except KeyError:
                message = self.verdicts[name, value] = _check_value(col, value)
            if message:
                problems.append(Problem(self.shown, row_no, name, message))
        return values

    def _empty(self, row_no: int, index: int, name: str) -> None:
        formula = self.formula_cells.get((row_no, index))
        if formula:
            self.problems.append(
                Problem(
                    self.shown,
                    row_no,
                    name,
                    f"formule zonder opgeslagen waarde ({formula[:200]}): open het bestand in Excel en sla het "
                    "opnieuw op, dan bewaart Excel de uitkomst",
                )
            )
        elif self.columns[name].required:
            self.problems.append(Problem(self.shown, row_no, name, "verplicht veld is leeg"))


def _check_unique(
    spec: RawFile, rows: list[tuple[int, dict[str, str | None]]], shown: str, problems: list[Problem]
) -> None:
    for col in spec.columns:
        if not col.unique:
            continue
        first: dict[str, int] = {}
        for row_no, values in rows:
            value = values.get(col.name)
            if value is not None and value in first:
                message = f"{quoted(value)} staat ook in rij {first[value]}; elke waarde komt één keer voor"
                problems.append(Problem(shown, row_no, col.name, message))
            elif value is not None:
                first[value] = row_no


def table_from_records(
    spec: RawFile,
    path: Path,
    shown: str,
    records: list[tuple[int, int, list[str]]],
    problems: list[Problem],
    miscount_hint: str,
    separator: str | None = None,
    formula_cells: dict[tuple[int, int], str] | None = None,
) -> Table | None:
    """Check a header and its rows (spreadsheet row, first line, fields) against the contract.

    `separator` is the CSV separator that was found (None for a spreadsheet); `formula_cells` are the
    (row, column index) of formulas without a stored value.
    """
    if not records:
        problems.append(Problem(shown, None, None, "leeg; de kopregel ontbreekt"))
        return None
    header = [h.strip() for h in records[0][2]]
    message = _header_problem(spec, header, separator)
    if message:
        problems.append(Problem(shown, 1, None, message))
        return None
    columns = {c.name: c for c in spec.columns}
    rows: list[tuple[int, dict[str, str | None]]] = []
    checker = _RowChecker(columns, header, shown, problems, formula_cells or {})
    for row_no, line_no, fields in records[1:]:
        if len(fields) != len(header):
            problems.append(
                Problem(
                    shown,
                    row_no,
                    None,
                    f"heeft {len(fields)} velden, de kopregel {len(header)} (regel {line_no}); {miscount_hint}",
                )
            )
            continue
        values = checker.values(row_no, fields)
        if values is not None:
            rows.append((row_no, values))
    _check_unique(spec, rows, shown, problems)
    return Table(spec, path, shown, rows)


def int_or_none(value: str | None) -> int | None:
    """A cell's whole number, or None if it is empty or not a whole number (already reported)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:  # the common case, without a regex
        return int(value)
    return int(value) if value and WHOLE_NUMBER.fullmatch(value) else None
