"""The passage of a long text that best shows why a search found it: the run of whole sentences, at most a given
length, that holds the most different matched words. Plain text positions only: no HTML, no framework."""

from __future__ import annotations

import re
from collections.abc import Sequence

SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
PASSAGE_CHARS = 360


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence (or line) of the text."""
    spans, at = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > at:
            spans.append((at, match.start()))
        at = match.end()
    if at < len(text):
        spans.append((at, len(text)))
    return spans


def _score(text: str, matches: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    inside = [text[a:b].lower() for a, b in matches if a >= start and b <= end]
    return len(set(inside)), len(inside)


def best_passage(text: str, matches: Sequence[tuple[int, int]], limit: int = PASSAGE_CHARS) -> tuple[int, int]:
    """(start, end) of the passage to show: the whole text if it fits, else the sentences (at most `limit`
    characters together) with the most different matched words; a single long sentence is cut around its first
    match."""
    if len(text) <= limit:
        return 0, len(text)
    spans = sentences(text) or [(0, len(text))]
    best, best_score = spans[0], (-1, -1)
    for i, (start, end) in enumerate(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - start <= limit:
            j += 1
        end = spans[j][1]
        score = _score(text, matches, start, end)
        if score > best_score:
            best, best_score = (start, end), score
    start, end = best
    if end - start > limit:  # one sentence longer than the limit: a window around its first match
        first = next((a for a, _ in matches if start <= a < end), start)
        start = max(start, first - limit // 3)
        end = min(end, start + limit)
        start = _word_start(text, start)
        end = _word_end(text, end)
    return start, end


def _word_start(text: str, at: int) -> int:
    while 0 < at < len(text) and not text[at - 1].isspace():
        at -= 1
    return at


def _word_end(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace():
        at += 1
    return at
