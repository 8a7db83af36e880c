"""Write the scoring form (scoringsformulier.xlsx) that a programme manager fills in for a new measurement.

`make template` writes data_raw/template/scoringsformulier.xlsx from the reference codes. Its sheets meting,
scores and bewijs have exactly the columns of measurement.csv, scores.csv and evidence.csv; drop-down lists
offer the codes, the scores 1-5 and the status.

`make template JAAR=2026` writes the form for that measurement pre-filled from the warehouse (build first):
the sheet 'meting' says status 'concept'; the sheet 'scores' has, to the right of the columns the experts fill
in (score, justification), grey reference columns with the koersteam's agreed indicative score, the spread of
its votes and the note (fct_session_cell), and the previous measurement's final score and justification
(fct_score). The build never reads those grey columns. The Scoringssessie page offers the same form, with the
live session's agreed scores, as a download for the facilitator.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from warehouse.build import DATA_RAW, WAREHOUSE
from warehouse.formula_guard import excel_cell
from warehouse.raw.contract import (
    CONCEPT,
    EVIDENCE_KINDS,
    FORM_REFERENCE_COLUMNS,
    MEASUREMENT_FILES,
    MEASUREMENT_STATUSES,
    WORKBOOK_SHEETS,
)

TEMPLATE = DATA_RAW / "template" / "scoringsformulier.xlsx"
ROWS_WITH_LISTS = 500

INSTRUCTIONS = [
    "Scoringsformulier Transitiemonitor — één formulier per meting",
    "",
    "1. Maak in data_raw/measurements/ een map met het jaar van het veldwerk, bijvoorbeeld 2026.",
    "2. Kopieer dit formulier in die map (de naam mag u kiezen, de extensie blijft .xlsx).",
    "3. Vul het blad 'meting' in: één regel met het jaar en de naam van de meting (bijvoorbeeld 'Meting 2026').",
    "   Status: leeg of 'vastgesteld' = de scores zijn definitief; 'concept' = de meting loopt nog (dan mogen",
    "   scores ontbreken en toont het dashboard ze nog niet).",
    "4. Vul op het blad 'scores' bij elke regel de score (1-5) en de onderbouwing in. De 20 sectorbrede regels",
    "   (sector_code 'alle') staan klaar en zijn verplicht. Scores voor één sector (mbo, hbo, wo) mag u",
    "   toevoegen als extra regels; die mogen een deel van de thema's en dynamieken beslaan.",
    "5. Bewijs (voorbeelden, variatie) komt op het blad 'bewijs', één stuk per regel (mag leeg blijven).",
    "6. Voer `make build` uit. Klopt er iets niet, dan noemt de melding het blad, de rij en de kolom, en blijft",
    "   het dashboard de vorige gegevens tonen. Het dashboard ziet een geslaagde bouw bij de volgende klik.",
    "",
    "Regels: de kolomnamen in rij 1 niet veranderen; codes kiest u uit de keuzelijsten; lege kolom",
    "measurement_year betekent het jaar van de map. Een jaar staat maar één keer in data_raw: óf dit formulier,",
    "óf CSV-bestanden. Lock-in: een hogere score betekent méér weerstand tegen verandering.",
]


def prefilled_instructions(year: int, previous_label: str | None) -> list[str]:
    previous = f"de vastgestelde score en onderbouwing van de {previous_label}" if previous_label else "(geen eerdere)"
    return [
        f"Scoringsformulier Transitiemonitor — meting {year}, vooringevuld uit de scoringssessie",
        "",
        "Voor de experts van Risbo en DRIFT die de scores vaststellen.",
        "",
        "Blad 'scores': vul per regel de kolommen score (1-5, keuzelijst) en justification (de onderbouwing) in.",
        "Rechts daarvan staan grijze kolommen om te lezen, niet om in te vullen; de bouw leest ze niet:",
        "   indicatief_score        de indicatieve score die het koersteam in de scoringssessie afsprak",
        "   indicatief_spreiding    hoe de stemmen verdeeld waren (laagste–hoogste, mediaan, aantal stemmen)",
        "   indicatief_toelichting  de toelichting van de begeleider bij die afspraak, en welke sessie",
        f"   vorige_score / vorige_onderbouwing   {previous}",
        "",
        "Blad 'meting': de status staat op 'concept'. Zolang dat zo is, mag het formulier half ingevuld in",
        f"data_raw/measurements/{year}/ staan: de bouw slaagt, het dashboard toont de indicatieve scores (gemarkeerd",
        "'indicatief') en nog geen vastgestelde. Zet de status op 'vastgesteld' zodra alle 20 sectorbrede scores",
        "met onderbouwing zijn ingevuld: dan zijn het de scores van deze meting, ook op de pagina Voortgang.",
        "",
        *INSTRUCTIONS[2:],
    ]


@dataclass(frozen=True)
class Indicative:
    """What a scoring session agreed for one theme × dynamic, for the form's reference columns."""

    score: int | None
    note: str
    votes: int
    low: int | None
    high: int | None
    median: float | None
    session: str  # e.g. 'sessie ABC123 van 2026-03-02'


