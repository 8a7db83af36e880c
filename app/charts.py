"""Plotly figures. Scores are drawn as they are: lock-in is never inverted, its meaning is written on the axis."""

from __future__ import annotations

import html
import textwrap
from urllib.parse import urlencode

import plotly.graph_objects as go
import polars as pl

from app.ui import THEME_COLORS, Filters

YEAR_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star"]

# Sequential palettes (light → dark) for score levels 1-5: blue where higher is more transition, orange for
# lock-in where higher is more resistance. Text turns white on the dark levels.
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
ORANGES = ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"]


def cell_colors(score: int, higher_is_better: bool) -> tuple[str, str]:
    """Background and text colour of a score cell."""
    palette = BLUES if higher_is_better else ORANGES
    return palette[score - 1], "#ffffff" if score >= 4 else "#111111"


def axis_label(dynamic_name: str, higher_is_better: bool) -> str:
    return dynamic_name if higher_is_better else f"{dynamic_name}<br><sup>hoger = meer weerstand</sup>"


def _layout(fig: go.Figure, large: bool, height: int) -> go.Figure:
    size = 20 if large else 14
    fig.update_layout(
        height=height,
        margin={"l": 130, "r": 130, "t": 50, "b": 50},
        font={"size": size, "family": "Source Sans Pro, Arial, sans-serif", "color": "#111"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0.5, "xanchor": "center"},
        polar={
            "radialaxis": {
                "range": [0, 5],
                "tickvals": [1, 2, 3, 4, 5],
                "angle": 90,
                "tickangle": 90,
                "gridcolor": "#c9ced8",
            },
            "angularaxis": {"direction": "clockwise", "gridcolor": "#c9ced8"},
        },
        paper_bgcolor="#ffffff",
        transition={"duration": 0},
    )
    return fig


def radar_by_theme(scores: pl.DataFrame, highlight: str | None = None, large: bool = False) -> go.Figure:
    """Chapter 3's radar: axes are the four dynamics, one closed trace per theme."""
    fig = go.Figure()
    for (theme_code, theme_name), rows in scores.sort("theme_order", "dynamic_order").group_by(
        ["theme_code", "theme_name"], maintain_order=True
    ):
        labels = [axis_label(n, b) for n, b in zip(rows["dynamic_name"], rows["higher_is_better"], strict=True)]
        values = rows["score"].to_list()
        faded = highlight is not None and theme_code != highlight
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                name=theme_name,
                mode="lines+markers",
                line={"color": THEME_COLORS.get(theme_code, "#555"), "width": 2 if faded else 4},
                marker={"size": 9 if not faded else 6},
                opacity=0.3 if faded else 1.0,
                hovertemplate="%{fullData.name}<br>%{theta}: %{r}<extra></extra>",
            )
        )
    return _layout(fig, large, 620 if large else 520)


def radar_by_year(scores: pl.DataFrame, theme_code: str, large: bool = False) -> go.Figure:
    """One theme's radar with one trace per measurement year."""
    fig = go.Figure()
    for index, ((year, label), rows) in enumerate(
        scores.sort("measurement_year", "dynamic_order").group_by(["measurement_year", "label"], maintain_order=True)
    ):
        labels = [axis_label(n, b) for n, b in zip(rows["dynamic_name"], rows["higher_is_better"], strict=True)]
        values = rows["score"].to_list()
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                name=f"{label} ({year})",
                mode="lines+markers",
                line={
                    "color": THEME_COLORS.get(theme_code, "#555"),
                    "width": 4,
                    "dash": YEAR_DASHES[index % len(YEAR_DASHES)],
                },
                marker={"size": 10, "symbol": MARKERS[index % len(MARKERS)]},
                hovertemplate="%{fullData.name}<br>%{theta}: %{r}<extra></extra>",
            )
        )
    return _layout(fig, large, 520 if large else 420)


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
    return html.escape(f"{page}?{urlencode(params)}" if params else page)


def score_grid(scores: pl.DataFrame, dynamics: pl.DataFrame, filters: Filters) -> str:
    """The theme × dynamic grid as an HTML table; every score links to its theme and dynamic."""
    head = ['<th class="tm-theme">Thema</th>']
    for row in dynamics.iter_rows(named=True):
        name = html.escape(row["dynamic_name"]).replace("Institutionalisering", "Institutio&shy;nalisering")
        note = "" if row["higher_is_better"] else "<br><small>↑ = meer weerstand</small>"
        head.append(f"<th>{name}{note}</th>")
    rows = []
    for (theme_code,), cells in scores.sort("theme_order", "dynamic_order").group_by("theme_code", maintain_order=True):
        theme_link = _href("thema", filters.params(thema=theme_code))
        tds = [
            f'<td class="tm-theme"><a href="{theme_link}" target="_self">{html.escape(cells["theme_name"][0])}</a></td>'
        ]
        for cell in cells.iter_rows(named=True):
            bg, fg = cell_colors(cell["score"], cell["higher_is_better"])
            link = _href("thema", filters.params(thema=theme_code, dynamiek=cell["dynamic_code"]))
            own = cell["sector_code"] != "alle"
            label = f"{cell['theme_name']}, {cell['dynamic_name']}: score {cell['score']}" + (
                f" (eigen {cell['sector_code']}-score)" if own else ""
            )
            tds.append(
                f'<td><a class="tm-cel" id="cel-{theme_code}-{cell["dynamic_code"]}" href="{link}" target="_self" '
                f'style="background:{bg};color:{fg}" title="{html.escape(label)}" aria-label="{html.escape(label)}">'
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
        subplot_titles=["<br>".join(textwrap.wrap(names.get(c, c), 26)) for c in theme_codes],
        horizontal_spacing=0.03,
    )
    years = sorted(changes["measurement_year"].unique().to_list())
    for column, theme_code in enumerate(theme_codes, start=1):
        rows = changes.filter(theme_code=theme_code)
        for (dynamic_code, dynamic_name, higher_is_better), line in rows.sort("dynamic_order").group_by(
            ["dynamic_code", "dynamic_name", "higher_is_better"], maintain_order=True
        ):
            line = line.sort("measurement_year")
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
                    marker={"size": 9},
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
