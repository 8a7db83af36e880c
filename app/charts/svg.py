"""What every chart shares: the theme and score colours, the SVG document around a chart and the <img> that
shows it on a page."""

from __future__ import annotations

from app.text.escape import text_html

# Okabe-Ito: distinguishable with the common forms of colour blindness.
THEME_COLORS = {
    "digitalisering": "#0072B2",
    "flexibele_leerroutes": "#E69F00",
    "student_naar_lerende": "#009E73",
    "leren_met_maatschappij": "#CC79A7",
    "rollen_professionals": "#D55E00",
}

# Sequential palettes (light → dark) for score levels 1-5: blue where higher is more transition, orange for
# lock-in where higher is more resistance. Text turns white on the dark levels.
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
ORANGES = ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"]


def cell_colors(score: int, higher_is_better: bool) -> tuple[str, str]:
    """Background and text colour of a score cell."""
    palette = BLUES if higher_is_better else ORANGES
    return palette[score - 1], "#ffffff" if score >= 4 else "#111111"


FONT = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"


def svg_document(width: float, height: float, label: str, body: list[str]) -> str:
    """A chart as an SVG document as wide as the page, labelled for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="100%" role="img" '
        f'aria-label="{text_html(label)}" font-family="{FONT}">'
        f"<title>{text_html(label)}</title>{''.join(body)}</svg>"
    )


def svg_img(svg: str, alt: str, css_class: str = "tm-grafiek") -> str:
    """An <img> of an SVG chart: Streamlit's HTML sanitiser keeps images but strips inline SVG."""
    import base64

    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="{css_class}" src="data:image/svg+xml;base64,{data}" alt="{text_html(alt)}" '
        'style="width:100%;height:auto">'
    )
