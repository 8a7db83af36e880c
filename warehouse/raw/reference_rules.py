"""Rules across the reference files (reference/): the nulmeting's year, the rubric, the institutions."""

from __future__ import annotations

from pathlib import Path

from warehouse.raw.limits import is_year_folder
from warehouse.raw.problems import Problem, Table
from warehouse.raw.records import SCORE_RANGE, int_or_none


def baseline_year(table: Table | None, year_dirs: list[Path], problems: list[Problem]) -> int | None:
    """The nulmeting as baseline.csv states it: exactly one year, and a measurement folder of that year."""
    if table is None:
        return None
    years = [(row_no, int_or_none(v.get("measurement_year"))) for row_no, v in table.rows]
    years = [(row_no, year) for row_no, year in years if year is not None]
    if len(table.rows) != 1:
        problems.append(
            Problem(
                table.display_path,
                None,
                None,
                f"heeft {len(table.rows)} regels; er is precies één nulmeting: één regel met het jaar ervan",
            )
        )
        return None
    if not years:
        return None
    row_no, year = years[0]
    folders = {p.name for p in year_dirs if is_year_folder(p.name)}
    if str(year) not in folders:
        problems.append(
            Problem(
                table.display_path,
                row_no,
                "measurement_year",
                f"er is geen meting {year} (geen map measurements/{year}); noem het jaar van de nulmeting, "
                f"een van: {', '.join(sorted(folders))}",
            )
        )
        return None
    return year


def check_reference(reference: dict[str, Table], problems: list[Problem]) -> None:
    """Rules across reference files that the marts rely on."""
    dynamics = reference.get("dynamics.csv")
    rubric = reference.get("rubric_descriptors.csv")
    if dynamics and rubric:
        present = {(v.get("dynamic_code"), int_or_none(v.get("level"))) for _, v in rubric.rows}
        for _, v in dynamics.rows:
            code = v.get("dynamic_code")
            missing = [str(level) for level in SCORE_RANGE if code and (code, level) not in present]
            if missing:
                problems.append(
                    Problem(
                        rubric.display_path,
                        None,
                        "level",
                        f"de scoringstabel beschrijft voor {code} niveau {', '.join(missing)} niet; "
                        "elke dynamiek heeft een beschrijving bij elk niveau 1-5",
                    )
                )
    institutions = reference.get("institutions.csv")
    aliases = reference.get("institution_aliases.csv")
    if institutions and aliases:
        named = {v.get("institution_code") for _, v in aliases.rows}
        for row_no, v in institutions.rows:
            code = v.get("institution_code")
            if code and code not in named:
                problems.append(
                    Problem(
                        institutions.display_path,
                        row_no,
                        "institution_code",
                        f"'{code}' heeft geen schrijfwijze in institution_aliases.csv; voeg daar minstens één regel "
                        "toe (de naam zoals het rapport hem schrijft)",
                    )
                )
    _check_thesaurus(reference.get("thesaurus.csv"), problems)


def _check_thesaurus(thesaurus: Table | None, problems: list[Problem]) -> None:
    """A concept with one term makes the search look up nothing more: a typo in the concept code, most likely."""
    if thesaurus is None:
        return
    rows: dict[str, list[int]] = {}
    for row_no, v in thesaurus.rows:
        rows.setdefault(v.get("concept") or "", []).append(row_no)
    for concept, numbers in rows.items():
        if concept and len(numbers) == 1:
            problems.append(
                Problem(
                    thesaurus.display_path,
                    numbers[0],
                    "concept",
                    f"'{concept}' heeft maar één term; een begrip in de thesaurus heeft er minstens twee (de term "
                    "en een andere schrijfwijze of afkorting)",
                )
            )
