"""Hostile raw files (issue #16): XML entities, zip bombs, huge cells, fields and sheets, non-ASCII digits.

Each is refused before dbt runs, in a Dutch sentence naming the file (sheet, row, column where it applies), the
limit and what to do; the warehouse that was serving keeps serving. The forms here are written by hand (zipfile
and sheet XML), so that they can hold what no spreadsheet program writes.
"""

from __future__ import annotations

import csv
import re
import resource
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from tests.helpers import assert_refused
from tests.test_measurements import FIXTURES, nulmeting_scores
from warehouse.raw import validate
from warehouse.raw.contract import MEASUREMENT_FILES
from warehouse.raw.limits import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS

SPECS = {spec.name: spec for spec in MEASUREMENT_FILES}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"

# Words of the messages Python, openpyxl, expat, defusedxml and dbt give: none belongs in a message for a person.
ENGLISH = re.compile(
    r"\b(error|expected|field|line|unexpected|invalid|not|the|cannot|failed|traceback|exception|larger|limit|"
    r"contains|found|file|entity|entities|forbidden|syntax|undefined|token|memory|bad)\b",
    re.IGNORECASE,
)


def assert_dutch(text: str) -> None:
    found = ENGLISH.findall(text)
    assert not found, f"English in a message for a person ({found}):\n{text[:3000]}"
    assert "Traceback" not in text


class Raw(str):
    """Sheet XML written as is (an entity reference), not escaped as a cell's text."""


def _cell(ref: str | None, value: object) -> str:
    at = f' r="{ref}"' if ref else ""
    if isinstance(value, Raw):
        return f'<c{at} t="inlineStr"><is><t>{value}</t></is></c>'
    if isinstance(value, bool):
        return f'<c{at} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c{at}><v>{value!r}</v></c>"
    if value is None or value == "":
        return ""
    return f'<c{at} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list[object]], doctype: str = "") -> str:
    body = "".join(
        f'<row r="{r}">' + "".join(_cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, 1)) + "</row>"
        for r, row in enumerate(rows, 1)
    )
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return f'{declaration}{doctype}<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


SheetWriter = Callable[[IO[bytes]], None]  # writes a sheet's XML in pieces: a sheet too big to hold in memory


def write_xlsx(
    path: Path,
    sheets: dict[str, str | SheetWriter],
    workbook_doctype: str = "",
    workbook_extra: str = "",
    level: int = 6,
) -> Path:
    """A minimal .xlsx as openpyxl reads it: content types, relationships, the workbook and each sheet's XML."""
    names = list(sheets)
    numbers = range(1, len(names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in numbers
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{workbook_doctype}'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in zip(numbers, names, strict=True))
        + f"</sheets>{workbook_extra}</workbook>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in numbers
        )
        + "</Relationships>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for i, name in zip(numbers, names, strict=True):
            sheet = sheets[name]
            if isinstance(sheet, str):
                archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
                continue
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as target:
                sheet(target)
    return path


def streamed_sheet(header: list[object], row: list[object], count: int, before: str = "") -> SheetWriter:
    """A sheet of `header` and `count` copies of `row` (cells without references, as some programs write them)."""
    head, tail = sheet_xml([header]).split("</sheetData>")
    row_xml = "<row>" + "".join(_cell(None, v) for v in row) + "</row>"

    def write(target: IO[bytes]) -> None:
        target.write(head.encode())
        if before:
            target.write(before.encode())
        block = (row_xml * 1000).encode()
        for _ in range(count // 1000):
            target.write(block)
        target.write((row_xml * (count % 1000)).encode())
        target.write(f"</sheetData>{tail}".encode())

    return write


def form_rows(year: object = "") -> dict[str, list[list[object]]]:
    """A filled-in form for 2026: the meting row and the 20 sector-wide scores; empty year cells mean the folder's."""
    return {
        "meting": [SPECS["measurement.csv"].header, [year, "Meting 2026 (fictief, met de hand geschreven)"]],
        "scores": [
            SPECS["scores.csv"].header,
            *(
                [year, theme, dynamic, "alle", int(score), f"FICTIEF: onderbouwing van {theme} × {dynamic}."]
                for (theme, dynamic), score in nulmeting_scores().items()
            ),
        ],
    }


def write_form(path: Path, rows: dict[str, list[list[object]]] | None = None, **hostile: str) -> Path:
    """`scores_doctype` goes before the sheet 'scores'; workbook_doctype/workbook_extra into xl/workbook.xml."""
    rows = rows or form_rows()
    sheets: dict[str, str | SheetWriter] = {
        name: sheet_xml(r, hostile.get(f"{name}_doctype", "")) for name, r in rows.items()
    }
    return write_xlsx(path, sheets, hostile.get("workbook_doctype", ""), hostile.get("workbook_extra", ""))


FORM = Path("measurements/2026/formulier.xlsx")


def test_hand_written_form_is_valid(data_raw_copy):
    """The forms below differ from this one only in what they try."""
    write_form(data_raw_copy / FORM)
    result = validate(data_raw_copy)
    assert not result.errors, [str(e) for e in result.errors]
    assert len(result.measurements["2026"]["scores.csv"].rows) == 20


# --- 1. XML entities ------------------------------------------------------------------------------------------

XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>\n"
)
ENTITIES = {"externe-entiteit": (XXE, "&xxe;"), "billion-laughs": (LAUGHS, "&lol9;")}


def _hostile_form(path: Path, entity: str, part: str) -> Path:
    doctype, reference = ENTITIES[entity]
    if part == "blad":
        rows = form_rows()
        rows["scores"][1][5] = Raw(reference)
        return write_form(path, rows, scores_doctype=doctype)
    return write_form(
        path,
        workbook_doctype=doctype.replace("worksheet", "workbook"),
        workbook_extra=f'<definedNames><definedName name="x">{reference}</definedName></definedNames>',
    )


@pytest.mark.parametrize("part", ["blad", "werkmap"])
@pytest.mark.parametrize("entity", list(ENTITIES))
def test_xml_entities_are_refused_in_dutch(data_raw_copy, previous_warehouse, entity, part):
    _hostile_form(data_raw_copy / FORM, entity, part)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2026/formulier.xlsx: is geen leesbaar Excel-bestand (.xlsx): het bevat XML die de "
        "bouw weigert (een DTD of entiteit zoals &naam;, of kapotte XML) (in xl/",
        "sla het opnieuw op als 'Excel-werkmap (*.xlsx)'",
    )
    assert "root:" not in text and "lollol" not in text
    assert_dutch(text)


