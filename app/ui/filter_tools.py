"""The filters in force, said in words; one click back to everything ('Wis filters'); and the page's address to
share ('Kopieer link').

The sidebar's filters (meetmoment, sector, thema) travel with every link from page to page, so a filter set on
one page quietly narrows the next: the pages they narrow say so in a line at the top.
"""

from __future__ import annotations

import streamlit as st

from app import data
from app.text.escape import text_markdown
from app.ui.filtering import ALL_SECTORS, Filters

SIDEBAR_FILTERS = ("jaar", "sector", "thema")
# A page's own filters, in the URL: cleared with the rest. (On the Thema page 'dynamiek' is the chosen score, not
# a filter.)
PAGE_FILTERS = {"voorbeelden": ("zoek", "dynamiek", "soort", "instelling"), "zoeken": ("zoek",)}
# What belongs to a filtered list and means nothing once the filters go: page numbers, the synonyms switch.
WITH_THE_FILTERS = ("pagina", "pagina_voorbeelden", "pagina_sessies", "synoniemen")
FILTERED_PAGES = ("overzicht", "thema", "voorbeelden", "zoeken", "voortgang")
# Pages whose search box and filters rerun in a fragment: they draw the line themselves, inside it, so it follows.
LINE_IN_PAGE = ("voorbeelden", "zoeken")
SIDEBAR_CLEAR_KEY = "wis-filters"


def page_filter_values(page: str) -> dict[str, list[str]]:
    """The page's own filters that the URL sets (a default value is never in the URL)."""
    values = {
        key: [v for v in st.query_params.get_all(key) if v not in ("", "alle")] for key in PAGE_FILTERS.get(page, ())
    }
    return {key: found for key, found in values.items() if found}


def active_filters(filters: Filters, page: str) -> list[str]:
    """'Sector: wo', 'Thema: Flexibele leerroutes', 'Zoekwoord: ‘microcredentials’' … (plain text)."""
    parts = []
    measurements = data.measurements()
    if filters.year != int(measurements["measurement_year"].max()):
        parts.append(f"Meetmoment: {data.measurement_label(filters.year)} ({filters.year})")
    if filters.sector != ALL_SECTORS:
        parts.append(f"Sector: {filters.sector}")
    if filters.theme and page != "thema":  # on the Thema page the theme is the page's subject, in its title
        themes = data.themes()
        parts.append(f"Thema: {dict(zip(themes['theme_code'], themes['theme_name'], strict=True))[filters.theme]}")
    return parts + page_filter_parts(page)


def page_filter_parts(page: str) -> list[str]:
    """The page's own filters in words: 'Zoekwoord: microcredentials', 'Instelling: SURF'."""
    values = page_filter_values(page)
    if not values:
        return []
    names = _page_filter_names()
    return [f"{names[key][0]}: " + ", ".join(names[key][1].get(v, v) for v in found) for key, found in values.items()]


def file_name_parts(page: str) -> list[str]:
    """The page's own filters for a download's name: 'zoek-microcredentials', 'instelling-surf'."""
    return [f"{key}-{'-'.join(found)}" for key, found in page_filter_values(page).items()]


def _page_filter_names() -> dict[str, tuple[str, dict[str, str]]]:
    dynamics, kinds, institutions = data.dynamics(), data.evidence_kinds(), data.institutions()
    return {
        "zoek": ("Zoekwoord", {}),
        "dynamiek": ("Dynamiek", dict(zip(dynamics["dynamic_code"], dynamics["dynamic_name"], strict=True))),
        "soort": ("Soort", dict(zip(kinds["evidence_kind"], kinds["evidence_kind_label"], strict=True))),
        "instelling": (
            "Instelling",
            dict(zip(institutions["institution_code"], institutions["institution_name"], strict=True)),
        ),
    }


def clear_filters(page: str) -> None:
    """on_click of 'Wis filters': every filter out of the URL; the widgets follow it on the rerun
    (filtering.url_value mirrors the URL into their state). Presentation mode and the page's view stay."""
    for key in (*SIDEBAR_FILTERS, *PAGE_FILTERS.get(page, ()), *WITH_THE_FILTERS):
        st.query_params.pop(key, None)
    st.session_state["_filters_cleared"] = True


def _any_active(filters: Filters, page: str) -> bool:
    return bool(active_filters(filters, page)) or filters.theme is not None


def clear_button(filters: Filters, page: str, key: str) -> None:
    active = _any_active(filters, page)
    st.button(
        "Wis filters",
        icon=":material/filter_alt_off:",
        key=key,
        on_click=clear_filters,
        args=(page,),
        disabled=not active,
        help="Zet meetmoment, sector, thema en de filters van deze pagina terug op alles.",
    )


