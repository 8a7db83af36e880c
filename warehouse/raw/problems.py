"""What every check reads and reports: a table read from a raw file, and a problem found in it.

Row numbers count as a spreadsheet does: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.raw.contract import RawFile


@dataclass(frozen=True)
class Problem:
    path: str
    row: int | None
    column: str | None
    message: str
    is_warning: bool = False
    is_note: bool = False  # information only: how a file was read (separator, encoding)

    def __str__(self) -> str:
        prefix = "Waarschuwing: " if self.is_warning else "Ter info: " if self.is_note else ""
        where = [prefix + self.path]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Table:
    spec: RawFile
    path: Path
    display_path: str
    rows: list[tuple[int, dict[str, str | None]]]  # (spreadsheet row, values)
    # Where dbt finds this table in the normalised copy the build writes: reference/x.csv, measurements/2026/x.csv.
    target: str = ""
    # The file on disk is that copy already (a plain CSV as dbt reads it): the build copies its bytes.
    verbatim: bool = False


def display_path(path: Path, data_raw: Path) -> str:
    return f"{data_raw.name}/{path.relative_to(data_raw).as_posix()}"


SHOWN_CHARS = 80


def cut(value: str) -> str:
    """A value from a file as a message shows it: cut to what a person reads ('xxxx…')."""
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def quoted(value: str) -> str:
    return f"'{cut(value)}'"


def names(values: list[str], most: int = 8) -> str:
    """Column names or codes from a file, listed in a message: each cut, at most `most` of them."""
    rest = f" en nog {len(values) - most}" if len(values) > most else ""
    return ", ".join(cut(v) for v in values[:most]) + rest
