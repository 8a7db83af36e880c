"""Voortgang — wat bewoog er sinds de nulmeting en sinds de vorige meting, per thema, dynamiek en sector."""

from functools import partial

import polars as pl
import streamlit as st

from app import data
from app.charts import show
from app.charts.progress import MEANING_STYLE
from app.exports import images, tables
from app.text.escape import text_markdown
from app.text.numbers import count_words
from app.ui import blocks, filtering, lazy

filters = filtering.current_filters()
st.title("Voortgang")

OWN = "◆"  # marks a sector's own score, as on the Overzicht
sector = filters.sector
changes = data.score_changes(sector)
own_count = int(changes["is_own_sector_score"].sum()) if changes.height else 0
if sector != filtering.ALL_SECTORS:
    if own_count:
        st.info(
            f"U ziet de voortgang van het {sector}: de eigen {sector}-scores waar een meting die geeft "
            f"({count_words(own_count, 'score', 'scores')}, gemarkeerd met {OWN}), elders de sectorbrede score.",
            icon=":material/info:",
        )
    else:
        st.info(
            f"Er zijn nog geen eigen scores voor het {sector}: u ziet de sectorbrede voortgang.",
            icon=":material/info:",
        )

years = sorted(changes["measurement_year"].unique().to_list())
plain_labels = dict(zip(changes["measurement_year"], changes["label"], strict=False))  # for select boxes: plain text
# Labels come from the scoring form: Markdown-escaped wherever Streamlit renders Markdown.
labels = {year: text_markdown(label) for year, label in plain_labels.items()}
themes = data.themes()
theme_codes = [filters.theme] if filters.theme else themes["theme_code"].to_list()


def marked(score: pl.Expr, own: pl.Expr) -> pl.Expr:
    """A score as text, with ◆ when it is the sector's own."""
    return pl.format("{}{}", score, pl.when(own).then(pl.lit(f" {OWN}")).otherwise(pl.lit("")))


if len(years) < 2:
    only = years[0] if years else filters.year
    st.info(
        f"Voortgang verschijnt vanaf de tweede meting. Er is nu één meting, de {labels.get(only, only)} ({only}): "
        "hieronder de basis waartegen de volgende metingen worden afgezet.",
        icon=":material/info:",
    )
    shown = changes.with_columns(
        marked(pl.col("score"), pl.col("is_own_sector_score")) if own_count else pl.col("score"),
    )
    if filters.presentation:  # on the beamer a picture, readable from the back of the room; its table one click away
        show.show_progress_lines(
            changes.filter(pl.col("theme_code").is_in(theme_codes)),
            theme_codes,
            images.file_name("voortgang", only, sector, filters.theme),
            tables.export_caption("De basis: scores per thema", filters, measurement=f"{plain_labels.get(only, only)}"),
            large=True,
        )
        st.stop()
    baseline = shown.pivot(on="dynamic_name", index="theme_name", values="score", sort_columns=False)
    # A plain table, not st.dataframe: the data grid alone added ~0.5 s to the first paint (docs/benchmark-profile.md).
    st.html(show.table_html(baseline.rename({"theme_name": "Thema"}), f"De basis: scores per thema ({only})"))
    st.stop()

latest = years[-1]
progress = changes.filter(measurement_year=latest)
counts = progress.group_by("meaning_since_baseline").len()
count = dict(zip(counts["meaning_since_baseline"], counts["len"], strict=True))
baseline_year = int(progress["baseline_year"].min())
first, second, third = st.columns(3)
first.metric(f"Vooruitgang sinds {baseline_year}", count.get("vooruitgang", 0), help="cellen (thema × dynamiek)")
second.metric(f"Achteruitgang sinds {baseline_year}", count.get("achteruitgang", 0))
third.metric(f"Gelijk sinds {baseline_year}", count.get("gelijk", 0))
st.caption(
    f"{labels[latest]} ({latest}) tegenover de eerste meting. Bij lock-in is een daling vooruitgang: minder "
    "weerstand. Bij opbouw, institutionalisering en afbouw is een stijging vooruitgang."
)

st.subheader("Scores over de jaren")
# Plain SVG, as the radar: no plotting library to load, so the page paints sooner (issue #12).
show.show_progress_lines(
    changes.filter(pl.col("theme_code").is_in(theme_codes)),
    theme_codes,
    images.file_name("voortgang", f"{years[0]}-{latest}", sector, filters.theme),
    tables.export_caption(
        "Scores over de jaren",
        filters,
        measurement=f"{plain_labels[years[0]]} ({years[0]}) tot {plain_labels[latest]} ({latest})",
    ),
    filters.presentation,
)

