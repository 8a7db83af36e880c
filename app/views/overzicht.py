"""Overzicht — de staat van transitie: radar, scoreraster en de patronen per thema en dynamiek."""

import polars as pl
import streamlit as st

from app import data
from app.charts import show
from app.exports import handout, images, tables
from app.scoring import display
from app.text.escape import paragraphs_html, text_html, text_markdown
from app.text.numbers import count_words
from app.ui import blocks, filtering

filters = filtering.current_filters()
label = data.measurement_label(filters.year)

st.title("Staat van transitie")
# The year once: a label like 'Meting 2026' already holds it.
measurement = label if str(filters.year) in label else f"{label} {filters.year}"
st.caption(f"{text_markdown(measurement)} · vijf thema's × vier transitiedynamieken · scores van 1 tot 5")

if data.scores(filters.year).is_empty():
    st.warning(f"Voor {text_markdown(measurement)} zijn nog geen scores ingevoerd.")
    st.stop()

dynamics = data.dynamics()


# A fragment: switching the radar between together, per theme and table redraws these two columns, not the
# report's text below them.
@st.fragment
def scores_part() -> None:
    scores, scope_note = filtering.scores_in_scope(filters)
    if scope_note and filters.sector != filtering.ALL_SECTORS:
        st.info(scope_note, icon=":material/info:")
    radar_column, grid_column = st.columns([11, 10], gap="large")
    with grid_column:
        score_grid(scores, filters)
    with radar_column:
        st.subheader("Radar per thema")
        # Plain SVG rather than a plotting library: the Overzicht is the first page people open.
        show.show_radar(
            scores,
            images.file_name("radar", filters.year, filters.sector, filters.theme),
            tables.export_caption("Radar van de scores per thema", filters),
            highlight=filters.theme,
        )
        st.caption(
            "Lock-in staat zoals gescoord: een hogere lock-in-score betekent méér weerstand tegen verandering "
            "(ongunstig voor de transitie). Bij opbouw, institutionalisering en afbouw betekent hoger: meer transitie."
        )
        handout.handout_button(filters, key="hand-out")


def score_grid(scores: pl.DataFrame, filters: filtering.Filters) -> None:
    st.subheader("Scores per thema en dynamiek")
    # One HTML table rather than 25 widgets: it paints in a fraction of the time, and each cell is a plain link.
    show.show_grid(scores, dynamics, filters)
    tables.table_downloads(
        scores.select(
            pl.col("measurement_year").alias("Meting"),
            pl.col("theme_name").alias("Thema"),
            pl.col("dynamic_name").alias("Dynamiek"),
            pl.col("sector_code").alias("Sector"),
            pl.col("score").alias("Score"),
            pl.col("justification").alias("Onderbouwing"),
        ),
        "transitiemonitor-scores",
        key="scores",
        title="Scores per thema en dynamiek",
        holds_scores=True,
    )
    st.caption(
        "Klik op een score voor de onderbouwing, de scoringstabel en de voorbeelden. Blauw: hoe donkerder, hoe meer "
        "transitiedynamiek. Oranje (lock-in): hoe donkerder, hoe meer weerstand."
    )


def indicative_part() -> None:
    """Indicatief (koersteam): the scoring sessions beside the final grid (issue #10, app/scoring/display.py).
    The page's full width, below radar and grid: in the grid's column its 20 cells overflowed at 1280 and 1366."""
    indicative = data.indicative_scores(filters.year)
    if indicative.height:
        sources = sorted({display.indicative_source(r, filters.year) for r in indicative.iter_rows(named=True)})
        agreed = indicative["agreed_score"].is_not_null().sum()
        with st.expander(
            f"{display.INDICATIVE}: {text_markdown('; '.join(sources))} · "
            f"{count_words(int(agreed), 'afgesproken score', 'afgesproken scores')}",
            icon=":material/how_to_vote:",
        ):
            st.caption(
                "Indicatief, niet vastgesteld: de score die het koersteam in de scoringssessie afsprak (vet), of de "
                "mediaan van de stemmen (cursief) waar nog niets is afgesproken, met de spreiding en het aantal "
                "stemmen. De experts van Risbo en DRIFT stellen de scores daarna vast."
            )
            st.html(display.indicative_grid_html(indicative, data.themes(), dynamics))


scores_part()
indicative_part()

st.divider()
st.subheader("Per thema: de meest opvallende patronen")
summaries = data.evidence(year=filters.year, kinds=("samenvatting_thema",))
themes = data.themes()
shown = themes if filters.theme is None else themes.filter(theme_code=filters.theme)


def theme_card_html(theme: dict) -> str:
    text = summaries.filter(theme_code=theme["theme_code"])
    body = (
        paragraphs_html(text["evidence_text"][0])
        if text.height
        else "<p><em>Het rapport van dit meetmoment geeft voor dit thema geen samenvatting.</em></p>"
    )
    link = blocks.app_link_html("thema", filters.params(thema=theme["theme_code"]), "Naar het thema")
    return f'<article class="tm-kaart"><h4>{text_html(theme["theme_name"])}</h4>{body}{link}</article>'


blocks.show_cards(theme_card_html(t) for t in shown.iter_rows(named=True))

st.subheader("Per dynamiek: het totaalbeeld")
overall = data.evidence(year=filters.year, kinds=("samenvatting_dynamiek",))
tabs = st.tabs([text_markdown(name) for name in dynamics["dynamic_name"]])  # tab labels are Markdown
for tab, dynamic in zip(tabs, dynamics.iter_rows(named=True), strict=True):
    with tab:
        text = overall.filter(dynamic_code=dynamic["dynamic_code"])
        if text.height:
            blocks.text_block(text["evidence_text"][0])
        else:
            st.markdown("_Geen totaalbeeld voor deze dynamiek._")