@pytest.fixture(params=["defusedxml", "expat"])
def xml_parser(request, monkeypatch):
    """openpyxl parses with defusedxml when it is installed (as requirements.txt pins it), else with expat."""
    if request.param == "defusedxml":
        assert openpyxl.DEFUSEDXML, "defusedxml is pinned in requirements.txt: pip install -r requirements.txt"
    else:
        from xml.etree.ElementTree import iterparse

        monkeypatch.setattr("openpyxl.worksheet._reader.iterparse", iterparse)
    return request.param


@pytest.mark.parametrize(
    "broken", [Raw("&xxe;"), Raw("<b>"), Raw("\x01")], ids=["entiteit-zonder-dtd", "tag", "stuurteken"]
)
def test_broken_xml_in_a_sheet_is_refused_in_dutch(data_raw_copy, previous_warehouse, xml_parser, broken):
    rows = form_rows()
    rows["scores"][15][5] = broken
    write_form(data_raw_copy / FORM, rows)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2026/formulier.xlsx",
        ": is geen leesbaar Excel-bestand (.xlsx): het bevat XML die de bouw weigert",
        "sla het opnieuw op als 'Excel-werkmap (*.xlsx)'",
    )
    assert_dutch(text)


def test_every_xml_refusal_is_translated():
    """defusedxml's refusals, also as openpyxl passes them on (a ValueError from EntitiesForbidden), and expat's."""
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    from warehouse.raw.workbook import unreadable

    def passed_on(cause: Exception) -> ValueError:
        try:
            raise ValueError("openpyxl") from cause
        except ValueError as err:
            return err

    refusals = [
        EntitiesForbidden("lol", None, None, None, None, None),
        ExternalReferenceForbidden(None, "file:///etc/passwd", None, None),
        DTDForbidden("workbook", None, None),
        passed_on(EntitiesForbidden("xxe", None, None, None, None, None)),
        ParseError("undefined entity"),
        ExpatError("syntax error"),
    ]
    for err in refusals:
        assert "het bevat XML die de bouw weigert" in unreadable(err), err
    assert "de opbouw ervan klopt niet" in unreadable(KeyError("xl/workbook.xml"))


# --- 2. Size limits before anything is unpacked ----------------------------------------------------------------


