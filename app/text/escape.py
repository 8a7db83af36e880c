"""Text from data or a person, shown as literal text: the one escaping helper of the app."""

from __future__ import annotations

import html
import json
import re

# Every string from the warehouse (a filled-in form, a CSV, the reference lists) passes one of two helpers
# before it is put into a page, so that it is shown as text and never runs as HTML or Markdown:
#   text_html      where we build HTML (blocks rendered with st.markdown(unsafe_allow_html=True) or st.html, the
#                  SVG radar and progress lines, the score grid): HTML-escaped.
#   text_markdown  where Streamlit renders Markdown without HTML (titles, headers, captions, alerts, tab, expander
#                  and widget labels, st.table cells): Markdown-escaped.
# Blocks of report text are built as HTML that starts with a block tag and holds no blank line: CommonMark then
# treats the whole block as HTML and applies no Markdown inside it (no emphasis, links or autolinks).

# C0 controls (invalid in XML, so they would break the SVG) and the bidi embeddings, overrides and isolates
# (they reorder the page text around them: 'Trojan source'). Zero-width characters are harmless and stay.
_INVISIBLE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#~|$:&])")
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_AUTOLINK_START = re.compile(r"(?i)(?<=www)\.|(?<=https):|(?<=http):|@")
_WORD_JOINER = "\u2060"
PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")


def _clean(value: object) -> str:
    return "" if value is None else _INVISIBLE_CONTROLS.sub("", str(value))


def text_html(value: object) -> str:
    """Text from data as literal text in HTML, SVG or an attribute value in double or single quotes.

    Line breaks become the character reference &#10; (still whitespace to the browser), so the text never holds
    a blank line that would end a Markdown HTML block; ':material/' is broken up because Streamlit rewrites it
    in the whole Markdown source, HTML included.
    """
    text = _clean(value).replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=True).replace("\n", "&#10;").replace(":material/", "&#58;material/")


def text_markdown(value: object) -> str:
    """Text from data as literal text where Streamlit renders Markdown (titles, headers, captions, alerts,
    labels of tabs, expanders, page links and buttons, st.table cells); also safe inside HTML we build.

    Markdown punctuation gets a backslash, line breaks become spaces (labels are one line). A URL or e-mail
    address would still be linked by GFM's autolinks, which act on the parsed text: an invisible word joiner
    after 'http(s)' and 'www' and before '@' keeps it plain text.
    """
    text = " ".join(_clean(value).split())
    text = _AUTOLINK_START.sub(lambda m: _WORD_JOINER + m.group(0), text)
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text).replace("\\:material/", "\\:material\\/")
    if text[:1] in ("-", "+"):  # a list item at the start of the line
        return "\\" + text
    return _ORDERED_LIST_START.sub(r"\1\\\2", text)


def safe_url(value: object) -> str | None:
    """A URL from data if it is an http(s) address (a link to it is then harmless); None otherwise."""
    url = _clean(value).strip()
    return url if re.match(r"(?i)https?://[^\s]+$", url) else None


def paragraphs_html(text: object, lead: str = "") -> str:
    """Report text as HTML paragraphs (a blank line starts a new one); `lead` is our own HTML before the first."""
    paragraphs = [p for p in PARAGRAPH_BREAK.split(_clean(text)) if p.strip()] or [""]
    return "".join(f"<p>{lead if i == 0 else ''}{text_html(p)}</p>" for i, p in enumerate(paragraphs))


def plain_text(value: object) -> str:
    """Text from data for a file that is not HTML (PowerPoint, Excel): controls that break XML or reorder the text
    removed, nothing escaped."""
    return _clean(value)


def script_string(value: str) -> str:
    """A string as a JavaScript literal inside a <script> element: JSON-quoted, and no '<', '>' or '&' that could
    end the element around it."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
