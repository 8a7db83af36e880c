"""Voorbeelden — al het bewijs, doorzoekbaar terwijl u typt en te filteren; download als CSV of Excel.

Zoeken, filteren, tellen en bladeren gebeurt in DuckDB (app.data.evidence_page): de pagina haalt alleen de
getoonde kaarten op, plus de aantallen per filteroptie.
"""

import polars as pl
import streamlit as st

from app import data, paging
from app.exports import tables
from app.text.escape import text_html, text_markdown
from app.text.numbers import number_text
from app.ui import blocks, filter_tools, filtering, highlight, search_notes

PAGE_SIZE = data.EVIDENCE_PAGE_SIZE
AUTO_DOWNLOAD_ROWS = 400  # up to this many results the downloads are ready at once; more on request
ALL = "alle"
VIEWS = {"kaarten": "Kaarten", "tabel": "Tabel"}
INSTITUTION_GROUPS = {"mbo": "mbo", "hbo": "hbo", "wo": "wo", None: "Organisatie"}

filters = filtering.current_filters()
dynamics = data.dynamics()
dynamic_codes = dynamics["dynamic_code"].to_list()
dynamic_names = dict(zip(dynamic_codes, dynamics["dynamic_name"], strict=True))
kinds = data.evidence_kinds()
kind_labels = dict(zip(kinds["evidence_kind"], kinds["evidence_kind_label"], strict=True))
institutions = data.institutions()
institution_names = dict(zip(institutions["institution_code"], institutions["institution_name"], strict=True))
institution_groups = {
    code: INSTITUTION_GROUPS.get(sector if kind == "onderwijsinstelling" else None, "Organisatie")
    for code, kind, sector in institutions.select("institution_code", "institution_kind", "sector_code").iter_rows()
}
themes = data.themes()
theme_names = dict(zip(themes["theme_code"], themes["theme_name"], strict=True))
sectors = data.sectors()
sector_names = {
    c: ("Sectorbreed" if c == filtering.ALL_SECTORS else n)
    for c, n in sectors.select("sector_code", "sector_name").iter_rows()
}


def write_kinds() -> None:
    # A list: one URL entry per kind. A label whose count changed since it was drawn comes back as text: left out.
    st.query_params["soort"] = [k for k in st.session_state["soort"] if k in kind_labels]


def with_count(label: str, n: int) -> str:
    return f"{label} ({number_text(n)})"


def selection_from_url() -> tuple[data.EvidenceFilter, str]:
    """What the URL asks for (mirrored into the controls' state), and the list's view."""
    search_value = filtering.url_search_text("zoek")
    dynamic = filtering.url_value("dynamiek", [ALL, *dynamic_codes], ALL)
    kind_param = [k for k in st.query_params.get_all("soort") if k in kind_labels]
    if st.session_state.get("soort") != kind_param:
        st.session_state["soort"] = kind_param
    institution = filtering.url_value("instelling", [ALL, *institution_names], ALL)
    view = filtering.url_value("lijst", list(VIEWS), "kaarten")
    selection = data.EvidenceFilter(
        year=filters.year,
        theme_code=filters.theme,
        dynamic_code=None if dynamic == ALL else dynamic,
        sector_code=filters.sector,
        kinds=tuple(kind_param),
        institution_code=None if institution == ALL else institution,
        search=search_value,
        expand=search_notes.expand_from_url(),
    )
    return selection, view


def fetch(selection: data.EvidenceFilter) -> tuple[int, data.EvidencePage]:
    """The page of results the URL asks for, with the facet counts; a page past the end becomes the last."""
    page_number = paging.requested_page("pagina", selection)
    result = data.evidence_page(selection, (page_number - 1) * PAGE_SIZE, PAGE_SIZE, facets=True)
    if result.rows.is_empty() and result.total:  # the URL asked for a page past the end
        page_number = paging.clamp("pagina", page_number, result.total, PAGE_SIZE)
        result = data.evidence_page(selection, (page_number - 1) * PAGE_SIZE, PAGE_SIZE, facets=True)
    return page_number, result


