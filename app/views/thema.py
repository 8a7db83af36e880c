"""Thema — één thema: transitievraag, radar over de jaren en per dynamiek score, rubriek, onderbouwing en bewijs."""

import polars as pl
import streamlit as st

from app import data, paging, presentation
from app.charts import show
from app.exports import handout, images, tables
from app.scoring import display
from app.text.escape import text_html, text_markdown
from app.text.numbers import number_text
from app.ui import blocks, filtering, layout, score_screen

filters = filtering.current_filters()
themes = data.themes()
codes = themes["theme_code"].to_list()
theme_code = filters.theme or codes[0]
theme = themes.filter(theme_code=theme_code).row(0, named=True)
dynamics = data.dynamics()
dynamic_codes = dynamics["dynamic_code"].to_list()
dynamic_names = dict(zip(dynamic_codes, dynamics["dynamic_name"], strict=True))

dynamic_code = filtering.url_value("dynamiek", dynamic_codes, dynamic_codes[0])
label = data.measurement_label(filters.year)

# Previous / next theme, in the report's order. In presentation mode the top bar has these steps, with keys.
position = codes.index(theme_code)
if filters.presentation:
    st.title(text_markdown(theme["theme_name"]))
else:
    previous_column, title_column, next_column = st.columns([2, 8, 2], vertical_alignment="center")
    with previous_column:
        if position > 0:
            st.page_link(
                layout.PAGES["thema"],
                label="Vorig thema",
                icon=":material/arrow_back:",
                query_params=filters.params(thema=codes[position - 1], dynamiek=dynamic_code),
            )
    with next_column:
        if position < len(codes) - 1:
            st.page_link(
                layout.PAGES["thema"],
                label="Volgend thema",
                icon=":material/arrow_forward:",
                query_params=filters.params(thema=codes[position + 1], dynamiek=dynamic_code),
            )
    with title_column:
        st.title(text_markdown(theme["theme_name"]))

score_anchor = f"score-{theme_code}-{dynamic_code}"
if filters.presentation:  # the beamer: one screen per score (app/ui/score_screen.py)
    score_screen.show(filters, theme_code, dynamic_code, score_anchor)
    st.stop()

# A chosen score (a click in the grid) opens with that score in view.
if "dynamiek" in st.query_params:
    presentation.scroll_to(score_anchor)

st.markdown("**De kritische transitievraag**")
blocks.quote(theme["transition_question"][0].upper() + theme["transition_question"][1:])
with st.expander("Over dit thema (§1.2)"):
    blocks.text_block(theme["description"])

scores, scope_note = filtering.scores_in_scope(filters)
theme_scores = scores.filter(theme_code=theme_code)
if scope_note and filters.sector != filtering.ALL_SECTORS:
    st.info(scope_note, icon=":material/info:")

history = data.theme_scores_by_year(theme_code)
sector_history = history.filter(sector_code=filters.sector)
history = sector_history if sector_history.height else history.filter(sector_code=filtering.ALL_SECTORS)

radar_column, tiles_column = st.columns([6, 5], gap="large")  # the radar wide enough for 11 px text
with radar_column:
    if history.is_empty():
        st.warning("Voor dit thema zijn nog geen scores ingevoerd.")
    else:
        years = sorted(history["measurement_year"].unique().to_list())
        shown_years = dict(zip(history["measurement_year"], history["label"], strict=False))
        show.show_radar(
            history,
            images.file_name("radar", "-".join(map(str, years)), filters.sector, theme_code),
            tables.export_caption(
                f"Radar van {theme['theme_name']} over de meetmomenten",
                filters,
                theme_code,
                measurement=", ".join(f"{shown_years[year]} ({year})" for year in years),
            ),
            by="year",
        )
        if len(years) == 1:
            st.caption("Eén meetmoment: vanaf de tweede meting toont de radar hier de beweging over de jaren.")
    handout.handout_button(filters, key="hand-out", theme_code=theme_code)

with tiles_column:
    st.markdown(f"**Scores in de {text_markdown(label)} ({filters.year})** — kies een dynamiek")
    score_screen.dynamic_selector(theme_scores, dynamic_codes, dynamic_names, dynamic_code)

dynamic = dynamics.filter(dynamic_code=dynamic_code).row(0, named=True)
score_row = theme_scores.filter(dynamic_code=dynamic_code)

st.divider()
if score_row.is_empty():
    st.header(text_markdown(dynamic["dynamic_name"]), anchor=score_anchor)
    st.warning(
        f"Voor {text_markdown(dynamic['dynamic_name'].lower())} is in de {text_markdown(label)} geen score gegeven."
    )
    score = None
