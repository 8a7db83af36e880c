"""The meeting handout: a PowerPoint deck of the current selection, to print or to send round after the meeting.

`build_handout` is a pure function from `HandoutData` to the bytes of a .pptx file; `handout_data` gathers the
data through app.data; `handout_button` offers the deck on a page and builds it only when clicked. Every box is
as large as its measured text (app.exports.slides) and placed below or beside the one before it: no two overlap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import polars as pl

from app import data
from app.charts.radar import radar_svg
from app.exports import handout_examples, images, slides, tables, textfit
from app.exports.slides import CONTENT_WIDTH, FOOTER_TOP, GAP, MARGIN, OWN
from app.text.escape import plain_text
from app.ui import filtering

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
RADAR_WIDTH = 6.3  # inches: the radar's labels stay readable, the score table fits beside it
EXAMPLE_SIZES = (13, 12, 11)  # points: the largest at which every example fits whole, else the smallest
# The rubric text: one size across the deck (a reader compares the themes' slides), the largest in half points
# at which the tallest table still fits above the footer.
RUBRIC_SIZES = tuple(12 - step / 2 for step in range(7))  # 12 … 9
HEADER_SIZE = 10
THEME_WIDTH = 1.9  # inches: the overview's theme column at least


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

    @property
    def sector_code(self) -> str:
        return filtering.ALL_SECTORS if self.sector == "alle sectoren" else self.sector

    @property
    def scope_note(self) -> str | None:
        """'Sector: wo — de scores gelden voor het hele stelsel (sectorbreed)' on every slide of a sector's deck."""
        own = int((self.scores["sector_code"] != filtering.ALL_SECTORS).sum()) if self.scores.height else 0
        return images.sector_scores_note(self.sector_code, own, self.scores.height)


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
    """A 16:9 deck: title slide, overview (radar and score grid), then one slide per theme. Source on every slide,
    and for a sector that the scores are sector-wide."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(slides.SLIDE_WIDTH), Inches(slides.SLIDE_HEIGHT)
    _title_slide(deck, handout)
    _overview_slide(deck, handout)
    themes = handout.themes.to_dicts()
    rubric_size = _deck_rubric_size(handout, themes)
    for theme in themes:
        _theme_slide(deck, handout, theme, rubric_size)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _slide(deck, handout: HandoutData, title: str):
    """A blank slide with its title (one line: smaller type for a long one) and the footer; returns the slide
    and the title's bottom edge."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: every box is placed here
    bottom = slides.add_text(slide, MARGIN, TITLE_TOP, CONTENT_WIDTH, [title], _title_size(title), bold=True)
    footer = f"{handout.source} · {handout.measurement} · " + (handout.scope_note or f"Sector: {handout.sector}")
    slides.add_text(slide, MARGIN, FOOTER_TOP, CONTENT_WIDTH, [footer], 10, colour="333333")
    return slide, bottom


def _title_slide(deck, handout: HandoutData) -> None:
    slide, bottom = _slide(deck, handout, "Transitiemonitor: staat van transitie")
    lines = [
        f"Meetmoment: {handout.measurement}",
        f"Sector: {handout.sector}",
        f"Thema: {handout.theme_filter}",
        f"Hand-out van {handout.made_on:%d-%m-%Y}",
    ]
    bottom = slides.add_text(slide, MARGIN, bottom + 0.5, CONTENT_WIDTH, lines, 24, space_after=4)
    about = (
        "Vijf thema's gescoord op vier transitiedynamieken (opbouw, institutionalisering, lock-in, afbouw), "
        "van 1 tot 5. Bij lock-in betekent een hogere score méér weerstand tegen verandering; bij de andere drie "
        f"meer transitie. {OWN} = een eigen score van de sector."
    )
    paragraphs = [about]
    if handout.scope_note:
        paragraphs.append(f"{handout.scope_note}. De voorbeelden gaan over het {handout.sector} of noemen geen sector.")
    slides.add_text(slide, MARGIN, bottom + 0.4, CONTENT_WIDTH, paragraphs, 16, colour="333333", space_after=8)


