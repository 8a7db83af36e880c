"""Shared page furniture: the pages, links that carry the filters, styling and presentation mode."""

from __future__ import annotations

import streamlit as st

from app import access, data
from app.ui.filtering import PRESENTATION, Filters

PAGES = {
    "overzicht": "views/overzicht.py",
    "thema": "views/thema.py",
    "voorbeelden": "views/voorbeelden.py",
    "zoeken": "views/zoeken.py",
    "voortgang": "views/voortgang.py",
    "methode": "views/methode.py",
    "sql": "views/sql.py",
    "scoringssessie": "views/scoringssessie.py",
    "meedoen": "views/meedoen.py",
    "logboek": "views/logboek.py",
}
PAGE_TITLES = {
    "overzicht": "Overzicht",
    "thema": "Thema",
    "voorbeelden": "Voorbeelden",
    "zoeken": "Zoeken",
    "voortgang": "Voortgang",
    "methode": "Methode",
    "sql": "SQL",
    "scoringssessie": "Scoringssessie",
    "meedoen": "Meedoen",
    "logboek": "Logboek",
}


def deployment_pages() -> list[str]:
    """The pages of this deployment: the SQL page can be switched off (TM_SQL_PAGE=uit)."""
    return [name for name in PAGES if name != "sql" or data.sql_page_enabled()]


def enabled_pages() -> list[str]:
    """The pages this visitor can use: all of the deployment's without sign-in, else those of their role."""
    return [name for name in deployment_pages() if access.may_open(name)]


def nav_links(filters: Filters, current: str) -> None:
    """Links to every page that carry the filters along."""
    for page in enabled_pages():
        title = PAGE_TITLES[page]
        st.page_link(PAGES[page], label=title, query_params=filters.params(), disabled=page == current)


def presentation_toggle(filters: Filters) -> None:
    target = not filters.presentation
    params = (
        {**filters.params(), "weergave": PRESENTATION}
        if target
        else {k: v for k, v in filters.params().items() if k != "weergave"}
    )
    st.page_link(
        PAGES[current_page()],
        label="Presentatiemodus" if target else "Presentatie uit",
        help=None if target else "Presentatiemodus verlaten",
        icon=":material/co_present:" if target else ":material/close_fullscreen:",
        query_params={**params, **page_params()},
    )


def current_page() -> str:
    return st.session_state.get("_page", "overzicht")


def page_params() -> dict[str, str]:
    """Page-specific URL parameters to keep when toggling presentation mode."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in ("jaar", "sector", "thema", "weergave")}


BASE_CSS = """
<style>
.block-container {padding-top: 2.2rem;}
.tm-grid {width: 100%; border-collapse: separate; border-spacing: .4rem; font-family: inherit;
          table-layout: fixed;}
.tm-grid th:not(.tm-theme) {width: 15.5%;}
/* Headers and theme names wrap only between words (never 'onderwijsprofession|als'), never turned upright. */
.tm-grid th, .tm-grid td.tm-theme {overflow-wrap: normal; word-break: normal; hyphens: none;}
.tm-grid th {font-size: .9rem; text-align: center; vertical-align: bottom; font-weight: 700; line-height: 1.2;}
.tm-grid th small {font-size: .75rem;}
.tm-grid .tm-kort {display: none;}
.tm-grid th small {font-weight: 400;}
.tm-grid .tm-theme {text-align: left; width: 38%;}
.tm-grid th.tm-theme {width: 38%;}
.tm-grid td.tm-theme a {color: inherit; text-decoration: none; font-size: 1rem; line-height: 1.25; display: block;}
.tm-grid td.tm-theme a:hover {text-decoration: underline;}
.tm-cel {display: block; text-align: center; font-size: 1.7rem; font-weight: 700; border-radius: .5rem;
         padding: .35rem 0; text-decoration: none;}
