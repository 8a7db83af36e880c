"""The progress lines as plain SVG (scores over the years, a panel per theme) and as a table and in words.

Scores are drawn as they are: lock-in is never inverted, the legend says that lower is better.
"""

from __future__ import annotations

import itertools
import math
import textwrap

import polars as pl

from app.charts.svg import THEME_COLORS, svg_document
from app.exports.images import ExportCaption, with_caption
from app.text.escape import text_html

DYNAMIC_COLORS = {"opbouw": "#0072B2", "institutionalisering": "#009E73", "lock_in": "#D55E00", "afbouw": "#CC79A7"}
MEANING_STYLE = {  # blue for progress, orange for a step back: distinguishable without red/green
    "vooruitgang": ("▲ vooruitgang", "#d6e9f8"),
    "achteruitgang": ("▼ achteruitgang", "#fde0c5"),
    "gelijk": ("= gelijk", "#ffffff"),
    "eerste meting": ("eerste meting", "#ffffff"),
}


def progress_table(changes: pl.DataFrame) -> pl.DataFrame:
    """The progress lines as a table: a row per theme and dynamic, a column per measurement (◆ = own score)."""
    shown = changes.sort("measurement_year", "theme_order", "dynamic_order").with_columns(
        pl.format("{}{}", "score", pl.when("is_own_sector_score").then(pl.lit(" ◆")).otherwise(pl.lit(""))).alias(
            "waarde"
        ),
        pl.format("{} ({})", "label", "measurement_year").alias("meetmoment"),
    )
    table = shown.pivot(
        on="meetmoment", index=["theme_order", "dynamic_order", "theme_name", "dynamic_name"], values="waarde"
    )
    return (
        table.sort("theme_order", "dynamic_order")
        .drop("theme_order", "dynamic_order")
        .rename({"theme_name": "Thema", "dynamic_name": "Dynamiek"})
    )


PANEL_COLUMNS = 3  # panels per row: the picture stays about as wide as the radar, so its text stays legible


def _progress_markers(
    panel: pl.DataFrame, x_of: dict[int, float], y_of, radius: float, gap: float
) -> dict[tuple[str, int], tuple[float, float]]:
    """(x, y) of every marker of a panel: markers of dynamics that share a score in a year sit side by side,
    centred on the year, in legend order (as on the radar): none hides another."""
    sharing: dict[tuple[int, int], list[str]] = {}
    for row in panel.sort("dynamic_order").iter_rows(named=True):
        sharing.setdefault((row["measurement_year"], int(row["score"])), []).append(row["dynamic_code"])
    spacing = min(2 * radius + 2, 0.8 * gap / 3) if gap else 2 * radius + 2
    places = {}
    for (year, score), dynamics in sharing.items():
        for index, dynamic in enumerate(dynamics):
            shift = (index - (len(dynamics) - 1) / 2) * spacing
            places[(dynamic, year)] = (x_of[year] + shift, y_of(score))
    return places


def _diamond(x: float, y: float, r: float) -> str:
    return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"


def _shared_segment_offsets(panel: pl.DataFrame) -> dict[str, list[float]]:
    """Per dynamic, the vertical shift of each of its stretches (year to next year): 0 unless other dynamics have
    the same scores at both ends, then they lie side by side in legend order."""
    segments: dict[str, list[tuple[int, int, int]]] = {}
    for (dynamic,), line in panel.sort("dynamic_order", "measurement_year").group_by(
        "dynamic_code", maintain_order=True
    ):
        years, scores = line["measurement_year"].to_list(), line["score"].to_list()
        segments[dynamic] = [(years[i], scores[i], scores[i + 1]) for i in range(len(years) - 1)]
    sharing: dict[tuple[int, int, int], list[str]] = {}
    for dynamic, stretches in segments.items():
        for stretch in stretches:
            sharing.setdefault(stretch, []).append(dynamic)
    return {
        dynamic: [(sharing[stretch].index(dynamic) - (len(sharing[stretch]) - 1) / 2) * 3.5 for stretch in stretches]
        for dynamic, stretches in segments.items()
    }


