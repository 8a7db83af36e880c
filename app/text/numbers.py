"""Numbers and counts in Dutch style: a point between thousands, a comma before decimals."""

from __future__ import annotations


def number_text(value: int) -> str:
    """Dutch thousands separator: 5.000."""
    return f"{value:,}".replace(",", ".")


def seconds_text(milliseconds: int) -> str:
    """Dutch seconds: 10 or 1,5."""
    return f"{milliseconds / 1000:g}".replace(".", ",")


def count_words(count: int, one: str, many: str) -> str:
    """'1 score', '2 scores', '1.234 scores': a count with the right noun, in Dutch number style."""
    return f"{number_text(count)} {one if count == 1 else many}"