def controls(selection: data.EvidenceFilter, counts: dict) -> None:
    """The search box and the filters, each option with how many results it gives under the other filters."""
    dynamic = selection.dynamic_code or ALL
    institution = selection.institution_code or ALL
    dynamic_options = [ALL] + [c for c in dynamic_codes if counts.get(("dynamiek", c)) or c == dynamic]
    kind_options = [k for k in kind_labels if counts.get(("soort", k)) or k in selection.kinds]
    group_order = list(INSTITUTION_GROUPS.values())
    institution_options = [ALL] + sorted(
        (c for c in institution_names if counts.get(("instelling", c)) or c == institution),
        key=lambda c: (group_order.index(institution_groups[c]), institution_names[c].lower()),
    )
    named = len(institution_options) - 1
    all_institutions = f"Alle ({number_text(named)} genoemd)" if named else "Alle (geen genoemd bij deze filters)"

    search_column, dynamic_column, kind_column, institution_column = st.columns([3, 3, 2, 4])  # no cut-off at 1280
    with search_column:
        search_notes.search_box("Zoek", "bijv. microcredentials")
        if selection.search.strip():
            search_notes.expand_switch()
    with dynamic_column:
        st.selectbox(
            "Dynamiek",
            dynamic_options,
            format_func=lambda c: (
                "Alle dynamieken" if c == ALL else with_count(dynamic_names[c], counts.get(("dynamiek", c), 0))
            ),
            key="dynamiek",
            on_change=filtering.write_url,
            args=("dynamiek", ALL, dynamic_options),
        )
    with kind_column:
        st.multiselect(
            "Soort",
            kind_options,
            format_func=lambda k: with_count(kind_labels[k], counts.get(("soort", k), 0)),
            key="soort",
            on_change=write_kinds,
            placeholder="Alle soorten",
        )
    with institution_column:
        st.selectbox(
            "Instelling of organisatie",
            institution_options,
            format_func=lambda c: (
                all_institutions
                if c == ALL
                else f"{institution_groups[c]} · " + with_count(institution_names[c], counts.get(("instelling", c), 0))
            ),
            key="instelling",
            on_change=filtering.write_url,
            args=("instelling", ALL, institution_options),
            help="Onderwijsinstellingen per sector (mbo, hbo, wo), daarna andere organisaties. Alleen wie bij de "
            "gekozen filters in het bewijs voorkomt staat erin; typ in de lijst om te zoeken.",
        )


def results_heading(total: int) -> None:
    scope = []
    if filters.theme:
        scope.append(text_markdown(theme_names[filters.theme]))
    if filters.sector != filtering.ALL_SECTORS:
        scope.append(f"{text_markdown(filters.sector)} of sectorbreed")
    st.markdown(
        f"### {number_text(total)} {'resultaat' if total == 1 else 'resultaten'}"
        + (f" <small>({', '.join(scope)})</small>" if scope else ""),
        unsafe_allow_html=True,
    )


def loosen_hints(selection: data.EvidenceFilter, result: data.EvidencePage) -> list[str]:
    """What to loosen: each active filter or search word, and how many results there are without it."""
    options: list[tuple[str, data.EvidenceFilter]] = []
    words = list(result.search.plan.words) if result.search is not None else []
    if len(words) > 1:
        for word in words:
            rest = " ".join(w for w in words if w != word)
            options.append((f"zonder het woord ‘{text_markdown(word)}’", selection.without(search=rest)))
    if selection.search.strip():
        options.append(("zonder zoekwoord", selection.without(search="")))
    if selection.dynamic_code:
        options.append(("met Dynamiek op ‘Alle dynamieken’", selection.without(dynamic_code=None)))
    if selection.kinds:
        options.append(("met Soort op ‘Alle soorten’", selection.without(kinds=())))
    if selection.institution_code:
        options.append(("met Instelling op ‘Alle’", selection.without(institution_code=None)))
    if filters.sector != filtering.ALL_SECTORS:
        options.append(("met Sector op ‘Alle’ (zijbalk)", selection.without(sector_code=filtering.ALL_SECTORS)))
    if filters.theme:
        options.append(("met Thema op ‘Alle thema’s’ (zijbalk)", selection.without(theme_code=None)))
    hints = []
    for label, loosened in options:
        n = data.evidence_count(loosened)
        if n:
            hints.append(f"{label}: {number_text(n)} {'resultaat' if n == 1 else 'resultaten'}")
    return hints


def nothing_found(selection: data.EvidenceFilter, result: data.EvidencePage) -> None:
    hints = loosen_hints(selection, result)
    st.info(
        "Niets gevonden met deze filters. "
        + (
            "Zo vindt u wel iets: " + "; ".join(hints) + "."
            if hints
            else "Ook zonder zoekwoord en filters is er in dit meetmoment niets: kies een ander meetmoment."
        ),
        icon=":material/search_off:",
    )


def themes_label(codes: list[str] | None) -> str:
    if filters.theme:
        return theme_names[filters.theme]
    return ", ".join(theme_names[c] for c in codes or [] if c in theme_names) or "Alle thema's"


def sectors_label(codes: list[str] | None, scope: str | None) -> str:
    if codes == [filtering.ALL_SECTORS] and scope != blocks.EXPLICITLY_SECTOR_WIDE:
        return "geen sector genoemd"
    return ", ".join(sector_names.get(c, c) for c in codes or [])


