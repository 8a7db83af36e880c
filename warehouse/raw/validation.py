"""Check data_raw/ against the raw contract; report each problem by file, row and column, in Dutch.

Row numbers count as a spreadsheet does: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path

from warehouse.raw.contract import (
    BOOL,
    CONCEPT,
    DATE,
    FINAL,
    FORM_REFERENCE_COLUMNS,
    INT,
    LEVEL,
    MEASUREMENT_FILES,
    MONTH,
    REFERENCE_FILES,
    REQUIRED_MEASUREMENT_FILES,
    SCORE,
    YEAR,
    Column,
    RawFile,
)

SCORE_RANGE = range(1, 6)


@dataclass(frozen=True)
class Problem:
    path: str
    row: int | None
    column: str | None
    message: str
    is_warning: bool = False
    is_note: bool = False  # information only: how a file was read (separator, encoding)

    def __str__(self) -> str:
        prefix = "Waarschuwing: " if self.is_warning else "Ter info: " if self.is_note else ""
        where = [prefix + self.path]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Table:
    spec: RawFile
    path: Path
    display_path: str
    rows: list[tuple[int, dict[str, str | None]]]  # (spreadsheet row, values)
    # Where dbt finds this table in the normalised copy the build writes: reference/x.csv, measurements/2026/x.csv.
    target: str = ""


def _display(path: Path, data_raw: Path) -> str:
    return f"{data_raw.name}/{path.relative_to(data_raw).as_posix()}"


def _check_value(col: Column, value: str) -> str | None:
    """Return a Dutch message if the value does not fit its column's kind, else None."""
    if col.kind in (INT, SCORE, LEVEL, YEAR):
        if not re.fullmatch(r"-?\d+", value):
            if col.kind in (SCORE, LEVEL):
                return f"'{value}' is geen geheel getal; toegestaan: 1, 2, 3, 4 of 5"
            return f"'{value}' is geen geheel getal"
        number = int(value)
        if abs(number) >= 2**31:
            return f"{value} is te groot voor een volgnummer of jaartal"
        if col.kind in (SCORE, LEVEL) and number not in SCORE_RANGE:
            return f"{number} ligt buiten de schaal; toegestaan: 1, 2, 3, 4 of 5"
        if col.kind == YEAR and not 2000 <= number <= 2100:
            return f"'{value}' is geen jaartal (verwacht bijvoorbeeld 2025)"
    elif col.kind == DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2025-10-06"
    elif col.kind == MONTH and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return f"'{value}' is geen maand; schrijf JJJJ-MM, bijvoorbeeld 2026-03"
    elif col.kind == BOOL and value not in ("true", "false"):
        return f"'{value}' is geen ja/nee-waarde; toegestaan: true of false"
    if col.allowed and value not in col.allowed:
        return f"'{value}' is niet toegestaan; toegestaan: {', '.join(col.allowed)}"
    return None


