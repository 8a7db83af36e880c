"""Keyboard focus across a rerun. A button that its own press disables or replaces (the facilitator's 'Uitslag
tonen', 'Ronde sluiten'), or that Streamlit disables while its form is sent ('Vastleggen'), drops the focus to the
page: no element shows where one is until the next Tab. A callback names where the focus belongs after the run;
the page's script puts it there once the run has finished, if the focus was lost, for a keyboard user only."""

from __future__ import annotations

import streamlit as st

from app.text.escape import script_string

TARGET_STATE = "_tm_focus_after_run"
COUNT_STATE = "_tm_focus_requests"

# Waits until the run has finished and the element's button is drawn and enabled (at most 5 s); focuses it only if
# the focus is on nothing (a person who has tabbed on meanwhile keeps their place), and takes it back where the
# browser would show no ring (the press was a mouse click: the page stays as a click leaves it). The key becomes a
# class as Streamlit makes it (st-key-, other characters as '-').
SCRIPT = """<script data-tm="focus" data-request="__COUNT__">
(() => {
  const key = __KEY__;
  const name = 'st-key-' + key.trim().replace(/[^a-zA-Z0-9_-]/g, '-');
  const started = performance.now();
  const step = () => {
    if (performance.now() - started > 5000) return;
    const app = document.querySelector('[data-testid="stApp"]');
    const button = document.querySelector('.' + CSS.escape(name) + ' button');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning' || !button || button.disabled) {
      setTimeout(step, 50);
      return;
    }
    const active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return;
    button.focus();
    if (!button.matches(':focus-visible')) button.blur();
  };
  setTimeout(step, 50);
})();
</script>"""


def focus_after_run(key: str) -> None:
    """In a widget's callback: after this run the keyboard focus goes to the (first) button inside the element
    with this key, a widget's or a container's or a form's."""
    st.session_state[TARGET_STATE] = key


def restore_focus() -> None:
    """Once in a page's run, after its widgets: carries out what a callback asked with focus_after_run, if any."""
    key = st.session_state.pop(TARGET_STATE, None)
    if key is None:
        return
    # A number per request: each is a new element, so its script runs again when the same key is asked twice.
    count = st.session_state[COUNT_STATE] = st.session_state.get(COUNT_STATE, 0) + 1
    st.html(
        SCRIPT.replace("__COUNT__", str(count)).replace("__KEY__", script_string(key)),
        unsafe_allow_javascript=True,
    )