def _panel_frame(
    title_lines: list[str],
    colour: str,
    plot_left: float,
    plot_width: float,
    title_height: float,
    x_of: dict[int, float],
    y_of,
    title_size: int,
    tick_size: int,
) -> list[str]:
    """One theme's panel without its lines: the title, the theme's colour bar, the score grid and the years."""
    panel: list[str] = []
    panel += [
        f'<text class="tm-paneeltitel" x="{plot_left + plot_width / 2:.1f}" '
        f'y="{10 + (title_size + 5) * (i + 1) - 5}" text-anchor="middle" font-size="{title_size}" '
        f'font-weight="700" fill="#111">{text_html(line)}</text>'
        for i, line in enumerate(title_lines)
    ]
    panel.append(
        f'<rect x="{plot_left + plot_width / 2 - 20:.1f}" y="{title_height + 3}" width="40" height="4" rx="2" '
        f'fill="{colour}"/>'
    )
    for level in range(1, 6):
        y = y_of(level)
        panel.append(
            f'<line x1="{plot_left:.1f}" y1="{y:.1f}" x2="{plot_left + plot_width:.1f}" y2="{y:.1f}" '
            f'stroke="#d5d9e0"/><text class="tm-schaal" x="{plot_left - 10:.1f}" y="{y + tick_size * 0.35:.1f}" '
            f'text-anchor="end" font-size="{tick_size}" fill="#444">{level}</text>'
        )
    bottom = y_of(0.5)
    panel.append(
        f'<line x1="{plot_left:.1f}" y1="{bottom:.1f}" x2="{plot_left + plot_width:.1f}" y2="{bottom:.1f}" '
        f'stroke="#888"/>'
    )
    shown_until = -math.inf
    for year in x_of:  # the years across, in order; one left out where it would touch the one before
        if x_of[year] - shown_until < 0.58 * tick_size * 4 + 6:
            continue
        shown_until = x_of[year]
        panel.append(
            f'<text class="tm-jaar" x="{x_of[year]:.1f}" y="{bottom + tick_size + 8:.1f}" text-anchor="middle" '
            f'font-size="{tick_size}" fill="#333">{year}</text>'
        )
    return panel


