"""Zoeken — één zoekvak over de hele monitor: bewijs, onderbouwingen van scores, variatie, methodetekst en bronnen.

Het zoeken zelf (Nederlandse woordvormen, samenstellingen, tikfouten, synoniemen) gebeurt in de zoekindex naast het
warehouse (app.data.site_search); deze pagina toont de resultaten per soort, met thema en dynamiek, en per resultaat
de passage die het best laat zien waarom het gevonden is.
"""

import streamlit as st

from app import data
from app.text.escape import safe_url, text_html, text_markdown
from app.text.numbers import number_text
from app.ui import blocks, filter_tools, filtering, highlight, lazy, search_notes

GROUP_LABELS = {
    1: "Scores en hun onderbouwing",
    2: "Voorbeelden",
    3: "Variatie tussen sectoren",
    4: "Bevindingen uit de monitoringssessies",
    5: "Samenvattingen",
    6: "Methode en rapporttekst",
    7: "Bronnen",
}
SHOWN_PER_GROUP = 5  # the rest of a group behind 'Toon alle …'

filters = filtering.current_filters()
theme_names = dict(data.themes().select("theme_code", "theme_name").iter_rows())
dynamic_names = dict(data.dynamics().select("dynamic_code", "dynamic_name").iter_rows())


def where_label(row: dict) -> str:
    """Theme(s) and dynamic of a result, as HTML from escaped names."""
    parts = [text_html(theme_names[c]) for c in row["theme_codes"] or [] if c in theme_names]
    if row["dynamic_code"] in dynamic_names:
        parts.append(text_html(dynamic_names[row["dynamic_code"]]))
    return " · ".join(parts)


def link_html(row: dict) -> str:
    """Where a result leads, as a link for the results' HTML block: its theme and dynamic, the method page (both
    within the app, carrying the filters, as a page link would), or the source's address in a new tab."""
    themes = [c for c in row["theme_codes"] or [] if c in theme_names]
    if themes and row["doc_kind"] in ("bewijs", "score"):
        dynamic = row["dynamic_code"]
        label = f"Naar {theme_names[themes[0]]}" + (f" · {dynamic_names[dynamic]}" if dynamic in dynamic_names else "")
        params = {"thema": themes[0], **({"dynamiek": dynamic} if dynamic else {})}
        return blocks.app_link_html("thema", filters.params(**params), label)
    if row["doc_kind"] == "methode":
        return blocks.app_link_html("methode", filters.params(), "Naar Methode")
    if row["doc_kind"] == "bron" and (url := safe_url(row["url"])):
        return (
            f'<a class="tm-naar" href="{text_html(url)}" target="_blank" rel="noopener noreferrer">↗ Open de bron</a>'
        )
    return ""


def result_html(row: dict, terms: frozenset[str]) -> str:
    """One result as a card: kind, theme and dynamic; the best passage with the search's words marked; where it
    comes from; the whole text behind 'Hele tekst' when the passage left some out; the link to its page."""
    passage, shortened = highlight.passage_html(row["body"], terms)
    title = f"<strong>{highlight.highlight_html(row['title'], terms)}</strong><br>" if row["title"] else ""
    where = where_label(row)
    badges = blocks.badges(row["sector_codes"], row["sector_scope"]) if row["doc_kind"] == "bewijs" else ""
    copies = len(row["members"] or []) - 1
    also = f" · ook op {copies} andere plek{'ken' if copies > 1 else ''}" if copies > 0 else ""
    whole = (
        '<details class="tm-hele-tekst"><summary>Hele tekst</summary>'
        f"<div>{highlight.paragraphs_html(row['body'], terms)}</div></details>"
        if shortened
        else ""
    )
    return (
        f'<article class="tm-kaart"><p>{badges} <strong>{text_html(row["kind_label"])}</strong>'
        f"{' · ' + where if where else ''}{text_html(also)}</p><p>{title}{passage}</p>"
        f"<p><small>{text_html(row['provenance'] or '')}</small></p>{whole}{link_html(row)}</article>"
    )


def show_group(group: int, rows: list[dict], terms: frozenset[str]) -> None:
    """A kind's results: the first few in one HTML block (an element per result made the browser draw for up to
    half a second after a search), the rest made only when 'Toon alle' is opened, also as one block."""
    st.subheader(f"{GROUP_LABELS[group]} ({number_text(len(rows))})")
    blocks.show_cards(result_html(row, terms) for row in rows[:SHOWN_PER_GROUP])
    if len(rows) > SHOWN_PER_GROUP:

        def the_rest() -> None:
            blocks.show_cards(result_html(row, terms) for row in rows[SHOWN_PER_GROUP:])

        lazy.lazy_expander(f"Toon alle {number_text(len(rows))}", f"zoeken-alle-{group}", the_rest)


# A fragment: typing in the search box redraws the box and the results, not the sidebar and the rest of the page
# (what most of a keystroke's wait was: Streamlit redrawing the whole page).
@st.fragment
def search_and_results() -> None:
    filter_tools.page_top(
        filters,
        "zoeken",
        "Zoeken",
        f"Zoek in alles van {text_markdown(data.measurement_label(filters.year))}: bewijs, onderbouwingen van de "
        "scores, variatie, methodetekst en bronnen. Woordvormen en samenstellingen tellen mee (digitalisering vindt "
        "ook gedigitaliseerd, tekort vindt personeelstekort), een tikfout wordt verbeterd, en niet elk woord hoeft "
        "voor te komen: wat de meeste gezochte woorden bevat staat bovenaan.",
    )
    typed = filtering.url_search_text("zoek")
    expand = search_notes.expand_from_url()
    box, switch = st.columns([4, 2], vertical_alignment="bottom")
    with box:
        search_notes.search_box("Zoek in de monitor", "bijv. afhankelijkheid van leveranciers")
    with switch:
        search_notes.expand_switch()
    if not typed.strip():
        st.info("Typ een of meer woorden om te zoeken.", icon=":material/search:")
        return
    found = data.site_search(typed, filters.year, expand)
    search_notes.notes(found.hits.plan, typed)
    total = found.total
    st.markdown(f"### {number_text(total)} {'resultaat' if total == 1 else 'resultaten'}")
    if total == 0:
        st.info(
            "Niets gevonden. Probeer een ander woord, minder woorden"
            + (" of zet ‘Ook synoniemen en afkortingen’ aan." if not expand else "."),
            icon=":material/search_off:",
        )
        return
    for group, rows in found.groups:
        show_group(group, list(rows.iter_rows(named=True)), found.hits.terms)


search_and_results()
