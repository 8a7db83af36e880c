"""The shapes of a hand-out slide: text boxes and table cells in one font, sized by measuring their text
(app.exports.textfit) so that no box overlaps another and no text runs out of its box.

Text in a deck is plain text (PowerPoint shows no HTML or Markdown): it is only cleaned of control characters.
"""

from __future__ import annotations

from app.charts.svg import cell_colors
from app.exports import textfit
from app.text.escape import plain_text

SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5  # inches: 16:9
MARGIN = 0.5
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
FOOTER_TOP = 6.95
GAP = 0.15  # inches between stacked boxes
OWN = "◆"


def add_text(slide, left: float, top: float, width: float, paragraphs: list[str], size: float, **style) -> float:
    """A text box at (left, top) as high as its text needs; returns its bottom edge in inches.
    `style`: bold, colour ('333333'), italic, space_after (points between paragraphs), height (a fixed height)."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    paragraphs = [plain_text(p) for p in paragraphs]
    bold, space_after = style.get("bold", False), style.get("space_after", 0)
    height = style.get("height") or textfit.text_height(paragraphs, width, size, bold, space_after)
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(textfit.INSET)
    frame.margin_top = frame.margin_bottom = Inches(textfit.INSET_VERTICAL)
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.line_spacing = 1.0
        if space_after and index < len(paragraphs) - 1:
            paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = text
        _font(run.font, size, bold, style.get("colour", "111111"), style.get("italic", False))
    return top + height


def _font(font, size: float, bold: bool, colour: str, italic: bool = False) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    font.name, font.size, font.bold, font.italic = textfit.FONT_NAME, Pt(size), bold, italic
    font.color.rgb = RGBColor.from_string(colour)


def fitting_size(text: str, width: float, largest: float, smallest: float, bold: bool = False, lines: int = 1) -> float:
    """The largest font size (in half points) at which `text` takes at most `lines` lines in a box `width` wide."""
    size = largest
    while size > smallest and len(textfit.wrap(text, width, size, bold)) > lines:
        size -= 0.5
    return size


def add_table(slide, left: float, top: float, widths: list[float], heights: list[float]):
    """A table with these column widths and row heights (inches), no banding or theme style."""
    from pptx.util import Inches

    shape = slide.shapes.add_table(
        len(heights), len(widths), Inches(left), Inches(top), Inches(sum(widths)), Inches(sum(heights))
    )
    table = shape.table
    table.first_row = table.horz_banding = False
    for column, width in enumerate(widths):
        table.columns[column].width = Inches(width)
    for row, height in enumerate(heights):
        table.rows[row].height = Inches(height)
    return table


def cell_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """The height a table cell needs for `text` in a column `width` inches wide."""
    return textfit.text_height(plain_text(text).split("\n"), width, size, bold)


def set_cell(cell, text: str, size: float, bold: bool = False, **style) -> None:
    """A cell's text in the deck's font; style: fill ('#hex' or None), colour, align ('left'/'center'),
    anchor ('top'/'middle'/'bottom')."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    cell.text = plain_text(text)
    cell.margin_left = cell.margin_right = Inches(textfit.INSET)
    cell.margin_top = cell.margin_bottom = Inches(textfit.INSET_VERTICAL)
    cell.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[
        style.get("anchor", "top")
    ]
    for paragraph in cell.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.CENTER if style.get("align") == "center" else PP_ALIGN.LEFT
        for run in paragraph.runs:
            _font(run.font, size, bold, style.get("colour", "111111"))
    fill = style.get("fill")
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
    else:
        cell.fill.background()


HEADER_FILL = "#e8eaf0"


def header_cell(cell, text: str, size: float) -> None:
    set_cell(cell, text, size, bold=True, fill=HEADER_FILL, anchor="bottom")


def score_cell(cell, score: dict, higher_is_better: bool, size: float = 18) -> None:
    """A score in the colours of the dashboard's grid, centred in its cell; ◆ marks a sector's own score."""
    background, foreground = cell_colors(int(score["score"]), higher_is_better)
    own = f" {OWN}" if score["sector_code"] != "alle" else ""
    set_cell(
        cell,
        f"{score['score']}{own}",
        size,
        bold=True,
        fill=background,
        colour=foreground.lstrip("#"),
        align="center",
        anchor="middle",
    )
