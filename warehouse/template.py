"""Write the scoring form (scoringsformulier.xlsx) that a programme manager fills in for a new measurement.

`make template` writes data_raw/template/scoringsformulier.xlsx from the reference codes. Its sheets meting,
scores and bewijs have exactly the columns of measurement.csv, scores.csv and evidence.csv; drop-down lists
offer the codes and the scores 1-5.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from warehouse.build import DATA_RAW
from warehouse.raw_contract import EVIDENCE_KINDS, MEASUREMENT_FILES
from warehouse.validate_raw import WORKBOOK_SHEETS

TEMPLATE = DATA_RAW / "template" / "scoringsformulier.xlsx"
ROWS_WITH_LISTS = 500

INSTRUCTIONS = [
    "Scoringsformulier Transitiemonitor — één formulier per meting",
    "",
    "1. Maak in data_raw/measurements/ een map met het jaar van het veldwerk, bijvoorbeeld 2026.",
    "2. Kopieer dit formulier in die map (de naam mag u kiezen, de extensie blijft .xlsx).",
    "3. Vul het blad 'meting' in: één regel met het jaar en de naam van de meting (bijvoorbeeld 'Meting 2026').",
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


def _codes(file_name: str, column: str) -> list[str]:
    with (DATA_RAW / "reference" / file_name).open(encoding="utf-8", newline="") as f:
        return [row[column] for row in csv.DictReader(f)]


def build_template(path: Path = TEMPLATE) -> Path:
    themes = _codes("themes.csv", "theme_code")
    dynamics = _codes("dynamics.csv", "dynamic_code")
    sectors = _codes("sectors.csv", "sector_code")
    specs = {spec.name: spec for spec in MEASUREMENT_FILES}

    workbook = Workbook()
    guide = workbook.active
    guide.title = "uitleg"
    for line in INSTRUCTIONS:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    codes = workbook.create_sheet("codes")
    lists = {
        "thema": themes,
        "dynamiek": dynamics,
        "sector": sectors,
        "score": ["1", "2", "3", "4", "5"],
        "soort": list(EVIDENCE_KINDS),
    }
    ranges = {}
    for index, (name, values) in enumerate(lists.items()):
        letter = chr(ord("A") + index)
        codes[f"{letter}1"] = name
        for row, value in enumerate(values, start=2):
            codes[f"{letter}{row}"] = int(value) if name == "score" else value
        ranges[name] = f"=codes!${letter}$2:${letter}${len(values) + 1}"
    codes.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for sheet_name, file_name in WORKBOOK_SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        header = specs[file_name].header
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        for index, column in enumerate(header, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = 60 if column in ("justification", "text", "scoring_method") else 22
            list_name = {
                "theme_code": "thema",
                "dynamic_code": "dynamiek",
                "sector_code": "sector",
                "score": "score",
                "evidence_kind": "soort",
            }.get(column)
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
        if sheet_name == "scores":
            for theme in themes:
                for dynamic in dynamics:
                    sheet.append(["", theme, dynamic, "alle", None, ""])
            for row in sheet.iter_rows(min_row=2):
                row[header.index("justification")].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = workbook.sheetnames.index("uitleg")
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(f"Scoringsformulier geschreven: {build_template()}")