def _write_bomb(path: Path, cell_bytes: int, level: int) -> Path:
    """A form whose sheet 'scores' has one more row with a cell of `cell_bytes` letters, written in pieces."""
    rows = form_rows()

    def scores(target: IO[bytes]) -> None:
        head, tail = sheet_xml(rows["scores"]).split("</sheetData>")
        target.write(f'{head}<row r="22"><c r="F22" t="inlineStr"><is><t>'.encode())
        chunk = b"A" * 2**20
        for _ in range(cell_bytes // len(chunk)):
            target.write(chunk)
        target.write(f"</t></is></c></row></sheetData>{tail}".encode())

    return write_xlsx(path, {"meting": sheet_xml(rows["meting"]), "scores": scores}, level=level)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_zip_bomb_with_a_400_mb_cell_is_refused_before_unpacking(data_raw_copy, previous_warehouse):
    path = _write_bomb(data_raw_copy / FORM, 400 * 2**20, level=1)
    assert path.stat().st_size < 3 * 2**20
    before = _peak_mb()
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2026/formulier.xlsx: pakt uit tot 400,0 MB; de bouw leest een Excel-werkmap tot "
        "20 MB uitgepakt",
    )
    assert _peak_mb() - before < 100, "the bomb was unpacked"
    assert_dutch(text)


def test_bomb_under_the_size_limit_is_refused_by_its_ratio(data_raw_copy, previous_warehouse):
    _write_bomb(data_raw_copy / FORM, 15 * 2**20, level=9)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2026/formulier.xlsx: pakt uit tot 15,0 MB uit ",
        "zo'n verhouding (meer dan 200×) heeft alleen een zip-bom",
    )
    assert_dutch(text)


def test_workbook_over_the_file_size_limit_is_refused_unread(data_raw_copy, previous_warehouse):
    path = write_form(data_raw_copy / FORM)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/foto.bin", bytes(range(256)) * (MAX_FILE_BYTES // 256 + 4096))
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2026/formulier.xlsx: is 21,0 MB; de bouw leest bestanden tot 20 MB",
    )
    assert_dutch(text)


def test_cell_longer_than_excel_holds_is_named(data_raw_copy, previous_warehouse):
    rows = form_rows()
    rows["scores"][3][5] = "x" * (MAX_CELL_CHARS + 1)
    write_form(data_raw_copy / FORM, rows)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "formulier.xlsx, blad 'scores', rij 4, kolom 'justification': is 32.768 tekens lang; een cel mag hoogstens "
        "32.767 tekens bevatten",
    )
    assert len(text) < 3000 and "xxxxxxxxxx" not in text
    assert_dutch(text)


# --- 3. Rows: a million evidence rows, and the limit itself ----------------------------------------------------


def test_a_million_evidence_rows_are_refused_before_dbt(data_raw_copy, previous_warehouse):
    """The probe: a form with 1,000,000 evidence rows passed the check and ran dbt 311 s until out of memory."""
    row = [2026, "voorbeeld", "digitalisering", "opbouw", 1, "", "", "FICTIEF"]
    sheets: dict[str, str | SheetWriter] = {name: sheet_xml(r) for name, r in form_rows().items()}
    sheets["bewijs"] = streamed_sheet(SPECS["evidence.csv"].header, row, 1_000_000)
    write_xlsx(data_raw_copy / FORM, sheets, level=1)
    text = assert_refused(data_raw_copy, previous_warehouse, "data_raw/measurements/2026/formulier.xlsx: pakt uit tot")
    assert_dutch(text)


def test_rows_over_the_limit_in_a_form_are_refused(data_raw_copy, previous_warehouse):
    """Rows small enough to pass the size limits still stop at the row limit, before dbt and before the last row."""
    sheets: dict[str, str | SheetWriter] = {name: sheet_xml(r) for name, r in form_rows().items()}
    sheets["bewijs"] = streamed_sheet(SPECS["evidence.csv"].header, [1], MAX_ROWS + 5_000)
    write_xlsx(data_raw_copy / FORM, sheets, level=1)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"formulier.xlsx, blad 'bewijs', rij {MAX_ROWS + 2}: meer dan 20.000 rijen onder de kopregel; de bouw leest "
        "hoogstens 20.000 rijen per blad of bestand",
    )
    assert_dutch(text)


