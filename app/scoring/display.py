"""What the session pages share: reference scores and rubric from the warehouse, and the shared screen's
cells as escaped HTML. Every text goes through the one escaping helper (escape.text_html: HTML-escaped, bidi and
control characters removed); nothing a person typed is read as Markdown or HTML. Beyond a handful of votes the
screen aggregates: counts per level instead of a dot per vote, and a sample of the reasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from app import data
from app.scoring import figures
from app.scoring.summary import REASONS_SHOWN, CellSummary, middle_half
from app.text import escape

ALL_SECTORS = "alle"

CSS = """
<style>
.tm-sessie {font-size: 1rem; line-height: 1.35;}
.tm-sessie h3 {margin: 0 0 .2rem 0; font-size: 1.45rem;}
.tm-sessie .tm-telling {font-size: 1.25rem; font-weight: 600; margin: .1rem 0 .4rem 0;}
.tm-sessie .tm-stats {font-size: 1.1rem; margin: .2rem 0;}
.tm-sessie .tm-ref {color: #333; margin: .2rem 0;}
.tm-sessie .tm-ronde {margin: .2rem 0; padding-left: .5rem; border-left: 3px solid #1f5f8b;}
.tm-sessie .tm-afspraak {font-weight: 700; margin: .3rem 0; padding: .2rem .5rem; border-left: 5px solid #009E73;}
.tm-sessie ul {margin: .2rem 0 .4rem 1.1rem; padding: 0;}
.tm-sessie li {margin: .1rem 0;}
.tm-sessie .tm-rubriek, .tm-sessie .tm-rubriek li {font-size: .9rem; color: #333;}
.tm-sessie .tm-wacht {color: #555; font-style: italic;}
.tm-sessie ul.tm-niveaus {list-style: none; margin: .2rem 0; padding: 0;}
.tm-sessie .tm-stippen {color: #0072B2; letter-spacing: .05em;}
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
/* After the reveal: four dynamics side by side on one 1280x720 screen. */
.tm-sessie.tm-compact {line-height: 1.25;}
.tm-sessie.tm-compact h3 {font-size: 1.5rem; margin: 0;}
.tm-sessie.tm-compact .tm-telling {font-size: 1.1rem; margin: 0 0 .2rem 0;}
.tm-sessie.tm-compact .tm-stats, .tm-sessie.tm-compact li, .tm-sessie.tm-compact p {font-size: 1.1rem;
  margin: .15rem 0;}
.tm-sessie.tm-compact .tm-redenen li {display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden;}
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


COMPACT_REASONS = 2  # per cell on the beamer after the reveal: four dynamics on one 1280×720 screen
LEVEL_DOTS = 10  # dots per level in the text counts; beyond, the number says it


def level_counts_html(summary: CellSummary) -> str:
    """Counts per level as text, '3: ●●● 3 stemmen', one line per level that got votes."""
    lines = []
    for level, count in summary.level_counts():
        dots = "●" * min(count, LEVEL_DOTS) + ("…" if count > LEVEL_DOTS else "")
        lines.append(
            f'<li><b>{level}</b>: <span class="tm-stippen" aria-hidden="true">{dots}</span> {vote_count(count)}</li>'
        )
    return f'<ul class="tm-niveaus">{"".join(lines)}</ul>'


def middle_half_text(summary: CellSummary) -> str:
    """'de middelste helft van de stemmen ligt tussen 3 en 4' (whole levels someone chose), or '… is 3'."""
    if summary.q1 == summary.q3:
        return f"de middelste helft van de stemmen is {summary.q1}"
    return f"de middelste helft van de stemmen ligt tussen {summary.q1} en {summary.q3}"


SPREAD_CHANGE_WORDS = {
    "smaller": "De stemmen liggen nu dichter bij elkaar.",
    "larger": "De stemmen liggen nu verder uit elkaar.",
    "same": "De stemmen liggen even ver uit elkaar als toen.",
}


def previous_round_html(summary: CellSummary) -> str:
    """A reopened round after its reveal: the previous round's counts per level beside this one, and whether the
    spread narrowed — the convergence a Delphi panel looks for."""
    change = summary.spread_change()
    if change is None:
        return ""
    counts = Counter(summary.previous_scores)
    levels = sorted(counts)
    parts = [f"{vote_count(counts[levels[0]])} op {levels[0]}"]
    parts.extend(f"{counts[level]} op {level}" for level in levels[1:])
    listed = ", ".join(parts[:-1]) + f" en {parts[-1]}" if len(parts) > 1 else parts[0]
    q1, q3 = middle_half(summary.previous_scores)
    middle = f"{q1}" if q1 == q3 else f"{q1}–{q3}"
    return (
        f'<p class="tm-ronde">Ronde {summary.round_number - 1}: {listed}; middelste helft {middle}. '
        f"<b>{SPREAD_CHANGE_WORDS[change]}</b></p>"
    )


def distribution_html(summary: CellSummary, previous: int | None, compact: bool) -> str:
    """Before the reveal a waiting line; after it the counts per level and the median in words, with the dot
    plot beside them except on the compact beamer screen."""
    if not summary.revealed:
        return '<p class="tm-wacht">De verdeling verschijnt zodra de begeleider de uitslag toont.</p>'
    if not summary.count:
        return '<p class="tm-wacht">Geen stemmen bij deze dynamiek.</p>'
    assert summary.median is not None
    figure = ""
    if not compact:
        svg = figures.dot_plot_svg(summary.scores, summary.median, summary.q1, summary.q3, previous)
        figure = figures.svg_img(svg, figures.dot_plot_alt(summary.scores, summary.median, previous))
    spread = f"spreiding {summary.minimum}–{summary.maximum}" if summary.minimum != summary.maximum else "eensgezind"
    return (
        figure
        + level_counts_html(summary)
        + f'<p class="tm-stats"><b>Mediaan {figures.number(summary.median)}</b> · {spread} · '
        + f"{middle_half_text(summary)}</p>"
        + previous_round_html(summary)
    )


def reasons_html(summary: CellSummary, limit: int) -> str:
    e = escape.text_html
    if not summary.reasons:
        return ""
    shown, others = summary.reason_sample(limit)
    about = "zonder namen, op alfabet" + (f", {len(shown)} van {len(summary.reasons)}" if others else "")
    parts = [f'<b>Toelichtingen</b> <small>({about})</small><ul class="tm-redenen">']
    parts.extend(f"<li>{e(reason)}{f' ({times}×)' if times > 1 else ''}</li>" for reason, times in shown)
    if others:
        more = "andere toelichting" if others == 1 else "andere toelichtingen"
        parts.append(f'<li class="tm-wacht">en {others} {more}</li>')
    parts.append("</ul>")
    return "".join(parts)


def rubric_html(dynamic_code: str, levels: list[int]) -> str:
    e = escape.text_html
    parts = ['<div class="tm-rubriek"><b>Scoringstabel, de niveaus in het spel</b><ul>']
    parts.extend(f"<li><b>{level}</b>: {e(' · '.join(descriptors(dynamic_code, level)))}</li>" for level in levels)
    parts.append("</ul></div>")
    return "".join(parts)


def cell_html(
    dynamic: dict,
    summary: CellSummary,
    previous: int | None,
    reference_line: str,
    participants: int,
    compact: bool = False,
) -> str:
    """One dynamic on the shared screen. Before the reveal: the count only. After: the counts per level, median
    and middle half in words, the reasons (escaped, without names, sorted) and the rubric text of the levels in
    play. `compact` (the beamer after the reveal): no dot plot or rubric and fewer reasons, so all four fit."""
    e = escape.text_html
    parts = [f'<div class="tm-sessie{" tm-compact" if compact else ""}"><h3>{e(dynamic["dynamic_name"])}</h3>']
    parts.append(
        f'<p class="tm-telling">{vote_count(summary.count)}'
        + (f" van {participants} deelnemers" if participants else "")
        + "</p>"
    )
    if summary.agreed is not None:
        note = f" — {e(summary.agreed.note)}" if summary.agreed.note else ""
        parts.append(f'<p class="tm-afspraak">Afgesproken indicatieve score: {summary.agreed.score}{note}</p>')
    parts.append(distribution_html(summary, previous, compact))
    parts.append(f'<p class="tm-ref">{e(reference_line)}</p>')
    if summary.revealed and summary.count:
        parts.append(reasons_html(summary, COMPACT_REASONS if compact else REASONS_SHOWN))
        if not compact:
            levels = sorted(set(summary.scores) | ({previous} if previous else set()))
            parts.append(rubric_html(dynamic["dynamic_code"], levels))
    parts.append("</div>")
    return "".join(parts)


def join_box_html(join_code: str, join_url: str, presentation: bool) -> str:
    qr = figures.svg_img(
        figures.qr_svg(join_url), "QR-code met de link om mee te doen", "170px" if presentation else "130px"
    )
    return (
        f'<div class="tm-doe-mee">{qr}<div>Doe mee op uw telefoon: scan de code of ga naar<br>'
        f'<span class="tm-link">{escape.text_html(join_url)}</span><br>Sessiecode '
        f'<span class="tm-code">{escape.text_html(join_code)}</span></div></div>'
    )


# --- Indicative scores beside the final ones (Thema, Overzicht) ---------------------------------------------

INDICATIVE = "Indicatief (koersteam)"


def indicative_source(row: dict, shown_year: int) -> str:
    """Which measurement the session scored, as plain text: 'Meting 2026 (concept)', or 'scoringssessie vóór de
    vaststelling' when it is the measurement whose final score stands beside it."""
    if row["measurement_year"] == shown_year:
        return "scoringssessie vóór de vaststelling"
    status = row.get("measurement_status")
    state = "concept" if status == "concept" else "nog geen vastgestelde scores"
    return f"{row['measurement_label']} ({row['measurement_year']}, {state})"


def indicative_summary(row: dict) -> str:
    """'3 · spreiding 2–4 · 9 stemmen' (plain text); without an agreed score: 'nog geen afgesproken score · …'."""
    parts = [str(row["agreed_score"]) if row.get("agreed_score") is not None else "nog geen afgesproken score"]
    if row.get("vote_count"):
        if row.get("agreed_score") is None:
            parts.append(f"mediaan {figures.number(row['median_score'])}")
        low, high = row["min_score"], row["max_score"]
        parts.append(f"spreiding {low}–{high}" if low != high else f"eensgezind ({low})")
        parts.append(vote_count(int(row["vote_count"])))
    return " · ".join(parts)


def indicative_line(row: dict, shown_year: int) -> str:
    """One line beside a final score, plain text (the page escapes it):
    'Indicatief (koersteam), Meting 2026 (2026, concept): 3 · spreiding 2–4 · 9 stemmen — toelichting'."""
    note = f" — {row['agreed_note']}" if row.get("agreed_note") else ""
    return f"{INDICATIVE}, {indicative_source(row, shown_year)}: {indicative_summary(row)}{note}"


def indicative_grid_html(indicative: pl.DataFrame, themes: pl.DataFrame, dynamics: pl.DataFrame) -> str:
    """A small theme × dynamic table of the indicative scores (escaped HTML): the agreed score, or the median in
    italics where none was agreed, with the spread and the number of votes beneath."""
    e = escape.text_html
    cells = {(r["theme_code"], r["dynamic_code"]): r for r in indicative.iter_rows(named=True)}
    head = "".join(f"<th>{e(str(name))}</th>" for name in dynamics["dynamic_name"])
    body = []
    for theme in themes.iter_rows(named=True):
        tds = []
        for dynamic_code in dynamics["dynamic_code"]:
            row = cells.get((theme["theme_code"], dynamic_code))
            if row is None:
                tds.append('<td class="tm-leeg">–</td>')
                continue
            if row["agreed_score"] is not None:
                main = f"<b>{row['agreed_score']}</b>"
            elif row["vote_count"]:
                main = f"<i>mediaan {e(figures.number(row['median_score']))}</i>"
            else:
                main = "–"
            extra = (
                f"<br><small>{row['min_score']}–{row['max_score']} · {e(vote_count(int(row['vote_count'])))}</small>"
                if row["vote_count"]
                else ""
            )
            tds.append(f"<td>{main}{extra}</td>")
        body.append(f"<tr><th>{e(str(theme['theme_name']))}</th>{''.join(tds)}</tr>")
    return (
        '<table class="tm-indicatief"><thead><tr><th></th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
        + "<style>.tm-indicatief{font-size:.85rem;border-collapse:collapse;margin:.3rem 0;max-width:100%}"
        ".tm-indicatief th,.tm-indicatief td{border:1px dashed #999;padding:.15rem .4rem;text-align:center}"
        ".tm-indicatief tbody th{text-align:left;font-weight:500}.tm-indicatief .tm-leeg{color:#999}</style>"
    )


def prefilled_form(cells: dict, year: int) -> bytes:
    """The scoring form for measurement `year` (warehouse/template.py), pre-filled with the sessions' agreed
    indicative scores (session.indicative_cells) and the previous final measurement's scores and justifications."""
    from warehouse.template import Indicative, Previous, build_template  # openpyxl: only when asked for

    indicative = {
        key: Indicative(
            score=cell.agreed.score if cell.agreed else None,
            # The note leads its cell: a note typed as '=HYPERLINK(…)' must open as text (until the template
            # guards its own cells, warehouse/template.py).
            note=escape.plain_text(cell.agreed.note) if cell.agreed else "",  # the form guards its own cells
            votes=len(cell.scores),
            low=min(cell.scores) if cell.scores else None,
            high=max(cell.scores) if cell.scores else None,
            median=cell.median,
            session=f"sessie {cell.join_code} van {cell.opened_at[:10]}",
        )
        for key, cell in cells.items()
    }
    years = [y for y in data.measurements()["measurement_year"].to_list() if y < year]
    previous = None
    if years:
        before = max(years)
        scores = data.scores(before).filter(sector_code=ALL_SECTORS)
        previous = Previous(
            before,
            str(data.measurements().filter(measurement_year=before)["label"][0]),
            {
                (r["theme_code"], r["dynamic_code"]): (int(r["score"]), r["justification"])
                for r in scores.iter_rows(named=True)
            },
        )
    concept = data.concept_measurements().filter(measurement_year=year)
    label = str(concept["label"][0]) if concept.height else f"Meting {year}"
    result = build_template(None, year=year, label=label, indicative=indicative, previous=previous)
    assert isinstance(result, bytes)
    return result
