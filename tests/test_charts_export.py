"""Readable charts and exports that stand alone: radar geometry, small multiples, table views, captioned
SVG/PNG, file names, CSV for Dutch Excel, and downloads that are built only when clicked."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

from app.charts import progress, radar
from app.charts.grid import score_grid
from app.charts.svg import svg_img
from app.exports import images, tables
from app.ui import filtering
from tests.helpers import open_app_page

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
SVG = "{http://www.w3.org/2000/svg}"
SOURCE = "Bron: Nulmeting transitiemonitoring, DRIFT en Risbo voor Npuls, maart 2026"


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


@pytest.fixture
def scores() -> pl.DataFrame:
    from app import data

    return data.scores(2025).filter(sector_code="alle")


def markers(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, value written in it) of every marker."""
    root = ET.fromstring(svg)
    circles = [
        (float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle") if c.get("class") == "tm-punt"
    ]
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tm-waarde"]
    assert len(circles) == len(values)
    return [(x, y, v) for (x, y), v in zip(circles, values, strict=True)]


def scale_labels(svg: str) -> list[tuple[float, float, str, float]]:
    """(x, baseline, number, type size) of every scale number."""
    root = ET.fromstring(svg)
    return [
        (float(t.get("x")), float(t.get("y")), t.text, float(t.get("font-size")))
        for t in root.iter(f"{SVG}text")
        if t.get("class") == "tm-schaal"
    ]


# --- The radar --------------------------------------------------------------------------------------------------


def test_radar_markers_never_cover_each_other(scores):
    svg = radar.radar_svg(scores)
    points = markers(svg)
    assert len(points) == 20
    for (x1, y1, _), (x2, y2, _) in itertools.combinations(points, 2):
        # Two markers of radius r are apart when their centres are at least 2r apart.
        assert math.dist((x1, y1), (x2, y2)) >= 2 * radar.MAIN_FRAME.marker_radius, ((x1, y1), (x2, y2))


def test_radar_writes_every_score_in_its_marker(scores):
    svg = radar.radar_svg(scores)
    written = sorted(v for _, _, v in markers(svg))
    assert written == sorted(str(s) for s in scores["score"])
    # Three themes share opbouw 3: their markers sit side by side on one line across the axis, centred on it.
    frame = radar.MAIN_FRAME
    x3, y3 = frame.point("opbouw", 3)
    shared = [(x, y) for x, y, v in markers(svg) if v == "3" and abs(y - y3) < 0.2]
    assert len(shared) == 3
    step = round(frame.marker_spacing)
    assert sorted(round(x - x3) for x, _ in shared) == [-step, 0, step]


def test_radar_scale_numbers_are_never_under_a_marker(scores):
    for svg in [radar.radar_svg(scores), *radar.radar_small_svgs(scores)]:
        labels = scale_labels(svg)
        assert labels, "the scale numbers are drawn"
        radius = float(ET.fromstring(svg).find(f".//{SVG}circle[@class='tm-punt']").get("r"))
        for x, baseline, _, size in labels:
            # A number with its halo is about 0.8 × 1.2 of its type size around its middle.
            middle = baseline - 0.36 * size
            box = (x - 0.4 * size, middle - 0.6 * size, x + 0.4 * size, middle + 0.6 * size)
            for mx, my, _ in markers(svg):
                nearest = (min(max(mx, box[0]), box[2]), min(max(my, box[1]), box[3]))
                assert math.dist(nearest, (mx, my)) > 0.8 * radius, (svg[:80], (x, baseline), (mx, my))
    # Drawn above the lines with a white halo: a line across a number does not hide it.
    assert 'class="tm-schaal"' in radar.radar_svg(scores) and 'paint-order="stroke"' in radar.radar_svg(scores)


def test_small_multiples_one_radar_per_theme(scores):
    svgs = radar.radar_small_svgs(scores, highlight="flexibele_leerroutes")
    assert len(svgs) == 5
    for svg, (name, rows) in zip(svgs, scores.group_by("theme_name", maintain_order=True), strict=True):
        assert name[0].split()[0] in svg  # its title
        ET.fromstring(svg)
        assert svg.count("<polygon") == 1
        assert sorted(v for _, _, v in markers(svg)) == sorted(str(s) for s in rows["score"])
    assert 'stroke="#E69F00" stroke-width="3" rx="8"' in svgs[1]  # the chosen theme is framed in its colour
    together = images.side_by_side(svgs, 2)
    assert ET.fromstring(together) is not None and together.count("<polygon") == 5


def test_radar_table_has_dutch_headers_and_every_score(scores):
    table = radar.radar_table(scores)
    assert table.columns == ["Thema", "Opbouw", "Institutionalisering", "Lock-in (hoger = meer weerstand)", "Afbouw"]
    assert table.height == 5
    assert table.filter(Thema="Flexibele leerroutes").row(0) == ("Flexibele leerroutes", 3, 2, 4, 3)


def test_score_grid_highlights_the_chosen_theme(scores, monkeypatch):
    monkeypatch.setattr(filtering.Filters, "params", lambda self, **extra: {k: v for k, v in extra.items() if v})
    from app import data

    filters = filtering.Filters(year=2025, sector="alle", theme="flexibele_leerroutes", presentation=False)
    grid = score_grid(scores, data.dynamics(), filters)
    body = re.search(r"<tbody>(.*?)</tbody>", grid).group(1)  # the theme rows, not the header or the note below
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    assert len(rows) == 5
    chosen = next(r for r in rows if "Flexibele leerroutes" in r)
    assert "font-weight:700" in chosen and "aria-current=true" in chosen and "opacity" not in chosen
    assert all(r.count("opacity:.45") == 5 for r in rows if r is not chosen)  # name and four cells fade
    plain = score_grid(scores, data.dynamics(), filtering.Filters(2025, "alle", None, False))
    assert "opacity" not in plain


# --- Exports ----------------------------------------------------------------------------------------------------


def test_exported_svg_and_png_carry_title_filters_and_source(scores):
    caption = images.ExportCaption(
        "Radar van de scores per thema",
        "Meetmoment: Nulmeting (2025) · Sector: wo · Thema: Flexibele leerroutes",
        tables.source_text(2025),
    )
    assert caption.source == SOURCE  # from dim_measurement
    svg = images.with_caption(radar.radar_svg(scores, "flexibele_leerroutes"), caption)
    root = ET.fromstring(svg)
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for part in ("Radar van de scores per thema", "Nulmeting (2025)", "Sector: wo", "Flexibele leerroutes", SOURCE):
        assert part in text, part
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    png = Image.open(io.BytesIO(images.svg_to_png(svg)))
    assert png.format == "PNG" and png.size == (round(width * 2), round(height * 2))
    assert height > float(ET.fromstring(radar.radar_svg(scores)).get("viewBox").split()[3]) + 80  # header + footer


def test_export_caption_from_the_filters():
    filters = filtering.Filters(year=2025, sector="wo", theme="flexibele_leerroutes", presentation=False)
    caption = tables.export_caption("Radar", filters)
    assert caption.details == (
        "Meetmoment: Nulmeting (2025) · Sector: wo — de scores gelden voor het hele stelsel (sectorbreed) · "
        "Thema: Flexibele leerroutes"
    )
    assert caption.source == SOURCE
    everything = tables.export_caption("Radar", filtering.Filters(2025, "alle", None, False))
    assert everything.details == "Meetmoment: Nulmeting (2025) · Sector: alle sectoren · Thema: alle thema's"


def test_file_names_carry_the_filters_and_are_safe():
    assert images.file_name("radar", 2025, "wo", "flexibele_leerroutes") == (
        "transitiemonitor-radar-2025-wo-flexibele_leerroutes"
    )
    assert images.file_name("scores", 2025, "alle", None) == "transitiemonitor-scores-2025-alle-sectoren-alle-themas"
    hostile = images.file_name("radar", 2025, "../../etc/passwd", '<script>"ë;|x')
    assert re.fullmatch(r"[a-z0-9_-]+", hostile), hostile
    assert hostile == "transitiemonitor-radar-2025-etc-passwd-script-e-x"


def test_csv_opens_in_columns_in_dutch_excel_and_round_trips():
    table = pl.DataFrame(
        {
            "Thema": ["Één ‘ç’ België", 'tekst met ; en "aanhalingstekens"', "regel\nnieuwe regel"],
            "Sector": [["mbo", "wo"], ["alle"], []],
            "Score": [4, 3, 1],
        }
    )
    data = tables.csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    assert data.decode("utf-8-sig").splitlines()[0] == "Thema;Sector;Score"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1:] == [
        ["Één ‘ç’ België", "mbo, wo", "4"],
        ['tekst met ; en "aanhalingstekens"', "alle", "3"],
        ["regel\nnieuwe regel", "", "1"],
    ]
    assert "Puntkomma" in tables.CSV_HELP and "BOM" in tables.CSV_HELP


