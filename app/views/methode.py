"""Methode — waarom deze monitor (Introductie en hoofdstuk 1), de X-curve, de scoringstabel, hoe de scores tot
stand kwamen en wat het sectorfilter betekent."""

import polars as pl
import streamlit as st

from app import data
from app.exports import tables
from app.text.escape import text_html, text_markdown
from app.ui import blocks, filtering, lazy

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]  # fmt: skip


def month_in_words(value: object) -> str:
    """'2026-03' as 'maart 2026'; anything else as it is."""
    year, _, month = str(value).partition("-")
    return f"{MONTHS[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else str(value)


filters = filtering.current_filters()
label = data.measurement_label(filters.year)
dynamics = data.dynamics()
measurement = data.measurements().filter(measurement_year=filters.year).row(0, named=True)
texts = data.method_texts(filters.year)
paragraphs = texts.filter(text_kind="alinea")
footnotes = texts.filter(text_kind="voetnoot")


def show_in_report_order(rows: pl.DataFrame) -> None:
    """Paragraphs and bulleted lists of the report, as the report has them (rows in report order)."""
    items: list[str] = []
    for row in rows.iter_rows(named=True):
        if row["text_kind"] == "opsomming":
            items.append(f"<li>{text_html(row['method_text'])}</li>")
            continue
        if items:
            blocks.show_html(f"<ul>{''.join(items)}</ul>")
            items = []
        blocks.text_block(row["method_text"])
    if items:
        blocks.show_html(f"<ul>{''.join(items)}</ul>")


def show_footnotes(section: str) -> None:
    for row in footnotes.filter(section=section).iter_rows(named=True):
        st.caption(f"Voetnoot {row['seq']}: {text_markdown(row['method_text'])}")


def show_opening() -> None:
    """The Introductie and chapter 1, in report order: made only when the reader opens them."""
    for section in ("Introductie", "§1.1", "§1.2"):
        rows = opening.filter(section=section)
        if not rows.height:
            continue
        number = section.removeprefix("§")
        title = rows["heading"][0] if section == "Introductie" else f"{number} {rows['heading'][0]}"
        st.subheader(text_markdown(title))
        show_in_report_order(rows.filter(pl.col("text_kind").is_in(["alinea", "opsomming"])))
        if section == "§1.2":
            # The five themes of §1.2, each closing with its critical question.
            for theme in data.themes().iter_rows(named=True):
                st.markdown(f"**{text_markdown(theme['theme_name'])}**")
                blocks.text_block(theme["description"])
                blocks.show_html(
                    f"<p><em>{text_html(theme['transition_question_lead'])} "
                    f"{text_html(theme['transition_question'])}</em></p>"
                )


st.title("Methode")

# The report's own opening: why the monitor exists and the transition it follows (Introductie, chapter 1).
opening = texts.filter(pl.col("section").is_in(["Introductie", "§1.1", "§1.2"]))
if opening.height:
    st.header("Waarom deze monitor")
    st.markdown(
        "De Introductie en hoofdstuk 1 van het rapport: wat de monitor wil, hoe het vervolgonderwijs van oudsher "
        "werkt en waarom het in transitie is."
    )
    # Some fifty blocks of text: made only when opened (the page paints without them).
    lazy.lazy_expander("Introductie en hoofdstuk 1 van het rapport", "methode-inleiding", show_opening)

st.header("De X-curve: vier transitiedynamieken")
for row in paragraphs.filter(section="§2.1").iter_rows(named=True):
    blocks.text_block(row["method_text"])
show_footnotes("§2.1")

# Figure 2 of the report: the four quadrants, laid out as the report does.
by_code = {row["dynamic_code"]: row for row in dynamics.iter_rows(named=True)}
for left, right in (("lock_in", "institutionalisering"), ("opbouw", "afbouw")):
    columns = st.columns(2)
    for column, code in zip(columns, (left, right), strict=True):
        row = by_code[code]
        with column.container(border=True):
            st.markdown(f"#### {text_markdown(row['quadrant_label'])}")
            blocks.text_block(row["guiding_questions"])
            st.caption(text_markdown(row["score_direction"]))

