"""Check data_raw/ against the raw contract; report each problem by file, row and column, in Dutch.

Row numbers count as a spreadsheet does: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from warehouse.raw_contract import (
    BOOL,
    DATE,
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

    def __str__(self) -> str:
        where = ["Waarschuwing: " + self.path if self.is_warning else self.path]
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


def read_table(spec: RawFile, path: Path, data_raw: Path, problems: list[Problem]) -> Table | None:
    """Read one CSV strictly; append problems; return None when the file cannot be read at all."""
    shown = _display(path, data_raw)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                shown,
                None,
                None,
                f"is geen UTF-8 (ongeldige byte 0x{raw[err.start]:02x} op regel {line}); "
                "sla het bestand op als 'CSV UTF-8'",
            )
        )
        return None

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, int, list[str]]] = []  # (spreadsheet row, first line, fields)
    try:
        first_line = 1
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                records.append((len(records) + 1, first_line, fields))
            first_line = reader.line_num + 1
    except csv.Error as err:
        problems.append(
            Problem(
                shown,
                len(records) + 1,
                None,
                f"CSV-opmaak klopt niet rond regel {reader.line_num} ({err}); controleer de aanhalingstekens",
            )
        )
        return None
    return _table_from_records(spec, path, shown, records, problems, "een komma of aanhalingsteken staat verkeerd")


def _table_from_records(
    spec: RawFile,
    path: Path,
    shown: str,
    records: list[tuple[int, int, list[str]]],
    problems: list[Problem],
    miscount_hint: str,
) -> Table | None:
    """Check a header and its rows (spreadsheet row, first line, fields) against the contract."""
    if not records:
        problems.append(Problem(shown, None, None, "leeg; de kopregel ontbreekt"))
        return None

    header = [h.strip() for h in records[0][2]]
    expected = spec.header
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"ontbrekende kolommen: {', '.join(missing)}")
        if unknown:
            parts.append(f"onbekende kolommen: {', '.join(unknown)}")
        if len(set(header)) != len(header):
            parts.append("een kolomnaam staat er twee keer in")
        problems.append(
            Problem(
                shown,
                1,
                None,
                f"kopregel klopt niet ({'; '.join(parts)}); verwacht: {','.join(expected)}",
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
        for name, raw_value in zip(header, fields, strict=True):
            value = raw_value.strip()
            col = columns[name]
            if not value:
                values[name] = None
                if col.required:
                    problems.append(Problem(shown, row_no, name, "verplicht veld is leeg"))
                continue
            message = _check_value(col, value)
            if message:
                problems.append(Problem(shown, row_no, name, message))
            values[name] = value
        rows.append((row_no, values))
    return Table(spec, path, shown, rows)


WORKBOOK_SHEETS = {"meting": "measurement.csv", "scores": "scores.csv", "bewijs": "evidence.csv"}
REQUIRED_SHEETS = ("meting", "scores")


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold (3.0 → '3', a date → '2026-10-01')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, data_raw: Path, problems: list[Problem], year: str) -> dict[str, Table]:
    """The filled-in scoring form: sheets meting, scores and (optional) bewijs, same columns as the CSV files.

    An empty measurement_year cell means the year of the folder the form sits in; an empty provenance cell
    becomes the form's own file, sheet and row.
    """
    from openpyxl import load_workbook

    shown = _display(path, data_raw)
    specs = {spec.name: spec for spec in MEASUREMENT_FILES}
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several kinds for a file that is not a workbook
        problems.append(Problem(shown, None, None, f"is geen leesbaar Excel-bestand (.xlsx): {err}"))
        return {}
    tables: dict[str, Table] = {}
    for sheet, file_name in WORKBOOK_SHEETS.items():
        if sheet not in workbook.sheetnames:
            if sheet in REQUIRED_SHEETS:
                problems.append(Problem(f"{shown}, blad '{sheet}'", None, None, "verplicht blad ontbreekt"))
            continue
        records = []
        for row_no, row in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
            fields = [_cell_text(v) for v in row]
            while fields and not fields[-1].strip():
                fields.pop()
            if any(f.strip() for f in fields):
                records.append((row_no, row_no, fields))
        if records:
            width = len(records[0][2])
            records = [(r, line, f + [""] * (width - len(f))) for r, line, f in records]
            header = records[0][2]
            for row_no, _, fields in records[1:]:
                if "measurement_year" in header:
                    at = header.index("measurement_year")
                    fields[at] = fields[at].strip() or year
                if "provenance" in header:  # the form itself is the provenance of what it holds
                    at = header.index("provenance")
                    fields[at] = fields[at].strip() or f"{path.name}, blad '{sheet}', rij {row_no}"
        table = _table_from_records(
            specs[file_name], path, f"{shown}, blad '{sheet}'", records, problems, "er staat iets naast de tabel"
        )
        if table is not None:
            tables[file_name] = table
    workbook.close()
    return tables


def _check_keys(table: Table, problems: list[Problem], fixed: dict[str, str] | None = None) -> None:
    seen: dict[tuple, int] = {}
    for row_no, values in table.rows:
        merged = {**values, **(fixed or {})}
        key = tuple(merged.get(k) or "" for k in table.spec.key)
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
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx" and specs is MEASUREMENT_FILES:
            continue
        if path.is_file() and path.name not in known and not path.name.startswith("."):
            problems.append(
                Problem(
                    _display(path, data_raw),
                    None,
                    None,
                    f"onbekend bestand; toegestaan in deze map: {', '.join(sorted(known))}",
                )
            )
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


@dataclass
class Validation:
    problems: list[Problem]
    measurements: dict[str, dict[str, Table]]  # year → its tables, however they arrived (CSV or Excel)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]


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

    year_dirs = sorted(p for p in measurements_dir.iterdir() if p.is_dir())
    if not year_dirs:
        problems.append(Problem(_display(measurements_dir, data_raw), None, None, "geen enkele meting gevonden"))
    for year_dir in year_dirs:
        if not re.fullmatch(r"\d{4}", year_dir.name):
            problems.append(
                Problem(_display(year_dir, data_raw), None, None, "mapnaam moet het jaar van de meting zijn, bv. 2026")
            )
            continue
        tables = _read_measurement(year_dir, data_raw, problems)
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
        if "scores.csv" in tables:
            _check_score_grid(tables["scores.csv"], domains, problems)
    return Validation(problems, measurements)


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
