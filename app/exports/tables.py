"""Tables as files that stand alone: CSV for Dutch Excel, an Excel workbook that says what it holds, and the
captions (filters and source) that every download carries."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import polars as pl
import streamlit as st

from app import data
from app.exports import images
from app.text.escape import plain_text
from app.text.numbers import count_words
from app.ui import filter_tools
from app.ui.filtering import ALL_SECTORS, Filters, scores_in_scope
from app.ui.layout import current_page
from warehouse.formula_guard import EXCEL_CELL_LIMIT, FORMULA_START, excel_cell, no_formula

# st.download_button accepts a callable for `data` (Streamlit 1.67): the file is made when the button is clicked,
# not on every rerun. Writing Excel for 65,000 rows took seconds; a rerun now costs nothing for it. The callables
# get everything they need as arguments: they run outside the script run, where st.* does nothing.

EXCEL_AUTOFIT_ROWS = 500  # autofit measures every cell: above this, widths come from the first rows
CSV_HELP = (
    "Puntkomma-gescheiden, UTF-8 met BOM: Nederlandse Excel opent het bestand direct in kolommen, met de accenten goed."
)


def _flat(table: pl.DataFrame) -> pl.DataFrame:
    return table.with_columns(pl.col(c).list.join(", ") for c, t in table.schema.items() if isinstance(t, pl.List))


def _no_formulas(table: pl.DataFrame) -> pl.DataFrame:
    """Text that Excel would run as a formula (=, +, -, @ first) gets a leading apostrophe, in the cells and in the
    column names (a PIVOT on the SQL page makes names from data): a text from data or from a form opens as text,
    never as a formula that fetches or runs something (CSV injection). The rule is warehouse.formula_guard's."""
    guarded = table.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, t in table.schema.items()
        if t == pl.String
    )
    return guarded.rename({c: no_formula(c) for c in guarded.columns if no_formula(c) != c})


