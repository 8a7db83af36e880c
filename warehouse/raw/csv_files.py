"""The CSV files of one folder (reference/ or a measurement's), each read strictly against its contract."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from warehouse.raw.contract import MEASUREMENT_FILES, RawFile
from warehouse.raw.csv_format import SEPARATOR_NAMES, decode_csv
from warehouse.raw.problems import Problem, Table, display_path
from warehouse.raw.records import table_from_records


def read_table(spec: RawFile, path: Path, data_raw: Path, problems: list[Problem]) -> Table | None:
    """Read one CSV strictly (comma or semicolon, UTF-8 or Windows-1252); append problems; None if unreadable."""
    shown = display_path(path, data_raw)
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
    table = table_from_records(
        spec, path, shown, records, problems, f"een {name} of aanhalingsteken staat verkeerd", fmt.separator
    )
    if table is not None:
        table.target = path.relative_to(data_raw).as_posix()
    return table


def read_group(
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
            problems.append(Problem(display_path(path, data_raw), None, None, _other_spreadsheet(path)))
        else:
            problems.append(
                Problem(
                    display_path(path, data_raw),
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
                problems.append(Problem(display_path(path, data_raw), None, None, "verplicht bestand ontbreekt"))
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
