"""Scaled copies of data_raw/ for the benchmark and the scale tests, written through the raw format a user uses.

`scaled_data_raw(target, factor)` copies data_raw/ and, for a factor above 1, adds the measurements 2026-2030
(sector-wide and per-sector scores). Their evidence, session findings and session examples are the nulmeting's,
repeated so that the whole evidence base is about `factor` times the nulmeting's.
Nothing is written into the real data_raw/.
"""

from __future__ import annotations

import csv
import math
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.build import DATA_RAW
from warehouse.raw import limits

EXTRA_YEARS = (2026, 2027, 2028, 2029, 2030)
SECTORS = ("alle", "mbo", "hbo", "wo")
MOST_ROWS_PER_FILE = 150  # the nulmeting's largest file has 135 rows (evidence.csv)
SEQ_STRIDE = 1_000  # copy c of a row with sequence number n gets c * SEQ_STRIDE + n: unique, and readable


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def copies_per_year(factor: int) -> int:
    """How often each extra year repeats the nulmeting's evidence so that the total is about `factor` times it."""
    return max(0, math.ceil((factor - 1) / len(EXTRA_YEARS)))


@contextmanager
def rows_allowed(factor: int) -> Iterator[None]:
    """Raise the build's row limit per file (warehouse/raw/limits.py: 20,000, far above any real file) to what a
    scaled year holds, as a keeper would for such data: at 1000× a year's evidence.csv has ~28,000 rows."""
    before = limits.MAX_ROWS
    limits.MAX_ROWS = max(before, (copies_per_year(factor) + 1) * MOST_ROWS_PER_FILE)
    try:
        yield
    finally:
        limits.MAX_ROWS = before


def scaled_data_raw(target: Path, factor: int, seed: int = 2025) -> Path:
    """data_raw/ plus 2026-2030; returns the new data_raw folder (target/data_raw). Factor 1 is data_raw as it is."""
    raw = target / "data_raw"
    shutil.copytree(DATA_RAW, raw, ignore=shutil.ignore_patterns("*.xlsx"))
    if factor <= 1:
        return raw
    source = DATA_RAW / "measurements" / "2025"
    copies = copies_per_year(factor)
    rng = random.Random(seed)
    score_header, base_scores = _read(source / "scores.csv")
    measurement_header, (base_measurement,) = _read(source / "measurement.csv")

    for year in EXTRA_YEARS:
        folder = raw / "measurements" / str(year)
        folder.mkdir(parents=True)
        _write(
            folder / "measurement.csv",
            measurement_header,
            [{**base_measurement, "measurement_year": str(year), "label": f"Meting {year} (benchmark)"}],
        )
        scores = [
            {
                **row,
                "measurement_year": str(year),
                "sector_code": sector,
                "score": str(min(5, max(1, int(row["score"]) + rng.choice((-1, 0, 0, 1))))),
                "justification": f"{row['justification']} (benchmark {year}, {sector})",
            }
            for sector in SECTORS
            for row in base_scores
            if row["sector_code"] == "alle"
        ]
        _write(folder / "scores.csv", score_header, scores)
        if copies:
            _write_evidence(source, folder, year, copies)
    return raw


def _write_evidence(source: Path, folder: Path, year: int, copies: int) -> None:
    header, evidence = _read(source / "evidence.csv")
    _write(
        folder / "evidence.csv",
        header,
        [_evidence_copy(row, year, c) for c in range(copies) for row in evidence],
    )
    # Sessions: the same five, under codes of this year; findings and examples repeated with their links kept.
    renamed = lambda code: f"{code}_{year}"  # noqa: E731
    header, sessions = _read(source / "sessions.csv")
    _write(
        folder / "sessions.csv",
        header,
        [{**row, "session_code": renamed(row["session_code"]), "measurement_year": str(year)} for row in sessions],
    )
    header, session_themes = _read(source / "session_themes.csv")
    _write(
        folder / "session_themes.csv",
        header,
        [{**row, "session_code": renamed(row["session_code"])} for row in session_themes],
    )
    for name, seq_columns in (
        ("session_findings.csv", ("finding_seq",)),
        ("session_examples.csv", ("finding_seq", "example_seq")),
    ):
        header, rows = _read(source / name)
        _write(
            folder / name,
            header,
            [
                {
                    **row,
                    "session_code": renamed(row["session_code"]),
                    **{column: str(c * SEQ_STRIDE + int(row[column])) for column in seq_columns},
                }
                for c in range(copies)
                for row in rows
            ],
        )


def _evidence_copy(row: dict[str, str], year: int, copy: int) -> dict[str, str]:
    """Copy `copy` of an evidence row. The per-sector statements of one variation must add up to its paragraph,
    so only the first copy keeps them as such; later copies carry the same text as illustrative examples."""
    seq = copy * SEQ_STRIDE + int(row["seq"])
    if copy and row["evidence_kind"] == "variatie_sector":
        return {**row, "measurement_year": str(year), "evidence_kind": "voorbeeld", "seq": str(seq + SEQ_STRIDE // 2)}
    return {**row, "measurement_year": str(year), "seq": str(seq)}
