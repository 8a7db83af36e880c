"""How much room a text takes on a slide: measured with the font the deck names (Arial, which LibreOffice
draws with the metric-compatible Liberation Sans), so the hand-out can size its boxes and shorten its examples
before PowerPoint ever opens it, and a test can check that every text fits its box.

Without the font file (a bare machine) widths are estimated on the wide side: a box that fits the estimate
fits the real text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_NAME = "Arial"
FONT_FILES = {
    False: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    True: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
}
LINE_SPACING = 1.2  # a line is this many times the font size high (PowerPoint's and LibreOffice's single spacing)
FALLBACK_EM = {False: 0.6, True: 0.66}  # average character width without the font file, in em: on the wide side
INSET = 0.1  # inches of margin left and right inside a text box or table cell (PowerPoint's default)
INSET_VERTICAL = 0.05  # top and bottom
POINTS_PER_INCH = 72


@lru_cache(maxsize=8)
def _font(size: float, bold: bool):
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(FONT_FILES[bold]), size=max(1, round(size * 10)))  # tenths of a point
    except (OSError, ImportError):
        return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of `text` in inches at `size` points."""
    font = _font(size, bold)
    if font is None:
        return len(text) * size * FALLBACK_EM[bold] / POINTS_PER_INCH
    return font.getlength(text) / 10 / POINTS_PER_INCH


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines a paragraph breaks into in a box `width` inches wide (insets included), breaking between words
    only. A word wider than the box stays on a line of its own: `longest_word_fits` says whether that happens."""
    room = width - 2 * INSET
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def longest_word_fits(text: str, width: float, size: float, bold: bool = False) -> bool:
    """Whether every word fits on a line of a box `width` inches wide: else PowerPoint breaks it mid-word."""
    return all(text_width(word, size, bold) <= width - 2 * INSET for word in text.split())


def text_height(paragraphs: list[str], width: float, size: float, bold: bool = False, space_after: float = 0) -> float:
    """The height in inches of these paragraphs in a box `width` inches wide, margins included;
    `space_after` points after each paragraph but the last."""
    lines = sum(len(wrap(paragraph, width, size, bold)) for paragraph in paragraphs)
    spacing = space_after * max(0, len(paragraphs) - 1)
    return (lines * size * LINE_SPACING + spacing) / POINTS_PER_INCH + 2 * INSET_VERTICAL
