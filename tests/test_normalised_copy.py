"""The copy of data_raw/ that dbt reads: a plain CSV goes over byte for byte (fast at 1000×), and dbt reads the same
values from it as from a copy the build writes itself; anything else the validator reads differently is rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from warehouse.build import DATA_RAW, _normalised_copy
from warehouse.raw import validate

READ = "select * from read_csv(?, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"


def _read(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return [tuple((v or "").strip() or None for v in row) for row in con.execute(READ, [str(path)]).fetchall()]


def test_plain_csv_is_copied_as_is_and_reads_as_the_written_copy(tmp_path):
    validation = validate(DATA_RAW)
    copied = _normalised_copy(validation, tmp_path / "copied")
    for table in validation.tables:
        table.verbatim = False
    written = _normalised_copy(validation, tmp_path / "written")
    verbatim = [t for t in validate(DATA_RAW).tables if t.verbatim]
    assert len(verbatim) >= 10, "the repository's own CSV files are plain"
    for table in verbatim:
        assert (copied / table.target).read_bytes() == table.path.read_bytes()
        assert _read(copied / table.target) == _read(written / table.target), table.target


def test_blank_rows_and_spaces_around_values_are_rewritten(tmp_path):
    data_raw = tmp_path / "data_raw"
    shutil.copytree(DATA_RAW, data_raw)
    sources = data_raw / "measurements" / "2025" / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines(keepends=True)
    sources.write_text("".join(lines) + "," * (lines[0].count(",")) + "\n", encoding="utf-8")
    methods = data_raw / "measurements" / "2025" / "method_texts.csv"
    header, first, *rest = methods.read_text(encoding="utf-8").splitlines(keepends=True)
    methods.write_text(header + first.replace(",", " , ", 1) + "".join(rest), encoding="utf-8")
    validation = validate(data_raw)
    assert validation.errors == []
    flags = {t.target: t.verbatim for t in validation.tables}
    assert flags["measurements/2025/sources.csv"] is False
    assert flags["measurements/2025/method_texts.csv"] is False
    assert flags["measurements/2025/scores.csv"] is True