st.header("De scoringstabel")
st.markdown(
    "Per dynamiek beschrijft de scoringstabel (bijlage van het rapport) wat een score van 1 tot 5 betekent. "
    "Een score is een gezamenlijk oordeel over welke beschrijving het best past."
)
rubric = data.rubric()
table = (
    rubric.group_by("dynamic_code", "level")
    .agg(pl.col("descriptor").sort_by("descriptor_seq").str.join("\n\n• ").alias("text"))
    .with_columns(("• " + pl.col("text")).alias("text"))
    .pivot(on="level", index="dynamic_code", values="text", sort_columns=True)
    .join(dynamics.select("dynamic_code", "dynamic_name", "sort_order"), on="dynamic_code")
    .sort("sort_order")
)
rubric_table = table.select(
    pl.col("dynamic_name").alias("Dynamiek"), *[pl.col(str(level)).alias(f"Niveau {level}") for level in range(1, 6)]
)
# st.table renders each cell as Markdown: show an escaped copy, download the text as it is.
shown_rubric = table.select(
    pl.col("dynamic_name").map_elements(text_markdown, return_dtype=pl.String).alias("Dynamiek"),
    *[
        pl.col(str(level))
        .map_elements(lambda cell: "\n\n• ".join(map(text_markdown, cell.split("\n\n• "))), return_dtype=pl.String)
        .alias(f"Niveau {level}")
        for level in range(1, 6)
    ],
)
st.table(shown_rubric.to_pandas().set_index("Dynamiek"))
tables.table_downloads(rubric_table, "scoringstabel", key="rubriek")

st.header(f"Hoe de scores van de {text_markdown(label.lower())} tot stand kwamen")
for section in ("§2.2", "§2.3"):
    rows = paragraphs.filter(section=section)
    if rows.height:
        st.markdown(f"**{text_markdown(rows['heading'][0])}**")
        for text in rows["method_text"]:
            blocks.text_block(text)
    show_footnotes(section)
# A measurement from the scoring form may give only its year and name: say what it gives. Its scoring method is
# left out where the report's own paragraphs above already say it word for word.
shown_text = " ".join(" ".join(texts.filter(pl.col("section").is_in(["§2.2", "§2.3"]))["method_text"]).split())
method = " ".join((measurement["scoring_method"] or "").split())
summary = [text_html(method)] if method and method not in shown_text else []
if measurement["fieldwork_start"] and measurement["fieldwork_end"]:
    summary.append(f"Veldwerk: {measurement['fieldwork_start']:%d-%m-%Y} tot {measurement['fieldwork_end']:%d-%m-%Y};")
if measurement["report_month"]:
    summary.append(
        f"rapport {text_html(month_in_words(measurement['report_month']))}"
        + (f" door {text_html(measurement['publisher'])}" if measurement["publisher"] else "")
        + (f" in opdracht van {text_html(measurement['commissioned_by'])}" if measurement["commissioned_by"] else "")
        + "."
    )
if summary:
    blocks.show_html(f"<p><strong>Kort:</strong> {' '.join(summary)}</p>")

st.header("Wat het sectorfilter wel en niet betekent")
label_markdown = text_markdown(label.lower())
st.markdown(
    f"""
- De {label_markdown} geeft **sectorbrede scores**: één score per thema en dynamiek voor mbo, hbo en wo samen.
  Met een sectorfilter ziet u dus **dezelfde scores**; er is geen aparte score voor het mbo, hbo of wo, tenzij
  een latere meting die geeft (dan staat dat bij de score).
- Het sectorfilter **versmalt het bewijs**: de variatie in beweging, de voorbeelden en de sessiebevindingen die
  over die sector gaan, plus wat over het hele vervolgonderwijs gaat. Bewijs dat alleen over andere sectoren
  gaat, valt weg.
- Welke sector een tekst betreft, leidt de monitor af uit sectorwoorden (mbo, hogescholen, universiteiten, …)
  en uit de instellingen die hij noemt (bijv. ROC Mondriaan → mbo, HU → hbo, UvA → wo). Waar het rapport de
  variatie per sector beschrijft, is die tekst per sector opgesplitst.
"""
)

st.header("Geraadpleegde bronnen")
sources = data.sources(filters.year)
listed = sources.filter(pl.col("cited_in") != "voetnoot")
from_footnotes = sources.height - listed.height
st.caption(
    f"{listed.height} bronnen, waarvan {listed.filter(~pl.col('is_public')).height} intern of niet-publiek"
    + (f"; daarnaast {from_footnotes} uit de voetnoten (de literatuur over de X-curve)." if from_footnotes else ".")
)


def show_sources() -> None:
    # A plain table, not st.dataframe: the data grid alone added ~0.5 s to a first paint (docs/benchmark-profile.md).
    st.html(
        blocks.text_table_html(
            sources.select(
                pl.col("title").alias("Titel"),
                pl.col("organisation").alias("Organisatie"),
                pl.col("cited_in").alias("Vermeld in"),
                pl.when(pl.col("is_public"))
                .then(pl.lit("publiek"))
                .otherwise(pl.lit("intern/niet-publiek"))
                .alias("Status"),
                pl.col("url").alias("Link"),  # only an http(s) address becomes a link: never javascript: or data:
            ),
            "Geraadpleegde bronnen",
            link_column="Link",
        )
    )


# At the foot of a long page and some 350 elements: made when opened, so the page paints sooner.
lazy.lazy_expander(f"Alle {sources.height} bronnen met hun link", "methode-bronnen", show_sources)
