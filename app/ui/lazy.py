"""What is not on screen is not made: an expander whose content is built only while it is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def lazy_expander(label: str, key: str, body: Callable[[], None], **options: Any) -> None:
    """An expander that runs `body` only while it is open. Opening or closing it reruns just this expander (a
    fragment), not the page; `key` keeps it open across the page's reruns. `body` runs with what it captured in
    the page's last full run."""
    _expander(label, key, body, options)


@st.fragment
def _expander(label: str, key: str, body: Callable[[], None], options: dict[str, Any]) -> None:
    with st.expander(label, key=key, on_change="rerun", **options) as box:
        if box.open:
            body()
