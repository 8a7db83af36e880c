"""Chapter 3's radar as plain SVG: no plotting library to load, so the first page paints sooner.

Scores are drawn as they are: lock-in is never inverted, its meaning is written on the axis.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import polars as pl

from app.charts.svg import THEME_COLORS, svg_document
from app.text.escape import text_html

_ANGLES = {"opbouw": -90.0, "institutionalisering": 0.0, "lock_in": 90.0, "afbouw": 180.0}
DASHES = ["", "10 6", "3 5", "12 5 3 5", "18 6", "6 3"]
# Type sizes in the drawing's own units. The radar is shown as an image scaled to its column: at the narrowest
# (the Overzicht at 1280 px with the sidebar, about 400 px for the 770 units) the smallest text is still 11 px,
# and on a 1280×720 beamer (44rem wide) 16 px or more.
MAIN_WIDTH = 770
MAIN_SIZES = {"axis": 26, "note": 22, "value": 22, "scale": 22, "legend": 22, "title": 0}
SMALL_WIDTH = 340
SMALL_SIZES = {"axis": 17, "note": 16, "value": 16, "scale": 16, "legend": 0, "title": 19}
HALO = 'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'  # text stays readable


def radar_series(scores: pl.DataFrame, by: str) -> list[tuple[str, str, str, str, pl.DataFrame]]:
    """(key, name, colour, dash pattern, rows) per polygon: one per theme, or one per measurement of one theme."""
    if by == "theme":
        groups = scores.sort("theme_order", "dynamic_order").group_by(["theme_code", "theme_name"], maintain_order=True)
        return [(code, name, THEME_COLORS.get(code, "#555"), "", rows) for (code, name), rows in groups]
    groups = scores.sort("measurement_year", "dynamic_order").group_by(
        ["measurement_year", "label"], maintain_order=True
    )
    colour = THEME_COLORS.get(scores["theme_code"][0], "#555") if "theme_code" in scores.columns else "#555"
    return [
        (str(year), f"{label} ({year})", colour, DASHES[index % len(DASHES)], rows)
        for index, ((year, label), rows) in enumerate(groups)
    ]


@dataclass(frozen=True)
class _Frame:
    """Where a radar is drawn: centre, radius of level 5 and type sizes."""

    cx: float
    cy: float
    radius: float
    compact: bool = False

    @property
    def sizes(self) -> dict[str, int]:
        return SMALL_SIZES if self.compact else MAIN_SIZES

    @property
    def marker_radius(self) -> float:
        """Room for a score written at the value size."""
        return round(self.sizes["value"] * 0.68)

    @property
    def scale_half_size(self) -> float:
        """A scale number's half width/height with its halo: no marker may come this close."""
        return self.sizes["scale"] * 0.75

    @property
    def marker_spacing(self) -> float:
        """Markers that share a value on an axis sit side by side at this distance, never on top of each other."""
        return 2 * self.marker_radius + 3

    def point(self, dynamic: str, value: float, shift: float = 0.0) -> tuple[float, float]:
        """The place of `value` on a dynamic's axis, moved `shift` pixels across the axis (tangentially)."""
        angle = math.radians(_ANGLES[dynamic])
        x = self.cx + self.radius * value / 5 * math.cos(angle)
        y = self.cy + self.radius * value / 5 * math.sin(angle)
        return x - shift * math.sin(angle), y + shift * math.cos(angle)


def marker_positions(series: list, frame: _Frame) -> list[list[tuple[float, float, int]]]:
    """(x, y, score) of every marker per series. Series that share a value on an axis get their markers side by
    side across the axis, centred on the true point, in legend order: no marker hides another."""
    sharing: dict[tuple[str, int], list[int]] = {}
    for index, (_, _, _, _, rows) in enumerate(series):
        for dynamic, score in zip(rows["dynamic_code"], rows["score"], strict=True):
            sharing.setdefault((dynamic, int(score)), []).append(index)
    positions: list[list[tuple[float, float, int]]] = []
    for index, (_, _, _, _, rows) in enumerate(series):
        markers = []
        for dynamic, score in zip(rows["dynamic_code"], rows["score"], strict=True):
            group = sharing[(dynamic, int(score))]
            shift = (group.index(index) - (len(group) - 1) / 2) * frame.marker_spacing
            markers.append((*frame.point(dynamic, score, shift), int(score)))
        positions.append(markers)
    return positions


def scale_positions(frame: _Frame, markers: list[tuple[float, float, int]]) -> list[tuple[int, float, float]]:
    """(level, x, y) of the scale numbers 1, 3 and 5 (the rings between are evenly spaced): on the diagonal
    between two axes that stays clearest of the markers, so no marker covers a number (up-right is preferred
    when all are clear)."""
    levels = (1, 3, 5)

    def clearance(angle: float) -> float:
        spots = [_diagonal(frame, angle, level) for level in levels]
        return min((math.dist(spot, (x, y)) for spot in spots for x, y, _ in markers), default=math.inf)

    candidates = (-45.0, 45.0, 135.0, -135.0)
    needed = frame.marker_radius + frame.scale_half_size * math.sqrt(2)
    best = next((a for a in candidates if clearance(a) >= needed), max(candidates, key=clearance))
    return [(level, *_diagonal(frame, best, level)) for level in levels]


