"""Presentation mode and the meeting flow: the beamer's top bar, theme/dynamic steps with keyboard shortcuts,
in-app links from the score grid, and Dutch for the few English strings Streamlit itself shows."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from app import data
from app.text.escape import script_string
from app.ui import filtering, layout

# The participant's join page belongs on a phone, not in the beamer's bar (the scoring session links to it); the
# audit log is the begeleider's, not the room's; the search box and the SQL page are no beamer steps (they would wrap
# the bar at 1280 px).
NOT_IN_PRESENTATION_BAR = {"meedoen", "logboek", "zoeken", "sql"}
# Pages where the meeting steps make sense; the shared screen of a scoring session keeps its own, quiet view.
WITHOUT_MEETING_STEPS = {"scoringssessie", "meedoen", "logboek"}

# The keys are handled in the browser (app/assets/meeting.js), so a burst of them is never lost; this says them whole.
KEYS_LEGEND = (
    "Toetsen: ← → thema · ↑ ↓, PageUp PageDown of spatie: vorige of volgende score · Home of O: alle thema's · "
    "M: hele onderbouwing · B: zwart scherm"
)
MEETING_SCRIPT = (Path(__file__).parent / "assets" / "meeting.js").read_text(encoding="utf-8")


def _position(filters: filtering.Filters) -> tuple[list[str], list[str], int | None, int]:
    """Theme and dynamic codes in the report's order, and where the meeting is now (theme None: the overview)."""
    themes = data.themes()["theme_code"].to_list()
    dynamics = data.dynamics()["dynamic_code"].to_list()
    on_theme_page = layout.current_page() == "thema"
    theme = (filters.theme or themes[0]) if on_theme_page else None
    dynamic = st.query_params.get("dynamiek")
    return (
        themes,
        dynamics,
        None if theme is None else themes.index(theme),
        (dynamics.index(dynamic) if dynamic in dynamics else 0),
    )


def meeting_steps(filters: filtering.Filters) -> dict[str, dict[str, str] | None]:
    """Where each step goes: the Thema page's URL parameters, or None where there is no step.

    From the overview, 'next' starts at the first score (or the filtered theme); ↓ after a theme's last
    dynamic goes on to the next theme's first, so ↓ alone walks through all twenty scores.
    """
    themes, dynamics, theme_index, dynamic_index = _position(filters)

    def at(theme_i: int, dynamic_i: int) -> dict[str, str] | None:
        if not (0 <= theme_i < len(themes)):
            return None
        return filters.params(thema=themes[theme_i], dynamiek=dynamics[dynamic_i])

    if theme_index is None:
        start = themes.index(filters.theme) if filters.theme else 0
        return {"vorig-thema": None, "volgend-thema": at(start, dynamic_index), "vorige-dynamiek": None,
                "volgende-dynamiek": at(start, 0)}  # fmt: skip
    last = len(dynamics) - 1
    return {
        "vorig-thema": at(theme_index - 1, dynamic_index),
        "volgend-thema": at(theme_index + 1, dynamic_index),
        "vorige-dynamiek": at(theme_index, dynamic_index - 1) if dynamic_index > 0 else at(theme_index - 1, last),
        "volgende-dynamiek": at(theme_index, dynamic_index + 1) if dynamic_index < last else at(theme_index + 1, 0),
    }


def overview_params(filters: filtering.Filters) -> dict[str, str]:
    """The whole picture: the Overzicht with every theme (theme filter cleared), other filters kept."""
    return {k: v for k, v in filters.params().items() if k != "thema"}


STEP_BUTTONS = [  # key, label (the arrow is the key that does the same)
    ("vorig-thema", "← Thema"),
    ("volgend-thema", "Thema →"),
    ("vorige-dynamiek", "↑ Dynamiek"),
    ("volgende-dynamiek", "Dynamiek ↓"),
]
STEP_HELP = {
    "vorig-thema": "Vorig thema (pijltje links)",
    "volgend-thema": "Volgend thema (pijltje rechts)",
    "vorige-dynamiek": "Vorige score (pijltje omhoog of PageUp)",
    "volgende-dynamiek": "Volgende score (pijltje omlaag, PageDown of spatie)",
}


