"""Charts on a page: a chart, its table one click away (the choice kept in the URL), its meaning in words for
screen readers, and downloads built only when clicked."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import data
from app.charts.grid import SHORT_HEADERS, score_grid
from app.charts.progress import progress_lines_svg, progress_summary, progress_table
from app.charts.radar import radar_series, radar_small_svgs, radar_svg, radar_table
from app.charts.svg import svg_img
from app.exports.images import ExportCaption, image_downloads, side_by_side, with_caption
from app.text.escape import text_html
from app.ui import blocks
from app.ui.filtering import Filters, url_value, write_url


def show_svg(svg: str, alt: str) -> None:
    st.html(svg_img(svg, alt))


def show_small_multiples(svgs: list[str], alts: list[str]) -> None:
    """Small multiples in one block: a grid of equal cells, as many per row as fit at a readable size."""
    cells = "".join(f"<div>{svg_img(svg, alt, 'tm-klein')}</div>" for svg, alt in zip(svgs, alts, strict=True))
    st.html(f'<div class="tm-kleine-radars">{cells}</div>')


def table_html(table: pl.DataFrame, caption: str) -> str:
    """A small table as HTML: it wraps at word boundaries to the column's width (no sideways scrolling) and its
    text is as large as the page's; numbers centred."""

    def header(name: str) -> str:  # in a narrow column a short name; the whole name stays for screen readers
        short = SHORT_HEADERS.get(name.split(" (")[0])
        if not short:
            return text_html(name)
        whole = f'<span class="tm-lang">{text_html(name)}</span>'
        return (
            whole
            + f'<span class="tm-kort" aria-hidden="true">{text_html(name.replace(name.split(" (")[0], short))}</span>'
        )

    head = "".join(f'<th scope="col" title="{text_html(name)}">{header(name)}</th>' for name in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{text_html(value)}</th>' if i == 0 else f"<td>{text_html(value)}</td>"
            for i, value in enumerate(row)
        )
        + "</tr>"
        for row in table.iter_rows()
    )
    return blocks.table_frame_html(caption, head, rows)


# Each chart is drawn once per filter combination and warehouse build, not on every rerun: the cache is keyed on
# the build (a drawing may show more than its frame: the grid's links leave out the latest measurement's year) and
# on the frame it is drawn from (Streamlit hashes a polars frame by its values). Bounded: old combinations make way.
CHART_CACHE = 128


@st.cache_data(max_entries=CHART_CACHE, show_spinner=False)
def _radar_drawing(
    build: tuple, scores: pl.DataFrame, highlight: str | None, by: str, small: bool
) -> tuple[str, list[str], list[str]]:
    """The radar, its meaning in words (a line per series) and, if asked, the small multiples per theme."""
    lines = [
        f"{series_name}: " + ", ".join(f"{n} {s}" for n, s in zip(rows["dynamic_name"], rows["score"], strict=True))
        for _, series_name, _, _, rows in radar_series(scores, by)
    ]
    return radar_svg(scores, highlight, by), lines, radar_small_svgs(scores, highlight) if small else []


@st.cache_data(max_entries=CHART_CACHE, show_spinner=False)
def _progress_drawing(build: tuple, changes: pl.DataFrame, theme_codes: list[str], large: bool) -> tuple[str, str]:
    """The progress lines and their meaning in words."""
    return progress_lines_svg(changes, theme_codes, large), progress_summary(changes, theme_codes)


@st.cache_data(max_entries=CHART_CACHE, show_spinner=False)
def _grid_drawing(build: tuple, scores: pl.DataFrame, dynamics: pl.DataFrame, filters: Filters) -> str:
    return score_grid(scores, dynamics, filters)


def show_grid(scores: pl.DataFrame, dynamics: pl.DataFrame, filters: Filters) -> None:
    """The score grid (app.charts.grid), drawn once per filter combination."""
    st.html(_grid_drawing(data.warehouse_version(), scores, dynamics, filters))


RADAR_VIEWS = {"samen": "Samen", "per_thema": "Per thema", "tabel": "Tabel"}
CHART_VIEWS = {"grafiek": "Grafiek", "tabel": "Tabel"}


def view_choice(key: str, views: dict[str, str]) -> str:
    """A one-click switch between a chart and its table (as Our World in Data's grapher), kept in the URL."""
    default = next(iter(views))
    url_value(key, list(views), default)
    st.segmented_control(
        "Weergave",
        list(views),
        format_func=views.get,
        key=key,
        on_change=write_url,
        args=(key, default),
        label_visibility="collapsed",
    )
    return st.session_state.get(key) or default  # a segmented control can be deselected: that is the default


def show_radar(
    scores: pl.DataFrame,
    name: str,
    caption: ExportCaption,
    highlight: str | None = None,
    by: str = "theme",
    key: str = "radar",
) -> None:
    """The radar (or, per theme, small multiples, or its table), its meaning in words for screen readers, and PNG
    and SVG downloads that carry title, filters and source; the files are made only when a button is clicked."""
    view = view_choice(key, RADAR_VIEWS if by == "theme" else CHART_VIEWS)
    svg, lines, small = _radar_drawing(data.warehouse_version(), scores, highlight, by, view == "per_thema")
    if view == "tabel":
        st.html(table_html(radar_table(scores, by), caption.title))
    elif small:
        show_small_multiples(small, [f"Radar. {line}" for line in lines])
    else:
        show_svg(svg, "Radar van de scores. " + "; ".join(lines))

    def export() -> str:
        return with_caption(side_by_side(small, 2) if small else svg, caption)

    image_downloads(export, f"{name}-per-thema" if small else name, key)


def show_progress_lines(
    changes: pl.DataFrame,
    theme_codes: list[str],
    name: str,
    caption: ExportCaption,
    large: bool = False,
    key: str = "lijnen",
) -> None:
    """The progress lines (or their table, a column per measurement), their meaning in words for screen readers,
    and PNG and SVG downloads that carry title, filters and source, made only when a button is clicked."""
    if view_choice(key, CHART_VIEWS) == "tabel":
        st.dataframe(progress_table(changes), hide_index=True, key=f"{key}-tabel")
    else:
        svg, summary = _progress_drawing(data.warehouse_version(), changes, theme_codes, large)
        show_svg(svg, "Scores over de jaren. " + summary)
    image_downloads(lambda: progress_lines_svg(changes, theme_codes, large, caption), name, key)
