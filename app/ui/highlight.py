"""A search's matches marked in a text from data: every piece escaped on its own (app.text.escape), the matched
words in <mark>, and for a long text the best passage (app.text.passage)."""

from __future__ import annotations

from app.text.escape import PARAGRAPH_BREAK, text_html
from app.text.passage import PASSAGE_CHARS, best_passage
from warehouse.search_index.analysis import matching_words

Terms = frozenset[str]


def _marked(raw: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """raw[start:end] as escaped HTML with the spans inside it in <mark>."""
    out, at = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(text_html(raw[at:a]))
        out.append(f"<mark>{text_html(raw[a:b])}</mark>")
        at = b
    out.append(text_html(raw[at:end]))
    return "".join(out)


def highlight_html(text: object, terms: Terms) -> str:
    """Text from data as escaped HTML (escape.text_html) with the words the search matched in <mark>.

    The positions are found on the raw text; every piece between and inside them is escaped on its own, so no raw
    text reaches the page and no mark splits an escape.
    """
    raw = "" if text is None else str(text)
    spans = matching_words(raw, terms) if terms else []
    return _marked(raw, spans, 0, len(raw))


def passage_html(text: object, terms: Terms, limit: int = PASSAGE_CHARS) -> tuple[str, bool]:
    """The best passage of a text for this search, escaped, matches marked, '…' where text was left out; and
    whether anything was left out."""
    raw = " ".join(("" if text is None else str(text)).split())
    spans = matching_words(raw, terms) if terms else []
    start, end = best_passage(raw, spans, limit)
    html = ("… " if start > 0 else "") + _marked(raw, spans, start, end) + (" …" if end < len(raw) else "")
    return html, (start, end) != (0, len(raw))


def paragraphs_html(text: object, terms: Terms, lead: str = "") -> str:
    """As escape.paragraphs_html, with the matches marked; `lead` is our own HTML before the first paragraph."""
    raw = "" if text is None else str(text)
    paragraphs = [p for p in PARAGRAPH_BREAK.split(raw) if p.strip()] or [""]
    return "".join(f"<p>{lead if i == 0 else ''}{highlight_html(p, terms)}</p>" for i, p in enumerate(paragraphs))


def evidence_html(row: dict, terms: Terms) -> str:
    """Evidence text with its heading in front (both with matches marked), as HTML paragraphs."""
    heading = row.get("heading")
    lead = f"<strong>{highlight_html(heading, terms)}:</strong> " if heading else ""
    return f"<div>{paragraphs_html(row['evidence_text'], terms, lead=lead)}</div>"
