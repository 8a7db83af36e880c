"""The meeting handout: a PowerPoint deck of the current selection, to print or to send round after the meeting.

`build_handout` is a pure function from `HandoutData` to the bytes of a .pptx file; `handout_data` gathers the
data through app.data; `handout_button` offers the deck on a page and builds it only when clicked.
Text in a deck is plain text (PowerPoint shows no HTML or Markdown): it is only cleaned of control characters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import polars as pl

from app import data
from app.charts.radar import radar_svg
from app.charts.svg import cell_colors
from app.exports import images, tables
from app.text.escape import plain_text
from app.ui import filtering

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EXAMPLES_PER_THEME = 3
EXAMPLE_CHARACTERS = 260  # a handout shows the gist; the dashboard has the whole text
OWN = "◆"


@dataclass(frozen=True)
class HandoutData:
    """Everything a deck shows, gathered beforehand: building it then needs no warehouse and no Streamlit."""

    year: int
    measurement: str  # 'Nulmeting (2025)'
    sector: str  # 'alle sectoren' or a sector code
    theme_filter: str  # "alle thema's" or the chosen theme's name
    source: str  # 'Bron: …' from dim_measurement
    scores: pl.DataFrame  # the scores in scope: the sector's own where given, else sector-wide
    themes: pl.DataFrame  # the themes that get a slide of their own, in the report's order
    dynamics: pl.DataFrame
    rubric: pl.DataFrame
    examples: pl.DataFrame  # illustrative examples of the sector (or sector-wide)
    highlight: str | None  # the chosen theme, highlighted in the radar
    made_on: date


def handout_data(filters: filtering.Filters, theme_code: str | None = None) -> HandoutData:
    """The current selection: meetmoment, sector and theme filter (or one theme, on the Thema page)."""
    chosen = theme_code or filters.theme
    scores, _ = filtering.scores_in_scope(filters)
    themes = data.themes()
    return HandoutData(
        year=filters.year,
        measurement=f"{data.measurement_label(filters.year)} ({filters.year})",
        sector="alle sectoren" if filters.sector == filtering.ALL_SECTORS else filters.sector,
        theme_filter=themes.filter(theme_code=chosen)["theme_name"][0] if chosen else "alle thema's",
        source=tables.source_text(filters.year),
        scores=scores,
        themes=themes.filter(theme_code=chosen) if chosen else themes,
        dynamics=data.dynamics(),
        rubric=data.rubric(),
        examples=data.evidence(year=filters.year, sector_code=filters.sector, kinds=("voorbeeld",)),
        highlight=chosen,
        made_on=date.today(),
    )


def handout_button(filters: filtering.Filters, key: str, theme_code: str | None = None) -> None:
    """'Hand-out (PowerPoint)': its data are gathered and the deck built when the button is clicked, never on a
    rerun (at 1000× the examples alone are tens of thousands of rows, and a page keeps its buttons' callables)."""
    import streamlit as st

    name = images.file_name("hand-out", filters.year, filters.sector, theme_code or filters.theme)
    st.download_button(
        "Hand-out (PowerPoint)",
        lambda: build_handout(handout_data(filters, theme_code)),
        file_name=f"{name}.pptx",
        mime=MIME,
        icon=":material/slideshow:",
        key=key,
        on_click="ignore",
        help="Dia's van deze selectie voor het overleg: de radar, het scoreraster en per thema de scores, wat elk "
        "niveau betekent, de transitievraag en enkele voorbeelden. Met de bron op elke dia.",
    )


# --- The deck ------------------------------------------------------------------------------------------------


def build_handout(handout: HandoutData) -> bytes:
    """A 16:9 deck: title slide, overview (radar and score grid), then one slide per theme. Source on every slide."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    _title_slide(deck, handout)
    _overview_slide(deck, handout)
    for theme in handout.themes.iter_rows(named=True):
        _theme_slide(deck, handout, theme)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _slide(deck, handout: HandoutData, title: str):
    from pptx.util import Inches

    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: every box is placed here
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), title, size=26, bold=True)
    footer = f"{handout.source} · {handout.measurement} · sector: {handout.sector}"
    _text(slide, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.35), footer, size=10, colour="555555")
    return slide


def _text(slide, left, top, width, height, text: str, size: int = 14, bold: bool = False, colour: str = "111111"):
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(plain_text(text).split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor.from_string(colour)
    return frame


def _title_slide(deck, handout: HandoutData) -> None:
    from pptx.util import Inches

    slide = _slide(deck, handout, "Transitiemonitor: staat van transitie")
    lines = [
        f"Meetmoment: {handout.measurement}",
        f"Sector: {handout.sector}",
        f"Thema: {handout.theme_filter}",
        f"Hand-out van {handout.made_on:%d-%m-%Y}",
    ]
    _text(slide, Inches(0.5), Inches(1.6), Inches(12.3), Inches(2.5), "\n".join(lines), size=24)
    _text(
        slide,
        Inches(0.5),
        Inches(4.6),
        Inches(12.3),
        Inches(1.8),
        "Vijf thema's gescoord op vier transitiedynamieken (opbouw, institutionalisering, lock-in, afbouw), "
        "van 1 tot 5. Bij lock-in betekent een hogere score méér weerstand tegen verandering; bij de andere drie "
        f"meer transitie. {OWN} = een eigen score van de sector.",
        size=16,
        colour="333333",
    )


def _overview_slide(deck, handout: HandoutData) -> None:
    from pptx.util import Inches, Pt

    slide = _slide(deck, handout, f"Scores per thema en dynamiek · {handout.measurement}")
    radar = images.svg_to_png(radar_svg(handout.scores, handout.highlight), scale=1.5)
    slide.shapes.add_picture(io.BytesIO(radar), Inches(0.4), Inches(1.2), height=Inches(5.7))
    dynamics = handout.dynamics.to_dicts()
    names = handout.scores.sort("theme_order").select("theme_code", "theme_name").unique(maintain_order=True)
    table = slide.shapes.add_table(
        names.height + 1, len(dynamics) + 1, Inches(7.0), Inches(1.4), Inches(5.9), Inches(0.5 * (names.height + 1))
    ).table
    table.columns[0].width = Inches(2.3)
    for column in range(1, len(dynamics) + 1):
        table.columns[column].width = Inches(0.9)
    _cell(table.cell(0, 0), "Thema", Pt(11), bold=True)
    for column, dynamic in enumerate(dynamics, start=1):
        _cell(table.cell(0, column), dynamic["dynamic_name"], Pt(9), bold=True)
    for row, theme in enumerate(names.iter_rows(named=True), start=1):
        _cell(table.cell(row, 0), theme["theme_name"], Pt(10), bold=theme["theme_code"] == handout.highlight)
        for column, dynamic in enumerate(dynamics, start=1):
            score = handout.scores.filter(theme_code=theme["theme_code"], dynamic_code=dynamic["dynamic_code"])
            if score.height:
                _score_cell(table.cell(row, column), score.row(0, named=True), dynamic["higher_is_better"])
    _text(
        slide,
        Inches(7.0),
        Inches(1.6 + 0.5 * (names.height + 1)),
        Inches(5.9),
        Inches(1.2),
        "Blauw: hoe donkerder, hoe meer transitiedynamiek. Oranje (lock-in): hoe donkerder, hoe meer weerstand."
        + (
            f" {OWN} = eigen score van het {handout.sector}." if (handout.scores["sector_code"] != "alle").any() else ""
        ),
        size=11,
        colour="333333",
    )


def _cell(cell, text: str, size, bold: bool = False, fill: str | None = None, colour: str = "111111") -> None:
    from pptx.dml.color import RGBColor

    cell.text = plain_text(text)
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = size, bold, RGBColor.from_string(colour)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
    else:
        cell.fill.background()


def _score_cell(cell, score: dict, higher_is_better: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    background, foreground = cell_colors(int(score["score"]), higher_is_better)
    own = f" {OWN}" if score["sector_code"] != "alle" else ""
    _cell(cell, f"{score['score']}{own}", Pt(16), bold=True, fill=background, colour=foreground.lstrip("#"))
    cell.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER


def _theme_slide(deck, handout: HandoutData, theme: dict) -> None:
    from pptx.util import Inches, Pt

    slide = _slide(deck, handout, theme["theme_name"])
    question = plain_text(theme["transition_question"]).strip()
    _text(
        slide,
        Inches(0.5),
        Inches(1.05),
        Inches(12.3),
        Inches(0.9),
        f"Kritische transitievraag: {question[:1].upper() + question[1:]}",
        size=15,
        colour="333333",
    )
    scores = handout.scores.filter(theme_code=theme["theme_code"])
    dynamics = handout.dynamics.to_dicts()
    table = slide.shapes.add_table(len(dynamics) + 1, 3, Inches(0.5), Inches(2.0), Inches(7.4), Inches(4.6)).table
    for column, width in enumerate((1.6, 0.8, 5.0)):
        table.columns[column].width = Inches(width)
    for column, header in enumerate(("Dynamiek", "Score", "Wat dit niveau betekent (scoringstabel)")):
        _cell(table.cell(0, column), header, Pt(11), bold=True)
    for row, dynamic in enumerate(dynamics, start=1):
        name = dynamic["dynamic_name"] + ("" if dynamic["higher_is_better"] else "\n(hoger = meer weerstand)")
        _cell(table.cell(row, 0), name, Pt(11), bold=True)
        score = scores.filter(dynamic_code=dynamic["dynamic_code"])
        if score.is_empty():
            _cell(table.cell(row, 1), "–", Pt(14))
            _cell(table.cell(row, 2), "Geen score in deze meting.", Pt(10))
            continue
        _score_cell(table.cell(row, 1), score.row(0, named=True), dynamic["higher_is_better"])
        level = int(score["score"][0])
        descriptors = handout.rubric.filter(dynamic_code=dynamic["dynamic_code"], level=level)["descriptor"]
        _cell(table.cell(row, 2), f"Niveau {level}: " + "; ".join(descriptors) + ".", Pt(10))

    _text(slide, Inches(8.3), Inches(2.0), Inches(4.6), Inches(0.4), "Illustrerende voorbeelden", size=14, bold=True)
    frame = _text(slide, Inches(8.3), Inches(2.45), Inches(4.6), Inches(4.4), "", size=11)
    examples = _examples(handout, theme["theme_code"])
    if not examples:
        frame.paragraphs[0].runs[0].text = "Het rapport geeft bij dit thema geen illustrerende voorbeelden."
    for index, example in enumerate(examples):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        if index == 0:
            paragraph.runs[0].text = ""
        run = paragraph.add_run()
        run.text = "• " + example
        run.font.size = Pt(11)


def _examples(handout: HandoutData, theme_code: str) -> list[str]:
    """Up to three examples of a theme, each of another dynamic where the report gives them, shortened."""
    names = dict(zip(handout.dynamics["dynamic_code"], handout.dynamics["dynamic_name"], strict=True))
    rows = handout.examples.filter(theme_code=theme_code).to_dicts()
    firsts = {row["dynamic_code"]: row for row in reversed(rows)}  # the first example of each dynamic
    chosen = [firsts[code] for code in handout.dynamics["dynamic_code"] if code in firsts]
    chosen += [row for row in rows if row not in chosen]
    texts = []
    for row in chosen[:EXAMPLES_PER_THEME]:
        text = " ".join(plain_text(row["evidence_text"]).split())
        heading = plain_text(row["heading"] or "").strip()
        text = f"{heading}: {text}" if heading else text
        if len(text) > EXAMPLE_CHARACTERS:
            text = text[: EXAMPLE_CHARACTERS - 1].rsplit(" ", 1)[0] + " …"
        texts.append(f"{text} ({names.get(row['dynamic_code'], 'alle dynamieken')})")
    return texts
