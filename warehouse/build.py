"""Build the warehouse: validate data_raw/, run `dbt build` into a fresh file, swap it in only when all passes.

A failed build deletes its own file and leaves the served warehouse untouched.
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from warehouse.raw import Validation, validate
from warehouse.search_index import index as search_index
from warehouse.votes import WAREHOUSE_COLUMNS, describe_store, read_for_warehouse

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


def build(
    data_raw: Path = DATA_RAW,
    warehouse: Path = WAREHOUSE,
    dbt_project: Path = DBT_PROJECT,
    *,
    votes_url: str | None = None,
    votes_path: Path | None = None,
) -> BuildResult:
    """votes_url / votes_path: the vote store to read, as the app chooses it (default TM_VOTES_URL, else
    TM_VOTES_PATH, else warehouse/votes.sqlite)."""
    started = time.perf_counter()
    data_raw, warehouse = data_raw.resolve(), warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    keep = (
        f"Het bestaande warehouse ({warehouse.name}) blijft ongewijzigd in gebruik."
        if warehouse.exists()
        else "Er is nog geen warehouse gebouwd."
    )

    try:
        validation = validate(data_raw)
    except Exception:  # noqa: BLE001 - a fault in the check itself: a Dutch sentence here, the trace in the log
        logging.getLogger(__name__).exception("de controle van %s liep vast", data_raw)
        header = (
            f"Bouw afgebroken: de controle van {data_raw.name}/ liep vast op een fout in de controle zelf; meld dit "
            f"aan wie het warehouse beheert (de technische melding staat in het logboek). {keep}"
        )
        return BuildResult(False, [header], time.perf_counter() - started)
    problems = validation.errors
    notes = [str(n) for n in validation.notes]
    warnings = [str(w) for w in validation.warnings]
    if problems:
        shown = [str(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… en nog {len(problems) - MAX_PROBLEMS_SHOWN} probleem/problemen")
        header = f"Bouw afgebroken: {len(problems)} probleem/problemen in {data_raw.name}/. {keep}"
        return BuildResult(False, [header, *shown, *notes, *warnings], time.perf_counter() - started)

    lock_path = warehouse.parent / ".build.lock"
    with open(lock_path, "w") as lock, _locked_input_folder(warehouse, lock) as scratch:
        # dbt reads exactly what the validator read: every table written out as plain UTF-8 CSV with commas,
        # whether it came as CSV from Dutch Excel (semicolons, Windows-1252) or as a filled-in form (.xlsx).
        dbt_input = _normalised_copy(validation, Path(scratch) / data_raw.name)
        try:
            vote_events = export_votes(dbt_input, votes_url, votes_path)
        except Exception as err:  # noqa: BLE001 - any backend's failure is one Dutch message
            store = describe_store(votes_url, votes_path)
            header = f"Bouw afgebroken: de stemopslag ({store}) kon niet worden gelezen. {keep}"
            return BuildResult(
                False, [header, f"{type(err).__name__}: {str(err)[:300]}"], time.perf_counter() - started
            )
        notes.append(f"Stemmen uit de scoringssessies: {vote_events} gebeurtenis(sen) gelezen")
        # A fixed name (builds are serialised by the lock) keeps dbt's partial parse valid between builds.
        fresh = warehouse.parent / f".build-next-{warehouse.stem}.duckdb"
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):  # from a build that was killed
            leftover.unlink(missing_ok=True)
        target_path, log_path = dbt_folders(warehouse)
        env = {
            **os.environ,
            "TM_BUILD_PATH": str(fresh),
            "TM_DATA_RAW": str(dbt_input),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        dbt = Path(sys.executable).with_name("dbt")
        command = [
            str(dbt) if dbt.exists() else "dbt",
            "build",
            "--project-dir",
            str(dbt_project),
            "--profiles-dir",
            str(dbt_project),
            "--target-path",
            str(target_path),
            "--log-path",
            str(log_path),
            "--log-level-file",
            "info",
        ]
        try:
            run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                failures = explain_dbt_failures(target_path, fresh, validation) or run.stdout.strip().splitlines()[-15:]
                header = f"Bouw afgebroken: dbt build faalde. {keep}"
                return BuildResult(False, [header, *failures], time.perf_counter() - started)
            previous_index = search_index.current_directory(warehouse)
            index_dir = search_index.new_directory(warehouse)
            try:
                stats = search_index.build_search_index(fresh, index_dir)
                publish_marts_only(fresh)
                # The file names its index directory: this one atomic rename switches both (readers see old or
                # new, never half).
                os.replace(fresh, warehouse)
            except Exception as err:  # noqa: BLE001 - the served warehouse and index stay; one Dutch message
                shutil.rmtree(index_dir, ignore_errors=True)
                header = f"Bouw afgebroken: de zoekindex kon niet worden gebouwd. {keep}"
                return BuildResult(
                    False, [header, f"{type(err).__name__}: {str(err)[:300]}"], time.perf_counter() - started
                )
            search_index.remove_stale(warehouse, keep=(index_dir.name, previous_index))
            notes.append(f"Zoekindex: {stats.texts} teksten, {stats.words} woorden ({index_dir.name})")
        finally:
            for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
                leftover.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return BuildResult(True, [f"Warehouse gebouwd: {warehouse} ({seconds:.1f} s)", *notes, *warnings], seconds)


@contextmanager
def _locked_input_folder(warehouse: Path, lock: IO[str]) -> Iterator[Path]:
    """Take the warehouse folder's build lock (one build at a time), then give the scratch folder for dbt's input.

    Its name is fixed per warehouse: dbt's sources name it, and a new name each build made dbt parse the sources
    and the 16 models that read them again (~2 s of every build). Emptied before and after.
    """
    fcntl.flock(lock, fcntl.LOCK_EX)
    folder = dbt_folders(warehouse)[0].parent / "input"
    shutil.rmtree(folder, ignore_errors=True)  # from a build that was killed
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _normalised_copy(validation: Validation, copy: Path) -> Path:
    """Every validated table as the plain CSV (UTF-8, comma, LF) that dbt's sources read, in a scratch folder.

    data_raw/ itself is never written: each file or form stays the one source of what it holds.
    """
    for table in validation.tables:
        target = copy / table.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if table.verbatim:
            shutil.copyfile(table.path, target)
            continue
        with target.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=table.spec.header, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: v or "" for k, v in row.items()} for _, row in table.rows)
    return copy


VOTES_FOLDER = "votes"  # beside reference/ and measurements/ in the scratch copy; never in data_raw/ itself


def export_votes(dbt_input: Path, votes_url: str | None = None, votes_path: Path | None = None) -> int:
    """The vote store's event log as votes/scoring_event.csv in the build's scratch copy, for dbt's source.

    Only reads the store (a rebuild during a session changes nothing there); no store or an empty one gives
    a file with only the header, so the models build. No names: WAREHOUSE_COLUMNS leaves them out.
    """
    rows = read_for_warehouse(votes_url, votes_path)
    target = dbt_input / VOTES_FOLDER / "scoring_event.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=WAREHOUSE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return len(rows)


PUBLISHED_SCHEMAS = ("main", "search")  # the marts, and the search's own tables


def publish_marts_only(path: Path) -> None:
    """Keep only the marts (schema main) and the search's tables (schema search) in a freshly built file, so that
    it works wherever it is copied.

    Staging and intermediate views read the CSV files by this machine's absolute path; the seed table is only
    read by dim_evidence_kind. The app and analysts read the marts only.
    """
    con = duckdb.connect(str(path))
    try:
        schemas = con.sql(
            "select schema_name from duckdb_schemas() where database_name = current_database() "
            f"and not internal and schema_name not in {PUBLISHED_SCHEMAS}"
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')
        views = con.sql(
            "select view_name from duckdb_views() where database_name = current_database() and not internal"
        ).fetchall()
        if views:
            raise RuntimeError(f"views in het warehouse, verwacht alleen tabellen: {views}")
        con.execute("checkpoint")
    finally:
        con.close()


# What each singular dbt test guards, in the words of the build's messages.
SINGULAR_TESTS = {
    "assert_every_score_has_evidence": "in de nulmeting heeft elke score bewijs van zijn eigen dynamiek "
    "(voorbeeld, variatie of sessiebevinding)",
    "assert_lock_in_fall_is_progress": "de betekenis van een verandering volgt de richting van de dynamiek "
    "(bij lock-in is een daling vooruitgang)",
    "assert_nulmeting_has_20_sector_wide_scores": "de nulmeting heeft precies 20 sectorbrede scores",
    "assert_only_lock_in_has_reverse_polarity": "alleen bij lock-in betekent een hogere score meer weerstand "
    "(higher_is_better false in dynamics.csv)",
    "assert_rubric_has_five_levels_per_dynamic": "de scoringstabel beschrijft elk niveau 1-5 van elke dynamiek",
    "assert_sector_statements_cover_their_variation": "de uitspraken per sector (variatie_sector) geven samen "
    "precies hun variatie-alinea",
    "assert_sector_wide_scores_cover_the_grid": "elke meting scoort alle thema's op alle dynamieken sectorbreed",
    "assert_exactly_one_baseline": "er is precies één nulmeting (reference/baseline.csv)",
}
ROWS_SHOWN = 5


def _describe_test(node: dict) -> str:
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    model = (node.get("attached_node") or "").rsplit(".", 1)[-1] or "?"
    column = kwargs.get("column_name") or node.get("column_name")
    kind = meta.get("name")
    if kind == "unique":
        return f"kolom '{column}' van {model} hoort uniek te zijn, maar heeft dubbele waarden"
    if kind == "not_null":
        return f"kolom '{column}' van {model} is leeg waar een waarde verplicht is"
    if kind == "relationships":
        to = str(kwargs.get("to", "")).replace("ref('", "").replace("')", "")
        return f"kolom '{column}' van {model} verwijst naar een {kwargs.get('field')} die niet in {to} staat"
    if kind == "accepted_values":
        return f"kolom '{column}' van {model} heeft een waarde buiten {', '.join(map(str, kwargs.get('values', [])))}"
    if kind == "unique_combination":
        return f"{model} heeft dubbele combinaties van {', '.join(kwargs.get('columns', []))}"
    if kind == "accepted_range":
        return f"kolom '{column}' van {model} ligt buiten {kwargs.get('min_value')}-{kwargs.get('max_value')}"
    if kind == "not_empty_list":
        return f"kolom '{column}' van {model} is een lege lijst"
    name = node.get("name", "?")
    return SINGULAR_TESTS.get(name, f"de controle in dbt_project/tests/{name}.sql")


def _raw_rows(row: dict, validation: Validation) -> list[str]:
    """Where in data_raw/ a failing row comes from: the rows of the raw tables that agree on most of its columns."""
    found: dict[int, list[str]] = {}
    for table in validation.tables:
        common = [c for c in row if c in table.spec.header and row[c] is not None]
        if len(common) < 2 and common != list(table.spec.key):
            continue
        wanted = {c: str(row[c]) for c in common}
        for row_no, values in table.rows:
            if all((values.get(c) or "") == v for c, v in wanted.items()):
                found.setdefault(len(common), []).append(f"{table.display_path}, rij {row_no}")
    return found[max(found)] if found else []


def dbt_folders(warehouse: Path) -> tuple[Path, Path]:
    """dbt's target and log folders for builds of this warehouse file, beside it: builds of different warehouses
    (tests run in parallel, a 1000× bench) never share run_results.json or the partial-parse cache, and builds of
    the same file are serialised by the folder's lock."""
    work = warehouse.parent / f".dbt-{warehouse.stem}"
    return work / "target", work / "logs"