def _overview_slide(deck, handout: HandoutData) -> None:
    from pptx.util import Inches

    slide, bottom = _slide(deck, handout, f"Scores per thema en dynamiek · {handout.measurement}")
    top = bottom + GAP
    dynamics = handout.dynamics.to_dicts()
    names = handout.scores.sort("theme_order").select("theme_code", "theme_name").unique(maintain_order=True)
    # Every column as wide as its longest word (no word broken), the themes' at least THEME_WIDTH: the radar
    # gets what is left.
    columns = [max(0.9, _widest_word(d["dynamic_name"], HEADER_SIZE) + 2 * textfit.INSET + 0.05) for d in dynamics]
    theme_width = max(THEME_WIDTH, *(_widest_word(n, 11) + 2 * textfit.INSET + 0.05 for n in names["theme_name"]))
    svg = radar_svg(handout.scores, handout.highlight)
    width, height, _ = images.svg_size(svg)
    radar_width = min(RADAR_WIDTH, CONTENT_WIDTH - theme_width - sum(columns) - 0.3)
    radar_height = min(radar_width * height / width, FOOTER_TOP - GAP - top)
    radar_width = radar_height * width / height
    radar = images.svg_to_png(svg, scale=1.5)
    slide.shapes.add_picture(io.BytesIO(radar), Inches(MARGIN), Inches(top), Inches(radar_width), Inches(radar_height))
    left = MARGIN + radar_width + 0.3
    theme_width = MARGIN + CONTENT_WIDTH - left - sum(columns)
    table_bottom = _score_table(slide, handout, (left, top), [theme_width, *columns], names)
    legend = "Blauw: hoe donkerder, hoe meer transitiedynamiek. Oranje (lock-in): hoe donkerder, hoe meer weerstand."
    notes = [legend]
    if (handout.scores["sector_code"] != filtering.ALL_SECTORS).any():
        notes.append(f"{OWN} = eigen score van het {handout.sector}.")
    if handout.scope_note:
        notes.append(handout.scope_note + ".")
    slides.add_text(slide, left, table_bottom + GAP, MARGIN + CONTENT_WIDTH - left, notes, 11, colour="333333")


def _score_table(slide, handout: HandoutData, corner: tuple[float, float], widths: list[float], names) -> float:
    """The 5 × 4 score grid, scores centred in their cells. Returns the table's bottom edge."""
    dynamics = handout.dynamics.to_dicts()
    pairs = zip(dynamics, widths[1:], strict=True)
    heights = [max(slides.cell_height(d["dynamic_name"], w, HEADER_SIZE, True) for d, w in pairs)]
    heights += [max(0.55, slides.cell_height(name, widths[0], 11)) for name in names["theme_name"]]
    table = slides.add_table(slide, *corner, widths, heights)
    slides.header_cell(table.cell(0, 0), "Thema", HEADER_SIZE)
    for column, dynamic in enumerate(dynamics, start=1):
        slides.header_cell(table.cell(0, column), dynamic["dynamic_name"], HEADER_SIZE)
    for row, theme in enumerate(names.iter_rows(named=True), start=1):
        bold = theme["theme_code"] == handout.highlight
        slides.set_cell(table.cell(row, 0), theme["theme_name"], 11, bold=bold, anchor="middle")
        for column, dynamic in enumerate(dynamics, start=1):
            score = handout.scores.filter(theme_code=theme["theme_code"], dynamic_code=dynamic["dynamic_code"])
            if score.height:
                slides.score_cell(table.cell(row, column), score.row(0, named=True), dynamic["higher_is_better"])
            else:
                slides.set_cell(table.cell(row, column), "–", 14, align="center", anchor="middle")
    return corner[1] + sum(heights)


def _widest_word(text: str, size: float) -> float:
    return max(textfit.text_width(word, size, bold=True) for word in text.split())


TITLE_TOP = 0.3
QUESTION_SIZE = 15
RUBRIC_TABLE_WIDTH = 7.4


def _title_size(title: str) -> float:
    return slides.fitting_size(plain_text(title), CONTENT_WIDTH, 26, 18, bold=True, lines=1)


def _question(theme: dict) -> str:
    question = plain_text(theme["transition_question"]).strip()
    return f"Kritische transitievraag: {question[:1].upper() + question[1:]}"


def _rubric_top(theme: dict) -> float:
    """Where a theme slide's rubric table starts: under its title and transition question, as measured."""
    title = plain_text(theme["theme_name"])
    title_height = textfit.text_height([title], CONTENT_WIDTH, _title_size(title), bold=True)
    question_height = textfit.text_height([_question(theme)], CONTENT_WIDTH, QUESTION_SIZE)
    return TITLE_TOP + title_height + question_height + GAP


def _deck_rubric_size(handout: HandoutData, themes: list[dict]) -> float:
    """The largest rubric size at which every theme's table fits its slide (the smallest size if none does)."""

    def fits_every_slide(size: float) -> bool:
        for theme in themes:
            names, texts, widths = _rubric_rows(handout, theme, RUBRIC_TABLE_WIDTH)
            if _rubric_height(names, texts, widths, size) > FOOTER_TOP - GAP - _rubric_top(theme):
                return False
        return True

    return next((size for size in RUBRIC_SIZES if fits_every_slide(size)), RUBRIC_SIZES[-1])


