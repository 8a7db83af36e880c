"""The shared screen's figures: a dot plot of the 1–5 votes (plain SVG) and the join QR code (segno SVG).

Neither figure contains text from a user: the dot plot only numbers and fixed labels, the QR code only the
join link built from our own join code.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter

import segno

DOT = "#0072B2"  # Okabe-Ito blue
MEDIAN = "#D55E00"  # Okabe-Ito vermilion
PREVIOUS = "#000000"
BAND = "#E8EAF0"
MAX_DOTS = 10  # per level; with more votes on a level every level is a bar with its count


def number(value: float) -> str:
    """3.0 → '3', 2.75 → '2,75' (Dutch decimal comma)."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def dot_plot_svg(
    scores: tuple[int, ...],
    median: float | None = None,
    q1: float | None = None,
    q3: float | None = None,
    previous: int | None = None,
) -> str:
    """Every vote a dot above its level 1–5 (stacked), the interquartile range as a band, the median as a
    line and last measurement's score as a black diamond under the axis. With more than MAX_DOTS votes on a
    level, each level is a bar with its count above it: the figure keeps its size, however many vote."""
    counts = Counter(scores)
    most = max(counts.values(), default=1)
    as_bars = most > MAX_DOTS
    stack = MAX_DOTS if as_bars else most
    radius, gap = 12, 3
    left, right, width = 30, 30, 520
    top = 34
    plot_height = max(stack, 3) * (2 * radius + gap)
    axis_y = top + plot_height + 6
    height = axis_y + 58

    def x(level: float) -> float:
        return left + (level - 1) * (width - left - right) / 4

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        'font-family="Source Sans Pro, sans-serif">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if q1 is not None and q3 is not None:
        band_left, band_right = x(q1) - radius - 4, x(q3) + radius + 4
        parts.append(
            f'<rect x="{band_left:.1f}" y="{top - 8}" width="{band_right - band_left:.1f}" '
            f'height="{plot_height + 10}" rx="8" fill="{BAND}"/>'
        )
    if median is not None:
        parts.append(
            f'<line x1="{x(median):.1f}" x2="{x(median):.1f}" y1="{top - 12}" y2="{axis_y}" stroke="{MEDIAN}" '
            'stroke-width="4"/>'
            f'<text x="{x(median):.1f}" y="{top - 16}" text-anchor="middle" font-size="18" font-weight="700" '
            f'fill="{MEDIAN}">mediaan {number(median)}</text>'
        )
    parts.append(f'<line x1="{left - 14}" x2="{width - right + 14}" y1="{axis_y}" y2="{axis_y}" stroke="#444"/>')
    for level in range(1, 6):
        parts.append(
            f'<text x="{x(level):.1f}" y="{axis_y + 24}" text-anchor="middle" font-size="20" fill="#111">{level}</text>'
        )
        count = counts.get(level, 0)
        if as_bars and count:
            bar = max(4.0, (plot_height - 22) * count / most)
            parts.append(
                f'<rect x="{x(level) - radius:.1f}" y="{axis_y - bar:.1f}" width="{2 * radius}" height="{bar:.1f}" '
                f'fill="{DOT}"/><text x="{x(level):.1f}" y="{axis_y - bar - 6:.1f}" text-anchor="middle" '
                f'font-size="18" font-weight="700" fill="#111" stroke="#fff" stroke-width="5" paint-order="stroke">'
                f"{count}</text>"
            )
            continue
        for i in range(count):
            cy = axis_y - 6 - radius - i * (2 * radius + gap)
            parts.append(
                f'<circle cx="{x(level):.1f}" cy="{cy:.1f}" r="{radius}" fill="{DOT}" stroke="#fff" '
                'stroke-width="1.5"/>'
            )
    if previous is not None:
        px, py = x(previous), axis_y + 42
        parts.append(
            f'<path d="M {px:.1f} {py - 8} l 8 8 l -8 8 l -8 -8 z" fill="{PREVIOUS}"/>'
            f'<text x="{px + 14:.1f}" y="{py + 5}" font-size="15" fill="#111">vorige meting</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dot_plot_alt(scores: tuple[int, ...], median: float | None, previous: int | None) -> str:
    counts = Counter(scores)
    spread = ", ".join(f"{counts[level]}× {level}" for level in range(1, 6) if counts[level])
    text = f"Verdeling van {len(scores)} stemmen: {spread or 'geen'}"
    if median is not None:
        text += f"; mediaan {number(median)}"
    if previous is not None:
        text += f"; vorige meting {previous}"
    return text + "."


def svg_img(svg: str, alt: str, width: str = "100%") -> str:
    """An <img> of an SVG: Streamlit's HTML sanitiser keeps images but strips inline SVG."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}" '
        f'style="width:{html.escape(width)};height:auto;display:block">'
    )


def qr_svg(url: str) -> str:
    """The join link as a QR code, black on white, with a quiet zone wide enough for phone cameras."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=3, dark="#000000", light="#ffffff", xmldecl=False
    )
    return buffer.getvalue().decode("utf-8")