def explain_dbt_failures(target_path: Path, database: Path, validation: Validation) -> list[str]:
    """Each failing dbt node in Dutch: what the rule is, and up to five rows that break it, traced to data_raw/."""
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return []
    results = json.loads(results_file.read_text(encoding="utf-8")).get("results", [])
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    try:
        nodes = json.loads((target_path / "manifest.json").read_text(encoding="utf-8")).get("nodes", {})
    except (OSError, ValueError):
        nodes = {}
    lines: list[str] = []
    con = duckdb.connect(str(database), read_only=True) if failed and database.exists() else None
    try:
        for result in failed:
            unique_id = result.get("unique_id", "?")
            node = nodes.get(unique_id, {})
            name = node.get("name") or unique_id.split(".")[2 if unique_id.count(".") >= 2 else -1]
            message = " ".join((result.get("message") or "").split())
            if not unique_id.startswith("test.") or result.get("status") != "fail":
                lines.append(
                    f"dbt kon '{name}' niet uitvoeren: {message[:300]}. De gegevens kwamen door de controle van "
                    "data_raw/; meld dit aan wie het warehouse beheert"
                )
                continue
            count = result.get("failures")
            lines.append(f"Controle '{name}' faalde: {_describe_test(node)} ({count} afwijkende rij(en)).")
            rows, columns = [], []
            if con is not None and result.get("compiled_code"):
                try:
                    relation = con.sql(f"select * from ({result['compiled_code']}) limit {ROWS_SHOWN}")
                    columns, rows = relation.columns, relation.fetchall()
                except duckdb.Error:
                    rows = []
            for values in rows:
                row = dict(zip(columns, values, strict=True))
                shown = ", ".join(f"{k}={'(leeg)' if v is None else v}" for k, v in row.items())
                raw = _raw_rows(row, validation)
                where = f" → {'; '.join(raw[:3])}{' …' if len(raw) > 3 else ''}" if raw else ""
                lines.append(f"  - {shown}{where}")
    finally:
        if con is not None:
            con.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-raw", type=Path, default=DATA_RAW)
    parser.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    parser.add_argument("--votes", type=Path, default=None, help="SQLite-stemopslag (standaard TM_VOTES_PATH)")
    args = parser.parse_args(argv)
    result = build(args.data_raw, args.warehouse, votes_path=args.votes)
    stream = sys.stdout if result.ok else sys.stderr
    for line in result.messages:
        print(line, file=stream)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