def _diagonal(frame: _Frame, angle: float, level: int) -> tuple[float, float]:
    r = frame.radius * level / 5
    return frame.cx + r * math.cos(math.radians(angle)), frame.cy + r * math.sin(math.radians(angle))


def _axis_label_lines(name: str, compact: bool) -> list[str]:
    """A dynamic's name on one line, or in a small radar on two (a long single word is hyphenated)."""
    limit = 11 if compact else 40
    if len(name) <= limit:
        return [name]
    lines = textwrap.wrap(name, limit, break_long_words=False)
    if len(lines) == 1 or max(len(line) for line in lines) > limit + 2:
        return [name[: limit - 1] + "-", name[limit - 1 :]]
    return lines[:2]


def _radar_body(scores: pl.DataFrame, series: list, frame: _Frame, highlight: str | None) -> list[str]:
    """Rings, axes, polygons, scale numbers and value-labelled markers, bottom to top."""
    parts = []
    axis_size, note_size, value_size = frame.sizes["axis"], frame.sizes["note"], frame.sizes["value"]
    for level in range(1, 6):
        parts.append(
            f'<circle cx="{frame.cx}" cy="{frame.cy}" r="{frame.radius * level / 5:.1f}" fill="none" stroke="#c9ced8"/>'
        )
    dynamics = scores.select("dynamic_code", "dynamic_name", "higher_is_better").unique(maintain_order=True)
    for row in dynamics.iter_rows(named=True):
        code = row["dynamic_code"]
        x, y = frame.point(code, 5)
        parts.append(f'<line x1="{frame.cx}" y1="{frame.cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9aa2b1"/>')
        gap = frame.marker_radius + (8 if frame.compact else 12)
        lx, ly = frame.point(code, 5 + gap / frame.radius * 5)
        anchor = {"opbouw": "middle", "lock_in": "middle", "institutionalisering": "start", "afbouw": "end"}[code]
        lines = _axis_label_lines(row["dynamic_name"], frame.compact)
        if code == "opbouw":
            ly -= (len(lines) - 1) * (axis_size + 2) + 2
        elif code == "lock_in":
            ly += axis_size
        else:
            ly += axis_size * 0.36 - (len(lines) - 1) * (axis_size + 2) / 2
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if i == 0 else axis_size + 2}">{text_html(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="{axis_size}" font-weight="600" '
            f'fill="#111">{spans}</text>'
        )
        if not row["higher_is_better"]:
            note = "↑ = meer weerstand" if frame.compact else "hoger = meer weerstand"
            parts.append(
                f'<text x="{lx:.1f}" y="{ly + axis_size + 2:.1f}" text-anchor="{anchor}" font-size="{note_size}" '
                f'fill="#333">{note}</text>'
            )
    positions = marker_positions(series, frame)
    faded = [highlight is not None and key != highlight for key, *_ in series]
    # The chosen theme is drawn last: on top of the others.
    order = sorted(range(len(series)), key=lambda i: not faded[i])
    for i in order:
        (_, name, colour, dash, rows), fade = series[i], faded[i]
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (frame.point(d, s) for d, s in zip(rows["dynamic_code"], rows["score"], strict=True))
        )
        summary = ", ".join(f"{n} {s}" for n, s in zip(rows["dynamic_name"], rows["score"], strict=True))
        parts.append(
            f'<g opacity="{0.3 if fade else 1}"><title>{text_html(name)}: {text_html(summary)}</title>'
            f'<polygon points="{path}" fill="{colour}" fill-opacity="0.06" stroke="{colour}" '
            f'stroke-width="{2 if fade else 3.5}" stroke-linejoin="round"{dasharray}/></g>'
        )
    # Scale numbers above the lines (a white halo keeps them readable), below the markers (which never reach them).
    for level, x, y in scale_positions(frame, [m for markers in positions for m in markers]):
        parts.append(
            f'<text class="tm-schaal" x="{x:.1f}" y="{y + frame.sizes["scale"] * 0.36:.1f}" text-anchor="middle" '
            f'font-size="{frame.sizes["scale"]}" '
            f'fill="#555" {HALO}>{level}</text>'
        )
    for i in order:
        colour, fade, markers = series[i][2], faded[i], positions[i]
        # A faded marker stays opaque white, so no line shows through its number; only its ring and number pale.
        ring, number = ('stroke-opacity="0.35"', "#8a8f99") if fade else ("", "#111")
        parts.append(
            f'<g class="tm-punten{" tm-vaag" if fade else ""}">'
            + "".join(
                f'<circle class="tm-punt" cx="{x:.1f}" cy="{y:.1f}" r="{frame.marker_radius}" fill="#ffffff" '
                f'stroke="{colour}" stroke-width="3" {ring}/>'
                f'<text class="tm-waarde" x="{x:.1f}" y="{y + value_size * 0.36:.1f}" text-anchor="middle" '
                f'font-size="{value_size}" font-weight="700" fill="{number}">{score}</text>'
                for x, y, score in markers
            )
            + "</g>"
        )
    return parts