def progress_lines_svg(
    changes: pl.DataFrame, theme_codes: list[str], large: bool = False, caption: ExportCaption | None = None
) -> str:
    """Scores over the years as plain SVG: one panel per theme (at most three a row), years across, scores 1-5
    up, one line per dynamic (lock-in dashed: lower is better); a sector's own score is a diamond, as ◆ marks it
    in the tables, a sector-wide score a dot. With a caption, title, filters and source frame the picture.

    Scores are drawn as they are: lock-in is never inverted, the legend says that lower is better."""
    label_size, title_size, tick_size = (19, 19, 18) if large else (16, 16, 15)
    years = sorted(changes["measurement_year"].unique().to_list())
    names = dict(zip(changes["theme_code"], changes["theme_name"], strict=False))
    labels = dict(zip(changes["measurement_year"], changes["label"], strict=False))
    columns = max(1, min(PANEL_COLUMNS, len(theme_codes)))
    panel_width = 960 / columns
    left, right = 40, 18  # room for the score numbers, and after the last year
    plot_width = panel_width - left - right
    characters = max(12, int((panel_width - 16) / (0.62 * title_size)))  # bold type is wider
    titles = {code: textwrap.wrap(names.get(code, code), characters)[:3] or [code] for code in theme_codes}
    title_height = 10 + (title_size + 5) * max((len(t) for t in titles.values()), default=1)
    plot_top, plot_height = title_height + 24, 220
    panel_height = plot_top + plot_height + tick_size + 22

    def y_of(score: float) -> float:  # 0.5 at the bottom and 5.5 at the top: no marker on the frame
        return plot_top + plot_height * (5.5 - score) / 5

    span = (years[-1] - years[0]) or 1
    inner = plot_width - 2 * 24  # the first and last year keep a marker's width from the frame
    gap = min((b - a for a, b in itertools.pairwise(years)), default=0) / span * inner

    dynamics = (
        changes.sort("dynamic_order")
        .select("dynamic_code", "dynamic_name", "higher_is_better")
        .unique(maintain_order=True)
        .iter_rows(named=True)
    )
    dynamics = list(dynamics)
    radius = 6.5
    parts: list[str] = []
    rows_count = math.ceil(len(theme_codes) / columns)
    for index, theme_code in enumerate(theme_codes):
        x0, y0 = (index % columns) * panel_width, (index // columns) * panel_height
        plot_left = x0 + left
        x_of = {
            year: plot_left + (plot_width / 2 if len(years) == 1 else 24 + inner * (year - years[0]) / span)
            for year in years
        }
        panel = [f'<g class="tm-paneel" transform="translate(0,{y0:g})">']
        panel += _panel_frame(
            titles[theme_code],
            THEME_COLORS.get(theme_code, "#555"),
            plot_left,
            plot_width,
            title_height,
            x_of,
            y_of,
            title_size,
            tick_size,
        )
        rows = changes.filter(theme_code=theme_code)
        places = _progress_markers(rows, x_of, y_of, radius, gap)
        offsets = _shared_segment_offsets(rows)
        lines, points = [], []
        for (dynamic_code, dynamic_name, higher_is_better), line in rows.sort("dynamic_order").group_by(
            ["dynamic_code", "dynamic_name", "higher_is_better"], maintain_order=True
        ):
            line = line.sort("measurement_year")
            stroke = DYNAMIC_COLORS.get(dynamic_code, "#555")
            # A stretch that lines share is drawn side by side, 3.5 units apart, so each stays visible; it still
            # starts and ends inside its markers.
            ends = [places[(dynamic_code, year)] for year in line["measurement_year"]]
            path = " ".join(
                f"M{x1:.1f},{y1 + offset:.1f} L{x2:.1f},{y2 + offset:.1f}"
                for (x1, y1), (x2, y2), offset in zip(ends, ends[1:], offsets.get(dynamic_code, []), strict=False)
            )
            dash = "" if higher_is_better else ' stroke-dasharray="9 5"'
            lines.append(
                f'<path class="tm-lijn" d="{path}" fill="none" stroke="{stroke}" stroke-width="3" '
                f'stroke-linejoin="round"{dash}/>'
            )
            for row in line.iter_rows(named=True):
                x, y = places[(dynamic_code, row["measurement_year"])]
                own = bool(row["is_own_sector_score"])
                what = (
                    f"{names.get(theme_code, theme_code)} · {dynamic_name}, "
                    f"{labels.get(row['measurement_year'], '')} ({row['measurement_year']}): {row['score']}"
                    + (" ◆ eigen sectorscore" if own else "")
                )
                title = f"<title>{text_html(what)}</title>"
                if own:
                    r = radius * 1.45
                    points.append(
                        f'<polygon class="tm-punt tm-eigen" points="{_diamond(x, y, r)}" fill="{stroke}" '
                        f'stroke="#ffffff" stroke-width="1.5">{title}</polygon>'
                    )
                else:
                    points.append(
                        f'<circle class="tm-punt" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{stroke}" '
                        f'stroke="#ffffff" stroke-width="1.5">{title}</circle>'
                    )
        parts += [*panel, *lines, *points, "</g>"]

    # The legend under the panels, wrapped where a row is full.
    width = panel_width * columns
    legend_top = rows_count * panel_height + 8
    entries = [
        (DYNAMIC_COLORS.get(d["dynamic_code"], "#555"), d["higher_is_better"], "circle",
         d["dynamic_name"] + ("" if d["higher_is_better"] else " (lager = beter)"))
        for d in dynamics
    ]  # fmt: skip
    if changes["is_own_sector_score"].any():
        entries += [("#555", None, "circle", "sectorbrede score"), ("#555", None, "diamond", "eigen sectorscore")]
    x, y, row_height = 24.0, legend_top + 16, label_size + 12
    for colour, higher_is_better, shape, name in entries:
        entry_width = (44 if higher_is_better is not None else 20) + 8 + 0.55 * label_size * len(name) + 26
        if x + entry_width > width and x > 24:
            x, y = 24.0, y + row_height
        sample = []
        if higher_is_better is not None:
            dash = "" if higher_is_better else ' stroke-dasharray="9 5"'
            sample.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 44:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="3"'
                f"{dash}/>"
            )
            cx = x + 22
        else:
            cx = x + 10
        if shape == "diamond":
            r = radius * 1.45
            sample.append(f'<polygon points="{_diamond(cx, y, r)}" fill="{colour}"/>')
        else:
            sample.append(f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"/>')
        text_x = x + (44 if higher_is_better is not None else 20) + 8
        parts.append(
            f'<g class="tm-legenda">{"".join(sample)}<text x="{text_x:.1f}" y="{y + label_size * 0.35:.1f}" '
            f'font-size="{label_size}" fill="#111">{text_html(name)}</text></g>'
        )
        x += entry_width
    height = y + row_height
    svg = svg_document(
        width, height, "Scores over de jaren", [f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>', *parts]
    )
    return with_caption(svg, caption) if caption is not None else svg


def progress_summary(changes: pl.DataFrame, theme_codes: list[str]) -> str:
    """The progress lines in words, for a screen reader: per theme, per dynamic its scores in order (◆ = own)."""
    themes = []
    for theme_code in theme_codes:
        rows = changes.filter(theme_code=theme_code).sort("dynamic_order", "measurement_year")
        if rows.is_empty():
            continue
        dynamics = [
            f"{name} "
            + " → ".join(
                f"{s}{' ◆' if own else ''}" for s, own in zip(line["score"], line["is_own_sector_score"], strict=True)
            )
            for (name,), line in rows.group_by("dynamic_name", maintain_order=True)
        ]
        themes.append(f"{rows['theme_name'][0]}: " + ", ".join(dynamics))
    return "; ".join(themes)
