"""Charts: the radar and score grid as plain SVG/HTML, the progress lines with plotly.

Scores are drawn as they are: lock-in is never inverted, its meaning is written on the axis.
"""

from __future__ import annotations

import textwrap
from urllib.parse import urlencode

import plotly.graph_objects as go
import polars as pl

from app.ui import THEME_COLORS, Filters, text_html

# Sequential palettes (light → dark) for score levels 1-5: blue where higher is more transition, orange for
# lock-in where higher is more resistance. Text turns white on the dark levels.
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
ORANGES = ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"]


def cell_colors(score: int, higher_is_better: bool) -> tuple[str, str]:
    """Background and text colour of a score cell."""
    palette = BLUES if higher_is_better else ORANGES
    return palette[score - 1], "#ffffff" if score >= 4 else "#111111"


def download_config(filename: str, image_format: str = "png") -> dict:
    """Plotly modebar: the camera button downloads the chart as PNG (scale 2, crisp on a beamer) or SVG.

    The browser draws the file itself, so a download costs no server time and needs no extra software.
    """
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": image_format, "filename": filename, "scale": 2},
    }


def _href(page: str, params: dict[str, str]) -> str:
    return text_html(f"{page}?{urlencode(params)}" if params else page)


def score_grid(scores: pl.DataFrame, dynamics: pl.DataFrame, filters: Filters) -> str:
    """The theme × dynamic grid as an HTML table; every score links to its theme and dynamic."""
    head = ['<th class="tm-theme">Thema</th>']
    for row in dynamics.iter_rows(named=True):
        name = text_html(row["dynamic_name"]).replace("Institutionalisering", "Institutio&shy;nalisering")
        note = "" if row["higher_is_better"] else "<br><small>↑ = meer weerstand</small>"
        head.append(f"<th>{name}{note}</th>")
    rows = []
    for (theme_code,), cells in scores.sort("theme_order", "dynamic_order").group_by("theme_code", maintain_order=True):
        theme_link = _href("thema", filters.params(thema=theme_code))
        tds = [
            f'<td class="tm-theme"><a href="{theme_link}" target="_self">{text_html(cells["theme_name"][0])}</a></td>'
        ]
        for cell in cells.iter_rows(named=True):
            bg, fg = cell_colors(cell["score"], cell["higher_is_better"])
            link = _href("thema", filters.params(thema=theme_code, dynamiek=cell["dynamic_code"]))
            own = cell["sector_code"] != "alle"
            cell_id = text_html(f"cel-{theme_code}-{cell['dynamic_code']}")
            label = f"{cell['theme_name']}, {cell['dynamic_name']}: score {cell['score']}" + (
                f" (eigen {cell['sector_code']}-score)" if own else ""
            )
            tds.append(
                f'<td><a class="tm-cel" id="{cell_id}" href="{link}" '
                f'target="_self" style="background:{bg};color:{fg}" title="{text_html(label)}" '
                f'aria-label="{text_html(label)}">'
                f"{cell['score']}{'<sup>◆</sup>' if own else ''}</a></td>"
            )
        rows.append(f"<tr>{''.join(tds)}</tr>")
    return f'<table class="tm-grid"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


DYNAMIC_COLORS = {"opbouw": "#0072B2", "institutionalisering": "#009E73", "lock_in": "#D55E00", "afbouw": "#CC79A7"}
MEANING_STYLE = {  # blue for progress, orange for a step back: distinguishable without red/green
    "vooruitgang": ("▲ vooruitgang", "#d6e9f8"),
    "achteruitgang": ("▼ achteruitgang", "#fde0c5"),
    "gelijk": ("= gelijk", "#ffffff"),
    "eerste meting": ("eerste meting", "#ffffff"),
}