UTF8_BOM = b"\xef\xbb\xbf"
# A multi-byte UTF-8 sequence: a file that holds one is UTF-8 (with a broken byte), never Windows-1252.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SEPARATOR_NAMES = {",": "komma", ";": "puntkomma", "\t": "tab", "|": "verticale streep"}
SAVE_AS = "sla het in Excel opnieuw op als 'CSV UTF-8 (door komma's gescheiden)' (een puntkomma mag ook)"


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file was written: what Dutch Excel saves differs from plain UTF-8 with commas."""

    encoding: str = "UTF-8"
    bom: bool = False
    separator: str = ","
    crlf: bool = False

    @property
    def is_plain(self) -> bool:
        return self.encoding == "UTF-8" and not self.bom and self.separator == ","

    def describe(self) -> str:
        parts = [
            f"scheidingsteken {SEPARATOR_NAMES[self.separator]} ('{self.separator}')",
            f"codering {self.encoding}" + (" met BOM" if self.bom else ""),
        ]
        if self.crlf:
            parts.append("Windows-regeleinden")
        return "gelezen met " + ", ".join(parts)


def decode_csv(raw: bytes) -> tuple[str, CsvFormat] | str:
    """The text of a CSV file and how it was encoded, or a Dutch message naming the first bad byte.

    UTF-8 (with or without BOM) first; Windows-1252 only for a file that holds no UTF-8 sequence at all and
    decodes without control characters, so valid UTF-8 is never misread and a UTF-8 file with one stray byte
    is reported, not silently read as Windows-1252.
    """
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM) :] if bom else raw
    try:
        text, encoding = body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as err:
        text = None
        if not _UTF8_SEQUENCE.search(body):
            try:
                candidate = body.decode("cp1252")
            except UnicodeDecodeError:
                candidate = None
            if candidate is not None and not _CONTROL.search(candidate):
                text, encoding = candidate, "Windows-1252"
        if text is None:
            start = err.start
            line_start = body.rfind(b"\n", 0, start) + 1
            line = body.count(b"\n", 0, start) + 1
            before = body[line_start:start].decode("utf-8", errors="replace")
            context = before[-30:].replace("\r", "")
            why = (
                "de rest van het bestand is UTF-8"
                + (" (het begint met een UTF-8-kenmerk, BOM)" if bom else "")
                + ", deze byte niet"
                if _UTF8_SEQUENCE.search(body)
                else "het bestand is geen UTF-8 en ook geen Windows-1252"
            )
            return (
                f"is geen geldige UTF-8: byte 0x{body[start]:02x} op regel {line}, teken {len(before) + 1}"
                f"{f' (na {context!r})' if context else ''}; {why}. Open het bestand, controleer dat teken en "
                f"{SAVE_AS}"
            )
    crlf = "\r\n" in text
    header_line = text.split("\n", 1)[0]
    separator = ";" if header_line.count(";") > header_line.count(",") else ","
    return text.replace("\r\n", "\n"), CsvFormat(encoding, bom, separator, crlf)


def read_table(spec: RawFile, path: Path, data_raw: Path, problems: list[Problem]) -> Table | None:
    """Read one CSV strictly (comma or semicolon, UTF-8 or Windows-1252); append problems; None if unreadable."""
    shown = _display(path, data_raw)
    decoded = decode_csv(path.read_bytes())
    if isinstance(decoded, str):
        problems.append(Problem(shown, None, None, decoded))
        return None
    text, fmt = decoded
    if not fmt.is_plain:
        problems.append(Problem(shown, None, None, fmt.describe(), is_note=True))

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.separator, strict=True)
    records: list[tuple[int, int, list[str]]] = []  # (spreadsheet row, first line, fields)
    row_no = 0
    try:
        first_line = 1
        for fields in reader:
            row_no += 1  # every record is a spreadsheet row, an empty one too
            if fields and any(f.strip() for f in fields):
                records.append((row_no, first_line, fields))
            first_line = reader.line_num + 1
    except csv.Error as err:
        problems.append(
            Problem(
                shown,
                row_no + 1,
                None,
                f"CSV-opmaak klopt niet rond regel {reader.line_num} ({err}); controleer de aanhalingstekens",
            )
        )
        return None
    name = SEPARATOR_NAMES[fmt.separator]
    table = _table_from_records(
        spec, path, shown, records, problems, f"een {name} of aanhalingsteken staat verkeerd", fmt.separator
    )
    if table is not None:
        table.target = path.relative_to(data_raw).as_posix()
    return table


def _table_from_records(
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
    expected = spec.header
    missing = [c.name for c in spec.columns if c.name not in header and not c.may_be_absent]
    unknown = [c for c in header if c not in expected]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"ontbrekende kolommen: {', '.join(missing)}")
        if unknown:
            parts.append(f"onbekende kolommen: {', '.join(unknown)}")
        if len(set(header)) != len(header):
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
        problems.append(
            Problem(
                shown,
                1,
                None,
                f"kopregel klopt niet ({'; '.join(parts)}){hint}; verwacht: {(separator or ',').join(expected)}",
            )
        )
        return None

    columns = {c.name: c for c in spec.columns}
    rows: list[tuple[int, dict[str, str | None]]] = []
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
        values: dict[str, str | None] = {}
        for index, (name, raw_value) in enumerate(zip(header, fields, strict=True)):
            value = raw_value.strip()
            col = columns[name]
            if not value:
                values[name] = None
                formula = (formula_cells or {}).get((row_no, index))
                if formula:
                    problems.append(
                        Problem(
                            shown,
                            row_no,
                            name,
                            f"formule zonder opgeslagen waarde ({formula}): open het bestand in Excel en sla het "
                            "opnieuw op, dan bewaart Excel de uitkomst",
                        )
                    )
                elif col.required:
                    problems.append(Problem(shown, row_no, name, "verplicht veld is leeg"))
                continue
            message = _check_value(col, value)
            if message:
                problems.append(Problem(shown, row_no, name, message))
            values[name] = value
        rows.append((row_no, values))
    for col in spec.columns:
        if col.unique:
            first: dict[str, int] = {}
            for row_no, values in rows:
                value = values.get(col.name)
                if value is not None and value in first:
                    message = f"'{value}' staat ook in rij {first[value]}; elke waarde komt één keer voor"
                    problems.append(Problem(shown, row_no, col.name, message))
                elif value is not None:
                    first[value] = row_no
    return Table(spec, path, shown, rows)


WORKBOOK_SHEETS = {"meting": "measurement.csv", "scores": "scores.csv", "bewijs": "evidence.csv"}
REQUIRED_SHEETS = ("meting", "scores")


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

    shown = _display(path, data_raw)
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
        table = _table_from_records(
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


def _check_keys(table: Table, problems: list[Problem], fixed: dict[str, str] | None = None) -> None:
    seen: dict[tuple, int] = {}
    numeric = {c.name for c in table.spec.columns if c.kind in (INT, YEAR, SCORE, LEVEL)}
    for row_no, values in table.rows:
        merged = {**values, **(fixed or {})}
        # '7' and '07' are one number, as they are to dbt: compare numbers as numbers.
        key = tuple(
            str(int(v)) if k in numeric and v and re.fullmatch(r"-?\d+", v) else v or ""
            for k, v in ((k, merged.get(k)) for k in table.spec.key)
        )
        if key in seen:
            shown_key = ", ".join(f"{k}={v or '(leeg)'}" for k, v in zip(table.spec.key, key, strict=True))
            problems.append(
                Problem(
                    table.display_path,
                    row_no,
                    None,
                    f"dubbele regel: {shown_key} staat ook in rij {seen[key]}",
                )
            )
        else:
            seen[key] = row_no


def _check_domains(table: Table, domains: dict[str, set[str]], problems: list[Problem]) -> None:
    for col in table.spec.columns:
        if not col.domain:
            continue
        allowed = domains.get(col.domain, set())
        for row_no, values in table.rows:
            value = values.get(col.name)
            if value is None:
                continue
            for code in value.split(";") if col.many else [value]:
                if code.strip() not in allowed:
                    problems.append(
                        Problem(
                            table.display_path,
                            row_no,
                            col.name,
                            f"onbekende code '{code.strip()}'; toegestaan: {', '.join(sorted(allowed))}",
                        )
                    )


def _extra_checks(table: Table, problems: list[Problem]) -> None:
    for check in table.spec.extra_checks:
        for row_no, v in table.rows:
            message = None
            column = None
            if check == "evidence_scope":
                kind = v.get("evidence_kind")
                if kind in ("voorbeeld", "variatie", "variatie_sector"):
                    for column in ("theme_code", "dynamic_code"):
                        if not v.get(column):
                            message = f"verplicht bij evidence_kind '{kind}'"
                            break
                    if not message and kind == "variatie_sector" and not v.get("sector_codes"):
                        column, message = "sector_codes", "verplicht bij evidence_kind 'variatie_sector'"
                elif kind == "samenvatting_thema" and not v.get("theme_code"):
                    column, message = "theme_code", "verplicht bij evidence_kind 'samenvatting_thema'"
                elif kind == "samenvatting_dynamiek" and not v.get("dynamic_code"):
                    column, message = "dynamic_code", "verplicht bij evidence_kind 'samenvatting_dynamiek'"
            elif check == "dynamic_polarity":
                column = "higher_is_better"
                expected = "false" if v.get("dynamic_code") == "lock_in" else "true"
                if v.get("dynamic_code") and v.get(column) in ("true", "false") and v[column] != expected:
                    message = (
                        f"moet {expected} zijn: alleen bij lock-in betekent een hogere score méér weerstand "
                        "(false); bij de andere dynamieken meer transitie (true)"
                    )
            elif check == "institution_sector":
                kind, sector = v.get("institution_kind"), v.get("sector_code")
                column = "sector_code"
                if kind == "onderwijsinstelling" and sector not in ("mbo", "hbo", "wo"):
                    message = "een onderwijsinstelling hoort bij mbo, hbo of wo"
                elif kind == "organisatie" and sector:
                    message = "een organisatie heeft geen sector; laat het veld leeg"
            if message:
                problems.append(Problem(table.display_path, row_no, column, message))


def _read_group(
    specs: tuple[RawFile, ...], folder: Path, data_raw: Path, problems: list[Problem], required: tuple[str, ...]
) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    known = {s.name for s in specs}
    spreadsheets = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() == ".xlsx" and specs is MEASUREMENT_FILES:
            continue
        if not path.is_file() or path.name in known or path.name.startswith((".", "~$")):
            continue
        if path.suffix.lower() in OTHER_SPREADSHEETS:
            spreadsheets.append(path)
            problems.append(Problem(_display(path, data_raw), None, None, _other_spreadsheet(path)))
        else:
            problems.append(
                Problem(
                    _display(path, data_raw),
                    None,
                    None,
                    f"onbekend bestand; toegestaan in deze map: {', '.join(sorted(known))}"
                    + (" of één scoringsformulier (.xlsx)" if specs is MEASUREMENT_FILES else ""),
                )
            )
    if spreadsheets and not any(folder.glob("*.csv")):
        return tables  # the spreadsheet is the measurement: 'bestand ontbreekt' for each CSV would only confuse
    for spec in specs:
        path = folder / spec.name
        if not path.exists():
            if spec.name in required:
                problems.append(Problem(_display(path, data_raw), None, None, "verplicht bestand ontbreekt"))
            continue
        table = read_table(spec, path, data_raw, problems)
        if table is not None:
            tables[spec.name] = table
    return tables


OTHER_SPREADSHEETS = {
    ".xls": "een oud Excel-bestand (.xls)",
    ".xlsm": "een Excel-werkmap met macro's (.xlsm)",
    ".xlsb": "een binaire Excel-werkmap (.xlsb)",
    ".ods": "een OpenDocument-spreadsheet (.ods)",
    ".numbers": "een Numbers-bestand (.numbers)",
}


def _other_spreadsheet(path: Path) -> str:
    return (
        f"is {OTHER_SPREADSHEETS[path.suffix.lower()]}; de bouw leest alleen Excel-werkmappen (.xlsx) en CSV. "
        "Open het en kies 'Opslaan als' → 'Excel-werkmap (*.xlsx)' (het scoringsformulier) of "
        "'CSV UTF-8 (door komma's gescheiden)', en verwijder dit bestand"
    )


@dataclass
class Validation:
    problems: list[Problem]
    measurements: dict[str, dict[str, Table]]  # year → its tables, however they arrived (CSV or Excel)
    reference: dict[str, Table] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning and not p.is_note]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.is_note]

    @property
    def tables(self) -> list[Table]:
        """Every table dbt will read, with the path it gets in the normalised copy (Table.target)."""
        return [*self.reference.values(), *(t for year in self.measurements.values() for t in year.values())]


def validate(data_raw: Path) -> Validation:
    """Every problem in data_raw/, in file order; without errors dbt may build."""
    problems: list[Problem] = []
    measurements: dict[str, dict[str, Table]] = {}
    reference_dir = data_raw / "reference"
    measurements_dir = data_raw / "measurements"
    for folder in (reference_dir, measurements_dir):
        if not folder.is_dir():
            problems.append(Problem(f"{data_raw.name}/{folder.name}", None, None, "map ontbreekt"))
    if problems:
        return Validation(problems, measurements)

    reference = _read_group(REFERENCE_FILES, reference_dir, data_raw, problems, tuple(s.name for s in REFERENCE_FILES))
    domains: dict[str, set[str]] = {}
    for table in reference.values():
        if table.spec.defines:
            domain, column = table.spec.defines
            domains[domain] = {v[column] for _, v in table.rows if v.get(column)}
    for table in reference.values():
        _check_keys(table, problems)
        _check_domains(table, domains, problems)
        _extra_checks(table, problems)
    _check_reference(reference, problems)

    year_dirs = sorted(p for p in measurements_dir.iterdir() if p.is_dir())
    if not year_dirs:
        problems.append(Problem(_display(measurements_dir, data_raw), None, None, "geen enkele meting gevonden"))
    baseline = _baseline_year(reference.get("baseline.csv"), year_dirs, problems)
    for year_dir in year_dirs:
        if not re.fullmatch(r"\d{4}", year_dir.name):
            problems.append(
                Problem(_display(year_dir, data_raw), None, None, "mapnaam moet het jaar van de meting zijn, bv. 2026")
            )
            continue
        if baseline is not None and int(year_dir.name) < baseline:
            problems.append(
                Problem(
                    _display(year_dir, data_raw),
                    None,
                    None,
                    f"meting {year_dir.name} ligt vóór de nulmeting ({baseline}, vastgelegd in "
                    f"{data_raw.name}/reference/baseline.csv); elke meting komt na de nulmeting. Geef de map het "
                    "jaar van het veldwerk (bijvoorbeeld 2026), of haal haar weg",
                )
            )
            continue
        tables = _read_measurement(year_dir, data_raw, problems)
        status = measurement_status(tables)
        if status == CONCEPT and "scores.csv" in tables:
            _drop_unfilled_scores(tables["scores.csv"], problems)
        is_baseline = int(year_dir.name) == baseline
        _check_final_has_scores(year_dir, data_raw, tables, status, problems, is_baseline)
        measurements[year_dir.name] = tables
        year_domains = dict(domains)
        if "sessions.csv" in tables:
            year_domains["session"] = {
                v["session_code"] for _, v in tables["sessions.csv"].rows if v.get("session_code")
            }
        for table in tables.values():
            for row_no, values in table.rows:
                year = values.get("measurement_year")
                if year is not None and year != year_dir.name:
                    problems.append(
                        Problem(
                            table.display_path,
                            row_no,
                            "measurement_year",
                            f"{year} hoort niet in de map {year_dir.name}; zet het jaar gelijk aan de map",
                        )
                    )
            _check_keys(table, problems, fixed={"measurement_year": year_dir.name})
            _check_domains(table, year_domains, problems)
            _extra_checks(table, problems)
        if "scores.csv" in tables and status == FINAL:  # a concept measurement may score part of the grid
            _check_score_grid(tables["scores.csv"], domains, problems)
        _check_measurement(tables, problems, is_baseline=int(year_dir.name) == baseline)
    return Validation(problems, measurements, reference)


def measurement_status(tables: dict[str, Table]) -> str:
    """'concept' or 'vastgesteld' as measurement.csv (the form's sheet 'meting') says; empty or absent: vastgesteld."""
    measurement = tables.get("measurement.csv")
    rows = measurement.rows if measurement is not None else []
    return (rows[0][1].get("status") if rows else None) or FINAL


def _drop_unfilled_scores(scores: Table, problems: list[Problem]) -> None:
    """In a concept measurement a score row with neither score nor justification is simply not filled in yet
    (the pre-filled form has all 20): it is left out, and its empty cells are no problem."""
    unfilled = {row_no for row_no, v in scores.rows if v.get("score") is None and v.get("justification") is None}
    if not unfilled:
        return
    scores.rows[:] = [(row_no, v) for row_no, v in scores.rows if row_no not in unfilled]
    problems[:] = [
        p
        for p in problems
        if not (p.path == scores.display_path and p.row in unfilled and p.message == "verplicht veld is leeg")
    ]


def _check_final_has_scores(
    year_dir: Path, data_raw: Path, tables: dict[str, Table], status: str, problems: list[Problem], is_baseline: bool
) -> None:
    """A final measurement has its scores; the nulmeting is final."""
    measurement = tables.get("measurement.csv")
    if measurement is None or not measurement.rows:
        return
    row_no = measurement.rows[0][0]
    if is_baseline and status != FINAL:
        problems.append(
            Problem(
                measurement.display_path,
                row_no,
                "status",
                f"de nulmeting is '{status}'; de nulmeting is vastgesteld: laat status leeg of zet 'vastgesteld'",
            )
        )
    if status == FINAL and "scores.csv" not in tables and not list(year_dir.glob("*.xlsx")):
        problems.append(
            Problem(
                _display(year_dir / "scores.csv", data_raw),
                None,
                None,
                "verplicht bestand ontbreekt (de meting is vastgesteld); is de meting nog niet klaar, zet dan "
                "status 'concept' in measurement.csv",
            )
        )


def _number(value: str | None) -> int | None:
    return int(value) if value and re.fullmatch(r"-?\d+", value) else None


def _rows(numbers: list[int]) -> str:
    return (
        ("rij " if len(numbers) == 1 else "rijen ")
        + ", ".join(str(n) for n in numbers[:8])
        + (" …" if len(numbers) > 8 else "")
    )


def _baseline_year(table: Table | None, year_dirs: list[Path], problems: list[Problem]) -> int | None:
    """The nulmeting as baseline.csv states it: exactly one year, and a measurement folder of that year."""
    if table is None:
        return None
    years = [(row_no, _number(v.get("measurement_year"))) for row_no, v in table.rows]
    years = [(row_no, year) for row_no, year in years if year is not None]
    if len(table.rows) != 1:
        problems.append(
            Problem(
                table.display_path,
                None,
                None,
                f"heeft {len(table.rows)} regels; er is precies één nulmeting: één regel met het jaar ervan",
            )
        )
        return None
    if not years:
        return None
    row_no, year = years[0]
    folders = {p.name for p in year_dirs if re.fullmatch(r"\d{4}", p.name)}
    if str(year) not in folders:
        problems.append(
            Problem(
                table.display_path,
                row_no,
                "measurement_year",
                f"er is geen meting {year} (geen map measurements/{year}); noem het jaar van de nulmeting, "
                f"een van: {', '.join(sorted(folders))}",
            )
        )
        return None
    return year


def _check_reference(reference: dict[str, Table], problems: list[Problem]) -> None:
    """Rules across reference files that the marts rely on."""
    dynamics = reference.get("dynamics.csv")
    rubric = reference.get("rubric_descriptors.csv")
    if dynamics and rubric:
        present = {(v.get("dynamic_code"), _number(v.get("level"))) for _, v in rubric.rows}
        for _, v in dynamics.rows:
            code = v.get("dynamic_code")
            missing = [str(level) for level in SCORE_RANGE if code and (code, level) not in present]
            if missing:
                problems.append(
                    Problem(
                        rubric.display_path,
                        None,
                        "level",
                        f"de scoringstabel beschrijft voor {code} niveau {', '.join(missing)} niet; "
                        "elke dynamiek heeft een beschrijving bij elk niveau 1-5",
                    )
                )
    institutions = reference.get("institutions.csv")
    aliases = reference.get("institution_aliases.csv")
    if institutions and aliases:
        named = {v.get("institution_code") for _, v in aliases.rows}
        for row_no, v in institutions.rows:
            code = v.get("institution_code")
            if code and code not in named:
                problems.append(
                    Problem(
                        institutions.display_path,
                        row_no,
                        "institution_code",
                        f"'{code}' heeft geen schrijfwijze in institution_aliases.csv; voeg daar minstens één regel "
                        "toe (de naam zoals het rapport hem schrijft)",
                    )
                )


def _squash(text: str) -> str:
    return re.sub(r"[\t\n\f\r ]+", " ", text)  # what dbt's regexp_replace(…, '\\s+', ' ') does


def _check_measurement(tables: dict[str, Table], problems: list[Problem], is_baseline: bool) -> None:
    """Rules across the files of one measurement that dbt's tests would otherwise be the first to catch."""
    measurement = tables.get("measurement.csv")
    if measurement is not None and not measurement.rows:
        problems.append(
            Problem(measurement.display_path, None, None, "bevat geen meting; vul één regel in met jaar en naam")
        )

    sessions, session_themes = tables.get("sessions.csv"), tables.get("session_themes.csv")
    themes_of: dict[str, set[str]] = {}
    for _, v in session_themes.rows if session_themes else []:
        if v.get("session_code") and v.get("theme_code"):
            themes_of.setdefault(v["session_code"], set()).add(v["theme_code"])
    for row_no, v in sessions.rows if sessions else []:
        code = v.get("session_code")
        if code and code not in themes_of:
            problems.append(
                Problem(
                    sessions.display_path,
                    row_no,
                    "session_code",
                    f"sessie '{code}' voedt geen enkel thema; zet in session_themes.csv minstens één regel "
                    f"met session_code {code} en een theme_code",
                )
            )

    findings, examples = tables.get("session_findings.csv"), tables.get("session_examples.csv")
    found = {
        (v.get("session_code"), v.get("dynamic_code"), _number(v.get("finding_seq")))
        for _, v in (findings.rows if findings else [])
    }
    for row_no, v in examples.rows if examples else []:
        key = (v.get("session_code"), v.get("dynamic_code"), _number(v.get("finding_seq")))
        if None not in key and key not in found:
            problems.append(
                Problem(
                    examples.display_path,
                    row_no,
                    "finding_seq",
                    f"er is geen bevinding {key[2]} bij sessie '{key[0]}' × {key[1]} in session_findings.csv; "
                    "een praktijkvoorbeeld hoort bij een bestaande bevinding",
                )
            )

    evidence = tables.get("evidence.csv")
    if evidence is not None:
        _check_sector_statements(evidence, problems)

    scores = tables.get("scores.csv")
    if not is_baseline or scores is None:
        return
    covered = {
        (v.get("theme_code"), v.get("dynamic_code")) for _, v in (evidence.rows if evidence else []) if v.get("text")
    }
    for table in (findings, examples):
        for _, v in table.rows if table else []:
            for theme in themes_of.get(v.get("session_code") or "", ()):
                covered.add((theme, v.get("dynamic_code")))
    for row_no, v in scores.rows:
        if v.get("sector_code") and v["sector_code"] != "alle":
            problems.append(
                Problem(
                    scores.display_path,
                    row_no,
                    "sector_code",
                    f"de nulmeting heeft alleen sectorbrede scores (alle), geen score voor {v['sector_code']}; "
                    "zet scores per sector in een latere meting",
                )
            )
        cell = (v.get("theme_code"), v.get("dynamic_code"))
        if None not in cell and cell not in covered:
            problems.append(
                Problem(
                    scores.display_path,
                    row_no,
                    None,
                    f"in de nulmeting heeft elke score bewijs, maar {cell[0]} × {cell[1]} heeft geen voorbeeld, "
                    "variatie of sessiebevinding; voeg het toe in evidence.csv of session_findings.csv",
                )
            )


def _check_sector_statements(evidence: Table, problems: list[Problem]) -> None:
    """Per-sector variation statements (variatie_sector), read in order, give back their variation paragraph."""
    statements: dict[tuple, list[tuple[int, int, str]]] = {}
    variations: dict[tuple, tuple[int, str]] = {}
    for row_no, v in evidence.rows:
        cell = (v.get("theme_code"), v.get("dynamic_code"))
        if v.get("evidence_kind") == "variatie_sector" and v.get("text"):
            statements.setdefault(cell, []).append((_number(v.get("seq")) or 0, row_no, v["text"]))
        elif v.get("evidence_kind") == "variatie" and v.get("text"):
            variations.setdefault(cell, (row_no, v["text"]))
    for cell, parts in statements.items():
        parts.sort()
        rows = _rows([row_no for _, row_no, _ in parts])
        where = f"{cell[0]} × {cell[1]}"
        if cell not in variations:
            problems.append(
                Problem(
                    evidence.display_path,
                    parts[0][1],
                    "evidence_kind",
                    f"uitspraken per sector (variatie_sector, {rows}) zonder hun variatie-regel: er is geen regel "
                    f"met evidence_kind 'variatie' voor {where}; voeg die toe met de hele alinea",
                )
            )
            continue
        joined = _squash(" ".join(text for _, _, text in parts))
        paragraph = _squash(variations[cell][1])
        if joined != paragraph:
            at = next((i for i, (a, b) in enumerate(zip(joined, paragraph, strict=False)) if a != b), None)
            at = min(len(joined), len(paragraph)) if at is None else at
            problems.append(
                Problem(
                    evidence.display_path,
                    parts[0][1],
                    "text",
                    f"de uitspraken per sector (variatie_sector, {rows}) geven samen niet precies de variatie-alinea "
                    f"van rij {variations[cell][0]} ({where}); ze verschillen vanaf "
                    f"'{joined[max(0, at - 20) : at + 30]}'. Verdeel de alinea letterlijk over de uitspraken",
                )
            )


def _read_measurement(year_dir: Path, data_raw: Path, problems: list[Problem]) -> dict[str, Table]:
    """One measurement: CSV files, or one filled-in scoring form (.xlsx) — never both."""
    workbooks = sorted(p for p in year_dir.glob("*.xlsx") if not p.name.startswith("~$"))
    csv_files = sorted(p.name for p in year_dir.glob("*.csv"))
    if not workbooks:
        return _read_group(MEASUREMENT_FILES, year_dir, data_raw, problems, REQUIRED_MEASUREMENT_FILES)
    if len(workbooks) > 1 or csv_files:
        others = [p.name for p in workbooks] + csv_files
        problems.append(
            Problem(
                _display(year_dir, data_raw),
                None,
                None,
                f"meting {year_dir.name} staat er meer dan één keer in ({', '.join(others)}); "
                "laat één scoringsformulier óf de CSV-bestanden staan, zodat niets ongemerkt wordt overschreven",
            )
        )
        return {}
    return read_workbook(workbooks[0], data_raw, problems, year_dir.name)


def _check_score_grid(table: Table, domains: dict[str, set[str]], problems: list[Problem]) -> None:
    """The rule for missing cells: sector-wide scores must cover every theme × dynamic (else refused);
    scores for one sector may cover part of the grid (accepted, with a warning naming what is missing)."""
    grid = {(t, d) for t in sorted(domains.get("theme", ())) for d in sorted(domains.get("dynamic", ()))}
    by_sector: dict[str, set[tuple[str, str]]] = {}
    for _, values in table.rows:
        if values.get("sector_code") and values.get("theme_code") and values.get("dynamic_code"):
            by_sector.setdefault(values["sector_code"], set()).add((values["theme_code"], values["dynamic_code"]))
    for sector in sorted(set(by_sector) | {"alle"}):
        missing = sorted(grid - by_sector.get(sector, set()))
        if not missing:
            continue
        cells = ", ".join(f"{t} × {d}" for t, d in missing[:8]) + (" …" if len(missing) > 8 else "")
        if sector == "alle":
            problems.append(
                Problem(
                    table.display_path,
                    None,
                    "sector_code",
                    f"de sectorbrede scores (sector_code alle) zijn onvolledig: {len(missing)} van de {len(grid)} "
                    f"ontbreken ({cells}); elke meting scoort alle thema's op alle dynamieken",
                )
            )
        else:
            problems.append(
                Problem(
                    table.display_path,
                    None,
                    "sector_code",
                    f"{sector}: {len(grid) - len(missing)} van de {len(grid)} cellen gescoord; voor de andere "
                    f"toont de monitor de sectorbrede score ({cells})",
                    is_warning=True,
                )
            )


def main(argv: list[str]) -> int:
    data_raw = Path(argv[1] if len(argv) > 1 else "data_raw").resolve()
    result = validate(data_raw)
    for problem in result.problems:
        print(problem)
    errors = len(result.errors)
    print(f"{errors} probleem/problemen gevonden in {data_raw}" if errors else "data_raw is in orde")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
