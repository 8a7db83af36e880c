"""What the build reads at most, checked before a file is read or unpacked, each refusal a Dutch sentence.

Measured on the real data_raw/ (nulmeting 2025, December 2026): the largest file is evidence.csv at 68 KB; the
filled-in form is 10 KB and unpacks to 36 KB (4.3× its size); the longest field is 2,802 characters (a
justification in scores.csv); the most rows are 135 (evidence.csv); the widest table has 14 columns. Every
limit sits far above that, and above a form of 20,000 evidence rows (0.65 MB, 9.7 MB unpacked, 15×): the margin
is in each comment. A real file never meets them; a zip bomb, a runaway export or a pasted database does, and
is refused before it costs memory or a dbt run (1,000,000 rows ran dbt for 311 s until out of memory).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILE_BYTES = 20 * 2**20  # one CSV or .xlsx on disk: ~300× the largest real file (68 KB)
# An .xlsx unpacked: ~550× the real form (36 KB), 2× a 20,000-row form (9.7 MB). It also bounds the time a forged
# form costs: openpyxl parses a sheet without a <dimension> whole to look for one, at ~0.5-0.7 s per MB here.
MAX_UNPACKED_BYTES = 20 * 2**20
# Unpacked size over packed size. Real forms: 4–15×; 2,000 rows with one identical 2,000-character text: 53×.
# A zip bomb: ~1,000× (a 400 MB cell in 418 KB). Only checked from 1 MB unpacked: below that nothing can hurt.
MAX_PACKING_RATIO = 200
RATIO_CHECKED_FROM = 2**20
MAX_CELL_CHARS = 32_767  # what one Excel cell holds; ~12× the longest real field (2,802)
MAX_ROWS = 20_000  # rows under the header, per file or sheet: ~150× the most real rows (135); dbt builds that
MAX_COLUMNS = 200  # per row of a sheet or CSV: ~14× the widest table (14; 19 with the form's reference columns)
EXCEL_LAST_ROW = 1_048_576  # no spreadsheet has a row beyond it; a row number past it is a forged file
YEARS = range(2000, 2101)  # a measurement's year, in its folder's name and in its cells
TO_THE_KEEPER = "of vraag wie het warehouse beheert om de grens te verhogen"
UNREADABLE = "kan niet worden gelezen: het is geen gewoon bestand, of de rechten ontbreken"


def number(value: int) -> str:
    """32767 → '32.767', as a Dutch reader writes it."""
    return f"{value:,}".replace(",", ".")


def size_text(size: int) -> str:
    """2**20 * 400 → '400,0 MB'; under a megabyte in kilobytes (41 KB)."""
    if size < 2**20:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / 2**20:.1f}".replace(".", ",") + " MB"


def read_bounded(path: Path) -> bytes | str:
    """The file's bytes, or a Dutch refusal if it is over MAX_FILE_BYTES: never more than that is read, even from
    a file that lies about its size (a device, a growing file)."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return UNREADABLE
    if len(data) > MAX_FILE_BYTES:
        return file_too_large(max(path.stat().st_size, len(data)))
    return data


def file_too_large(size: int) -> str:
    return (
        f"is {size_text(size)}; de bouw leest bestanden tot {MAX_FILE_BYTES // 2**20} MB (het grootste echte "
        f"bestand is 68 KB). Haal weg wat er niet in hoort (afbeeldingen, andere gegevens), {TO_THE_KEEPER}"
    )


def workbook_refusal(path: Path) -> str | None:
    """A Dutch refusal for an .xlsx that is too large on disk or unpacked, or not a zip archive at all; read from
    the archive's directory only, before anything is unpacked. None if it may be read."""
    try:
        size = path.stat().st_size
    except OSError:
        return UNREADABLE
    if size > MAX_FILE_BYTES:
        return file_too_large(size)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return (
            "is geen leesbaar Excel-bestand (.xlsx): het is geen zip-archief, zoals elke Excel-werkmap. Open het in "
            "Excel en sla het op als 'Excel-werkmap (*.xlsx)', of lever de meting als CSV-bestanden"
        )
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"pakt uit tot {size_text(unpacked)}; de bouw leest een Excel-werkmap tot "
            f"{MAX_UNPACKED_BYTES // 2**20} MB uitgepakt (een ingevuld formulier is minder dan 1 MB). Haal weg wat "
            f"er niet in hoort (afbeeldingen, extra bladen), lever de meting als CSV-bestanden, {TO_THE_KEEPER}"
        )
    if unpacked > RATIO_CHECKED_FROM and unpacked > MAX_PACKING_RATIO * packed:
        return (
            f"pakt uit tot {size_text(unpacked)} uit {size_text(packed)}, {unpacked // packed}× zo groot; zo'n "
            f"verhouding (meer dan {MAX_PACKING_RATIO}×) heeft alleen een zip-bom, geen ingevuld formulier. Open "
            "het bestand in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)', of lever de meting als "
            "CSV-bestanden"
        )
    return None


def too_many_rows() -> str:
    return (
        f"meer dan {number(MAX_ROWS)} rijen onder de kopregel; de bouw leest hoogstens {number(MAX_ROWS)} rijen per "
        "blad of bestand (de grootste echte tabel heeft er 135). Haal lege, dubbele of vreemde rijen weg, "
        f"{TO_THE_KEEPER}"
    )


def too_wide(width: int) -> str:
    return (
        f"reikt tot kolom {number(width)}; de bouw leest hoogstens {MAX_COLUMNS} kolommen per blad of bestand. Haal "
        "weg wat rechts naast de tabel staat (ook lege cellen met opmaak)"
    )


def beyond_excel() -> str:
    return (
        f"heeft een rijnummer voorbij {number(EXCEL_LAST_ROW)}, de laatste rij die Excel kent; zo'n bestand komt "
        "niet uit een spreadsheetprogramma. Open het in Excel en sla het opnieuw op als 'Excel-werkmap (*.xlsx)'"
    )


def cell_too_long(length: int) -> str:
    return (
        f"is {number(length)} tekens lang; een cel mag hoogstens {number(MAX_CELL_CHARS)} tekens bevatten (zoveel "
        "houdt een Excel-cel). Kort de tekst in of verdeel haar over meer regels"
    )


def field_too_long() -> str:
    """For a CSV field so long that the reader stops before its column is known."""
    return (
        f"een veld is langer dan {number(MAX_CELL_CHARS)} tekens, wat een Excel-cel hoogstens houdt; vaak staat er "
        "een aanhalingsteken te veel, zodat de rest van het bestand één veld lijkt. Controleer de aanhalingstekens "
        "en kort lange teksten in"
    )


def is_year_folder(name: str) -> bool:
    """Four ASCII digits ('２０２６' is no folder name for a year: dbt reads it as text) in the range of YEARS."""
    return len(name) == 4 and name.isascii() and name.isdigit() and int(name) in YEARS