else:
    score = int(score_row["score"][0])
    scope = score_row["sector_code"][0]
    own = f" (eigen {text_markdown(scope)}-score)" if scope != filtering.ALL_SECTORS else ""
    st.header(f"{text_markdown(dynamic['dynamic_name'])}: score {score}{own}", anchor=score_anchor)
# --- Indicatief (koersteam): the scoring sessions beside the final score (issue #10, app/scoring/display.py) ---
for indicative_row in (
    data.indicative_scores(filters.year).filter(theme_code=theme_code, dynamic_code=dynamic_code).iter_rows(named=True)
):
    st.caption(f":material/how_to_vote: {text_markdown(display.indicative_line(indicative_row, filters.year))}")
# --- end indicatief ---
st.caption(
    f"{text_markdown(dynamic['score_direction'])} Leidende vragen: {text_markdown(dynamic['guiding_questions'])}"
)

rubric = data.rubric().filter(dynamic_code=dynamic_code)
rubric_column, justification_column = st.columns([4, 7], gap="large")


# A fragment: comparing a neighbouring level redraws this column only, not the evidence below.
@st.fragment
def rubric_levels() -> None:
    st.markdown("**Wat dit niveau betekent (scoringstabel)**")
    level_key = f"niveau-{theme_code}-{dynamic_code}-{score}"
    level = st.segmented_control(
        "Niveau",
        [1, 2, 3, 4, 5],
        default=score or 1,
        key=level_key,
        format_func=lambda n: f"{n} ●" if n == score else str(n),
        help="Het gescoorde niveau is gemarkeerd met ●; klik een buurniveau om het te vergelijken.",
    ) or (score or 1)
    descriptors = rubric.filter(level=level)["descriptor"].to_list()
    heading = "Gescoord niveau" if level == score else "Ter vergelijking"
    st.markdown(f"*{heading}: niveau {level}*")
    blocks.show_html(f"<ul>{''.join(f'<li>{text_html(d)}</li>' for d in descriptors)}</ul>")


with rubric_column:
    rubric_levels()

with justification_column:
    if score is not None:
        st.markdown("**Onderbouwing**")
        blocks.quote(score_row["justification"][0])
        st.caption(text_markdown(score_row["provenance"][0]))

# The evidence lists below are paged: each query fetches only the rows shown (app.data.evidence_page).
EXAMPLES_PER_PAGE = 15
FINDINGS_PER_PAGE = 8
STATEMENTS_SHOWN = 10
EXAMPLES_PER_FINDING = 10
cell = data.EvidenceFilter(year=filters.year, theme_code=theme_code, dynamic_code=dynamic_code)
sector_label = f"het {text_markdown(filters.sector)}" if filters.sector != filtering.ALL_SECTORS else None

st.subheader("Variatie in beweging")
variation = data.evidence_page(cell.without(kinds=("variatie",)), 0, 1, order="report").rows
statements = (
    data.evidence_page(
        cell.without(kinds=("variatie_sector",), sector_code=filters.sector, about_sector=True),
        0,
        STATEMENTS_SHOWN,
        order="report",
    )
    if sector_label
    else None
)
if variation.is_empty():
    st.markdown("_Het rapport beschrijft bij deze score geen variatie in beweging._")
elif statements is not None and statements.total:
    st.markdown(f"Wat het rapport over {sector_label} zegt:")
    for text in statements.rows["evidence_text"]:
        blocks.quote(text)
    if statements.total > statements.rows.height:
        st.caption(
            f"De eerste {statements.rows.height} van {number_text(statements.total)} uitspraken; "
            "de andere staan op de pagina Voorbeelden."
        )
    with st.expander("De hele tekst over alle sectoren"):
        blocks.quote(variation["evidence_text"][0])
else:
    if sector_label:
        st.info(
            f"Deze variatie is niet per sector uitgesplitst of noemt {sector_label} niet apart: u ziet de hele tekst.",
            icon=":material/info:",
        )
    blocks.quote(variation["evidence_text"][0])

st.subheader("Illustrerende voorbeelden")
examples_filter = cell.without(kinds=("voorbeeld",), sector_code=filters.sector)
examples_page = paging.requested_page("pagina_voorbeelden", examples_filter)
examples = data.evidence_page(
    examples_filter, (examples_page - 1) * EXAMPLES_PER_PAGE, EXAMPLES_PER_PAGE, order="report"
)
if examples.rows.is_empty() and examples.total:  # the URL asked for a page past the end
    examples_page = paging.clamp("pagina_voorbeelden", examples_page, examples.total, EXAMPLES_PER_PAGE)
    examples = data.evidence_page(
        examples_filter, (examples_page - 1) * EXAMPLES_PER_PAGE, EXAMPLES_PER_PAGE, order="report"
    )
