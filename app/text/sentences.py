"""A text's whole sentences, for every place that shortens report text without cutting a sentence (the hand-out's
examples, the beamer's core of a justification). Plain text only: no HTML, no framework."""

from __future__ import annotations

import re

# A sentence ends after '.', '!' or '?' (and a closing quote or bracket) before a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“‘\"'(À-Ý])")
# Dutch abbreviations the report writes mid-sentence, often before a name ('bijv. Coursera', 'o.a. Npuls').
_ABBREVIATIONS = ("bijv.", "o.a.", "d.w.z.", "m.n.", "i.p.v.", "t.o.v.", "m.b.t.", "o.m.", "incl.", "ca.", "vgl.")


def sentences(text: str) -> list[str]:
    """The sentences of a text (whitespace made single spaces); an abbreviation does not end one."""
    parts: list[str] = []
    for part in _SENTENCE_END.split(" ".join(text.split())):
        if not part:
            continue
        if parts and parts[-1].lower().endswith(_ABBREVIATIONS):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return parts


def whole_sentences(text: str, characters: int) -> tuple[str, bool]:
    """The text's first sentences within `characters` (at least the first sentence, however long), and whether
    any were left out. A text is never cut inside a sentence."""
    parts = sentences(text)
    kept = parts[:1]
    for part in parts[1:]:
        if len(" ".join([*kept, part])) > characters:
            break
        kept.append(part)
    return " ".join(kept), len(kept) < len(parts)
