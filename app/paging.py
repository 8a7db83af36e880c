"""Page controls for long lists of evidence: the page number lives in the URL, the list shows one page at a time."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable

import streamlit as st

from app.text.numbers import number_text

# ASCII digits only ('２' and '٣' are digits to int() too) and at most a million pages: no list is longer, and a
# bigger number would overflow the SQL offset.
PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def requested_page(key: str, signature: Hashable) -> int:
    """The page the URL asks for (1 if none). When the filters (`signature`) changed since this session's last
    run and the URL still holds the page of the old list, the new list starts at page 1."""
    raw = st.query_params.get(key) or "1"
    if PAGE_NUMBER.fullmatch(raw):
        page = max(1, int(raw))
    else:
        page = 1
        st.query_params.pop(key, None)
        st.caption("Het paginanummer in het adres bestaat niet; u ziet de eerste pagina.")
    memo = st.session_state.get(f"_pagina_{key}")
    if memo is not None and memo[0] != signature and memo[1] == page and page != 1:
        page = 1
        st.query_params.pop(key, None)
    st.session_state[f"_pagina_{key}"] = (signature, page)
    return page


def page_count(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def clamp(key: str, page: int, total: int, size: int) -> int:
    """A page past the end (a shorter list than the URL's page was made for) becomes the last page."""
    last = page_count(total, size)
    if page > last:
        memo = st.session_state.get(f"_pagina_{key}")
        if memo is not None:
            st.session_state[f"_pagina_{key}"] = (memo[0], last)
        return last
    return page


def range_text(page: int, size: int, total: int) -> str:
    """'1–25 van 4.812' (Dutch thousands separator)."""
    if total == 0:
        return "0 van 0"
    first = (page - 1) * size + 1
    last = min(page * size, total)
    return f"{number_text(first)}–{number_text(last)} van {number_text(total)}"


def _go(key: str, page: int) -> None:
    if page <= 1:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(page)


def controls(key: str, page: int, total: int, size: int, noun: str = "resultaten") -> None:
    """First / previous / 'Pagina x van y' / next / last; nothing when everything fits on one page."""
    pages = page_count(total, size)
    if pages <= 1:
        return
    row = st.container(horizontal=True, vertical_alignment="center", key=f"pager-{key}")
    if pages > 2:
        row.button(
            "Eerste",
            key=f"{key}-eerste",
            icon=":material/first_page:",
            disabled=page <= 1,
            on_click=_go,
            args=(key, 1),
        )
    row.button(
        "Vorige",
        key=f"{key}-vorige",
        icon=":material/chevron_left:",
        disabled=page <= 1,
        on_click=_go,
        args=(key, page - 1),
    )
    row.markdown(f"Pagina {number_text(page)} van {number_text(pages)} · {range_text(page, size, total)} {noun}")
    row.button(
        "Volgende",
        key=f"{key}-volgende",
        icon=":material/chevron_right:",
        disabled=page >= pages,
        on_click=_go,
        args=(key, page + 1),
    )
    if pages > 2:
        row.button(
            "Laatste",
            key=f"{key}-laatste",
            icon=":material/last_page:",
            disabled=page >= pages,
            on_click=_go,
            args=(key, pages),
        )
