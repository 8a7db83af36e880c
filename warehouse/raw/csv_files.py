"""The CSV files of one folder (reference/ or a measurement's), each read strictly against its contract."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from warehouse.raw import limits
from warehouse.raw.contract import MEASUREMENT_FILES, RawFile
from warehouse.raw.csv_format import SAVE_AS, SEPARATOR_NAMES, decode_csv
from warehouse.raw.limits import MAX_COLUMNS, field_too_long, read_bounded, too_many_rows, too_wide
from warehouse.raw.problems import Problem, Table, display_path
from warehouse.raw.records import table_from_records


def read_table(spec: RawFile, path: Path, data_raw: Path, problems: list[Problem]) -> Table | None:
    """Read one CSV strictly (comma or semicolon, UTF-8 or Windows-1252); append problems; None if unreadable."""
    shown = display_path(path, data_raw)
    raw = read_bounded(path)
    decoded = raw if isinstance(raw, str) else decode_csv(raw)
    if isinstance(decoded, str):
        problems.append(Problem(shown, None, None, decoded))
        return None
    text, fmt = decoded
    if not fmt.is_plain:
        problems.append(Problem(shown, None, None, fmt.describe(), is_note=True))
    read = _records(text, fmt.separator, shown, problems)
    if read is None:
        return None
    records, rows_read = read
    name = SEPARATOR_NAMES[fmt.separator]
    table = table_from_records(
        spec, path, shown, records, problems, f"een {name} of aanhalingsteken staat verkeerd", fmt.separator
    )
    if table is not None:
        table.target = path.relative_to(data_raw).as_posix()
        table.verbatim = fmt.is_plain and _as_dbt_reads(spec, records, rows_read)
    return table


def _as_dbt_reads(spec: RawFile, records: list[tuple[int, int, list[str]]], rows_read: int) -> bool:
    """Whether a plain CSV's records are exactly what the build's normalised copy would hold: the contract's header
    as written, no blank row left out, no cell with spaces around its value. Then its bytes are that copy."""
    return (
        records[0][2] == list(spec.header)
        and len(records) == rows_read
        and all(list(map(str.strip, fields)) == fields for _, _, fields in records)
    )


Records = list[tuple[int, int, list[str]]]


def _records(text: str, separator: str, shown: str, problems: list[Problem]) -> tuple[Records, int] | None:
    """Every record that holds something: (spreadsheet row, first line, fields), and how many rows were read. None,
    with the problem, for a file whose quoting is broken or that is wider or longer than the build reads: it stops
    there, unread further."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[tuple[int, int, list[str]]] = []
    keep = records.append
    row_no = 0
    first_line = 1
    last_row = limits.MAX_ROWS + 1  # read here, not per row: at 1000× a file has ~30,000 rows
    try:
        for fields in reader:
            row_no += 1  # every record is a spreadsheet row, an empty one too
            if len(fields) > MAX_COLUMNS or row_no > last_row:
                refusal = too_many_rows() if row_no > last_row else too_wide(len(fields))
                problems.append(Problem(shown, row_no, None, refusal))
                return None
            if (fields and fields[0].strip()) or "".join(fields).strip():  # holds something
                keep((row_no, first_line, fields))
            first_line = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(shown, row_no + 1, None, _quoting_message(err, reader.line_num)))
        return None
    return records, row_no


def _quoting_message(err: csv.Error, line: int) -> str:
    """Python's csv reader in Dutch; its own words (English) never reach a person."""
    if "field larger than field limit" in str(err):
        return field_too_long()
    if "NUL" in str(err):
        return f"regel {line} bevat een nul-teken (byte 0x00), dat in geen tekst hoort; {SAVE_AS}"
    return (
        f"CSV-opmaak klopt niet rond regel {line}; controleer de aanhalingstekens: een veld met een scheidingsteken, "
        "aanhalingsteken of regeleinde erin staat tussen dubbele aanhalingstekens, en een aanhalingsteken in zo'n "
        'veld wordt verdubbeld ("")'
    )


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