def _theme_slide(deck, handout: HandoutData, theme: dict, rubric_size: float) -> None:
    slide, bottom = _slide(deck, handout, theme["theme_name"])
    top = slides.add_text(slide, MARGIN, bottom, CONTENT_WIDTH, [_question(theme)], QUESTION_SIZE, colour="333333")
    top += GAP
    _rubric_table(slide, handout, theme, (MARGIN, top), RUBRIC_TABLE_WIDTH, rubric_size)
    left = MARGIN + RUBRIC_TABLE_WIDTH + 0.3
    _examples_box(slide, handout, theme, left, top, MARGIN + CONTENT_WIDTH - left)


def _rubric_rows(handout: HandoutData, theme: dict, width: float) -> tuple[list[str], list, list[float]]:
    """The rubric table's dynamic names, (score, level text) per dynamic, and its column widths."""
    dynamics = handout.dynamics.to_dicts()
    scores = handout.scores.filter(theme_code=theme["theme_code"])
    names = [d["dynamic_name"] + ("" if d["higher_is_better"] else "\n(hoger = meer weerstand)") for d in dynamics]
    name_width = max(_widest_word(name, 11) for name in names) + 2 * textfit.INSET + 0.05
    widths = [name_width, 0.9, width - name_width - 0.9]
    texts = []
    for dynamic in dynamics:
        score = scores.filter(dynamic_code=dynamic["dynamic_code"])
        if score.is_empty():
            texts.append((None, "Geen score in deze meting."))
            continue
        level = int(score["score"][0])
        descriptors = handout.rubric.filter(dynamic_code=dynamic["dynamic_code"], level=level)["descriptor"]
        texts.append((score.row(0, named=True), f"Niveau {level}: " + "; ".join(descriptors) + "."))
    return names, texts, widths


def _rubric_table(
    slide, handout: HandoutData, theme: dict, corner: tuple[float, float], width: float, size: float
) -> None:
    """Per dynamic: its name, the score (centred) and what that level means in the scoring table, at the deck's
    one rubric size."""
    left, top = corner
    dynamics = handout.dynamics.to_dicts()
    names, texts, widths = _rubric_rows(handout, theme, width)
    heights = [_header_height(widths), *_row_heights(names, texts, widths, size)]
    table = slides.add_table(slide, left, top, widths, heights)
    for column, text in enumerate(RUBRIC_HEADER):
        slides.header_cell(table.cell(0, column), text, 11)
    for row, (dynamic, name, (score, text)) in enumerate(zip(dynamics, names, texts, strict=True), start=1):
        slides.set_cell(table.cell(row, 0), name, 11, bold=True, anchor="middle")
        if score is None:
            slides.set_cell(table.cell(row, 1), "–", 14, align="center", anchor="middle")
        else:
            slides.score_cell(table.cell(row, 1), score, dynamic["higher_is_better"])
        slides.set_cell(table.cell(row, 2), text, size, anchor="middle")


def _row_heights(names: list[str], texts: list, widths: list[float], size: float) -> list[float]:
    return [
        max(0.5, slides.cell_height(name, widths[0], 11, True), slides.cell_height(text, widths[2], size))
        for name, (_, text) in zip(names, texts, strict=True)
    ]


RUBRIC_HEADER = ("Dynamiek", "Score", "Wat dit niveau betekent (scoringstabel)")


def _header_height(widths: list[float]) -> float:
    return max(slides.cell_height(text, width, 11, True) for text, width in zip(RUBRIC_HEADER, widths, strict=True))


def _rubric_height(names: list[str], texts: list, widths: list[float], size: float) -> float:
    return _header_height(widths) + sum(_row_heights(names, texts, widths, size))


def _examples_box(slide, handout: HandoutData, theme: dict, left: float, top: float, width: float) -> None:
    """'Illustrerende voorbeelden': one per dynamic where the report has one, chosen for the sector."""
    heading = "Illustrerende voorbeelden" + (f" · {handout.sector}" if handout.sector_code != "alle" else "")
    top = slides.add_text(slide, left, top, width, [heading], 14, bold=True)
    rows = handout_examples.choose(handout.examples, handout.dynamics, theme["theme_code"], handout.sector_code)
    gap = 6
    room = FOOTER_TOP - GAP - top - 2 * textfit.INSET_VERTICAL  # the note is a box of its own, with its margins
    for size in EXAMPLE_SIZES:
        examples = handout_examples.fitted(list(rows), handout.dynamics, width, room, size, gap)
        if len(examples) == len(rows) and not any(example.shortened for example in examples):
            break
    if not examples:
        note = ["Het rapport geeft bij dit thema geen illustrerende voorbeelden."]
        slides.add_text(slide, left, top, width, note, size)
        return
    paragraphs = [example.paragraph for example in examples]
    bottom = slides.add_text(slide, left, top, width, paragraphs, size, space_after=gap)
    if any(example.shortened for example in examples):
        note = [handout_examples.SHORTENED_NOTE]
        slides.add_text(slide, left, bottom, width, note, size, italic=True, colour="444444")