def presentation_bar(filters: filtering.Filters) -> None:
    """The beamer's one top bar: page links, the meeting steps (with keys), the way back to the overview and
    out of presentation mode. It wraps instead of clipping when the screen is narrow."""
    page = layout.current_page()
    with st.container(horizontal=True, key="tm-presentatiebalk", vertical_alignment="center", gap="small"):
        with st.container(horizontal=True, key="tm-paginas", vertical_alignment="center", gap="small", width="content"):
            for name in layout.enabled_pages():
                if name in NOT_IN_PRESENTATION_BAR and name != page:
                    continue
                st.page_link(
                    layout.PAGES[name],
                    label=layout.PAGE_TITLES[name],
                    query_params=filters.params(),
                    disabled=name == page,
                )
        if page not in WITHOUT_MEETING_STEPS:
            meeting_controls(filters)
        layout.presentation_toggle(filters)


def meeting_controls(filters: filtering.Filters) -> None:
    """Previous/next theme and dynamic and 'Alle thema's', as buttons. In the browser the keys and clicks are
    taken by app/assets/meeting.js (URL first); the buttons' own server-side steps remain for a page without it."""
    steps = meeting_steps(filters)
    target: tuple[str, dict[str, str]] | None = None
    with st.container(horizontal=True, key="tm-vergadering", vertical_alignment="center", gap="small", width="content"):
        for key, label in STEP_BUTTONS:
            params = steps[key]
            if st.button(
                label,
                key=f"tm-{key}",
                help=STEP_HELP[key],
                disabled=params is None,
                type="secondary",
            ):
                target = ("thema", params)  # type: ignore[assignment]
        if st.button("Alle thema's", key="tm-overzicht", help=KEYS_LEGEND):
            target = ("overzicht", overview_params(filters))
    if target is not None:
        page, params = target
        st.switch_page(layout.PAGES[page], query_params=params)


def scroll_to(anchor: str) -> None:
    """Bring a heading into view once it is drawn, and keep it there while images above it load (the page
    streams in), until the person scrolls, the address changes (the next step) or about 2 s have passed."""
    st.html(
        '<script data-tm="score">(() => {const id = ' + script_string(anchor) + ";"
        "let tries = 0, held = 0, moved = false; const stop = () => { moved = true; }; const at = location.href;"
        "['wheel', 'touchstart', 'keydown', 'mousedown'].forEach(e => window.addEventListener(e, stop, {once: true}));"
        "const go = () => {if (moved || location.href !== at) return; const el = document.getElementById(id);"
        "if (!el) { if (++tries < 150) setTimeout(go, 30); return; }"
        "const top = el.getBoundingClientRect().top, want = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;"
        "if (Math.abs(top - want) > 4) el.scrollIntoView({block: 'start'});"
        "if (++held < 20) setTimeout(go, 100);}; go();})();</script>",
        unsafe_allow_javascript=True,
    )


