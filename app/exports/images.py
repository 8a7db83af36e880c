"""Charts as files that stand alone: title, filters and source in the picture, the filters in the file name;
PNG and SVG downloads made only when a button is clicked."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass

from app.charts.svg import svg_document
from app.text.escape import text_html


@dataclass(frozen=True)
class ExportCaption:
    """What a downloaded chart says about itself: a title, the filters it shows and where the data come from."""

    title: str
    details: str  # e.g. 'Meetmoment: Nulmeting (2025) · Sector: wo · Thema: Flexibele leerroutes'
    source: str


_VIEWBOX = re.compile(r'^<svg [^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"[^>]*>(.*)</svg>$', re.S)


def _svg_parts(svg: str) -> tuple[float, float, str]:
    """Width, height and content of an SVG made by app.charts."""
    match = _VIEWBOX.match(svg)
    if not match:
        raise ValueError("not an SVG of app.charts")
    return float(match[1]), float(match[2]), match[3]


def svg_size(svg: str) -> tuple[float, float, str]:
    """Width and height of an SVG made by app.charts (and its content)."""
    return _svg_parts(svg)


def sector_scores_note(sector: str, own_scores: int, all_scores: int) -> str | None:
    """What a sector's chart or hand-out must say about its scores: the measurement may score the system as a
    whole (the X-curve), not the sector. None for all sectors, or when every score is the sector's own."""
    if sector == "alle" or (own_scores and own_scores == all_scores):
        return None
    if own_scores:
        return f"Sector: {sector} — ◆ = eigen score van het {sector}; de andere scores gelden voor het hele stelsel"
    return f"Sector: {sector} — de scores gelden voor het hele stelsel (sectorbreed)"


def with_caption(svg: str, caption: ExportCaption) -> str:
    """The chart with its title and filters above it and the source below it, for a file that stands alone."""
    width, height, content = _svg_parts(svg)
    characters = int(width / 11)  # about this many characters of 20 px type fit on a line
    title = textwrap.wrap(caption.title, characters) or [""]
    details = textwrap.wrap(caption.details, int(width / 8))
    source = textwrap.wrap(caption.source, int(width / 7))
    header = 16 + 26 * len(title) + 20 * len(details) + 10
    footer = 14 + 17 * len(source)
    parts = [f'<rect width="{width:g}" height="{header + height + footer:g}" fill="#ffffff"/>']
    parts += [
        f'<text class="tm-titel" x="24" y="{16 + 26 * (i + 1) - 6}" font-size="20" font-weight="700" fill="#111">'
        f"{text_html(line)}</text>"
        for i, line in enumerate(title)
    ]
    parts += [
        f'<text class="tm-filters" x="24" y="{16 + 26 * len(title) + 20 * (i + 1) - 4}" font-size="15" fill="#333">'
        f"{text_html(line)}</text>"
        for i, line in enumerate(details)
    ]
    parts.append(f'<g transform="translate(0,{header})">{content}</g>')
    parts += [
        f'<text class="tm-bron" x="24" y="{header + height + 14 + 17 * (i + 1) - 4}" font-size="13" fill="#444">'
        f"{text_html(line)}</text>"
        for i, line in enumerate(source)
    ]
    return svg_document(width, header + height + footer, caption.title, parts)


def side_by_side(svgs: list[str], columns: int = 3) -> str:
    """Small multiples in one picture (for a download): rows of `columns`, each cell as tall as its row's tallest."""
    cells = [_svg_parts(svg) for svg in svgs]
    cell_width = max(width for width, _, _ in cells)
    parts, y = [], 0.0
    for start in range(0, len(cells), columns):
        row = cells[start : start + columns]
        for column, (_, _, content) in enumerate(row):
            parts.append(f'<g transform="translate({column * cell_width:g},{y:g})">{content}</g>')
        y += max(height for _, height, _ in row)
    width = cell_width * min(columns, len(cells))
    return svg_document(
        width, y, "Radar per thema", [f'<rect width="{width:g}" height="{y:g}" fill="#ffffff"/>', *parts]
    )


def file_name(kind: str, year: int | str, sector: str, theme: str | None, *extra: str) -> str:
    """A download's name with its filters, safe on every system: transitiemonitor-radar-2025-wo-flexibele_leerroutes."""
    parts = ["transitiemonitor", kind, str(year), "alle-sectoren" if sector == "alle" else sector]
    parts += [theme or "alle-themas", *extra]
    return "-".join(filter(None, (_slug(part) for part in parts)))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text).strip("-")[:60]


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]  # fmt: skip


def source_line(measurement: dict) -> str:
    """'Bron: Nulmeting transitiemonitoring, DRIFT en Risbo voor Npuls, maart 2026', from dim_measurement."""
    publisher = re.sub(r"\s*\([^)]*\)\s*$", "", measurement.get("publisher") or "")
    by = (
        f"{publisher} voor {measurement['commissioned_by']}"
        if publisher and measurement.get("commissioned_by")
        else (publisher or measurement.get("commissioned_by") or "")
    )
    month = ""
    if re.match(r"^\d{4}-\d{2}$", measurement.get("report_month") or ""):
        year, number = measurement["report_month"].split("-")
        month = f"{MONTHS[int(number) - 1]} {year}" if 1 <= int(number) <= 12 else year
    title = measurement.get("report_title") or f"{measurement.get('label', 'Meting')} {measurement['measurement_year']}"
    return "Bron: " + ", ".join(part for part in (title, by, month) if part)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """A PNG of an SVG chart (twice the size: crisp on a beamer), rendered without a browser."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg.replace('width="100%"', ""), zoom=scale, background="#ffffff"))


def image_downloads(export, stem: str, key: str) -> None:
    """PNG and SVG downloads of a chart with title, filters and source; `export` makes the SVG only on a click."""
    import streamlit as st

    buttons = st.container(horizontal=True)
    buttons.download_button(
        "Download PNG",
        lambda: svg_to_png(export()),
        file_name=f"{stem}.png",
        mime="image/png",
        icon=":material/image:",
        key=f"{key}-png",
        on_click="ignore",
        help="De grafiek met titel, filters en bron, voor een verslag of presentatie.",
    )
    buttons.download_button(
        "Download SVG",
        lambda: export().encode("utf-8"),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        key=f"{key}-svg",
        on_click="ignore",
        help="Vectorbeeld met titel, filters en bron: scherp op elk formaat.",
    )
