"""What the session pages share: reference scores and rubric from the warehouse, and the shared screen's
cells as escaped HTML (every reason goes through html.escape; nothing a user typed is read as Markdown)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import polars as pl

from app import data
from app.scoring import figures
from app.scoring.session import CellSummary

ALL_SECTORS = "alle"

CSS = """
<style>
.tm-sessie {font-size: 1rem; line-height: 1.35;}
.tm-sessie h3 {margin: 0 0 .2rem 0; font-size: 1.45rem;}
.tm-sessie .tm-telling {font-size: 1.25rem; font-weight: 600; margin: .1rem 0 .4rem 0;}
.tm-sessie .tm-stats {font-size: 1.1rem; margin: .2rem 0;}
.tm-sessie .tm-ref {color: #333; margin: .2rem 0;}
.tm-sessie .tm-afspraak {font-weight: 700; margin: .3rem 0; padding: .2rem .5rem; border-left: 5px solid #009E73;}
.tm-sessie ul {margin: .2rem 0 .4rem 1.1rem; padding: 0;}
.tm-sessie li {margin: .1rem 0;}
.tm-sessie .tm-rubriek, .tm-sessie .tm-rubriek li {font-size: .9rem; color: #333;}
.tm-sessie .tm-wacht {color: #555; font-style: italic;}
.tm-doe-mee {display: flex; gap: 1.2rem; align-items: center; border: 2px solid #0072B2; border-radius: .6rem;
             padding: .6rem 1rem; margin-bottom: .6rem;}
.tm-doe-mee .tm-code {font-size: 2.4rem; font-weight: 800; letter-spacing: .2rem; font-family: monospace;}
.tm-doe-mee .tm-link {font-size: 1.05rem; word-break: break-all;}
</style>
"""
PRESENTATION_CSS = """
<style>
.tm-sessie h3 {font-size: 1.9rem;}
.tm-sessie .tm-telling {font-size: 1.6rem;}
.tm-sessie .tm-stats, .tm-sessie li {font-size: 1.3rem;}
.tm-sessie .tm-rubriek, .tm-sessie .tm-rubriek li {font-size: 1rem;}
.tm-doe-mee .tm-code {font-size: 3.2rem;}
</style>
"""


@dataclass(frozen=True)
class Reference:
    """Last measurement's final scores (sector-wide), for reference while scoring."""

    year: int | None
    label: str
    scores: dict[tuple[str, str], int]

    def score(self, theme_code: str, dynamic_code: str) -> int | None:
        return self.scores.get((theme_code, dynamic_code))

    def line(self, theme_code: str, dynamic_code: str) -> str:
        score = self.score(theme_code, dynamic_code)
        if self.year is None:
            return "Er is geen eerdere meting om mee te vergelijken"
        if score is None:
            return f"{self.label} ({self.year}) gaf hier geen score"
        return f"{self.label} ({self.year}): vastgestelde score {score}"


def reference(measurement_year: int) -> Reference:
    """The measurement before the session's year (the session scores a new one); for a session on an existing
    year, the one before that."""
    years = [y for y in data.measurements()["measurement_year"].to_list() if y < measurement_year]
    if not years:
        return Reference(None, "", {})
    year = max(years)
    label = data.measurements().filter(measurement_year=year)["label"][0]
    scores = data.scores(year).filter(sector_code=ALL_SECTORS)
    return Reference(
        year,
        str(label),
        {(r["theme_code"], r["dynamic_code"]): int(r["score"]) for r in scores.iter_rows(named=True)},
    )


def descriptors(dynamic_code: str, level: int) -> list[str]:
    rubric = data.rubric()
    return rubric.filter((pl.col("dynamic_code") == dynamic_code) & (pl.col("level") == level))["descriptor"].to_list()


def theme_names() -> dict[str, str]:
    themes = data.themes()
    return dict(zip(themes["theme_code"], themes["theme_name"], strict=True))


def dynamic_rows() -> list[dict]:
    return list(data.dynamics().iter_rows(named=True))


def vote_count(count: int) -> str:
    return f"{count} {'stem' if count == 1 else 'stemmen'}"


def cell_html(dynamic: dict, summary: CellSummary, previous: int | None, reference_line: str, participants: int) -> str:
    """One dynamic on the shared screen. Before the reveal: the count only. After: the dot plot, median,
    spread, the reasons (escaped, without names, sorted) and the rubric text of the levels in play."""
    e = html.escape
    parts = [f'<div class="tm-sessie"><h3>{e(dynamic["dynamic_name"])}</h3>']
    parts.append(
        f'<p class="tm-telling">{vote_count(summary.count)}'
        + (f" van {participants} deelnemers" if participants else "")
        + "</p>"
    )
    if summary.agreed is not None:
        note = f" — {e(summary.agreed.note)}" if summary.agreed.note else ""
        parts.append(f'<p class="tm-afspraak">Afgesproken indicatieve score: {summary.agreed.score}{note}</p>')
    if not summary.revealed:
        parts.append('<p class="tm-wacht">De verdeling verschijnt zodra de begeleider de uitslag toont.</p>')
    elif not summary.count:
        parts.append('<p class="tm-wacht">Geen stemmen bij deze dynamiek.</p>')
    else:
        assert summary.median is not None and summary.q1 is not None and summary.q3 is not None
        svg = figures.dot_plot_svg(summary.scores, summary.median, summary.q1, summary.q3, previous)
        parts.append(figures.svg_img(svg, figures.dot_plot_alt(summary.scores, summary.median, previous)))
        n = figures.number
        parts.append(
            f'<p class="tm-stats"><b>Mediaan {n(summary.median)}</b> · spreiding {summary.minimum}–{summary.maximum}'
            f" · middelste helft (IQR) {n(summary.q1)}–{n(summary.q3)}</p>"
        )
    parts.append(f'<p class="tm-ref">{e(reference_line)}</p>')
    if summary.revealed and summary.count:
        if summary.reasons:
            parts.append("<b>Toelichtingen</b> <small>(zonder namen, op alfabet)</small><ul>")
            parts.extend(f"<li>{e(reason)}</li>" for reason in summary.reasons)
            parts.append("</ul>")
        levels = sorted(set(summary.scores) | ({previous} if previous else set()))
        parts.append('<div class="tm-rubriek"><b>Scoringstabel, de niveaus in het spel</b><ul>')
        for level in levels:
            parts.append(f"<li><b>{level}</b>: {e(' · '.join(descriptors(dynamic['dynamic_code'], level)))}</li>")
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def join_box_html(join_code: str, join_url: str, presentation: bool) -> str:
    qr = figures.svg_img(
        figures.qr_svg(join_url), "QR-code met de link om mee te doen", "170px" if presentation else "130px"
    )
    return (
        f'<div class="tm-doe-mee">{qr}<div>Doe mee op uw telefoon: scan de code of ga naar<br>'
        f'<span class="tm-link">{html.escape(join_url)}</span><br>Sessiecode '
        f'<span class="tm-code">{html.escape(join_code)}</span></div></div>'
    )
