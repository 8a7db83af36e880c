"""Thema in presentation mode: one screen per score at a beamer's size (1280×720 and up).

Theme, dynamic, score and its rubric level always in view; the core of the justification beside the examples;
the whole justification and every example one key (M) or click away, over the screen, so no screen is taller
than the beamer. The keys and steps are app/assets/meeting.js's.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import data
from app.charts.svg import cell_colors
from app.scoring import display
from app.text.escape import paragraphs_html, plain_text, text_html, text_markdown
from app.text.sentences import whole_sentences
from app.ui import blocks, filtering

CORE_CHARS = 480  # the justification's first sentences, about seven lines beside the examples at 1280×720
EXAMPLE_CHARS = 220  # an example's first sentence(s) on the screen; the whole text is behind 'M'
EXAMPLES_ON_SCREEN = 5
ALL_EVIDENCE = 50  # behind 'M': more examples than any score has in the report


def core(text: str, limit: int) -> tuple[str, bool]:
    """The first whole sentences of a text, together at most `limit` characters (at least one sentence, a long
    one cut at a word), and whether anything was left out."""
    text = plain_text(text).strip()
    if len(text) <= limit:
        return text, False
    kept, _ = whole_sentences(text, limit)
    if len(kept) > limit:  # one sentence longer than the limit: up to the last whole word
        end = kept.rfind(" ", 0, limit) if " " in kept[:limit] else limit
        return kept[:end].rstrip(",;:") + " …", True
    return kept, True


def dynamic_selector(
    theme_scores: pl.DataFrame, dynamic_codes: list[str], dynamic_names: dict[str, str], current: str
) -> None:
    """The four dynamics with their scores, one click each; the chosen one is always in the URL, the first too
    (a URL without one shows the first; once one is chosen, the address names it, as every key and link does)."""

    def score_of(code: str) -> str:
        row = theme_scores.filter(dynamic_code=code)
        return str(row["score"][0]) if row.height else "–"

    st.segmented_control(
        "Dynamiek",
        dynamic_codes,
        format_func=lambda code: f"{text_markdown(dynamic_names[code])}: {score_of(code)}",  # labels are Markdown
        key="dynamiek",
        on_change=_dynamic_to_url,
        args=(current,),
        label_visibility="collapsed",
    )


def _dynamic_to_url(current: str) -> None:
    """on_change of the dynamic: the new one into the URL (a new history entry), never left out as a default.
    A click on the chosen one deselects it: it stays chosen, and the URL as it was."""
    chosen = st.session_state.get("dynamiek")
    if chosen is None:
        st.session_state["dynamiek"] = current
    else:
        st.query_params["dynamiek"] = chosen


def _level_html(dynamic: dict, score: int | None) -> str:
    """The rubric's words for the scored level, in the score's colour."""
    if score is None:
        return ""
    descriptors = data.rubric().filter(dynamic_code=dynamic["dynamic_code"], level=score)["descriptor"].to_list()
    background, colour = cell_colors(score, dynamic["higher_is_better"])
    items = "".join(f"<li>{text_html(d)}</li>" for d in descriptors)
    return (
        f'<div class="tm-niveau"><p><span class="tm-niveau-cijfer" style="background:{background};color:{colour}">'
        f"{score}</span> <strong>Niveau {score} van 5</strong> in de scoringstabel</p><ul>{items}</ul></div>"
    )


def _example_html(row: dict, limit: int | None) -> str:
    text, _ = core(row["evidence_text"], limit) if limit else (row["evidence_text"], False)
    return (
        f"<li>{blocks.badges(row['sector_codes'], row.get('sector_scope'))} {blocks.heading_html(row['heading'])}"
        f"{text_html(text) if limit else paragraphs_html(text)}</li>"
    )


def _more_html(justification: str, provenance: str, examples: list[dict]) -> str:
    """The whole justification and every example, behind a native disclosure shown over the screen (M)."""
    listed = "".join(_example_html(row, None) for row in examples)
    return (
        '<details class="tm-meer"><summary><span class="tm-dicht">Hele onderbouwing en alle voorbeelden (M)</span>'
        '<span class="tm-open">Sluiten (M of Esc)</span></summary><div class="tm-meer-tekst">'
        f"<h3>Onderbouwing</h3><div class='tm-quote'>{paragraphs_html(justification)}</div>"
        f"<p class='tm-bron'>{text_html(provenance)}</p>"
        + (f"<h3>Illustrerende voorbeelden ({len(examples)})</h3><ul>{listed}</ul>" if examples else "")
        + "</div></details>"
    )


def show(filters: filtering.Filters, theme_code: str, dynamic_code: str, anchor: str) -> None:
    """The score screen of one theme × dynamic; the theme's name (h1) is drawn by the page above it."""
    dynamics = data.dynamics()
    dynamic_codes = dynamics["dynamic_code"].to_list()
    dynamic_names = dict(zip(dynamic_codes, dynamics["dynamic_name"], strict=True))
    scores, _ = filtering.scores_in_scope(filters)
    theme_scores = scores.filter(theme_code=theme_code)
    themes = data.themes()["theme_code"].to_list()
    step = themes.index(theme_code) * len(dynamic_codes) + dynamic_codes.index(dynamic_code) + 1

    selector_column, where_column = st.columns([5, 1], vertical_alignment="center")
    with selector_column:
        dynamic_selector(theme_scores, dynamic_codes, dynamic_names, dynamic_code)
    where_column.markdown(
        f'<p class="tm-waar">Score {step} van {len(themes) * len(dynamic_codes)}</p>', unsafe_allow_html=True
    )

    dynamic = dynamics.filter(dynamic_code=dynamic_code).row(0, named=True)
    row = theme_scores.filter(dynamic_code=dynamic_code)
    score = int(row["score"][0]) if row.height else None
    label = data.measurement_label(filters.year)
    cell = data.EvidenceFilter(year=filters.year, theme_code=theme_code, dynamic_code=dynamic_code)
    examples = data.evidence_page(
        cell.without(kinds=("voorbeeld",), sector_code=filters.sector), 0, ALL_EVIDENCE, order="report"
    ).rows.to_dicts()

    score_column, examples_column = st.columns([11, 9], gap="large")
    with score_column:
        if score is None:
            st.header(text_markdown(dynamic["dynamic_name"]), anchor=anchor)
            st.markdown(f"_In de {text_markdown(label)} is hier geen score gegeven._")
        else:
            own = f" (eigen {text_markdown(row['sector_code'][0])}-score)" if row["sector_code"][0] != "alle" else ""
            st.header(f"{text_markdown(dynamic['dynamic_name'])}: score {score}{own}", anchor=anchor)
            blocks.show_html(
                f"<p class='tm-richting'>{text_html(dynamic['score_direction'])}</p>"
                + _level_html(dynamic, score)
                + "<p><strong>Onderbouwing</strong></p>"
                + f"<div class='tm-quote'><p>{text_html(core(row['justification'][0], CORE_CHARS)[0])}</p></div>"
                + _more_html(row["justification"][0], row["provenance"][0], examples)
            )
        for indicative in (
            data.indicative_scores(filters.year).filter(theme_code=theme_code, dynamic_code=dynamic_code).to_dicts()
        ):
            st.caption(f":material/how_to_vote: {text_markdown(display.indicative_line(indicative, filters.year))}")
    with examples_column:
        st.markdown(f"**Illustrerende voorbeelden ({len(examples)})**" if examples else "**Illustrerende voorbeelden**")
        if not examples:
            st.markdown("_Het rapport geeft bij deze score geen illustrerende voorbeelden._")
        else:
            shown = examples[:EXAMPLES_ON_SCREEN]
            blocks.show_html(
                f"<ul class='tm-voorbeelden'>{''.join(_example_html(r, EXAMPLE_CHARS) for r in shown)}</ul>"
                + (
                    f"<p class='tm-nog'>En nog {len(examples) - len(shown)}: druk M.</p>"
                    if len(examples) > len(shown)
                    else ""
                )
            )
