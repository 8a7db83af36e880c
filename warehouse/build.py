"""Build the warehouse: validate data_raw/, run `dbt build` into a fresh file, swap it in only when all passes.

A failed build deletes its own file and leaves the served warehouse untouched.
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from warehouse.validate_raw import Validation, validate

ROOT = Path(__file__).resolve().parent.parent
DATA_RAW = ROOT / "data_raw"
WAREHOUSE = ROOT / "warehouse" / "transitiemonitor.duckdb"
DBT_PROJECT = ROOT / "dbt_project"
MAX_PROBLEMS_SHOWN = 25


@dataclass
class BuildResult:
    ok: bool
    messages: list[str]
    seconds: float


def _dbt_failures(target_path: Path) -> list[str]:
    """One line per failing dbt node, from run_results.json."""
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return []
    lines = []
    for result in json.loads(results_file.read_text(encoding="utf-8")).get("results", []):
        if result.get("status") in ("error", "fail", "runtime error"):
            node = result.get("unique_id", "?").split(".", 2)[-1]
            message = " ".join((result.get("message") or "").split())
            lines.append(f"dbt: {node}: {message[:400]}")
    return lines


def build(data_raw: Path = DATA_RAW, warehouse: Path = WAREHOUSE) -> BuildResult:
    started = time.perf_counter()
    data_raw, warehouse = data_raw.resolve(), warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    keep = (
        f"Het bestaande warehouse ({warehouse.name}) blijft ongewijzigd in gebruik."
        if warehouse.exists()
        else "Er is nog geen warehouse gebouwd."
    )

    validation = validate(data_raw)
    problems = validation.errors
    warnings = [str(w) for w in validation.warnings]
    if problems:
        shown = [str(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… en nog {len(problems) - MAX_PROBLEMS_SHOWN} probleem/problemen")
        header = f"Bouw afgebroken: {len(problems)} probleem/problemen in {data_raw.name}/. {keep}"
        return BuildResult(False, [header, *shown, *warnings], time.perf_counter() - started)

    lock_path = warehouse.parent / ".build.lock"
    with open(lock_path, "w") as lock, tempfile.TemporaryDirectory() as scratch:
        if any(data_raw.glob("measurements/*/*.xlsx")):
            data_raw = _as_csv(data_raw, validation, Path(scratch))
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time per warehouse folder
        # A fixed name (builds are serialised by the lock) keeps dbt's partial parse valid between builds.
        fresh = warehouse.parent / f".build-next-{warehouse.stem}.duckdb"
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):  # from a build that was killed
            leftover.unlink(missing_ok=True)
        target_path = DBT_PROJECT / "target"
        env = {
            **os.environ,
            "TM_BUILD_PATH": str(fresh),
            "TM_DATA_RAW": str(data_raw),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        dbt = Path(sys.executable).with_name("dbt")
        command = [
            str(dbt) if dbt.exists() else "dbt",
            "build",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(target_path),
            "--log-path",
            str(DBT_PROJECT / "logs"),
        ]
        try:
            run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                failures = _dbt_failures(target_path) or run.stdout.strip().splitlines()[-15:]
                header = f"Bouw afgebroken: dbt build faalde. {keep}"
                return BuildResult(False, [header, *failures], time.perf_counter() - started)
            os.replace(fresh, warehouse)  # atomic on one filesystem: readers see old or new, never half
        finally:
            for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
                leftover.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return BuildResult(True, [f"Warehouse gebouwd: {warehouse} ({seconds:.1f} s)", *warnings], seconds)


def _as_csv(data_raw: Path, validation: Validation, scratch: Path) -> Path:
    """A copy of data_raw/ in which every filled-in scoring form (.xlsx) is written out as the CSV files dbt reads.

    data_raw/ itself is never written: the form stays the one source of its measurement.
    """
    copy = scratch / "data_raw"
    shutil.copytree(data_raw, copy, ignore=shutil.ignore_patterns("*.xlsx", "~$*"))
    for year, tables in validation.measurements.items():
        if not any((data_raw / "measurements" / year).glob("*.xlsx")):
            continue
        for file_name, table in tables.items():
            with (copy / "measurements" / year / file_name).open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=table.spec.header, lineterminator="\n")
                writer.writeheader()
                writer.writerows({k: v or "" for k, v in row.items()} for _, row in table.rows)
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-raw", type=Path, default=DATA_RAW)
    parser.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    args = parser.parse_args(argv)
    result = build(args.data_raw, args.warehouse)
    stream = sys.stdout if result.ok else sys.stderr
    for line in result.messages:
        print(line, file=stream)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