def test_rows_over_the_limit_in_a_csv_are_refused(data_raw_copy, previous_warehouse):
    path = data_raw_copy / "measurements" / "2025" / "evidence.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    short = dict(zip(rows[0], rows[1], strict=True)) | {"heading": "", "text": "FICTIEF", "source_line": ""}
    extra = [
        [{**short, "seq": str(seq)}[h] for h in rows[0]] for seq in range(1000, 1000 + MAX_ROWS + 1 - len(rows[1:]))
    ]
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(extra)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/measurements/2025/evidence.csv, rij {MAX_ROWS + 2}: meer dan 20.000 rijen onder de kopregel",
    )
    assert "dubbele regel" not in text  # refused whole, before any row is checked
    assert_dutch(text)


def test_a_row_wider_than_any_table_is_refused(data_raw_copy, previous_warehouse):
    rows = form_rows()
    rows["scores"][5] = rows["scores"][5] + [""] * 16_000 + ["iets ver naast de tabel"]
    write_form(data_raw_copy / FORM, rows)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "formulier.xlsx, blad 'scores', rij 6: reikt tot kolom 16.007; de bouw leest hoogstens 200 kolommen",
    )
    assert_dutch(text)


# --- 4 and 5. Years: ASCII digits in folders and cells ----------------------------------------------------------


@pytest.mark.parametrize("folder", ["２０２６", "٢٠٢٦", "1999", "9999"])
def test_year_folder_must_be_a_plausible_year_in_ascii_digits(data_raw_copy, previous_warehouse, folder):
    """A form with empty year cells takes the folder's year: a full-width ２０２６ reached dbt and failed in English."""
    write_form(data_raw_copy / "measurements" / folder / "formulier.xlsx")
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/measurements/{folder}: mapnaam moet het jaar van de meting zijn, in vier cijfers 0-9 van 2000 "
        "tot en met 2100, bv. 2026",
    )
    assert_dutch(text)


@pytest.mark.parametrize(
    ("file", "column", "value"),
    [
        ("scores.csv", "score", "٣"),
        ("scores.csv", "score", "３"),
        ("scores.csv", "measurement_year", "２０２５"),
        ("evidence.csv", "seq", "１"),
    ],
)
def test_cells_with_other_digits_are_named(data_raw_copy, previous_warehouse, file, column, value):
    path = data_raw_copy / "measurements" / "2025" / file
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        f"data_raw/measurements/2025/{file}, rij 3, kolom '{column}': '{value}' bevat andere cijfers dan 0-9",
        "typ het getal opnieuw met de cijfers 0-9",
    )
    assert_dutch(text)


def test_form_with_other_digits_in_its_year_cells_is_named(data_raw_copy, previous_warehouse):
    write_form(data_raw_copy / FORM, form_rows(year="２０２６"))
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "formulier.xlsx, blad 'meting', rij 2, kolom 'measurement_year': '２０２６' bevat andere cijfers dan 0-9",
        "formulier.xlsx, blad 'scores', rij 2, kolom 'measurement_year'",
    )
    assert_dutch(text)


# --- 7. A 50 MB field in a CSV ---------------------------------------------------------------------------------


def _set_justification(data_raw: Path, value: str) -> None:
    path = data_raw / "measurements" / "2025" / "scores.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][5] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_50_mb_field_is_refused_by_the_file_size(data_raw_copy, previous_warehouse):
    _set_justification(data_raw_copy, "x" * 50 * 2**20)
    text = assert_refused(
        data_raw_copy,
        previous_warehouse,
        "data_raw/measurements/2025/scores.csv: is 50,0 MB; de bouw leest bestanden tot 20 MB",
    )
    assert "verplicht bestand ontbreekt" not in text
    assert_dutch(text)


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (MAX_CELL_CHARS + 1, "scores.csv, rij 4, kolom 'justification': is 32.768 tekens lang"),
        (200_000, "scores.csv, rij 4: een veld is langer dan 32.767 tekens"),
    ],
    ids=["net-te-lang", "voorbij-de-csv-lezer"],
)
def test_a_field_longer_than_a_cell_is_named(data_raw_copy, previous_warehouse, length, expected):
    _set_justification(data_raw_copy, "x" * length)
    text = assert_refused(data_raw_copy, previous_warehouse, expected, "32.767")
    assert "verplicht bestand ontbreekt" not in text and "xxxxxxxxxx" not in text
    assert_dutch(text)


# --- 8. Generated hostile content: valid, or refused in Dutch naming the file; never an exception -------------

