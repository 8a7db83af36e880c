"""Text in a spreadsheet the product writes opens as that text: never as a formula, never cut without a word.

A cell that starts with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice as a formula,
one that can fetch a URL (=HYPERLINK, =WEBSERVICE) or run a command: text from data or from a form (a
justification, an agreed note, a name) gets a leading apostrophe, so that it opens as text (CSV/formula
injection). An Excel cell holds at most 32,767 characters: longer text is cut with a note that says so.

One rule for every CSV and Excel file the product writes (the scoring form, downloads, the session log). This
module imports nothing from the project, so the warehouse and the app can both use it.
"""

from __future__ import annotations

import re

# A regular expression as text, so that a polars expression (str.contains) can use it as well
# (app/exports/tables.py). Full-width =, +, - and @ too: Excel reads them as their ASCII forms.
FORMULA_START = r"^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]"
_FORMULA_START = re.compile(FORMULA_START)
EXCEL_CELL_LIMIT = 32_767  # characters (UTF-16 code units) in one Excel cell
CUT_NOTE = " … [ingekort: een Excel-cel bevat hoogstens 32.767 tekens]"
# Characters XML 1.0, and so an .xlsx, cannot hold (openpyxl refuses them), and lone surrogates: shown as �, not
# dropped unseen.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def no_formula(text: str) -> str:
    """The text with a leading apostrophe if a spreadsheet would run it as a formula, else unchanged."""
    return "'" + text if _FORMULA_START.match(text) else text


def formula_safe(value: object) -> object:
    """A cell of a CSV row: text as no_formula makes it, numbers and None as they are."""
    return no_formula(value) if isinstance(value, str) else value


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def excel_cell(text: str) -> tuple[str, bool]:
    """The text as an Excel cell may hold it, and whether it was cut: never a formula, no character XML cannot
    hold, at most EXCEL_CELL_LIMIT characters with a visible note at the end when it was longer."""
    safe = no_formula(_NOT_IN_XML.sub("\ufffd", text))
    if _excel_length(safe) <= EXCEL_CELL_LIMIT:
        return safe, False
    room = EXCEL_CELL_LIMIT - len(CUT_NOTE)
    kept = safe[:room]
    while (excess := _excel_length(kept) - room) > 0:  # a character outside the BMP (😀) counts twice in Excel
        kept = kept[: len(kept) - max(1, excess // 2)]
    return kept + CUT_NOTE, True