def test_excel_has_the_table_and_says_what_it_holds():
    table = pl.DataFrame({"Thema": ["Één"] * 600, "Tekst": ["x" * 300] * 600})
    about = {"Titel": "Scores", "Filters": "Meetmoment: Nulmeting (2025)", "Bron": SOURCE}
    workbook = load_workbook(io.BytesIO(tables.excel_bytes(table, "Scores: [alle]", about)))
    assert workbook.sheetnames == ["Scores- -alle-", "Over deze tabel"]
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 601 and sheet["A2"].value == "Één"
    assert 60 <= sheet.column_dimensions["B"].width <= 70  # capped: fitted on the first rows, not autofit
    info = {row[0].value: row[1].value for row in workbook["Over deze tabel"].iter_rows(min_row=2)}
    assert info["Bron"] == SOURCE


def test_excel_years_are_plain_numbers_headers_dutch_and_long_text_wraps():
    """'2.025' was a year with a thousands separator; the second sheet's header was Excel's own 'Column2'."""
    table = pl.DataFrame({"measurement_year": [2025, 2030], "Onderbouwing": ["lang " * 200, "kort"]})
    workbook = load_workbook(io.BytesIO(tables.excel_bytes(table, "Scores", {"Titel": "Scores"})))
    sheet = workbook.worksheets[0]
    assert sheet["A2"].value == 2025 and sheet["A2"].number_format == "0"
    assert sheet["B2"].alignment.wrap_text
    assert [c.value for c in workbook["Over deze tabel"][1]] == ["Over deze tabel", "Inhoud"]