def readable(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows with names instead of codes, for the table and the downloads."""
    return pl.DataFrame(
        {
            "Thema": [themes_label(c) for c in frame["theme_codes"].to_list()],
            "Dynamiek": [dynamic_names.get(c, "Alle dynamieken") for c in frame["dynamic_code"].to_list()],
            "Soort": frame["evidence_kind_label"].to_list(),
            "Sector": [
                sectors_label(c, s)
                for c, s in zip(frame["sector_codes"].to_list(), frame["sector_scope"].to_list(), strict=True)
            ],
            "Sessie": frame["session_name"].fill_null("").to_list(),
            "Kop": frame["heading"].fill_null("").to_list(),
            "Tekst": frame["evidence_text"].to_list(),
            "Vindplaats": frame["provenance"].to_list(),
            "Id": frame["evidence_id"].to_list(),
        },
        schema={
            k: pl.String for k in ("Thema", "Dynamiek", "Soort", "Sector", "Sessie", "Kop", "Tekst", "Vindplaats", "Id")
        },
    )


def list_header(selection: data.EvidenceFilter, page_number: int, total: int, ranked: bool) -> None:
    """Which results are shown, the view switch and the downloads of the whole list in the order shown."""
    top = st.container(horizontal=True, vertical_alignment="center")
    top.markdown(
        f"**{paging.range_text(page_number, PAGE_SIZE, total)}**" + (" · meest relevant eerst" if ranked else "")
    )
    top.segmented_control(
        "Weergave",
        list(VIEWS),
        format_func=VIEWS.get,
        key="lijst",
        on_change=filtering.write_url,
        args=("lijst", "kaarten"),
        label_visibility="collapsed",
    )
    if total <= AUTO_DOWNLOAD_ROWS or st.session_state.get("_voorbeelden_download") == selection:
        tables.table_downloads(  # fetched when clicked: a search per typed word would fetch its list every time
            lambda: readable(data.evidence_download(selection)),
            "transitiemonitor-voorbeelden",
            key="voorbeelden",
            rows=total,
        )
    elif total <= data.DOWNLOAD_CAP:  # fetching a few thousand texts costs a moment: only when asked
        st.button(
            f"Download klaarzetten ({number_text(total)} rijen)",
            icon=":material/download:",
            key="voorbeelden-klaarzetten",
            on_click=lambda: st.session_state.__setitem__("_voorbeelden_download", selection),
        )
    else:
        st.caption(
            f"Downloaden kan tot {number_text(data.DOWNLOAD_CAP)} resultaten: verfijn de zoekopdracht of de filters."
        )


def card_html(row: dict, terms: frozenset[str]) -> str:
    """One piece of evidence as a card: kind, themes, dynamic and session; the text with the search's words
    marked; where it comes from; a link to each theme it belongs to (under a theme filter: that one)."""
    row_dynamic = row["dynamic_code"]
    dynamic_label = dynamic_names.get(row_dynamic, "alle dynamieken")
    where = [text_html(themes_label(row["theme_codes"])), text_html(dynamic_label)]
    if row["session_name"]:
        where.append(f"Sessie {text_html(row['session_name'])}")
    link_themes = [filters.theme] if filters.theme else [c for c in row["theme_codes"] or [] if c in theme_names]
    links = "".join(
        blocks.app_link_html(
            "thema", filters.params(thema=code, dynamiek=row_dynamic), f"Naar {theme_names[code]} · {dynamic_label}"
        )
        for code in link_themes
    )
    return (
        f'<article class="tm-kaart"><p>{blocks.badges(row["sector_codes"], row["sector_scope"])} '
        f"<strong>{text_html(row['evidence_kind_label'])}</strong> · {' · '.join(where)}</p>"
        f"{highlight.evidence_html(row, terms)}"
        f"<p><small>{text_html(row['provenance'])}</small></p>{links}</article>"
    )


EXPLANATION = (
    "Alle illustrerende voorbeelden, variatie, samenvattingen en sessiebevindingen van het rapport; zonder "
    "zoekwoord staan de illustrerende voorbeelden voorop. De resultaten volgen terwijl u typt. Hoofdletters, "
    "accenten en koppeltekens maken niet uit, een woord vindt ook zijn andere vormen en samenstellingen "
    "(microcredential vindt microcredentials, tekort vindt personeelstekorten) en een tikfout wordt verbeterd; "
    "niet elk woord hoeft voor te komen, wat de meeste gezochte woorden bevat staat bovenaan. Zoeken in alles "
    "(ook scores, methode en bronnen): de pagina Zoeken. Tussen haakjes: hoeveel resultaten elke keuze geeft bij "
    "de andere filters."
)


# A fragment: typing in the search box or changing a filter here redraws the controls and the list, not the sidebar
# and the rest of the page (what most of a keystroke's wait was: Streamlit redrawing the whole page).
@st.fragment
def search_and_results() -> None:
    filter_tools.page_top(filters, "voorbeelden", "Voorbeelden en bewijs", EXPLANATION)
    selection, view = selection_from_url()
    page_number, result = fetch(selection)
    controls(selection, {(facet, value): n for facet, value, n in result.facets.iter_rows()})
    results_heading(result.total)
    if result.search is not None:
        search_notes.notes(result.search.plan, selection.search)
    if result.total == 0:
        nothing_found(selection, result)
        return
    terms = result.search.terms if result.search is not None else frozenset()
    list_header(selection, page_number, result.total, bool(terms))
    if view == "tabel":
        st.dataframe(readable(result.rows).drop("Id"), hide_index=True, height="content")
    else:
        blocks.show_cards(card_html(row, terms) for row in result.rows.iter_rows(named=True))
    paging.controls("pagina", page_number, result.total, PAGE_SIZE)


search_and_results()