def _within_excel_cells(table: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Text as Excel cells hold it (at most 32,767 characters, the cut marked in the cell), and how many were cut.
    Only columns with a text that long are touched: the common case costs one length scan."""
    cut = 0
    for column, dtype in table.schema.items():
        if dtype != pl.String or (table[column].str.len_chars().max() or 0) <= EXCEL_CELL_LIMIT // 2:
            continue
        cells = [excel_cell(v) if v is not None else (None, False) for v in table[column]]
        cut += sum(was_cut for _, was_cut in cells)
        table = table.with_columns(pl.Series(column, [text for text, _ in cells], dtype=pl.String))
    return table, cut


def csv_bytes(table: pl.DataFrame) -> bytes:
    """CSV that Dutch Excel opens in columns: ';' between fields (Excel's list separator with a decimal comma)
    and a UTF-8 byte order mark (so Excel reads the accents as UTF-8); never a formula."""
    return _no_formulas(_flat(table)).write_csv(separator=";").encode("utf-8-sig")


def excel_bytes(table: pl.DataFrame, sheet: str, about: dict[str, str] | None = None) -> bytes:
    """The table as an Excel workbook; `about` (title, filters, source, date) on a second sheet, so the file
    says what it holds. Column widths are fitted on the first EXCEL_AUTOFIT_ROWS rows only."""
    import xlsxwriter

    flat, cut = _within_excel_cells(_flat(table))
    flat = flat.rename({c: no_formula(c) for c in flat.columns if no_formula(c) != c})
    if cut and about is not None:
        about = {**about, "Ingekort": f"{count_words(cut, 'cel', 'cellen')} langer dan Excel toestaat (32.767 tekens)"}
    sample = flat.head(EXCEL_AUTOFIT_ROWS)
    widths = {
        column: min(60, max(len(column), *(len(str(v)) for v in sample[column] if v is not None), 4)) * 7 + 12
        for column in flat.columns
    }
    workbook_file = io.BytesIO()
    # Text stays text: xlsxwriter would otherwise turn '=…' into a formula and 'http…' into a link.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(workbook_file, options) as workbook:
        wrapped = {c: {"text_wrap": True, "valign": "top"} for c, w in widths.items() if w >= 60 * 7 + 12}
        flat.write_excel(
            workbook,
            worksheet=_sheet_name(sheet),
            column_widths=widths,
            column_formats=wrapped or None,
            dtype_formats={pl.Int64: "0", pl.Int32: "0", pl.Int16: "0", pl.Int8: "0", pl.UInt32: "0"},
            autofit=False,
        )
        if about:
            pl.DataFrame(
                {"Over deze tabel": list(about), "Inhoud": [plain_text(v) for v in about.values()]}
            ).write_excel(
                workbook,
                worksheet="Over deze tabel",
                column_widths={"Over deze tabel": 150, "Inhoud": 700},
                column_formats={"Inhoud": {"text_wrap": True, "valign": "top"}},
            )
    return workbook_file.getvalue()


def _sheet_name(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with brackets, colons, stars, slashes or question marks."""
    return re.sub(r"[\[\]:*?/\\]", "-", plain_text(name))[:31] or "Tabel"


def filters_text(filters: Filters, theme_code: str | None = None, measurement: str | None = None) -> str:
    """'Meetmoment: Nulmeting (2025) · Sector: wo · Thema: Flexibele leerroutes' (plain text)."""
    theme_code = theme_code or filters.theme
    theme_names = dict(zip(data.themes()["theme_code"], data.themes()["theme_name"], strict=True))
    sector = "alle sectoren" if filters.sector == ALL_SECTORS else filters.sector
    theme = theme_names.get(theme_code, "alle thema's") if theme_code else "alle thema's"
    measurement = measurement or f"{data.measurement_label(filters.year)} ({filters.year})"
    return f"Meetmoment: {measurement} · Sector: {sector} · Thema: {theme}"


def source_text(year: int) -> str:
    """The source line of a measurement's report, from dim_measurement."""
    measurements = data.measurements()
    row = measurements.filter(measurement_year=year)
    return images.source_line((row if row.height else measurements.tail(1)).row(0, named=True))


def sector_scores_note(filters: Filters) -> str | None:
    """For a sector, what its scores in view are: sector-wide (the X-curve scores the system) or partly its own."""
    scores, _ = scores_in_scope(filters)
    own = int((scores["sector_code"] != ALL_SECTORS).sum()) if scores.height else 0
    return images.sector_scores_note(filters.sector, own, scores.height)


def export_caption(title: str, filters: Filters, theme_code: str | None = None, measurement: str | None = None):
    """Title, filters and source for a downloaded chart; for a sector, what its scores are
    ('Sector: wo — de scores gelden voor het hele stelsel (sectorbreed)')."""
    details = filters_text(filters, theme_code, measurement)
    note = sector_scores_note(filters)
    if note:
        details = details.replace(f"Sector: {filters.sector}", note)
    return images.ExportCaption(title, details, source_text(filters.year))


def table_downloads(
    table: pl.DataFrame | Callable[[], pl.DataFrame],
    name: str,
    key: str,
    title: str | None = None,
    file_name: str | None = None,
    holds_scores: bool = False,
    rows: int | None = None,
) -> None:
    """CSV and Excel downloads of a table as shown, made only when clicked. The file name carries the filters
    (unless `file_name` is given); the Excel file says on a second sheet what it holds, and for a table of
    scores filtered on a sector, that the scores are sector-wide where they are.

    `table` may be a function that fetches the table, with its number of `rows`: then even the query runs only
    when a button is clicked (Voorbeelden, where every typed search would otherwise fetch its whole list)."""
    from datetime import date

    def fetched() -> pl.DataFrame:
        return table() if callable(table) else table

    filters = st.session_state.get("_filters")
    kind = name.removeprefix("transitiemonitor-")
    page_filters = filter_tools.file_name_parts(current_page())  # e.g. a search and an institution on Voorbeelden
    if file_name is None and filters is not None:
        file_name = images.file_name(kind, filters.year, filters.sector, filters.theme, *page_filters)
    file_name = file_name or images.file_name(kind, "", ALL_SECTORS, None)
    about = {"Titel": title or kind.replace("-", " ").capitalize()}
    if filters is not None:
        about["Filters"] = filters_text(filters)
        note = sector_scores_note(filters) if holds_scores else None
        if note:
            about["Sector"] = note
        about["Bron"] = source_text(filters.year)
    extra = filter_tools.page_filter_parts(current_page())
    if extra:  # the page's own filters, e.g. a search on Voorbeelden
        about["Filters op deze pagina"] = " · ".join(extra)
    about["Rijen"] = count_words(table.height if isinstance(table, pl.DataFrame) else rows, "rij", "rijen")
    about["Gedownload op"] = f"{date.today():%d-%m-%Y}"
    row = st.container(horizontal=True)
    row.download_button(
        "Download CSV",
        lambda: csv_bytes(fetched()),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}-csv",
        on_click="ignore",
        help=CSV_HELP,
    )
    row.download_button(
        "Download Excel",
        lambda: excel_bytes(fetched(), about["Titel"], about),
        file_name=f"{file_name}.xlsx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        on_click="ignore",
        help="Excel-werkmap; het tweede blad zegt wat de tabel toont: titel, filters, bron en datum.",
    )
