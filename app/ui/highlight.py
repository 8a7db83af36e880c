"""A search's matches marked in a text from data: every piece escaped on its own, the matched words in <mark>."""

from __future__ import annotations

from app.text.escape import PARAGRAPH_BREAK, text_html
from app.text.query import WORD, Prefix, word_matches


def highlight_html(text: object, prefixes: tuple[Prefix, ...]) -> str:
    """Text from data as escaped HTML (escape.text_html) with the matched words in <mark>.

    The positions are found on the raw text; every piece between and inside them is escaped on its own, so no raw
    text reaches the page and no mark splits an escape.
    """
    raw = "" if text is None else str(text)
    if not prefixes:
        return text_html(raw)
    out, at = [], 0
    for match in WORD.finditer(raw):
        if word_matches(match.group(0), prefixes):
            out.append(text_html(raw[at : match.start()]))
            out.append(f"<mark>{text_html(match.group(0))}</mark>")
            at = match.end()
    out.append(text_html(raw[at:]))
    return "".join(out)


def paragraphs_html(text: object, prefixes: tuple[Prefix, ...], lead: str = "") -> str:
    """As escape.paragraphs_html, with the matches marked; `lead` is our own HTML before the first paragraph."""
    raw = "" if text is None else str(text)
    paragraphs = [p for p in PARAGRAPH_BREAK.split(raw) if p.strip()] or [""]
    return "".join(f"<p>{lead if i == 0 else ''}{highlight_html(p, prefixes)}</p>" for i, p in enumerate(paragraphs))


def evidence_html(row: dict, prefixes: tuple[Prefix, ...]) -> str:
    """Evidence text with its heading in front (both with matches marked), as HTML paragraphs."""
    heading = row.get("heading")
    lead = f"<strong>{highlight_html(heading, prefixes)}:</strong> " if heading else ""
    return f"<div>{paragraphs_html(row['evidence_text'], prefixes, lead=lead)}</div>"
