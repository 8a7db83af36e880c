"""Rules within evidence.csv that dbt's tests would otherwise be the first to catch."""

from __future__ import annotations

import re

from warehouse.raw.problems import Problem, Table
from warehouse.raw.records import int_or_none


def _rows(numbers: list[int]) -> str:
    return (
        ("rij " if len(numbers) == 1 else "rijen ")
        + ", ".join(str(n) for n in numbers[:8])
        + (" …" if len(numbers) > 8 else "")
    )


def _squash(text: str) -> str:
    return re.sub(r"[\t\n\f\r ]+", " ", text)  # what dbt's regexp_replace(…, '\\s+', ' ') does


def check_sector_statements(evidence: Table, problems: list[Problem]) -> None:
    """Per-sector variation statements (variatie_sector), read in order, give back their variation paragraph."""
    statements: dict[tuple, list[tuple[int, int, str]]] = {}
    variations: dict[tuple, tuple[int, str]] = {}
    for row_no, v in evidence.rows:
        cell = (v.get("theme_code"), v.get("dynamic_code"))
        if v.get("evidence_kind") == "variatie_sector" and v.get("text"):
            statements.setdefault(cell, []).append((int_or_none(v.get("seq")) or 0, row_no, v["text"]))
        elif v.get("evidence_kind") == "variatie" and v.get("text"):
            variations.setdefault(cell, (row_no, v["text"]))
    for cell, parts in statements.items():
        parts.sort()
        rows = _rows([row_no for _, row_no, _ in parts])
        where = f"{cell[0]} × {cell[1]}"
        if cell not in variations:
            problems.append(
                Problem(
                    evidence.display_path,
                    parts[0][1],
                    "evidence_kind",
                    f"uitspraken per sector (variatie_sector, {rows}) zonder hun variatie-regel: er is geen regel "
                    f"met evidence_kind 'variatie' voor {where}; voeg die toe met de hele alinea",
                )
            )
            continue
        joined = _squash(" ".join(text for _, _, text in parts))
        paragraph = _squash(variations[cell][1])
        if joined != paragraph:
            at = next((i for i, (a, b) in enumerate(zip(joined, paragraph, strict=False)) if a != b), None)
            at = min(len(joined), len(paragraph)) if at is None else at
            problems.append(
                Problem(
                    evidence.display_path,
                    parts[0][1],
                    "text",
                    f"de uitspraken per sector (variatie_sector, {rows}) geven samen niet precies de variatie-alinea "
                    f"van rij {variations[cell][0]} ({where}); ze verschillen vanaf "
                    f"'{joined[max(0, at - 20) : at + 30]}'. Verdeel de alinea letterlijk over de uitspraken",
                )
            )
