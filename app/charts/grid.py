"""The score grid: the theme × dynamic scores as an HTML table whose every cell links to its theme and dynamic."""

from __future__ import annotations

from urllib.parse import urlencode

import polars as pl

from app.charts.svg import THEME_COLORS, cell_colors
from app.text.escape import text_html
from app.ui.filtering import Filters

SHORT_NAMES = {"institutionalisering": "Instit."}  # the one name too long for a narrow column
SHORT_HEADERS = {"Institutionalisering": "Instit."}  # the same, by name, for a chart's table


def _href(page: str, params: dict[str, str]) -> str:
    return text_html(f"{page}?{urlencode(params)}" if params else page)


def score_grid(scores: pl.DataFrame, dynamics: pl.DataFrame, filters: Filters) -> str:
    """The theme × dynamic grid as an HTML table; every score links to its theme and dynamic."""
    head = ['<th class="tm-theme">Thema</th>']
    notes: list[str] = []
    for row in dynamics.iter_rows(named=True):
        name = text_html(row["dynamic_name"])
        # A narrow grid shows a short name (CSS); the whole name stays its title and what a screen reader says.
        short = SHORT_NAMES.get(row["dynamic_code"])
        label = f'<span class="tm-lang">{name}</span><span class="tm-kort" aria-hidden="true">{short}</span>'
        note = "" if row["higher_is_better"] else '<br><small class="tm-noot-kop">↑ = meer weerstand</small>'
        if not row["higher_is_better"]:  # a column too narrow for the note in its header has it under the table
            notes.append(f"{name}: ↑ = meer weerstand")
        title = name if row["higher_is_better"] else f"{name}: hoger = meer weerstand"
        head.append(f'<th title="{title}">{label if short else name}{note}</th>')
    rows = []
    for (theme_code,), cells in scores.sort("theme_order", "dynamic_order").group_by("theme_code", maintain_order=True):
        theme_link = _href("thema", filters.params(thema=theme_code))
        # As in the radar: the theme's colour beside its name, the chosen theme bold and the others faded.
        chosen, faded = filters.theme == theme_code, filters.theme not in (None, theme_code)
        style = f"border-left:6px solid {THEME_COLORS.get(theme_code, '#555')};padding-left:.5rem"
        style += ";font-weight:700" if chosen else ";opacity:.45" if faded else ""
        tds = [
            f'<td class="tm-theme" style="{style}"><a href="{theme_link}" target="_self"'
            f"{' aria-current=true' if chosen else ''}>{text_html(cells['theme_name'][0])}</a></td>"
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
                f'<td{" style=opacity:.45" if faded else ""}><a class="tm-cel" id="{cell_id}" href="{link}" '
                f'target="_self" style="background:{bg};color:{fg}" title="{text_html(label)}" '
                f'aria-label="{text_html(label)}">'
                f"{cell['score']}{'<sup>◆</sup>' if own else ''}</a></td>"
            )
        rows.append(f"<tr>{''.join(tds)}</tr>")
    foot = (
        f'<tfoot><tr><td class="tm-noot" colspan="{len(head)}">{" · ".join(notes)}</td></tr></tfoot>' if notes else ""
    )
    return f'<table class="tm-grid"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody>{foot}</table>'
