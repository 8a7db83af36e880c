"""Blocks of report text on a page: HTML built from escaped text, shown in Streamlit's Markdown styling."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode, urlsplit

import polars as pl
import streamlit as st

from app.text.escape import PARAGRAPH_BREAK, paragraphs_html, plain_text, safe_url, text_html
from app.ui.filtering import ALL_SECTORS


def show_html(block: str) -> None:
    """An HTML block we built from escaped text, in Streamlit's Markdown styling (paragraph and list fonts)."""
    st.markdown(block, unsafe_allow_html=True)


def text_block(text: object) -> None:
    """A block of report text from data, paragraphs kept, shown as text."""
    show_html(f"<div>{paragraphs_html(text)}</div>")


EXPLICITLY_SECTOR_WIDE = "sectorbreed (expliciet)"


def badges(codes: Sequence[str], scope: str | None = None) -> str:
    """A badge per sector a text speaks of; 'sectorbreed' only where the report says so (sector_scope), not for a
    text that names no sector."""
    return "".join(
        f'<span class="tm-badge">{"sectorbreed" if c == ALL_SECTORS else text_html(c)}</span>'
        for c in codes
        if c != ALL_SECTORS or scope == EXPLICITLY_SECTOR_WIDE
    )


def heading_html(heading: object) -> str:
    """The bold lead-in heading the report puts before a piece of evidence: ours to make bold, its text escaped."""
    return f"<strong>{text_html(heading)}:</strong> " if heading else ""


def evidence_html(row: dict) -> str:
    """Evidence text with its heading in front, as HTML paragraphs."""
    return f"<div>{paragraphs_html(row['evidence_text'], lead=heading_html(row['heading']))}</div>"


def _evidence_item(row: dict) -> str:
    paragraphs = [p for p in PARAGRAPH_BREAK.split(plain_text(row["evidence_text"])) if p.strip()]
    body = "<br><br>".join(text_html(p) for p in paragraphs)
    return f"<li>{badges(row['sector_codes'], row.get('sector_scope'))} {heading_html(row['heading'])}{body}</li>"


def evidence_list_html(rows: Sequence[dict]) -> str:
    """Pieces of evidence as one HTML list, each with the sectors it speaks of ('' for none)."""
    return f"<ul>{''.join(_evidence_item(row) for row in rows)}</ul>" if rows else ""


def evidence_list(rows: Sequence[dict]) -> None:
    """Pieces of evidence as one list, each with the sectors it speaks of: one element on the page, not one per
    item (the browser redraws every element of a page on each rerun)."""
    if rows:
        show_html(evidence_list_html(rows))


def quote_html(text: object) -> str:
    """A block of report text, paragraphs kept, as HTML."""
    return f'<div class="tm-quote">{paragraphs_html(text)}</div>'


def quote(text: object) -> None:
    """A block of report text, paragraphs kept."""
    show_html(quote_html(text))


def table_frame_html(caption: str, head_cells: str, body_rows: str, css_class: str = "tm-tabel") -> str:
    """The frame every HTML table of ours shares: its caption (escaped here), one header row and the body, whose
    cells the caller built from escaped text."""
    return (
        f'<table class="{css_class}"><caption>{text_html(caption)}</caption>'
        f"<thead><tr>{head_cells}</tr></thead><tbody>{body_rows}</tbody></table>"
    )


def text_table_html(table: pl.DataFrame, caption: str, link_column: str | None = None) -> str:
    """A table of text as plain HTML (no data grid to load: the page paints sooner), every cell escaped; in
    `link_column` an http(s) address becomes a link to it named by its site, opening in a new tab; anything else
    stays text."""

    def cell(name: str, value: object) -> str:
        url = safe_url(value) if name == link_column else None
        if url:  # the site's name as the link's text: whole addresses made the table wider than the page
            site = urlsplit(url).netloc.removeprefix("www.")
            return (
                f'<td><a href="{text_html(url)}" title="{text_html(url)}" target="_blank" rel="noopener noreferrer">'
                f"{text_html(site)}</a></td>"
            )
        return f"<td>{text_html('' if value is None else value)}</td>"

    head = "".join(f'<th scope="col">{text_html(name)}</th>' for name in table.columns)
    rows = "".join(
        "<tr>" + "".join(cell(name, value) for name, value in zip(table.columns, row, strict=True)) + "</tr>"
        for row in table.iter_rows()
    )
    return table_frame_html(caption, head, rows, "tm-tabel tm-teksttabel")


def app_link_html(page: str, params: dict[str, str], label: str) -> str:
    """A link to another page of the app with its URL parameters, for HTML blocks; app/assets/meeting.js opens it
    inside the running app, as st.page_link would (one HTML block paints sooner than an element per link)."""
    return f'<a class="tm-naar" href="{text_html(page)}?{text_html(urlencode(params))}">→ {text_html(label)}</a>'


def show_cards(cards_html: Iterable[str]) -> None:
    """Cards (`<article class="tm-kaart">`, each built from escaped text) in one HTML block, not a bordered container
    with a page link per card: the page paints sooner (docs/benchmark-profile.md). meeting.js opens a card's
    app_link_html within the app, as a page link would."""
    st.html(f'<div class="tm-kaarten">{"".join(cards_html)}</div>')
