"""Which illustrative examples a theme's slide shows, and how they are shortened.

One example per dynamic where the report gives one (afbouw included), in the dynamics' order. For a sector the
examples about that sector come first, then those that name no sector; for 'alle sectoren' those that name no
sector come first, and an example about particular sectors says which. An example is shortened only at a sentence
boundary, marked with '[…]', and only as far as the box needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from app.exports import textfit
from app.text.escape import plain_text
from app.text.sentences import sentences, whole_sentences

ALL_SECTORS = "alle"
EXAMPLE_CHARACTERS = 420  # a hand-out shows the gist: at most this much of one example, in whole sentences
SHORTENED = "[…]"
SHORTENED_NOTE = f"{SHORTENED} = ingekort bij een zinseinde; de hele tekst staat op de pagina Voorbeelden."


@dataclass(frozen=True)
class Example:
    text: str  # whole sentences, '[…]' at the end when shortened
    label: str  # '(Opbouw · mbo)'
    shortened: bool

    @property
    def paragraph(self) -> str:
        return f"• {self.text} {self.label}"


def choose(examples: pl.DataFrame, dynamics: pl.DataFrame, theme_code: str, sector: str) -> list[dict]:
    """The best example of each dynamic for this theme and sector, in the dynamics' order."""
    rows = examples.filter(pl.col("theme_code") == theme_code).to_dicts()
    chosen = []
    for code in dynamics["dynamic_code"]:
        candidates = [row for row in rows if row["dynamic_code"] == code]
        if candidates:
            chosen.append(min(candidates, key=lambda row: _preference(row, sector)))
    return chosen


def _preference(row: dict, sector: str) -> tuple:
    """Lower is better: about the chosen sector (or, for all sectors, about none in particular) first, then
    a text that fits whole, then the report's order."""
    codes = row.get("sector_codes") or [ALL_SECTORS]
    if sector == ALL_SECTORS:
        rank = 0 if codes == [ALL_SECTORS] else 1
    else:  # about this sector alone, then about it among others, then about no sector in particular
        rank = 0 if codes == [sector] else 1 if sector in codes else 2
    text = _full_text(row)
    return rank, len(text) > EXAMPLE_CHARACTERS, row.get("seq") or 0


def _full_text(row: dict) -> str:
    text = " ".join(plain_text(row["evidence_text"]).split())
    heading = plain_text(row.get("heading") or "").strip()
    return f"{heading}: {text}" if heading else text


def _label(row: dict, dynamic_names: dict[str, str]) -> str:
    name = dynamic_names.get(row["dynamic_code"], "alle dynamieken")
    codes = [c for c in (row.get("sector_codes") or []) if c != ALL_SECTORS]
    return f"({name} · {', '.join(codes)})" if codes else f"({name})"


def _example(row: dict, names: dict[str, str], characters: int) -> Example:
    text, shortened = whole_sentences(_full_text(row), characters)
    return Example(f"{text} {SHORTENED}" if shortened else text, _label(row, names), shortened)


def fitted(rows: list[dict], dynamics: pl.DataFrame, width: float, height: float, size: float, gap: float):
    """The examples as they fit a box `width` × `height` inches at `size` points: the longest is shortened a
    sentence at a time (down to its first sentence) until they fit; if even that is too much, the longest goes."""
    names = dict(zip(dynamics["dynamic_code"], dynamics["dynamic_name"], strict=True))
    budgets = [EXAMPLE_CHARACTERS] * len(rows)
    while rows:
        examples = [_example(row, names, budget) for row, budget in zip(rows, budgets, strict=True)]
        paragraphs = [e.paragraph for e in examples] + ([SHORTENED_NOTE] if any(e.shortened for e in examples) else [])
        if textfit.text_height(paragraphs, width, size, space_after=gap) <= height:
            return examples
        longest = max(range(len(rows)), key=lambda i: len(examples[i].text))
        first_sentence = len(sentences(_full_text(rows[longest]))[0])
        if len(examples[longest].text) > first_sentence + len(SHORTENED) + 1:
            budgets[longest] = len(examples[longest].text) - len(SHORTENED) - 2
        else:
            del rows[longest], budgets[longest]
    return []