HOSTILE = [
    "",
    " ",
    "3",
    "2026",
    "２０２６",
    "٣",
    "³",
    "-1",
    "+3",
    "1e3",
    '=HYPERLINK("http://voorbeeld.nl";"klik")',
    "@SOM(A1)",
    "\t=1",
    "\r",
    "\n",
    '"',
    '""',
    ";",
    ",",
    "|",
    "\x00",
    "\x1b",
    "\u202e",
    "\ufeff",
    "é",
    "€",
    "digitalisering",
    "alle",
    "concept",
    "x" * (MAX_CELL_CHARS + 1),
    "x" * 140_000,
]
# Text without ASCII letters, so that a word found by ENGLISH came from the validator, not from the input.
NO_LETTERS = st.text(
    st.characters(blacklist_characters="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), max_size=6
)
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), NO_LETTERS), max_size=3).map("".join)
TARGET = "data_raw/measurements/2026/"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_valid_or_refused_in_dutch(data_raw: Path) -> None:
    result = validate(data_raw)  # never raises
    event("geldig" if not result.errors else "geweigerd")  # pytest --hypothesis-show-statistics shows the mix
    for problem in result.problems:
        assert_dutch(str(problem))
        assert len(str(problem)) < 2500, "a message a person can read, not the whole cell"
    for error in result.errors:
        assert error.path.startswith(TARGET) or error.path == TARGET.rstrip("/"), str(error)


def _fixture_rows(name: str) -> list[list[str]]:
    with (FIXTURES / "2026" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _serialise(rows: list[list[str]], separator: str, quote_all: bool, line_end: str) -> str:
    def field(value: str) -> str:
        if quote_all or any(c in value for c in f'"{separator}\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(separator.join(field(v) for v in row) + line_end for row in rows)


@st.composite
def hostile_csv(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(["scores.csv", "measurement.csv"]))
    rows = [list(r) for r in _fixture_rows(name)]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row])))
        value = draw(HOSTILE_TEXT)
        if column == len(rows[row]) or draw(st.booleans()) and row > 0 and draw(st.booleans()):
            rows[row].insert(column, value)  # a field too many
        else:
            rows[row][column] = value
    text = _serialise(
        rows,
        draw(st.sampled_from([",", ";", "\t", "|"])),
        draw(st.booleans()),
        draw(st.sampled_from(["\n", "\r\n", "\r"])),
    )
    if draw(st.booleans()):  # a broken quote somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    return name, data + draw(st.binary(max_size=4))


@pytest.fixture
def fuzz_raw(tmp_path) -> Path:
    raw = tmp_path / "data_raw"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data_raw", raw)
    (raw / "measurements" / "2026").mkdir()
    return raw


@FUZZ
@given(content=hostile_csv())
def test_generated_csv_is_valid_or_refused_in_dutch(fuzz_raw, content):
    name, data = content
    folder = fuzz_raw / "measurements" / "2026"
    for fixture in ("measurement.csv", "scores.csv"):
        shutil.copyfile(FIXTURES / "2026" / fixture, folder / fixture)
    (folder / name).write_bytes(data)
    assert_valid_or_refused_in_dutch(fuzz_raw)


CELL = st.one_of(
    HOSTILE_TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from([Raw("&amp;"), Raw("&#1;"), Raw("<b>"), Raw("&lol;"), Raw("\x00")]),
)


@st.composite
def hostile_form(draw) -> dict[str, list[list[object]]]:
    rows = form_rows(draw(st.sampled_from(["", 2026, "２０２６", 2026.0])))
    for _ in range(draw(st.integers(1, 4))):
        sheet = draw(st.sampled_from(["meting", "scores"]))
        row = draw(st.integers(0, len(rows[sheet]) - 1))
        column = draw(st.integers(0, len(rows[sheet][row]) + 1))
        value = draw(CELL)
        rows[sheet][row] += [""] * (column + 1 - len(rows[sheet][row]))
        rows[sheet][row][column] = value
    return rows


@FUZZ
@given(rows=hostile_form())
def test_generated_form_cells_are_valid_or_refused_in_dutch(fuzz_raw, rows):
    sheets = {name: sheet_xml(r) for name, r in rows.items()}
    write_xlsx(fuzz_raw / "measurements" / "2026" / "formulier.xlsx", sheets)
    assert_valid_or_refused_in_dutch(fuzz_raw)


def test_the_fuzzing_helpers_can_fail():
    """assert_dutch catches the words a raw library message would bring."""
    for english in ("field larger than field limit (131072)", "undefined entity: line 2", "EntitiesForbidden"):
        with pytest.raises(AssertionError):
            assert_dutch(english.replace("EntitiesForbidden", "entities forbidden"))
    assert_dutch("data_raw/x.csv, rij 2, kolom 'score': '٣' bevat andere cijfers dan 0-9")