# Afbouw's label left of the circle, Institutionalisering's (the longest word) right of it, in one line each.
MAIN_FRAME = _Frame(cx=300, cy=210, radius=150)


def radar_svg(scores: pl.DataFrame, highlight: str | None = None, by: str = "theme") -> str:
    """Chapter 3's radar as an SVG string: axes are the four dynamics, one closed polygon per theme (by="theme")
    or per measurement of one theme (by="year"); every score is written in its marker.

    Scores are drawn as they are; the lock-in axis says that higher means more resistance.
    """
    series = radar_series(scores, by)
    frame = MAIN_FRAME
    legend_y = frame.cy + frame.radius + 112  # clear of the lock-in label and its note
    size = MAIN_SIZES["legend"]
    height = legend_y + 32 * len(series) - 8
    parts = [
        f'<rect width="{MAIN_WIDTH}" height="{height}" fill="#ffffff"/>',
        *_radar_body(scores, series, frame, highlight),
    ]
    for index, (key, name, colour, dash, _) in enumerate(series):
        y = legend_y + index * 32
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        opacity = 0.3 if highlight is not None and key != highlight else 1
        parts.append(
            f'<g opacity="{opacity}"><line x1="12" y1="{y}" x2="52" y2="{y}" stroke="{colour}" stroke-width="4"'
            f'{dasharray}/><circle cx="32" cy="{y}" r="6" fill="{colour}"/>'
            f'<text x="62" y="{y + size * 0.36:.1f}" font-size="{size}" fill="#111">{text_html(name)}</text></g>'
        )
    return svg_document(MAIN_WIDTH, height, "Radar van de scores op de vier transitiedynamieken", parts)


def radar_small_svgs(scores: pl.DataFrame, highlight: str | None = None) -> list[str]:
    """Small multiples: one small radar per theme, all of one size and scale, its name in its colour above it."""
    svgs = []
    line_height = SMALL_SIZES["title"] + 4
    for key, name, colour, dash, rows in radar_series(scores, "theme"):
        title = textwrap.wrap(name, 26)[:3]
        top = 8 + line_height * 3  # room for three lines always: every radar the same size, lined up in rows
        frame = _Frame(cx=158, cy=top + 56 + 62, radius=62, compact=True)
        height = frame.cy + frame.radius + 62
        parts = [f'<rect width="{SMALL_WIDTH}" height="{height:g}" fill="#ffffff"/>']
        if highlight == key:
            parts.append(
                f'<rect x="1.5" y="1.5" width="{SMALL_WIDTH - 3}" height="{height - 3:g}" fill="none" '
                f'stroke="{colour}" stroke-width="3" rx="8"/>'
            )
        parts += [
            f'<text x="{SMALL_WIDTH / 2:g}" y="{8 + line_height * (i + 1) - 4}" text-anchor="middle" '
            f'font-size="{SMALL_SIZES["title"]}" '
            f'font-weight="700" fill="#111">{text_html(line)}</text>'
            for i, line in enumerate(title)
        ]
        parts.append(f'<rect x="{SMALL_WIDTH / 2 - 20:g}" y="{top + 2}" width="40" height="4" rx="2" fill="{colour}"/>')
        parts += _radar_body(rows, [(key, name, colour, dash, rows)], frame, None)
        svgs.append(svg_document(SMALL_WIDTH, height, f"Radar van {name}", parts))
    return svgs


def radar_table(scores: pl.DataFrame, by: str = "theme") -> pl.DataFrame:
    """The radar's numbers as a table: a row per theme (or measurement), a column per dynamic, Dutch headers."""
    dynamics = scores.sort("dynamic_order").select("dynamic_name", "higher_is_better").unique(maintain_order=True)
    headers = {
        row["dynamic_name"]: row["dynamic_name"] + ("" if row["higher_is_better"] else " (hoger = meer weerstand)")
        for row in dynamics.iter_rows(named=True)
    }
    if by == "theme":
        index, first = ["theme_order", "theme_name"], "Thema"
    else:
        scores = scores.with_columns(pl.format("{} ({})", "label", "measurement_year").alias("meetmoment"))
        index, first = ["measurement_year", "meetmoment"], "Meetmoment"
    table = scores.pivot(on="dynamic_name", index=index, values="score", sort_columns=False).sort(index[0])
    return table.drop(index[0]).rename({index[1]: first, **headers})