def progress_lines(changes: pl.DataFrame, theme_codes: list[str], large: bool = False) -> go.Figure:
    """Scores over the years: one panel per theme, one line per dynamic (lock-in dashed: lower is better)."""
    from plotly.subplots import make_subplots

    names = dict(zip(changes["theme_code"], changes["theme_name"], strict=False))
    fig = make_subplots(
        rows=1,
        cols=len(theme_codes),
        shared_yaxes=True,
        # plotly reads its text as a subset of HTML (<a href>, <b>): names from data are escaped
        subplot_titles=[
            "<br>".join(text_html(line) for line in textwrap.wrap(names.get(c, c), 26)) for c in theme_codes
        ],
        horizontal_spacing=0.03,
    )
    years = sorted(changes["measurement_year"].unique().to_list())
    for column, theme_code in enumerate(theme_codes, start=1):
        rows = changes.filter(theme_code=theme_code)
        for (dynamic_code, raw_dynamic_name, higher_is_better), line in rows.sort("dynamic_order").group_by(
            ["dynamic_code", "dynamic_name", "higher_is_better"], maintain_order=True
        ):
            line = line.sort("measurement_year")
            dynamic_name = text_html(raw_dynamic_name).replace("%", "&#37;")  # '%{…}' is plotly's template syntax
            fig.add_trace(
                go.Scatter(
                    x=line["measurement_year"].to_list(),
                    y=line["score"].to_list(),
                    name=dynamic_name if higher_is_better else f"{dynamic_name} (lager = beter)",
                    legendgroup=dynamic_code,
                    showlegend=column == 1,
                    mode="lines+markers",
                    line={
                        "color": DYNAMIC_COLORS.get(dynamic_code, "#555"),
                        "width": 3,
                        "dash": "solid" if higher_is_better else "dash",
                    },
                    # A sector's own score is a diamond, as ◆ marks it in tables; the sector-wide one a dot.
                    marker={
                        "size": 9,
                        "symbol": ["diamond" if own else "circle" for own in line["is_own_sector_score"]],
                    },
                    hovertemplate=f"{dynamic_name} %{{x}}: %{{y}}<extra></extra>",
                ),
                row=1,
                col=column,
            )
    fig.update_yaxes(range=[0.5, 5.5], tickvals=[1, 2, 3, 4, 5], gridcolor="#d5d9e0")
    fig.update_xaxes(tickvals=years, tickformat="d")
    fig.update_annotations(font_size=20 if large else 13)
    fig.update_layout(
        height=420 if large else 360,
        margin={"l": 40, "r": 20, "t": 90, "b": 40},
        font={"size": 18 if large else 13, "color": "#111"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0.5, "xanchor": "center"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        transition={"duration": 0},
    )
    return fig


# --- The Overzicht radar as plain SVG: no plotting library to load, so the page paints sooner -------------

_ANGLES = {"opbouw": -90.0, "institutionalisering": 0.0, "lock_in": 90.0, "afbouw": 180.0}


DASHES = ["", "10 6", "3 5", "12 5 3 5", "18 6", "6 3"]


def _radar_series(scores: pl.DataFrame, by: str) -> list[tuple[str, str, str, str, pl.DataFrame]]:
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


def radar_svg(scores: pl.DataFrame, highlight: str | None = None, by: str = "theme") -> str:
    """Chapter 3's radar as an SVG string: axes are the four dynamics, one closed polygon per theme (by="theme")
    or per measurement of one theme (by="year").

    Scores are drawn as they are; the lock-in axis says that higher means more resistance.
    """
    import math

    series = _radar_series(scores, by)
    width, cx, cy, radius = 720, 360, 215, 170
    legend_y = cy + radius + 75
    height = legend_y + 28 * len(series)

    def point(dynamic: str, value: float) -> tuple[float, float]:
        angle = math.radians(_ANGLES[dynamic])
        return cx + radius * value / 5 * math.cos(angle), cy + radius * value / 5 * math.sin(angle)

    parts = [f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for level in range(1, 6):
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius * level / 5:.1f}" fill="none" stroke="#c9ced8"/>')
        parts.append(
            f'<text x="{cx + 4}" y="{cy - radius * level / 5 + 4:.1f}" font-size="12" fill="#555">{level}</text>'
        )
    dynamics = scores.select("dynamic_code", "dynamic_name", "higher_is_better").unique(maintain_order=True)
    for row in dynamics.iter_rows(named=True):
        x, y = point(row["dynamic_code"], 5)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#9aa2b1"/>')
        lx, ly = point(row["dynamic_code"], 5.45)
        anchor = {"opbouw": "middle", "lock_in": "middle", "institutionalisering": "start", "afbouw": "end"}[
            row["dynamic_code"]
        ]
        dy = {"opbouw": -4, "lock_in": 14}.get(row["dynamic_code"], 5)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + dy:.1f}" text-anchor="{anchor}" font-size="16" font-weight="600" '
            f'fill="#111">{text_html(row["dynamic_name"])}</text>'
        )
        if not row["higher_is_better"]:
            parts.append(
                f'<text x="{lx:.1f}" y="{ly + dy + 17:.1f}" text-anchor="{anchor}" font-size="12" fill="#333">'
                "hoger = meer weerstand</text>"
            )
    for index, (key, name, colour, dash, rows) in enumerate(series):
        faded = highlight is not None and key != highlight
        opacity = "0.3" if faded else "1"
        dasharray = f' stroke-dasharray="{dash}"' if dash else ""
        points = [point(d, s) for d, s in zip(rows["dynamic_code"], rows["score"], strict=True)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        summary = ", ".join(f"{n} {s}" for n, s in zip(rows["dynamic_name"], rows["score"], strict=True))
        parts.append(
            f'<g opacity="{opacity}"><title>{text_html(name)}: {text_html(summary)}</title>'
            f'<polygon points="{path}" fill="{colour}" fill-opacity="0.06" stroke="{colour}" '
            f'stroke-width="{2 if faded else 4}" stroke-linejoin="round"{dasharray}/>'
            + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>' for x, y in points)
            + "</g>"
        )
        y = legend_y + index * 28
        parts.append(
            f'<g opacity="{opacity}"><line x1="150" y1="{y}" x2="185" y2="{y}" stroke="{colour}" stroke-width="4"'
            f'{dasharray}/><circle cx="167" cy="{y}" r="5" fill="{colour}"/>'
            f'<text x="195" y="{y + 5}" font-size="15" fill="#111">{text_html(name)}</text></g>'
        )
    label = "Radar van de scores op de vier transitiedynamieken"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}" font-family="Source Sans Pro, DejaVu Sans, Arial, sans-serif">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )


def show_radar(scores: pl.DataFrame, file_name: str, highlight: str | None = None, by: str = "theme") -> None:
    """The radar as an image, its meaning in words for screen readers, and PNG and SVG downloads."""
    import streamlit as st

    svg = radar_svg(scores, highlight, by)
    lines = [
        f"{name}: " + ", ".join(f"{n} {s}" for n, s in zip(rows["dynamic_name"], rows["score"], strict=True))
        for _, name, _, _, rows in _radar_series(scores, by)
    ]
    st.html(svg_img(svg, "Radar van de scores. " + "; ".join(lines)))
    buttons = st.container(horizontal=True)
    buttons.download_button(
        "Download PNG",
        lambda: svg_to_png(svg),
        file_name=f"{file_name}.png",
        mime="image/png",
        icon=":material/image:",
        key=f"{file_name}-png",
    )
    buttons.download_button(
        "Download SVG",
        svg.encode("utf-8"),
        file_name=f"{file_name}.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        key=f"{file_name}-svg",
    )


def svg_img(svg: str, alt: str) -> str:
    """An <img> of an SVG chart: Streamlit's HTML sanitiser keeps images but strips inline SVG."""
    import base64

    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{text_html(alt)}" style="width:100%;height:auto">'


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """A PNG of an SVG chart (twice the size: crisp on a beamer), rendered without a browser."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg.replace('width="100%"', ""), zoom=scale, background="#ffffff"))
