"""Removes server paths and the user name from a message before a user sees it, in whatever spelling they come:
with `/` replaced by other characters (`|`, `\\`, `%2F`, a letter), in capitals, or reversed.

It looks for a path's own folders in their order, so ordinary words stay: 'root' in a sentence is left alone, '/root'
or '|root|' is not. The statement checker keeps paths out of results; this is the second line, for DuckDB's own
messages and for anything the checker might miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Between two folders of a path: one to three characters or %-escapes (`/`, `|`, ` / `, `%2F`, `%252F`, `\/`).
SEPARATOR = r"(?:%[0-9a-f]{2}|.){1,3}?"
# Next to a lone name (the user name, a one-folder path like /root): a character that only a path has there.
PATH_MARK = r"(?:%2f|%5c|[/\\|])"
# Any absolute path spelled plainly, known or not (/usr/lib/x): two folders or more after a lone `/`.
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/(?:[\w.\-]+/)+[\w.\-]+")
REPLACEMENT = "…"


def _spelled(segment: str) -> str:
    """A folder name, each punctuation character also %-escaped."""
    return "".join(re.escape(c) if c.isalnum() else f"(?:{re.escape(c)}|%{ord(c):02x})" for c in segment)


def _telling(segment: str, user: str, unique: set[str]) -> bool:
    """A folder name that gives something away on its own: a generated one (the worker's tm-sql-ab12cd) or one
    that holds the user name (pytest-of-root). Ordinary names (tmp, work, 2026-12-05) tell only in their path."""
    if segment.lower() in unique:
        return True
    return bool(user) and user.lower() in segment.lower() and segment.lower() != user.lower()


class Scrubber:
    def __init__(self, paths: Iterable[str], user: str = "", unique: Iterable[str] = ()) -> None:
        """paths: every path to hide; user: the account name; unique: folder names to hide wherever they stand."""
        unique_names = {name.lower() for name in unique}
        patterns: set[str] = set()
        lone: set[str] = set()
        for path in paths:
            segments = [segment for segment in re.split(r"[/\\]+", path or "") if segment]
            for first in range(len(segments)):
                if _telling(segments[first], user, unique_names):
                    patterns.add(_spelled(segments[first]))
                for last in range(first + 2, len(segments) + 1):
                    patterns.add(SEPARATOR.join(_spelled(segment) for segment in segments[first:last]))
            if len(segments) == 1:
                lone.add(segments[0])
        if user:
            lone.add(user)
        ordered = sorted(patterns, key=len, reverse=True)
        # A path with the separator before it, so '/tmp/x' leaves no stray '/'.
        self._paths = re.compile(rf"{PATH_MARK}?(?:{'|'.join(ordered)})", re.I | re.S) if ordered else None
        names = "|".join(re.escape(name) for name in sorted(lone, key=len, reverse=True))
        self._lone = (
            re.compile(
                rf"{PATH_MARK}(?:{names})(?![A-Za-z0-9])|(?<![A-Za-z0-9])(?:{names}){PATH_MARK}",
                re.I,
            )
            if names
            else None
        )

    def _once(self, text: str) -> str:
        if self._paths:
            text = self._paths.sub(REPLACEMENT, text)
        if self._lone:
            text = self._lone.sub(REPLACEMENT, text)
        return ABSOLUTE_PATH.sub(REPLACEMENT, text)

    def scrub(self, text: str) -> str:
        """The text without the paths and user name, forwards and reversed."""
        if not text:
            return text
        return self._once(self._once(text)[::-1])[::-1]