all_examples = data.evidence_count(cell.without(kinds=("voorbeeld",))) if sector_label else examples.total
if not all_examples:
    st.markdown("_Het rapport geeft bij deze score geen illustrerende voorbeelden._")
elif not examples.total:
    st.info(
        f"Geen van de {number_text(all_examples)} voorbeelden gaat over {sector_label} of over de hele sector. "
        "Kies 'Alle' bij Sector om ze te zien.",
        icon=":material/info:",
    )
else:
    if sector_label:
        st.caption(
            f"{number_text(examples.total)} van {number_text(all_examples)} voorbeelden: "
            f"over {sector_label} of sectorbreed."
        )
    if examples.total > EXAMPLES_PER_PAGE:
        st.caption(f"Voorbeeld {paging.range_text(examples_page, EXAMPLES_PER_PAGE, examples.total)}")
    blocks.evidence_list(list(examples.rows.iter_rows(named=True)))
    paging.controls("pagina_voorbeelden", examples_page, examples.total, EXAMPLES_PER_PAGE, noun="voorbeelden")

st.subheader("Uit de monitoringssessies")
findings_filter = cell.without(sector_code=filters.sector, session_findings=True)
findings_page = paging.requested_page("pagina_sessies", findings_filter)
findings = data.evidence_page(
    findings_filter, (findings_page - 1) * FINDINGS_PER_PAGE, FINDINGS_PER_PAGE, order="report"
)
if findings.rows.is_empty() and findings.total:
    findings_page = paging.clamp("pagina_sessies", findings_page, findings.total, FINDINGS_PER_PAGE)
    findings = data.evidence_page(
        findings_filter, (findings_page - 1) * FINDINGS_PER_PAGE, FINDINGS_PER_PAGE, order="report"
    )
if not findings.total:
    st.markdown(
        "_Geen sessiebevindingen bij deze dynamiek"
        + (f" die over {sector_label} of de hele sector gaan._" if sector_label else "._")
    )
else:
    if findings.total > FINDINGS_PER_PAGE:
        st.caption(f"Bevinding {paging.range_text(findings_page, FINDINGS_PER_PAGE, findings.total)}")
    shown = findings.rows
    finding_ids = tuple(shown.filter(pl.col("evidence_kind") != "sessie_voorbeeld")["evidence_id"])
    # The examples of every shown finding in one query, at most EXAMPLES_PER_FINDING each.
    children: dict[str, list[dict]] = {}
    child_totals: dict[str, int] = {}
    if finding_ids:
        for child in data.evidence_children(finding_ids, filters.sector, EXAMPLES_PER_FINDING).iter_rows(named=True):
            children.setdefault(child["parent_evidence_id"], []).append(child)
            child_totals[child["parent_evidence_id"]] = child["n_children"]
    # The shown findings as one block of HTML, not three or four elements each: the page paints sooner.
    parts: list[str] = []
    current_session = None
    for finding in shown.iter_rows(named=True):
        if finding["report_session_id"] != current_session:
            current_session = finding["report_session_id"]
            date = f" ({finding['session_date']:%d-%m-%Y})" if finding["session_date"] else ""
            parts.append(f"<p><strong>Sessie {text_html(finding['session_name'])}</strong>{date}</p>")
        if finding["evidence_kind"] == "sessie_voorbeeld":  # its finding was filtered out by the sector
            parts.append(blocks.evidence_list_html([finding]))
            continue
        if finding["heading"]:
            parts.append(f"<p><em>{text_html(finding['heading'])}</em></p>")
        parts.append(blocks.quote_html(finding["evidence_text"]))
        parts.append(blocks.evidence_list_html(children.get(finding["evidence_id"], [])))
        more = child_totals.get(finding["evidence_id"], 0) - len(children.get(finding["evidence_id"], []))
        if more > 0:
            parts.append(
                f"<p><small>En nog {number_text(more)} praktijkvoorbeelden bij deze bevinding (zie Voorbeelden)."
                "</small></p>"
            )
    blocks.show_html(f"<div>{''.join(parts)}</div>")
    paging.controls("pagina_sessies", findings_page, findings.total, FINDINGS_PER_PAGE, noun="bevindingen")

st.page_link(
    layout.PAGES["voorbeelden"],
    label="Al het bewijs bij dit thema doorzoeken",
    icon=":material/search:",
    query_params=filters.params(thema=theme_code, dynamiek=dynamic_code),
)