@dataclass(frozen=True)
class Previous:
    """The previous measurement's final sector-wide scores: (theme, dynamic) → (score, justification)."""

    year: int
    label: str
    scores: Mapping[tuple[str, str], tuple[int, str]]


def _codes(file_name: str, column: str) -> list[str]:
    with (DATA_RAW / "reference" / file_name).open(encoding="utf-8", newline="") as f:
        return [row[column] for row in csv.DictReader(f)]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def spread_text(cell: Indicative) -> str:
    if not cell.votes:
        return "geen stemmen"
    spread = f"{cell.low}–{cell.high}" if cell.low != cell.high else f"eensgezind {cell.low}"
    median = f", mediaan {_number(cell.median)}" if cell.median is not None else ""
    return f"{spread}{median}, {cell.votes} {'stem' if cell.votes == 1 else 'stemmen'}"


def build_template(
    path: Path | None = TEMPLATE,
    *,
    year: int | None = None,
    label: str = "",
    indicative: Mapping[tuple[str, str], Indicative] | None = None,
    previous: Previous | None = None,
) -> Path | bytes:
    """The blank form (year None), or the form for `year` pre-filled with status 'concept', the indicative
    scores and the previous measurement's final scores. Written to `path`, or returned as bytes (path None).

    Every text goes in as text: a justification or note starting with '=' opens as that text, never as a formula
    (formula_guard), and a text longer than a cell holds is cut with a note that says so."""
    themes = _codes("themes.csv", "theme_code")
    dynamics = _codes("dynamics.csv", "dynamic_code")
    specs = {spec.name: spec for spec in MEASUREMENT_FILES}
    prefilled = year is not None

    workbook = Workbook()
    guide = workbook.active
    guide.title = "uitleg"
    for line in prefilled_instructions(year, previous.label if previous else None) if prefilled else INSTRUCTIONS:
        _append(guide, [line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    ranges = _write_code_lists(workbook, themes, dynamics)

    for sheet_name, file_name in WORKBOOK_SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        header = specs[file_name].header
        if sheet_name == "meting":  # the status where it is seen: right after the name
            header.remove("status")
            header.insert(2, "status")
        reference_columns = list(FORM_REFERENCE_COLUMNS) if sheet_name == "scores" and prefilled else []
        _write_header(sheet, header, reference_columns, ranges)
        if sheet_name == "meting" and prefilled:
            row = dict.fromkeys(header, None)
            row.update(measurement_year=year, label=label or f"Meting {year}", status=CONCEPT)
            _append(sheet, [row[c] for c in header])
        if sheet_name == "scores":
            for theme in themes:
                for dynamic in dynamics:
                    _append(sheet, _score_row(theme, dynamic, indicative or {}, previous, prefilled))
            _style_score_rows(sheet, header, prefilled)
    workbook.active = workbook.sheetnames.index("uitleg")
    _text_as_text(workbook)
    if path is None:
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _append(sheet: Worksheet, values: list[object]) -> None:
    """A row whose texts are safe in a cell: never a formula, never longer than a cell holds (formula_guard)."""
    sheet.append([excel_cell(v)[0] if isinstance(v, str) else v for v in values])


def _text_as_text(workbook: Workbook) -> None:
    """Every text cell typed as text (openpyxl would type a text starting with '=' as a formula)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"


def _write_code_lists(workbook: Workbook, themes: list[str], dynamics: list[str]) -> dict[str, str]:
    """The hidden sheet 'codes' with the drop-down lists; each list's range by name."""
    codes = workbook.create_sheet("codes")
    lists = {
        "thema": themes,
        "dynamiek": dynamics,
        "sector": _codes("sectors.csv", "sector_code"),
        "score": ["1", "2", "3", "4", "5"],
        "soort": list(EVIDENCE_KINDS),
        "status": list(MEASUREMENT_STATUSES),
    }
    ranges = {}
    for index, (name, values) in enumerate(lists.items()):
        letter = chr(ord("A") + index)
        codes[f"{letter}1"] = name
        for row, value in enumerate(values, start=2):
            codes[f"{letter}{row}"] = int(value) if name == "score" else excel_cell(value)[0]
        ranges[name] = f"=codes!${letter}$2:${letter}${len(values) + 1}"
    codes.sheet_state = "hidden"
    return ranges


HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
REFERENCE_FILL = PatternFill("solid", fgColor="EDEDED")
WIDE_COLUMNS = ("justification", "text", "scoring_method", "indicatief_toelichting", "vorige_onderbouwing")
LIST_OF_COLUMN = {
    "theme_code": "thema",
    "dynamic_code": "dynamiek",
    "sector_code": "sector",
    "score": "score",
    "evidence_kind": "soort",
    "status": "status",
}


def _write_header(sheet: Worksheet, header: list[str], reference_columns: list[str], ranges: dict[str, str]) -> None:
    """The header row (grey and commented for the reference columns), column widths and drop-down lists."""
    _append(sheet, header + reference_columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = REFERENCE_FILL if cell.value in reference_columns else HEADER_FILL
        if cell.value in reference_columns:
            cell.comment = Comment("Ter informatie: wordt niet ingelezen. Vul score en justification in.", "")
    for index, column in enumerate(header + reference_columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 60 if column in WIDE_COLUMNS else 22
        list_name = LIST_OF_COLUMN.get(column)
        if list_name:
            validation = DataValidation(
                type="list",
                formula1=ranges[list_name],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Ongeldige waarde",
                error=f"Kies een waarde uit de lijst ({list_name}).",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{ROWS_WITH_LISTS}")
    sheet.freeze_panes = "A2"


def _score_row(
    theme: str,
    dynamic: str,
    indicative: Mapping[tuple[str, str], Indicative],
    previous: Previous | None,
    prefilled: bool,
) -> list[object]:
    """One sector-wide score to fill in; pre-filled, with the session's agreement and the previous final score."""
    values: list[object] = ["", theme, dynamic, "alle", None, ""]
    if not prefilled:
        return values
    cell = indicative.get((theme, dynamic))
    before = previous.scores.get((theme, dynamic)) if previous else None
    values += [None, None]  # provenance, source_line: the build fills in the form's own
    values += [
        cell.score if cell else None,
        spread_text(cell) if cell else "",
        (f"{cell.note} ({cell.session})" if cell.note else f"({cell.session})") if cell else "",
        before[0] if before else None,
        before[1] if before else "",
    ]
    return values


def _style_score_rows(sheet: Worksheet, header: list[str], prefilled: bool) -> None:
    wrap = [header.index("justification")] + [len(header) + i for i in (2, 4)] * prefilled
    for row in sheet.iter_rows(min_row=2):
        for at in wrap:
            row[at].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[len(header) :]:
            cell.fill = REFERENCE_FILL


def from_warehouse(warehouse: Path, year: int) -> tuple[str, dict[tuple[str, str], Indicative], Previous | None]:
    """The measurement's label, its sessions' indicative scores and the previous final measurement, as the
    warehouse has them (fct_session_cell, fct_score, dim_measurement)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        label_row = con.execute("select label from dim_measurement where measurement_year = ?", [year]).fetchone()
        cells = con.execute(
            "select theme_code, dynamic_code, agreed_score, coalesce(agreed_note, ''), vote_count, min_score, "
            "max_score, median_score, join_code, cast(session_opened_at as date) from fct_session_cell "
            "where measurement_year = ? and is_latest_for_cell",
            [year],
        ).fetchall()
        previous_row = con.execute(
            "select measurement_year, label from dim_measurement where status = 'vastgesteld' and measurement_year < ? "
            "order by measurement_year desc limit 1",
            [year],
        ).fetchone()
        previous = None
        if previous_row:
            scores = con.execute(
                "select theme_code, dynamic_code, score, justification from fct_score "
                "where measurement_year = ? and sector_code = 'alle'",
                [previous_row[0]],
            ).fetchall()
            previous = Previous(previous_row[0], previous_row[1], {(t, d): (s, j) for t, d, s, j in scores})
    finally:
        con.close()
    indicative = {
        (t, d): Indicative(score, note, votes, low, high, median, f"sessie {code} van {opened}")
        for t, d, score, note, votes, low, high, median, code, opened in cells
    }
    return (label_row[0] if label_row else f"Meting {year}"), indicative, previous


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jaar", type=int, help="vooringevuld formulier voor deze meting (uit het warehouse)")
    parser.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    parser.add_argument("--uit", type=Path, help="waar het formulier komt (standaard: scoringsformulier-<jaar>.xlsx)")
    args = parser.parse_args(argv)
    if args.jaar is None:
        print(f"Scoringsformulier geschreven: {build_template(args.uit or TEMPLATE)}")
        return 0
    if not args.warehouse.exists():
        print(f"Geen warehouse op {args.warehouse}: voer eerst `make build` uit.")
        return 1
    label, indicative, previous = from_warehouse(args.warehouse, args.jaar)
    target = args.uit or Path(f"scoringsformulier-{args.jaar}.xlsx")
    build_template(target, year=args.jaar, label=label, indicative=indicative, previous=previous)
    agreed = sum(1 for c in indicative.values() if c.score is not None)
    print(
        f"Vooringevuld scoringsformulier geschreven: {target} ({agreed} afgesproken indicatieve scores"
        + (f"; vorige meting: {previous.label} {previous.year})" if previous else "; geen eerdere meting)")
        + f". Zet het in data_raw/measurements/{args.jaar}/ en laat de experts score en justification invullen."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
