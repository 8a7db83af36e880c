"""Check data_raw/ against the raw contract; report each problem by file, row and column, in Dutch.

Row numbers count as a spreadsheet does: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from warehouse.raw.contract import (
    CONCEPT,
    FINAL,
    MEASUREMENT_FILES,
    REFERENCE_FILES,
    REQUIRED_MEASUREMENT_FILES,
)
from warehouse.raw.csv_files import read_group
from warehouse.raw.file_rules import check_domains, check_keys, extra_checks
from warehouse.raw.limits import YEARS, is_year_folder
from warehouse.raw.measurement_rules import (
    check_final_has_scores,
    check_measurement,
    check_score_grid,
    drop_unfilled_scores,
    measurement_status,
)
from warehouse.raw.problems import Problem, Table, cut, display_path
from warehouse.raw.reference_rules import baseline_year, check_reference
from warehouse.raw.workbook import read_workbook


@dataclass
class Validation:
    problems: list[Problem]
    measurements: dict[str, dict[str, Table]]  # year → its tables, however they arrived (CSV or Excel)
    reference: dict[str, Table] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning and not p.is_note]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.is_note]

    @property
    def tables(self) -> list[Table]:
        """Every table dbt will read, with the path it gets in the normalised copy (Table.target)."""
        return [*self.reference.values(), *(t for year in self.measurements.values() for t in year.values())]


def validate(data_raw: Path) -> Validation:
    """Every problem in data_raw/, in file order; without errors dbt may build."""
    problems: list[Problem] = []
    measurements: dict[str, dict[str, Table]] = {}
    reference_dir = data_raw / "reference"
    measurements_dir = data_raw / "measurements"
    for folder in (reference_dir, measurements_dir):
        if not folder.is_dir():
            problems.append(Problem(f"{data_raw.name}/{folder.name}", None, None, "map ontbreekt"))
    if problems:
        return Validation(problems, measurements)

    reference = read_group(REFERENCE_FILES, reference_dir, data_raw, problems, tuple(s.name for s in REFERENCE_FILES))
    domains: dict[str, set[str]] = {}
    for table in reference.values():
        if table.spec.defines:
            domain, column = table.spec.defines
            domains[domain] = {v[column] for _, v in table.rows if v.get(column)}
    for table in reference.values():
        check_keys(table, problems)
        check_domains(table, domains, problems)
        extra_checks(table, problems)
    check_reference(reference, problems)

    year_dirs = sorted(p for p in measurements_dir.iterdir() if p.is_dir())
    if not year_dirs:
        problems.append(Problem(display_path(measurements_dir, data_raw), None, None, "geen enkele meting gevonden"))
    baseline = baseline_year(reference.get("baseline.csv"), year_dirs, problems)
    for year_dir in year_dirs:
        refusal = _year_folder_problem(year_dir.name, baseline, data_raw.name)
        if refusal:
            problems.append(Problem(display_path(year_dir, data_raw), None, None, refusal))
            continue
        measurements[year_dir.name] = _check_year(year_dir, data_raw, domains, baseline, problems)
    return Validation(problems, measurements, reference)


def _year_folder_problem(name: str, baseline: int | None, data_raw_name: str) -> str | None:
    if not is_year_folder(name):
        return (
            f"mapnaam moet het jaar van de meting zijn, in vier cijfers 0-9 van {YEARS[0]} tot en met {YEARS[-1]}, "
            "bv. 2026"
        )
    if baseline is not None and int(name) < baseline:
        return (
            f"meting {name} ligt vóór de nulmeting ({baseline}, vastgelegd in {data_raw_name}/reference/"
            "baseline.csv); elke meting komt na de nulmeting. Geef de map het jaar van het veldwerk (bijvoorbeeld "
            "2026), of haal haar weg"
        )
    return None


def _check_year(
    year_dir: Path, data_raw: Path, domains: dict[str, set[str]], baseline: int | None, problems: list[Problem]
) -> dict[str, Table]:
    """One measurement's tables, read and checked on their own and against the reference codes."""
    tables = _read_measurement(year_dir, data_raw, problems)
    status = measurement_status(tables)
    if status == CONCEPT and "scores.csv" in tables:
        drop_unfilled_scores(tables["scores.csv"], problems)
    is_baseline = int(year_dir.name) == baseline
    check_final_has_scores(year_dir, data_raw, tables, status, problems, is_baseline)
    year_domains = dict(domains)
    if "sessions.csv" in tables:
        year_domains["session"] = {v["session_code"] for _, v in tables["sessions.csv"].rows if v.get("session_code")}
    for table in tables.values():
        _check_year_cells(table, year_dir.name, problems)
        check_keys(table, problems, fixed={"measurement_year": year_dir.name})
        check_domains(table, year_domains, problems)
        extra_checks(table, problems)
    if "scores.csv" in tables and status == FINAL:  # a concept measurement may score part of the grid
        check_score_grid(tables["scores.csv"], domains, problems)
    check_measurement(tables, problems, is_baseline=is_baseline)
    return tables


def _check_year_cells(table: Table, folder: str, problems: list[Problem]) -> None:
    for row_no, values in table.rows:
        year = values.get("measurement_year")
        if year is not None and year != folder:
            problems.append(
                Problem(
                    table.display_path,
                    row_no,
                    "measurement_year",
                    f"{cut(year)} hoort niet in de map {folder}; zet het jaar gelijk aan de map",
                )
            )


def _read_measurement(year_dir: Path, data_raw: Path, problems: list[Problem]) -> dict[str, Table]:
    """One measurement: CSV files, or one filled-in scoring form (.xlsx) — never both."""
    workbooks = sorted(p for p in year_dir.glob("*.xlsx") if not p.name.startswith("~$"))
    csv_files = sorted(p.name for p in year_dir.glob("*.csv"))
    if not workbooks:
        return read_group(MEASUREMENT_FILES, year_dir, data_raw, problems, REQUIRED_MEASUREMENT_FILES)
    if len(workbooks) > 1 or csv_files:
        others = [p.name for p in workbooks] + csv_files
        problems.append(
            Problem(
                display_path(year_dir, data_raw),
                None,
                None,
                f"meting {year_dir.name} staat er meer dan één keer in ({', '.join(others)}); "
                "laat één scoringsformulier óf de CSV-bestanden staan, zodat niets ongemerkt wordt overschreven",
            )
        )
        return {}
    return read_workbook(workbooks[0], data_raw, problems, year_dir.name)