def sidebar_tools(filters: Filters, page: str) -> None:
    """Under the sidebar's filters: 'Wis filters' and 'Kopieer link'."""
    row = st.container(horizontal=True, key="tm-filtergereedschap")
    with row:
        clear_button(filters, page, key=SIDEBAR_CLEAR_KEY)
        copy_link_button()
    st.html(COPY_STATUS)  # under both buttons, so its sentence never pushes 'Kopieer link' onto a line of its own
    if st.session_state.pop("_filters_cleared", False):
        st.caption("Alle filters gewist.")


def active_filters_line(filters: Filters, page: str) -> None:
    """At the top of a page that the filters narrow: which ones are in force, and a button to clear them."""
    if page not in FILTERED_PAGES:
        return
    # One place in the page with or without the line: on Voorbeelden and Zoeken the first typed letter brings the
    # line ('Zoekwoord: …'), and an element added above the search box made the browser draw the box anew, which
    # lost its focus and every letter typed after it.
    slot = st.empty()
    parts = active_filters(filters, page)
    if not parts:
        return
    row = slot.container(horizontal=True, vertical_alignment="center", key="tm-actieve-filters")
    row.caption(":material/filter_alt: **Actieve filters:** " + text_markdown(" · ".join(parts)))
    with row:
        clear_button(filters, page, key="wis-filters-boven")


def page_top(filters: Filters, page: str, title: str, explanation: str) -> None:
    """The top of a page whose search runs in a fragment (LINE_IN_PAGE): the active filters (with 'Wis filters'),
    title and explanation, drawn in the fragment so the line follows the box and the filters. (The sidebar's 'Wis
    filters' follows at the next whole run: a whole rerun for it doubled a search.)"""
    if not filters.presentation:
        active_filters_line(filters, page)
    st.title(title)
    st.caption(explanation)


# Each button on one line, side by side (1280 and 1366 wide, the sidebar 300 px): neither label ever wraps.
COPY_LINK = """
<style>
.st-key-tm-filtergereedschap {flex-wrap: wrap !important; row-gap: .5rem !important;}
.st-key-tm-filtergereedschap button p, .tm-kopieer {white-space: nowrap;}
.st-key-tm-filtergereedschap > * {width: auto !important; flex: 0 0 auto !important;}
.tm-kopieer {font: inherit; font-size: .9rem; padding: .3rem .75rem; border-radius: .5rem; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, .25); background: #fff; color: #1b1f2a; min-height: 2.5rem;}
.tm-kopieer:hover {border-color: #8f1d2a; color: #8f1d2a;}
.tm-kopieer-status {font-size: .85rem; color: #1d6b2a; margin: 0;}
/* An empty status takes no room (out of the flow, still in the page for a screen reader to follow). */
.stElementContainer:has(.tm-kopieer-status:empty) {position: absolute;}
</style>
<button type="button" class="tm-kopieer" data-tm-copy
  title="Kopieert het adres van deze pagina, met alle filters, naar het klembord">Kopieer link</button>
"""
COPY_STATUS = '<p class="tm-kopieer-status" role="status" aria-live="polite"></p>'

COPY_SCRIPT = """<script data-tm="kopieer">
(() => {
  if (window.__tmCopyLink) return;
  window.__tmCopyLink = true;
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (error) { /* below: the old way */ }
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let done = false;
    try { done = document.execCommand('copy'); } catch (error) { done = false; }
    area.remove();
    return done;
  };
  document.addEventListener('click', async (event) => {
    const button = event.target.closest && event.target.closest('[data-tm-copy]');
    if (!button) return;
    const status = document.querySelector('.tm-kopieer-status');
    const done = await copy(window.location.href);
    status.style.color = done ? '#1d6b2a' : '#8f1d2a';
    status.textContent = done ? 'Link gekopieerd: plak hem in een mail of chat.'
                              : 'Kopiëren lukte niet: kopieer het adres uit de adresbalk.';
  });
})();
</script>
"""


def copy_link_button() -> None:
    """'Kopieer link': the page's whole address (with its filters) to the clipboard, in the browser itself — a
    server cannot reach a visitor's clipboard. It says in Dutch whether it worked."""
    st.html(COPY_LINK)  # plain HTML, no script: its click handler is install_copy_script's


def install_copy_script() -> None:
    """The one click handler of 'Kopieer link', once per browser tab, in the main area (no script in the
    sidebar: tests/test_hostile_text.py treats one there as injected)."""
    st.html(COPY_SCRIPT, unsafe_allow_javascript=True)