st.subheader("Twee meetmomenten naast elkaar")
theme_for_radar = filters.theme or theme_codes[0]
theme_name = themes.filter(theme_code=theme_for_radar)["theme_name"][0]
year_from = filtering.url_value("van", years, years[0], int)
year_to = filtering.url_value("tot", years, years[-1], int)
left, right, _ = st.columns([2, 2, 4])
left.selectbox(
    "Van",
    years,
    format_func=lambda y: f"{plain_labels[y]} ({y})",
    key="van",
    on_change=filtering.write_url,
    args=("van", years[0]),
)
right.selectbox(
    "Tot",
    years,
    format_func=lambda y: f"{plain_labels[y]} ({y})",
    key="tot",
    on_change=filtering.write_url,
    args=("tot", years[-1]),
)
pair = changes.filter(pl.col("measurement_year").is_in([year_from, year_to]), theme_code=theme_for_radar)
show.show_radar(
    pair,
    images.file_name("radar", f"{year_from}-{year_to}", sector, theme_for_radar),
    tables.export_caption(
        f"Radar van {theme_name}: twee meetmomenten",
        filters,
        theme_for_radar,
        measurement=f"{plain_labels[year_from]} ({year_from}) en {plain_labels[year_to]} ({year_to})",
    ),
    by="year",
)
if not filters.theme:
    st.caption(f"Radar van {text_markdown(theme_name)}; kies een ander thema in de zijbalk.")

st.subheader("Elke score tegenover de meting ervoor")
moved = changes.filter(pl.col("previous_score").is_not_null(), pl.col("theme_code").is_in(theme_codes))
table = moved.select(
    pl.col("measurement_year").alias("Meting"),
    pl.col("theme_name").alias("Thema"),
    pl.col("dynamic_name").alias("Dynamiek"),
    pl.col("previous_year").alias("Vorige meting"),
    pl.col("previous_score").alias("Vorige score"),
    pl.col("score").alias("Score"),
    *(
        [
            pl.when(pl.col("is_own_sector_score"))
            .then(pl.lit(f"{OWN} eigen {sector}-score"))
            .otherwise(pl.lit("sectorbreed"))
            .alias("Score van")
        ]
        if sector != filtering.ALL_SECTORS
        else []
    ),
    pl.format(
        "{}{}",
        pl.when(pl.col("change_since_previous") > 0).then(pl.lit("+")).otherwise(pl.lit("")),
        pl.col("change_since_previous"),
    ).alias("Verschil"),
    pl.col("meaning_since_previous").replace_strict({k: v[0] for k, v in MEANING_STYLE.items()}).alias("Betekenis"),
    pl.format(
        "{}{}",
        pl.when(pl.col("change_since_baseline") > 0).then(pl.lit("+")).otherwise(pl.lit("")),
        pl.col("change_since_baseline"),
    ).alias("Sinds eerste meting"),
)
backgrounds = {label: colour for label, colour in MEANING_STYLE.values()}
st.dataframe(
    table.to_pandas().style.map(lambda v: f"background-color: {backgrounds.get(v, '#ffffff')}", subset=["Betekenis"]),
    hide_index=True,
    key="veranderingen",
)
if own_count:
    st.caption(
        f"{OWN} = eigen {sector}-score. Waar een eigen score naast een sectorbrede staat, vergelijkt de verandering "
        f"een eigen {sector}-score met een sectorbrede: lees die met voorzichtigheid."
    )
tables.table_downloads(
    table,
    "transitiemonitor-veranderingen",
    key="veranderingen",
    title="Elke score tegenover de meting ervoor",
    file_name=images.file_name("veranderingen", f"{years[0]}-{latest}", sector, filters.theme),
    holds_scores=True,
)

changed = moved.filter(pl.col("change_since_previous") != 0, measurement_year=year_to)
st.subheader(f"Onderbouwingen naast elkaar: wat veranderde in {labels[year_to]} ({year_to})")
if changed.is_empty():
    st.markdown(f"_Geen score veranderde in {year_to} tegenover de meting ervoor._")


def side_by_side(row: dict) -> None:
    before, after = st.columns(2)
    with before:
        st.markdown(f"**{row['previous_year']}: score {row['previous_score']}**")
        blocks.quote(row["previous_justification"] or "")
    with after:
        st.markdown(f"**{row['measurement_year']}: score {row['score']}**")
        blocks.quote(row["justification"])


for row in changed.iter_rows(named=True):
    label, _ = MEANING_STYLE[row["meaning_since_previous"]]
    # Each pair of justifications is made only when opened: with many changed scores the page paints sooner.
    lazy.lazy_expander(
        f"{text_markdown(row['theme_name'])} · {text_markdown(row['dynamic_name'])}: {row['previous_score']}"
        f"{' ' + OWN if row['previous_is_own_sector_score'] else ''} → {row['score']}"
        f"{' ' + OWN if row['is_own_sector_score'] else ''} ({label})",
        f"onderbouwingen-{row['measurement_year']}-{row['theme_code']}-{row['dynamic_code']}",
        partial(side_by_side, row),
    )
