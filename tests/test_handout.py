"""The meeting handout: a PowerPoint deck of the current selection, read back with python-pptx."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from app.exports import handout
from app.ui import filtering

SOURCE = "Bron: Nulmeting transitiemonitoring, DRIFT en Risbo voor Npuls, maart 2026"


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


def deck(sector: str = "alle", theme: str | None = None, theme_code: str | None = None):
    filters = filtering.Filters(year=2025, sector=sector, theme=theme, presentation=False)
    return Presentation(io.BytesIO(handout.build_handout(handout.handout_data(filters, theme_code))))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def test_deck_of_all_themes(warehouse):
    slides = list(deck().slides)
    assert len(slides) == 2 + 5  # title, overview, one per theme
    for slide in slides:
        assert SOURCE in slide_text(slide)  # the source line on every slide

    title = slide_text(slides[0])
    for part in ("Transitiemonitor", "Meetmoment: Nulmeting (2025)", "Sector: alle sectoren", "Thema: alle thema's"):
        assert part in title
    assert "Hand-out van " in title

    overview = slides[1]
    assert [s for s in overview.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE], "the radar as a picture"
    picture = next(s for s in overview.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture.image.content_type == "image/png" and len(picture.image.blob) > 20_000
    grid = tables(overview)[0]
    header = [cell.text for cell in grid.rows[0].cells]
    assert header == ["Thema", "Opbouw", "Institutionalisering", "Lock-in", "Afbouw"]
    expected = dict(
        warehouse.execute(
            "select t.theme_name || '|' || d.dynamic_name, s.score from fct_score s "
            "join dim_theme t using (theme_code) join dim_dynamic d using (dynamic_code) "
            "where measurement_year = 2025 and sector_code = 'alle'"
        ).fetchall()
    )
    shown = {
        f"{row.cells[0].text}|{header[column]}": int(row.cells[column].text)
        for row in list(grid.rows)[1:]
        for column in range(1, 5)
    }
    assert shown == expected and len(shown) == 20


def test_theme_slide_scores_rubric_question_and_examples(warehouse):
    slides = list(deck().slides)
    theme = next(s for s in slides if slide_text(s).startswith("Flexibele leerroutes"))
    text = slide_text(theme)
    assert "Kritische transitievraag: In hoeverre leidt flexibilisering tot een werkelijk ander systeem" in text
    rows = {row.cells[0].text.split("\n")[0]: row for row in list(tables(theme)[0].rows)[1:]}
    scores = {name: int(row.cells[1].text) for name, row in rows.items()}
    assert scores == {"Opbouw": 3, "Institutionalisering": 2, "Lock-in": 4, "Afbouw": 3}
    assert rows["Lock-in"].cells[2].text.startswith("Niveau 4: ")
    assert "Nieuwe bewegingen buigen snel terug naar het bestaande" in rows["Lock-in"].cells[2].text
    examples = [line for line in text.splitlines() if line.startswith("• ")]
    assert [e.rsplit("(", 1)[1] for e in examples] == ["Opbouw)", "Institutionalisering)", "Lock-in)", "Afbouw)"]
    for slide in slides[2:]:  # one example of each dynamic at most
        assert len([line for line in slide_text(slide).splitlines() if line.startswith("• ")]) <= 4


def test_deck_of_one_theme_and_one_sector():
    slides = list(deck(sector="wo", theme="student_naar_lerende").slides)
    assert len(slides) == 3
    assert "Sector: wo" in slide_text(slides[0]) and "Thema: Van studenten naar lerenden" in slide_text(slides[0])
    assert slide_text(slides[2]).startswith("Van studenten naar lerenden")
    assert "DNA Next" not in slide_text(slides[2])  # an mbo-only example
    assert "DNA Next" in slide_text(list(deck(sector="mbo", theme_code="student_naar_lerende").slides)[2])


def test_hostile_text_stays_plain_text():
    from tests.test_hostile_text import ALL_HOSTILE, BIDI, SCRIPT

    filters = filtering.Filters(year=2025, sector="alle", theme=None, presentation=False)
    base = handout.handout_data(filters)
    themes = base.themes.with_columns(
        theme_name=base.themes["theme_name"] + f" {SCRIPT}\x01",
        transition_question=base.themes["transition_question"] + f" {ALL_HOSTILE}",
    )
    hostile = dataclasses.replace(base, themes=themes, sector=f"wo{SCRIPT}\x0b", theme_filter=BIDI)
    text = "\n".join(slide_text(s) for s in Presentation(io.BytesIO(handout.build_handout(hostile))).slides)
    assert SCRIPT in text and "[phish](http://evil.example)" in text  # shown literally, as typed
    assert "\x01" not in text and "\u202e" not in text


@pytest.mark.alone  # seconds to build: `make test` runs it after the parallel part
def test_handout_builds_quickly():
    filters = filtering.Filters(year=2025, sector="alle", theme=None, presentation=False)
    data = handout.handout_data(filters)
    started = time.perf_counter()
    handout.build_handout(data)
    assert time.perf_counter() - started < 5