# Our scripts carry data-tm, so a test can tell them from anything injected.
# Installed once per browser tab (a flag on window), from the router, on every page:
# 1. The meeting's keys and links (app/assets/meeting.js): a click on a score or theme in the grid, a page link,
#    a step moves inside the app, URL first, instead of the browser loading the whole app again.
# 2. Streamlit's own English strings are put into Dutch as they appear (a MutationObserver).
APP_SCRIPT = """
<script data-tm="app">
(() => {
  if (window.__tmApp) return;
  window.__tmApp = true;

  const texts = new Map(Object.entries(__TEXTS__));
  const patterns = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const attributes = ['title', 'aria-label', 'placeholder', 'data-title'];
  const dutch = (value) => {
    const trimmed = value.trim();
    if (texts.has(trimmed)) return value.replace(trimmed, texts.get(trimmed));
    for (const [re, to] of patterns) if (re.test(value)) return value.replace(re, to);
    return null;
  };
  // WCAG 2.1.1 and 4.1.2: a scrollable code block (the SQL page) can be reached by keyboard; the link of the
  // page one is on says so to a screen reader, not only by its looks.
  const accessible = (el) => {
    if (el.tagName === 'PRE') {  // the block and the box that scrolls it, whichever of the two overflows
      for (const box of [el, el.parentElement]) {
        if (box && !box.hasAttribute('tabindex')) box.setAttribute('tabindex', '0');
      }
    }
    if (el.matches('a[data-testid="stPageLink-NavLink"][disabled]')) el.setAttribute('aria-current', 'page');
  };
  const translate = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const changed = dutch(root.nodeValue || '');
      if (changed !== null) root.nodeValue = changed;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      accessible(el);
      for (const name of attributes) {
        const value = el.getAttribute(name);
        if (value) { const changed = dutch(value); if (changed !== null) el.setAttribute(name, changed); }
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const changed = dutch(node.nodeValue || '');
      if (changed !== null) node.nodeValue = changed;
    }
  };
  translate(document.body);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') translate(m.target);
      else if (m.type === 'attributes') translate(m.target);
      else m.addedNodes.forEach(translate);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: attributes});
})();
</script>
"""

# Streamlit's own words that can reach a user of this app, and their Dutch.
DUTCH_TEXTS = {
    "Press Enter to apply": "Enter: toepassen",
    "Press Enter to submit form": "Enter: versturen",
    "Press ⌘+Enter to apply": "⌘+Enter: toepassen",
    "Press Ctrl+Enter to apply": "Ctrl+Enter: toepassen",
    "No results": "Geen resultaten",
    "Select all": "Alles selecteren",
    "Choose an option": "Kies een optie",
    "Choose options": "Kies opties",
    "Clear all": "Alles wissen",
    "Clear value": "Wissen",
    "Running...": "Bezig…",
    "Stop": "Stoppen",
    "Page not found": "Pagina niet gevonden",
    "Download as CSV": "Downloaden als CSV",
    "Search": "Vinden in de tabel",  # not 'Zoeken': the Voorbeelden page's own field is labelled 'Zoek'
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Show/hide columns": "Kolommen tonen/verbergen",
    "Connecting": "Verbinden",
    "Please wait...": "Even geduld…",
    "Copy to clipboard": "Kopiëren",
    "Skip to main content": "Naar de inhoud",
    "Link to heading": "Link naar dit kopje",
}
DUTCH_PATTERNS = [
    (
        r"You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
        r"Running the app's main page\.",
        "De pagina /$1 bestaat niet; u ziet het overzicht.",
    ),
    (
        r"The page that you have requested does not seem to exist\. Running the app's main page\.",
        "Deze pagina bestaat niet; u ziet het overzicht.",
    ),  # fmt: skip
    (r"^Select (\d+) matches$", "$1 treffers selecteren"),
    (r"^Help for (.+)$", "Uitleg bij $1"),
    (r"^You can only select up to (\d+) options?\.?", "U kunt er hooguit $1 kiezen."),
]


def install_app_script() -> None:
    meeting = (
        MEETING_SCRIPT.replace("__THEMES__", json.dumps(data.themes()["theme_code"].to_list()))
        .replace("__DYNAMICS__", json.dumps(data.dynamics()["dynamic_code"].to_list()))
        .replace("</", "<\\/")
    )
    st.html(f'<script data-tm="meeting">{meeting}</script>', unsafe_allow_javascript=True)
    script = APP_SCRIPT.replace("__TEXTS__", json.dumps(DUTCH_TEXTS, ensure_ascii=False)).replace(
        "__PATTERNS__", json.dumps(DUTCH_PATTERNS, ensure_ascii=False)
    )
    st.html(script, unsafe_allow_javascript=True)
