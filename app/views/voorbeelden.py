"""Voorbeelden — al het bewijs, doorzoekbaar terwijl u typt en te filteren; download als CSV of Excel."""

import polars as pl
import streamlit as st

from app import data, ui

RESULTS_SHOWN = 30

filters = ui.current_filters()
dynamics = data.dynamics()
dynamic_codes = dynamics["dynamic_code"].to_list()
dynamic_names = dict(zip(dynamic_codes, dynamics["dynamic_name"], strict=True))
kinds = data.evidence_kinds()
kind_labels = dict(zip(kinds["evidence_kind"], kinds["evidence_kind_label"], strict=True))
institutions = data.institutions()
institution_names = dict(zip(institutions["institution_code"], institutions["institution_name"], strict=True))
theme_names = dict(zip(data.themes()["theme_code"], data.themes()["theme_name"], strict=True))

sessions = data.sessions(filters.year)
session_themes = dict(zip(sessions["session_code"], sessions["theme_codes"].to_list(), strict=True))

ALL = "alle"
search = ui.url_value("zoek", None, "")
dynamic = ui.url_value("dynamiek", [ALL, *dynamic_codes], ALL)
kind_param = [k for k in st.query_params.get_all("soort") if k in kind_labels]
st.session_state["soort"] = kind_param
institution = ui.url_value("instelling", [ALL, *institution_names], ALL)

st.title("Voorbeelden en bewijs")
st.caption(
    "Alle illustrerende voorbeelden, variatie, samenvattingen en sessiebevindingen van het rapport. "
    "Zoeken werkt zonder hoofdletters en accenten; meerdere woorden moeten allemaal voorkomen."
)


def write_kinds() -> None:
    st.query_params["soort"] = st.session_state["soort"]  # a list: one URL entry per kind


search_column, dynamic_column, kind_column, institution_column = st.columns([4, 2, 3, 3])
with search_column:
    st.text_input("Zoek", key="zoek", placeholder="bijv. microcredentials", on_change=ui.write_url, args=("zoek", ""))
with dynamic_column:
    st.selectbox(
        "Dynamiek",
        [ALL, *dynamic_codes],
        format_func=lambda c: "Alle dynamieken" if c == ALL else dynamic_names[c],
        key="dynamiek",
        on_change=ui.write_url,
        args=("dynamiek", ALL),
    )
with kind_column:
    st.multiselect(
        "Soort",
        list(kind_labels),
        format_func=kind_labels.get,
        key="soort",
        on_change=write_kinds,
        placeholder="Alle soorten",
    )
with institution_column:
    st.selectbox(
        "Instelling of organisatie",
        [ALL, *institution_names],
        format_func=lambda c: "Alle" if c == ALL else institution_names[c],
        key="instelling",
        on_change=ui.write_url,
        args=("instelling", ALL),
    )

results = data.evidence(
    year=filters.year,
    theme_code=filters.theme,
    dynamic_code=None if dynamic == ALL else dynamic,
    sector_code=filters.sector,
    kinds=tuple(kind_param),
    institution_code=None if institution == ALL else institution,
    search=search,
)

scope = []
if filters.theme:
    scope.append(ui.text_markdown(theme_names[filters.theme]))
if filters.sector != ui.ALL_SECTORS:
    scope.append(f"{ui.text_markdown(filters.sector)} of sectorbreed")
st.markdown(
    f"### {results.height} {'resultaat' if results.height == 1 else 'resultaten'}"
    + (f" <small>({', '.join(scope)})</small>" if scope else ""),
    unsafe_allow_html=True,
)

if results.is_empty():
    st.info(
        "Niets gevonden met deze filters. Probeer een ander zoekwoord, of zet Sector, Thema of Soort terug op 'Alle'.",
        icon=":material/search_off:",
    )
    st.stop()

table = results.select(
    pl.col("theme_code").replace_strict(theme_names, default="(meerdere thema's)").alias("Thema"),
    pl.col("dynamic_code").replace_strict(dynamic_names, default="(alle)").alias("Dynamiek"),
    pl.col("evidence_kind_label").alias("Soort"),
    pl.col("sector_codes").list.join(", ").alias("Sector"),
    pl.col("heading").fill_null("").alias("Kop"),
    pl.col("evidence_text").alias("Tekst"),
    pl.col("session_code").fill_null("").alias("Sessie"),
    pl.col("provenance").alias("Vindplaats"),
    pl.col("evidence_id").alias("Id"),
)

ui.table_downloads(table, "transitiemonitor-voorbeelden", key="voorbeelden")

for row in results.head(RESULTS_SHOWN).iter_rows(named=True):
    with st.container(border=True):
        theme_label = theme_names.get(row["theme_code"], "Meerdere thema's")
        dynamic_label = dynamic_names.get(row["dynamic_code"], "alle dynamieken")
        ui.show_html(
            f"<p>{ui.badges(row['sector_codes'])} <strong>{ui.text_html(row['evidence_kind_label'])}</strong> · "
            f"{ui.text_html(theme_label)} · {ui.text_html(dynamic_label)}</p>"
        )
        ui.show_html(ui.evidence_html(row))
        # Evidence of a session that feeds several themes links to each of them.
        link_themes = [row["theme_code"]] if row["theme_code"] else session_themes.get(row["session_code"], [])
        for link_theme in link_themes:
            st.page_link(
                ui.PAGES["thema"],
                label=f"Naar {ui.text_markdown(theme_names[link_theme])} · {ui.text_markdown(dynamic_label)}",
                icon=":material/arrow_forward:",
                query_params=filters.params(thema=link_theme, dynamiek=row["dynamic_code"]),
            )
        st.caption(ui.text_markdown(row["provenance"]))

if results.height > RESULTS_SHOWN:
    st.markdown(f"De eerste {RESULTS_SHOWN} van {results.height} staan hierboven; de tabel toont ze allemaal.")
st.dataframe(table, hide_index=True, height=420)
