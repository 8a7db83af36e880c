"""The filters every page shares (meetmoment, sector, thema, presentation mode), kept in the URL, and the
scores they put in scope."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl
import streamlit as st

from app import data
from app.text.escape import text_markdown
from app.text.numbers import count_words

PRESENTATION = "presentatie"
ALL_THEMES = "alle"
ALL_SECTORS = "alle"


@dataclass(frozen=True)
class Filters:
    year: int
    sector: str
    theme: str | None
    presentation: bool

    @cached_property
    def latest_year(self) -> int:
        # Once per run (the router makes new Filters every run): a list of cards asks params() for every link.
        return int(data.measurements()["measurement_year"].max())

    def params(self, **extra: str | None) -> dict[str, str]:
        """The URL parameters of these filters (defaults left out), plus page-specific ones."""
        params = {
            "jaar": str(self.year) if self.year != self.latest_year else None,
            "sector": self.sector if self.sector != ALL_SECTORS else None,
            "thema": self.theme,
            "weergave": PRESENTATION if self.presentation else None,
            **extra,
        }
        return {k: v for k, v in params.items() if v is not None}


def url_value(key: str, allowed: Sequence[Any] | None, default: Any, parse: Callable[[str], Any] = str) -> Any:
    """The URL's value for `key` if it is allowed (None: any value is), else the default; mirrored into the
    widget's state.

    The URL is the source of truth: after the back button or a shared link it may differ from the widget.
    """
    raw = st.query_params.get(key)
    try:
        value = parse(raw) if raw not in (None, "") else default
    except ValueError:
        value = default
    if allowed is not None and value not in allowed:
        value = default
    st.session_state[key] = value
    return value


def url_search_text(key: str) -> str:
    """The URL's search text, mirrored into the search box's state only when it differs (a shared link, the back
    button): assigning a widget's key sends the value back to the browser, and a box that got back the text of a
    run started a keystroke ago would lose what was typed since. (The other controls are assigned every run: a
    selectbox whose option labels changed with the counts would otherwise read its old label as its value.)"""
    value = st.query_params.get(key) or ""
    if st.session_state.get(key) != value:
        st.session_state[key] = value
    return value


def write_url(key: str, default: Any, allowed: Sequence[Any] | None = None) -> None:
    """on_change: put the widget's new value in the URL (a new history entry), or drop it at its default.

    With `allowed`, a value that is none of them is not written: a selectbox whose option labels hold counts that
    changed since the browser drew it (a search ran meanwhile) reports its old label as its value, and the page's
    next run puts the URL's value back."""
    value = st.session_state.get(key)
    if allowed is not None and value not in allowed:
        return
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def sidebar_filters() -> Filters:
    """Meetmoment, sector and thema, in the sidebar, for every page."""
    measurements = data.measurements()
    years = measurements["measurement_year"].to_list()
    labels = dict(zip(years, measurements["label"].to_list(), strict=True))
    themes = data.themes()
    theme_names = dict(zip(themes["theme_code"], themes["theme_name"], strict=True))
    sectors = data.sectors()
    sector_names = {
        code: (name if code != ALL_SECTORS else "Alle")
        for code, name in zip(sectors["sector_code"], sectors["sector_name"], strict=True)
    }

    year = url_value("jaar", years, years[-1], int)
    sector = url_value("sector", list(sector_names), ALL_SECTORS)
    theme = url_value("thema", [ALL_THEMES, *theme_names], ALL_THEMES)
    presentation = url_value("weergave", ["normaal", PRESENTATION], "normaal") == PRESENTATION

    with st.sidebar:
        st.selectbox(
            "Meetmoment",
            years,
            format_func=lambda y: f"{labels[y]} ({y})",
            key="jaar",
            on_change=write_url,
            args=("jaar", years[-1]),
        )
        st.segmented_control(
            "Sector",
            list(sector_names),
            format_func=lambda code: text_markdown(sector_names[code]),  # button labels are Markdown
            key="sector",
            on_change=write_url,
            args=("sector", ALL_SECTORS),
            help="De nulmeting geeft sectorbrede scores; een sectorfilter toont de voorbeelden en variatie van die "
            "sector.",
        )
        # A list, not a dropdown: a dropdown's box cuts the long names ('Nieuwe competenties en rollen v…') and
        # radio labels wrap between words in the sidebar's width.
        st.radio(
            "Thema",
            [ALL_THEMES, *theme_names],
            format_func=lambda code: "Alle thema's" if code == ALL_THEMES else text_markdown(theme_names[code]),
            key="thema",
            on_change=write_url,
            args=("thema", ALL_THEMES),
        )
    if st.session_state.get("sector") is None:  # a segmented control can be deselected: that means 'alle'
        sector = ALL_SECTORS
    return Filters(
        year=year,
        sector=sector,
        theme=None if theme == ALL_THEMES else theme,
        presentation=presentation,
    )


def current_filters() -> Filters:
    """The filters the router read from the URL in this run."""
    return st.session_state["_filters"]


def scores_in_scope(filters: Filters) -> tuple[pl.DataFrame, str | None]:
    """The scores to show for the sector filter, and a note when they are not the sector's own.

    A sector without scores of its own falls back to the sector-wide scores: the nearest honest answer.
    """
    scores = data.scores(filters.year)
    # The note is shown as Markdown (st.info); mid-sentence the name starts lower case ('De nulmeting geeft').
    raw_label = data.measurement_label(filters.year)
    label = text_markdown(raw_label[:1].lower() + raw_label[1:])
    sector_wide = scores.filter(sector_code=ALL_SECTORS)
    if filters.sector != ALL_SECTORS:
        own = scores.filter(sector_code=filters.sector)
        if own.height == sector_wide.height:
            return own, f"U ziet de eigen scores van het {filters.sector}."
        if own.height:
            # Per cell the sector's own score where the measurement gives one, else the sector-wide score.
            merged = pl.concat([own, sector_wide.join(own, on=["theme_code", "dynamic_code"], how="anti")])
            return merged.sort("theme_order", "dynamic_order"), (
                f"De {label} geeft voor het {filters.sector} {count_words(own.height, 'eigen score', 'eigen scores')} "
                "(gemarkeerd met ◆); "
                f"de andere {sector_wide.height - own.height} zijn sectorbreed."
            )
        return sector_wide, (
            f"De {label} geeft geen aparte scores voor het {filters.sector}: u ziet de sectorbrede scores. "
            f"Variatie en voorbeelden zijn wel gefilterd op het {filters.sector}."
        )
    return sector_wide, None