.tm-cel:hover, .tm-cel:focus {outline: 3px solid #111; outline-offset: 1px;}
.tm-badge {display: inline-block; padding: 0 .45em; margin-right: .3em; border-radius: .35em;
           font-size: .8em; background: #e8eaf0; color: #1b1f2a; border: 1px solid #c5cad6;}
.tm-quote {border-left: 4px solid #8a94a6; padding: .2rem .9rem; margin: .4rem 0 .8rem 0;}
/* A grid too narrow for 'Institutionalisering' shows 'Instit.' (the whole name stays its title and what a screen
   reader says); a very narrow one (1280 px with the sidebar, or beside the radar on a beamer) also a wider theme
   column and smaller type (never under 11 px; on the beamer 16 px), and the lock-in note ('↑ = meer weerstand',
   wider than its column) in a line under the grid instead of in its header. */
.tm-grid tfoot {display: none;}
.tm-grid td.tm-noot {text-align: right; font-size: .8rem; color: #1b1f2a; padding: 0;}
div:has(> table.tm-grid) {container-type: inline-size;}
@container (max-width: 62rem) {
  .tm-grid .tm-lang {position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
                     white-space: nowrap;}
  .tm-grid .tm-kort {display: inline;}
}
@container (max-width: 35rem) {
  .tm-grid {border-spacing: .25rem;}
  .tm-grid th.tm-theme {width: 43%;}
  .tm-grid thead th:not(.tm-theme) {font-size: .8rem; padding: .2rem 0;}
  .tm-grid th small {position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
                     white-space: nowrap;}
  .tm-grid th small.tm-noot-kop {display: none;}
  .tm-grid tfoot {display: table-footer-group;}
  .tm-grid td.tm-theme a {font-size: .75rem;}
  .tm-cel {font-size: 1.45rem;}
}
/* Voorbeelden's cards (one HTML block): a card as a bordered box, its links to the theme below the text. */
.tm-kaarten {display: flex; flex-direction: column; gap: 1rem;}
.tm-kaart {border: 1px solid rgba(49, 51, 63, .2); border-radius: .5rem; padding: 1rem 1rem .6rem 1rem;}
.tm-kaart p {margin: 0 0 .6rem 0;}
.tm-kaart h4 {font-size: 1.1rem; font-weight: 600; margin: 0 0 .6rem 0; padding: 0; line-height: 1.4;}
a.tm-naar {display: block; margin: 0 0 .4rem 0; color: inherit; text-decoration: underline;}
/* Zoeken's results are such cards too: a result's whole text behind a native 'Hele tekst' (keyboard: Tab, Enter). */
details.tm-hele-tekst {margin: 0 0 .6rem 0; border: 1px solid rgba(49, 51, 63, .2); border-radius: .5rem;}
details.tm-hele-tekst summary {cursor: pointer; padding: .45rem 1rem; border-radius: .5rem;}
details.tm-hele-tekst[open] summary {border-bottom: 1px solid rgba(49, 51, 63, .2); border-radius: .5rem .5rem 0 0;}
details.tm-hele-tekst > div {padding: .7rem 1rem .1rem 1rem;}
/* Small multiples: equal cells, as many per row as fit at a readable size. */
.tm-kleine-radars {display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); gap: .5rem;}
/* A chart's table: as wide as its column, wrapping between words, never scrolling sideways. */
.tm-tabel {width: 100%; border-collapse: collapse; table-layout: auto; font-size: .9rem;}
.tm-tabel caption {caption-side: top; text-align: left; font-weight: 600; padding: 0 0 .3rem 0;}
.tm-tabel th, .tm-tabel td {border-bottom: 1px solid #d5d9e0; padding: .3rem .4rem; overflow-wrap: normal;
  hyphens: none; vertical-align: top;}
.tm-tabel thead th {text-align: center; vertical-align: bottom;} .tm-tabel tbody th {text-align: left;
  font-weight: 400;}
.tm-tabel td {text-align: center; font-weight: 700;}
.tm-tabel .tm-kort {display: none;}
.tm-teksttabel thead th, .tm-teksttabel td {text-align: left; font-weight: 400;}
.tm-teksttabel thead th {font-weight: 600;} .tm-teksttabel td {overflow-wrap: anywhere;}
div:has(> table.tm-tabel) {container-type: inline-size;}
@container (max-width: 560px) {
  .tm-tabel {font-size: .75rem;} .tm-tabel th, .tm-tabel td {padding: .3rem .2rem;}
  .tm-tabel .tm-lang {position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
                      white-space: nowrap;}
  .tm-tabel .tm-kort {display: inline;}
}
/* Streamlit's own English: the 'Press Enter to apply' hint and the table toolbar (downloads are Dutch buttons). */
[data-testid="InputInstructions"], [data-testid="stElementToolbar"] {display: none !important;}
/* A row of choices (the dynamics with their scores) wraps instead of losing its last option in a narrow column. */
[data-testid="stButtonGroup"] > div {flex-wrap: wrap !important;}
/* The synonyms switch under Voorbeelden's narrow search box: its label wraps instead of ending in '…' (1280 and
   1366 wide). */
.st-key-synoniemen [data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"],
.st-key-synoniemen [data-testid="stWidgetLabel"] p {white-space: normal; overflow: visible; text-overflow: clip;}
/* Our script-only blocks take no room. */
.stElementContainer:has(> .stHtml > script:only-child) {display: none;}
/* WCAG 1.4.3 (contrast 4.5:1): Streamlit fades captions, the current page's link and a chosen pill below it. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4b5060 !important; opacity: 1;}
a[data-testid="stPageLink-NavLink"][disabled] span, a[data-testid="stPageLink-NavLink"][disabled] p
  {color: #1b1f2a !important; font-weight: 700; opacity: 1 !important;}
[data-testid="stButtonGroup"] button[data-selected="true"] p {color: #8f1d2a !important;}
:focus-visible {outline: 3px solid #1b1f2a !important; outline-offset: 2px;}
/* Syntax colours in code blocks (the SQL page) dark enough to read on the light grey block. */
[data-testid="stCode"] .token.keyword {color: #0a4f96 !important;}
[data-testid="stCode"] .token.function {color: #6b2fa0 !important;}
[data-testid="stCode"] .token.string {color: #1d6b2a !important;}
[data-testid="stCode"] .token.number, [data-testid="stCode"] .token.boolean {color: #8a4b00 !important;}
[data-testid="stCode"] .token.comment {color: #545a66 !important;}
[data-testid="stCode"] .token.operator, [data-testid="stCode"] .token.punctuation {color: #333 !important;}
</style>
"""

# Presentation mode: one unit, --tm-b (the body text size), follows the screen: 2.05% of its height on a 16:9
# beamer, or of its width on a narrower one. Everything is set in rem of that unit, so 1280x720, 1366x768,
# 1920x1080 and 3840x2160 show the same layout, scaled. At 1920x1080 the body is 22 px: the radar (text fixed
# in proportion to its width) then fits beside the grid on one screen with its labels at body size.
PRESENTATION_CSS = """
<style>
:root {--tm-b: clamp(16px, min(2.05vh, 1.153vw), 80px);}
html {font-size: var(--tm-b) !important;}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {max-width: 100% !important; padding: .3rem 2rem 2rem 2rem !important;}
html, body, [data-testid="stAppViewContainer"] {color: #000; background: #fff;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li, .stCaption,
[data-testid="stCaptionContainer"] {font-size: 1rem !important; line-height: 1.4;}
[data-testid="stCaptionContainer"] p {font-size: 1rem !important; color: #333;}
h1 {font-size: 1.9rem !important; padding: .1rem 0 .25rem 0 !important; line-height: 1.2 !important;}
h2 {font-size: 1.55rem !important;} h3 {font-size: 1.25rem !important; padding: .3rem 0 .2rem 0 !important;}
.tm-grid th, .tm-grid thead th:not(.tm-theme), .tm-grid th small, .tm-grid td.tm-theme a,
.tm-grid td.tm-noot {font-size: 1rem !important;}
.tm-cel {font-size: 1.8rem; padding: .2rem 0;}
/* The top bar: page links and meeting steps, a size smaller than the content, wrapping rather than clipping. */
.st-key-tm-presentatiebalk {row-gap: .2rem !important; column-gap: .3rem !important; padding: .2rem 0;
  border-bottom: 1px solid #d5d9e0;
  background: #fff;}
/* Sticky on the bar's wrapper: a sticky element cannot leave its parent, and the wrapper is just its size. */
div:has(> .st-key-tm-presentatiebalk) {position: sticky; top: 0; z-index: 100; background: #fff;}
/* A heading scrolled into view (a chosen score) stays clear of the sticky bar. */
h1, h2, h3 {scroll-margin-top: 3.2rem;}
.st-key-tm-presentatiebalk a, .st-key-tm-presentatiebalk button {min-height: 0 !important;
  padding: .15rem .45rem !important;}
.st-key-tm-presentatiebalk a p, .st-key-tm-presentatiebalk a span, .st-key-tm-presentatiebalk button p,
.st-key-tm-presentatiebalk button span, .st-key-tm-presentatiebalk button kbd {font-size: 1rem !important;
  white-space: nowrap !important; overflow: visible !important; text-overflow: clip !important;}
.st-key-tm-presentatiebalk [data-testid="stPageLink"], .st-key-tm-presentatiebalk .stButton {width: auto !important;
  max-width: none !important; flex: 0 0 auto !important;}
.st-key-tm-vergadering {margin-left: auto;}
.st-key-tm-paginas, .st-key-tm-vergadering {column-gap: .3rem !important;}
/* No text under 1rem (16 px at 1280x720): Streamlit's own small type (labels, pills, tooltips) grows to it. */
[data-testid="stMain"] :is(label, button, summary, small, kbd, input, [data-testid="stWidgetLabel"] p,
  [data-testid="stMarkdownContainer"] small) {font-size: 1rem !important;}
/* Thema: one screen per score (app/ui/score_screen.py). */
.tm-waar {text-align: right; margin: 0 !important;}
.tm-richting {margin-bottom: .3rem !important;}
.tm-niveau {border: 1px solid #c5cad6; border-radius: .4rem; padding: .35rem .8rem; margin: 0 0 .5rem 0;}
.tm-niveau p {margin: 0 0 .2rem 0 !important;} .tm-niveau ul {margin: 0 !important; padding-left: 1.2rem;}
.tm-badge {font-size: 1rem;}
.tm-niveau li, .tm-voorbeelden li {margin: 0 0 .15rem 0 !important; line-height: 1.3 !important;}
.tm-niveau-cijfer {display: inline-block; min-width: 1.6em; text-align: center; font-weight: 700;
  border-radius: .3rem;}
.tm-voorbeelden {margin: 0 !important;} .tm-voorbeelden li {margin-bottom: .45rem !important;}
.tm-score-scherm .tm-quote p {margin: 0 !important;}
details.tm-meer summary {cursor: pointer; font-weight: 600; color: #0a4f96;}
details.tm-meer .tm-open, details.tm-meer[open] .tm-dicht {display: none;}
details.tm-meer[open] .tm-open {display: inline;}
details.tm-meer[open] summary {position: fixed; top: 3.6rem; right: 4vw; z-index: 1001; background: #fff;
  padding: .2rem .6rem; border: 1px solid #1b1f2a; border-radius: .3rem;}
details.tm-meer[open] .tm-meer-tekst {position: fixed; inset: 3.2rem 3vw 1rem 3vw; overflow: auto; z-index: 1000;
  background: #fff; border: 2px solid #1b1f2a; border-radius: .5rem; padding: 1rem 2rem; box-shadow: 0 0 0 100vmax
  rgba(0, 0, 0, .35);}
.tm-bron {color: #333;}
/* Overzicht: the radar as wide as its text needs (its smallest text 16 px or more) and the grid beside it. */
[data-testid="stHorizontalBlock"]:has(table.tm-grid) {flex-wrap: nowrap !important;}
[data-testid="stHorizontalBlock"]:has(table.tm-grid) > [data-testid="stColumn"]:first-child
  {flex: 0 0 44rem !important; width: 44rem !important; max-width: 44rem !important;}
[data-testid="stHorizontalBlock"]:has(table.tm-grid) > [data-testid="stColumn"]:nth-child(2)
  {flex: 1 1 0 !important; min-width: 0 !important; width: auto !important;}
img.tm-grafiek[alt^="Radar"] {display: block; width: 44rem !important; max-width: 100%; margin: 0;}
.tm-tabel {font-size: 1rem !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {row-gap: .55rem !important;}
/* Widgets grow with the text: the dynamic selector wraps instead of losing its last option. */
[data-testid="stButtonGroup"] > div {flex-wrap: wrap !important;}
</style>
"""


def apply_style(filters: Filters) -> None:
    st.html(BASE_CSS + (PRESENTATION_CSS if filters.presentation else ""))
