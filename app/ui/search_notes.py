"""What a search box says about how it read the search: 'Bedoelde u …?' for a likely typo, 'Ook gezocht op: …'
for the thesaurus's other terms, and the switch that turns those off. Shared by Zoeken and Voorbeelden; the typed
text and the switch live in the URL ('zoek', 'synoniemen')."""

from __future__ import annotations

import streamlit as st

from app.text.escape import text_markdown
from app.ui import filtering
from warehouse.search_index.query import MAX_WORDS, Plan

EXPAND_KEY = "synoniemen"
OFF = "uit"


# The box writes the URL at every key, and Streamlit makes each URL change a new history entry: the back button
# would walk back letter by letter. This merges them: an entry that only types on (or deletes) in the same search
# replaces the current one; a new search, a cleared box or any other change still gets its own entry.
ONE_HISTORY_ENTRY_PER_SEARCH = """<script data-tm="zoekgeschiedenis">
(() => {
  if (window.__tmSearchHistory) return;
  window.__tmSearchHistory = true;
  const push = window.history.pushState.bind(window.history);
  const split = (address) => {
    const url = new URL(address, window.location.href);
    const text = url.searchParams.get('zoek') || '';
    url.searchParams.delete('zoek');
    return [url.pathname + '?' + url.searchParams.toString(), text];
  };
  window.history.pushState = (state, title, address) => {
    if (address != null) {
      const [nextRest, nextText] = split(address);
      const [rest, text] = split(window.location.href);
      const typing = text && nextText && nextText !== text && (nextText.startsWith(text) || text.startsWith(nextText));
      if (nextRest === rest && typing) return window.history.replaceState(state, title, address);
    }
    return push(state, title, address);
  };
})();
</script>"""


def search_box(label: str, placeholder: str) -> None:
    """The search box both pages share: searches as one types (after a 100 ms pause) and keeps the text in the URL.

    The pause was 200 ms, the largest part of the wait after the last key (docs/search-evaluation.md, 'Where a
    search's wait goes'). Typed letters were lost (docent → do), with or without a pause: the first letter's run
    added the active-filters line above the box, and the browser drew the box anew and lost its focus; that line
    now has a fixed place (filter_tools.active_filters_line). No pause at all ('0ms': a run per key, each stopping
    the one under way) blanked Zoeken at 1000× in 2 of 18 fast-typed words (Streamlit's frontend: 'Bad delta path
    index'); 100 ms did not in 28. Both pages draw box and results in a fragment, so a search reruns those only."""
    st.html(ONE_HISTORY_ENTRY_PER_SEARCH, unsafe_allow_javascript=True)
    st.text_input(
        label,
        key="zoek",
        placeholder=placeholder,
        type="search",
        live="100ms",
        on_change=filtering.write_url,
        args=("zoek", ""),
    )


def expand_from_url() -> bool:
    """Whether the thesaurus is used (the default), as the URL says; mirrored into the switch's state."""
    expand = st.query_params.get(EXPAND_KEY) != OFF
    st.session_state[EXPAND_KEY] = expand
    return expand


def _write_expand() -> None:
    if st.session_state.get(EXPAND_KEY, True):
        st.query_params.pop(EXPAND_KEY, None)
    else:
        st.query_params[EXPAND_KEY] = OFF


def _search_for(text_key: str, text: str) -> None:
    st.query_params[text_key] = text
    st.query_params.pop("pagina", None)


def expand_switch() -> None:
    st.toggle(
        "Ook synoniemen en afkortingen",
        key=EXPAND_KEY,
        on_change=_write_expand,
        help="Zoekt ook op wat in het rapport hetzelfde betekent: afkortingen en hun voluit geschreven vorm, "
        "andere namen van een instelling, andere schrijfwijzen. Uit: alleen op de getypte woorden en hun vormen.",
    )


def notes(plan: Plan, typed: str, text_key: str = "zoek") -> None:
    """The lines under a search box: a correction to click, the added terms, words ignored."""
    if plan.suggestions:
        corrected = plan.corrected(typed)
        st.button(
            f"Bedoelde u: {text_markdown(corrected)}?",
            key=f"{text_key}-bedoelde",
            icon=":material/spellcheck:",
            type="tertiary",
            on_click=_search_for,
            args=(text_key, corrected),
        )
    if plan.expanded:
        st.caption("Ook gezocht op: " + ", ".join(f"‘{text_markdown(p)}’" for p in plan.expanded) + ".")
    if plan.ignored:
        st.caption(
            f"Alleen de eerste {MAX_WORDS} woorden tellen mee; genegeerd: "
            + ", ".join(text_markdown(w) for w in plan.ignored)
            + "."
        )