def test_excel_cuts_an_over_long_cell_with_a_note_in_the_cell_and_on_the_about_sheet():
    table = pl.DataFrame({"Tekst": ["x" * 40_000, "kort"]})
    workbook = load_workbook(io.BytesIO(tables.excel_bytes(table, "t", {"Titel": "t"})))
    cell = workbook.worksheets[0]["A2"].value
    assert len(cell) == 32_767 and cell.endswith("[ingekort: een Excel-cel bevat hoogstens 32.767 tekens]")
    info = {row[0].value: row[1].value for row in workbook["Over deze tabel"].iter_rows(min_row=2)}
    assert info["Ingekort"].startswith("1 cel langer dan Excel toestaat")


def test_column_names_never_carry_a_formula_in_csv_or_excel():
    """A PIVOT on the SQL page makes column names from data: they are guarded like cells."""
    table = pl.DataFrame({'=HYPERLINK("http://evil.example")': ["a"], "＝1+1": ["b"], "gewoon": ["c"]})
    header = next(csv.reader(io.StringIO(tables.csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert header == ['\'=HYPERLINK("http://evil.example")', "'＝1+1", "gewoon"]
    sheet = load_workbook(io.BytesIO(tables.excel_bytes(table, "t"))).worksheets[0]
    assert [c.value for c in sheet[1]] == header


def test_downloads_never_carry_a_formula_or_a_link_from_data():
    """CSV injection: text from data or a form that starts like a formula opens as text in Excel."""
    hostile = ['=HYPERLINK("http://evil.example";"klik")', "+1+1", "-2+3", "@SUM(A1)", "http://evil.example"]
    table = pl.DataFrame({"Tekst": hostile, "Score": [1, 2, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in hostile[:4]] + ["http://evil.example"]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "4", "5"]
    sheet = load_workbook(io.BytesIO(tables.excel_bytes(table, "t"))).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == hostile
    assert {c.data_type for c in cells} == {"s"}  # text, not formulas
    assert not any(c.hyperlink for c in cells)


@pytest.mark.alone  # seconds to build: `make test` runs it after the parallel part
def test_big_table_downloads_are_quick_to_build():
    import time

    table = pl.DataFrame({"Id": range(65_000), "Tekst": ["Een voorbeeld van bewijs met wat tekst erin."] * 65_000})
    started = time.perf_counter()
    tables.excel_bytes(table, "Voorbeelden")
    assert time.perf_counter() - started < 5  # autofit over every cell took 7 s on this machine


# --- On the pages -----------------------------------------------------------------------------------------------


def open_page(page: str = "overzicht", **params: str) -> AppTest:
    return open_app_page(page, timeout=30, **params)


def test_downloads_are_deferred_until_clicked():
    """Every download on the pages is a callable: nothing is written on a rerun (issue #12)."""
    for page, params in (("overzicht", {}), ("voorbeelden", {}), ("thema", {"thema": "flexibele_leerroutes"})):
        at = open_page(page, **params)
        buttons = list(at.get("download_button"))
        assert buttons
        for button in buttons:
            assert button.proto.deferred_file_id and not button.proto.url, (page, button.proto.label)
        assert all(b.proto.help for b in buttons)


def test_download_file_names_carry_the_filters(monkeypatch):
    import streamlit as st
    from streamlit.elements.widgets.button import ButtonMixin

    made: dict[str, tuple[str, object]] = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        made[label] = (file_name, data)
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    open_page(sector="wo", thema="flexibele_leerroutes")
    assert made["Download PNG"][0] == "transitiemonitor-radar-2025-wo-flexibele_leerroutes.png"
    assert made["Download CSV"][0] == "transitiemonitor-scores-2025-wo-flexibele_leerroutes.csv"
    assert made["Hand-out (PowerPoint)"][0] == "transitiemonitor-hand-out-2025-wo-flexibele_leerroutes.pptx"
    assert all(callable(data) for _, data in made.values())
    svg = made["Download SVG"][1]()
    assert b"Sector: wo" in svg and b"Flexibele leerroutes" in svg and SOURCE.encode() in svg
    png = Image.open(io.BytesIO(made["Download PNG"][1]()))
    assert png.format == "PNG" and png.size[0] == 2 * radar.MAIN_WIDTH
    assert made["Download CSV"][1]().startswith(b"\xef\xbb\xbfMeting;Thema;Dynamiek;Sector;Score;Onderbouwing")


def html_table(at) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the chart's table as the page shows it (an HTML table that fits its column)."""
    body = next(h.proto.body for h in at.get("html") if 'class="tm-tabel"' in h.proto.body)
    root = ET.fromstring(re.sub(r"<caption>.*?</caption>", "", body).replace("&nbsp;", " "))
    headers = [th.get("title") for th in root.find("thead").iter("th")]  # the whole name, also where it is short
    rows = [[cell.text for cell in tr] for tr in root.find("tbody").iter("tr")]
    return headers, rows


def test_overzicht_views_together_per_theme_and_table():
    at = open_page()
    views = at.segmented_control(key="radar")
    assert views.options == ["Samen", "Per thema", "Tabel"]
    views.set_value("per_thema").run()
    radars = "".join(h.proto.body for h in at.get("html") if 'class="tm-kleine-radars"' in h.proto.body)
    assert radars.count('alt="Radar. ') == 5 and radars.count('class="tm-klein"') == 5
    assert at.query_params.get("radar") in ("per_thema", ["per_thema"])
    at.segmented_control(key="radar").set_value("tabel").run()
    headers, rows = html_table(at)
    assert headers == ["Thema", "Opbouw", "Institutionalisering", "Lock-in (hoger = meer weerstand)", "Afbouw"]
    assert len(rows) == 5 and all(len(row) == 5 for row in rows)
    assert ["Flexibele leerroutes", "3", "2", "4", "3"] in rows


def test_thema_radar_has_a_table_view():
    at = open_page("thema", thema="flexibele_leerroutes", radar="tabel")
    headers, rows = html_table(at)
    assert headers[0] == "Meetmoment" and rows[0] == ["Nulmeting (2025)", "3", "2", "4", "3"]


def two_measurements(scores: pl.DataFrame, own: tuple[str, str, int] | None = None) -> pl.DataFrame:
    """The nulmeting's scores as two measurements; `own` = (theme, dynamic, year) of a sector's own score."""
    both = pl.concat(
        [
            scores.with_columns(pl.lit(year).alias("measurement_year"), pl.lit(label).alias("label"))
            for year, label in ((2025, "Nulmeting"), (2026, "Meting <b>2026</b> 100%"))
        ]
    )
    mark = pl.lit(False)
    if own:
        theme, dynamic, year = own
        mark = (
            (pl.col("theme_code") == theme) & (pl.col("dynamic_code") == dynamic) & (pl.col("measurement_year") == year)
        )
    return both.with_columns(mark.alias("is_own_sector_score"))


def panel_markers(svg: str) -> dict[str, list[tuple[str, str]]]:
    """Per panel (by its title), (shape, what the marker's title says) of every marker."""
    root = ET.fromstring(svg)
    panels = {}
    for panel in root.iter(f"{SVG}g"):
        if panel.get("class") != "tm-paneel":
            continue
        title = " ".join(t.text for t in panel.iter(f"{SVG}text") if t.get("class") == "tm-paneeltitel")
        panels[title] = [
            (element.tag.removeprefix(SVG), element.find(f"{SVG}title").text)
            for element in panel.iter()
            if "tm-punt" in (element.get("class") or "")
        ]
    return panels


def test_progress_lines_are_plain_svg_with_every_score(scores):
    changes = two_measurements(scores, own=("flexibele_leerroutes", "lock_in", 2026))
    theme_codes = scores["theme_code"].unique(maintain_order=True).to_list()
    svg = progress.progress_lines_svg(changes, theme_codes)
    root = ET.fromstring(svg)
    panels = panel_markers(svg)
    assert len(panels) == 5 and len(list(root.iter(f"{SVG}path"))) == 5 * 4  # a line per dynamic per theme
    for (name,), rows in changes.group_by("theme_name", maintain_order=True):
        drawn = panels[name]  # its title, wrapped over lines
        assert len(drawn) == 2 * 4  # years × dynamics
        for row in rows.iter_rows(named=True):
            what = f"{name} · {row['dynamic_name']}, {row['label']} ({row['measurement_year']}): {row['score']}"
            shapes = [shape for shape, title in drawn if title.startswith(what)]
            assert shapes == ["polygon" if row["is_own_sector_score"] else "circle"], (what, shapes)
    # The one own score is the one diamond; the legend says what a diamond means, and that lower lock-in is better.
    assert [t for p in panels.values() for s, t in p if s == "polygon"] == [
        "Flexibele leerroutes · Lock-in, Meting <b>2026</b> 100% (2026): 4 ◆ eigen sectorscore"
    ]
    legend = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Lock-in (lager = beter)" in legend and "eigen sectorscore" in legend
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 5 and {p.get("stroke") for p in dashed} == {progress.DYNAMIC_COLORS["lock_in"]}
    assert "plotly" not in svg and "<script" not in svg
    # Text at the radar's sizes: labels at least 15 units, so presentation mode keeps them at body size.
    assert min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)) >= 15


def test_progress_lines_download_carries_title_filters_and_source(scores):
    changes = two_measurements(scores)
    caption = images.ExportCaption("Scores over de jaren", "Meetmoment: Nulmeting (2025) tot <b>x</b>", SOURCE)
    svg = progress.progress_lines_svg(changes, ["flexibele_leerroutes"], caption=caption)
    root = ET.fromstring(svg)
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for part in ("Scores over de jaren", "Meetmoment: Nulmeting (2025) tot <b>x</b>", SOURCE, "2025", "2026"):
        assert part in text, part
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg  # text from data stays text
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    png = Image.open(io.BytesIO(images.svg_to_png(svg)))
    assert png.format == "PNG" and png.size == (round(width * 2), round(height * 2))
    table = progress.progress_table(changes.filter(theme_code="flexibele_leerroutes"))
    assert table.columns == ["Thema", "Dynamiek", "Nulmeting (2025)", "Meting <b>2026</b> 100% (2026)"]
    assert table.height == 4


def test_progress_lines_escape_a_hostile_theme_name(scores):
    hostile = '<script>alert(1)</script> & "x" <iframe src=javascript:alert(2)>\x01'
    changes = two_measurements(scores).with_columns(
        pl.when(pl.col("theme_code") == "flexibele_leerroutes")
        .then(pl.lit(hostile))
        .otherwise(pl.col("theme_name"))
        .alias("theme_name")
    )
    svg = progress.progress_lines_svg(changes, ["flexibele_leerroutes"])
    root = ET.fromstring(svg)  # raises on a tag or entity the data broke
    assert not [e for e in root.iter() if e.tag.split("}")[1] in ("script", "iframe", "img", "a", "foreignObject")]
    titles = " ".join(t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "tm-paneeltitel")
    assert "<script>alert(1)</script>" in titles and "\x01" not in svg
    image = svg_img(svg, "Scores over de jaren. " + progress.progress_summary(changes, ["flexibele_leerroutes"]))
    assert "<script>" not in image and "<iframe" not in image
