"""Rules across the files of one measurement: its status, its scores and what they rest on."""

from __future__ import annotations

from pathlib import Path

from warehouse.raw.contract import FINAL
from warehouse.raw.evidence_rules import check_sector_statements
from warehouse.raw.problems import Problem, Table, display_path
from warehouse.raw.records import int_or_none


def measurement_status(tables: dict[str, Table]) -> str:
    """'concept' or 'vastgesteld' as measurement.csv (the form's sheet 'meting') says; empty or absent: vastgesteld."""
    measurement = tables.get("measurement.csv")
    rows = measurement.rows if measurement is not None else []
    return (rows[0][1].get("status") if rows else None) or FINAL


def drop_unfilled_scores(scores: Table, problems: list[Problem]) -> None:
    """In a concept measurement a score row with neither score nor justification is simply not filled in yet
    (the pre-filled form has all 20): it is left out, and its empty cells are no problem."""
    unfilled = {row_no for row_no, v in scores.rows if v.get("score") is None and v.get("justification") is None}
    if not unfilled:
        return
    scores.rows[:] = [(row_no, v) for row_no, v in scores.rows if row_no not in unfilled]
    problems[:] = [
        p
        for p in problems
        if not (p.path == scores.display_path and p.row in unfilled and p.message == "verplicht veld is leeg")
    ]


def check_final_has_scores(
    year_dir: Path, data_raw: Path, tables: dict[str, Table], status: str, problems: list[Problem], is_baseline: bool
) -> None:
    """A final measurement has its scores; the nulmeting is final."""
    measurement = tables.get("measurement.csv")
    if measurement is None or not measurement.rows:
        return
    row_no = measurement.rows[0][0]
    if is_baseline and status != FINAL:
        problems.append(
            Problem(
                measurement.display_path,
                row_no,
                "status",
                f"de nulmeting is '{status}'; de nulmeting is vastgesteld: laat status leeg of zet 'vastgesteld'",
            )
        )
    # Only when the file is not there: a scores.csv that was refused (too large, unreadable) has its own message.
    if status == FINAL and not (year_dir / "scores.csv").exists() and not list(year_dir.glob("*.xlsx")):
        problems.append(
            Problem(
                display_path(year_dir / "scores.csv", data_raw),
                None,
                None,
                "verplicht bestand ontbreekt (de meting is vastgesteld); is de meting nog niet klaar, zet dan "
                "status 'concept' in measurement.csv",
            )
        )


def check_measurement(tables: dict[str, Table], problems: list[Problem], is_baseline: bool) -> None:
    """Rules across the files of one measurement that dbt's tests would otherwise be the first to catch."""
    measurement = tables.get("measurement.csv")
    if measurement is not None and not measurement.rows:
        problems.append(
            Problem(measurement.display_path, None, None, "bevat geen meting; vul één regel in met jaar en naam")
        )
    themes_of = _themes_of_sessions(tables, problems)
    _check_examples_have_findings(tables, problems)
    evidence = tables.get("evidence.csv")
    if evidence is not None:
        check_sector_statements(evidence, problems)
    if is_baseline and tables.get("scores.csv") is not None:
        _check_baseline_scores(tables, themes_of, problems)


def _themes_of_sessions(tables: dict[str, Table], problems: list[Problem]) -> dict[str, set[str]]:
    """Which themes each session feeds; a session that feeds none is named."""
    sessions, session_themes = tables.get("sessions.csv"), tables.get("session_themes.csv")
    themes_of: dict[str, set[str]] = {}
    for _, v in session_themes.rows if session_themes else []:
        if v.get("session_code") and v.get("theme_code"):
            themes_of.setdefault(v["session_code"], set()).add(v["theme_code"])
    for row_no, v in sessions.rows if sessions else []:
        code = v.get("session_code")
        if code and code not in themes_of:
            problems.append(
                Problem(
                    sessions.display_path,
                    row_no,
                    "session_code",
                    f"sessie '{code}' voedt geen enkel thema; zet in session_themes.csv minstens één regel "
                    f"met session_code {code} en een theme_code",
                )
            )
    return themes_of


def _check_examples_have_findings(tables: dict[str, Table], problems: list[Problem]) -> None:
    findings, examples = tables.get("session_findings.csv"), tables.get("session_examples.csv")
    found = {
        (v.get("session_code"), v.get("dynamic_code"), int_or_none(v.get("finding_seq")))
        for _, v in (findings.rows if findings else [])
    }
    for row_no, v in examples.rows if examples else []:
        key = (v.get("session_code"), v.get("dynamic_code"), int_or_none(v.get("finding_seq")))
        if None not in key and key not in found:
            problems.append(
                Problem(
                    examples.display_path,
                    row_no,
                    "finding_seq",
                    f"er is geen bevinding {key[2]} bij sessie '{key[0]}' × {key[1]} in session_findings.csv; "
                    "een praktijkvoorbeeld hoort bij een bestaande bevinding",
                )
            )


def _check_baseline_scores(tables: dict[str, Table], themes_of: dict[str, set[str]], problems: list[Problem]) -> None:
    """The nulmeting: sector-wide scores only, and every score has evidence (a text or a session finding)."""
    scores, evidence = tables["scores.csv"], tables.get("evidence.csv")
    covered = {
        (v.get("theme_code"), v.get("dynamic_code")) for _, v in (evidence.rows if evidence else []) if v.get("text")
    }
    for table in (tables.get("session_findings.csv"), tables.get("session_examples.csv")):
        for _, v in table.rows if table else []:
            for theme in themes_of.get(v.get("session_code") or "", ()):
                covered.add((theme, v.get("dynamic_code")))
    for row_no, v in scores.rows:
        if v.get("sector_code") and v["sector_code"] != "alle":
            problems.append(
                Problem(
                    scores.display_path,
                    row_no,
                    "sector_code",
                    f"de nulmeting heeft alleen sectorbrede scores (alle), geen score voor {v['sector_code']}; "
                    "zet scores per sector in een latere meting",
                )
            )
        cell = (v.get("theme_code"), v.get("dynamic_code"))
        if None not in cell and cell not in covered:
            problems.append(
                Problem(
                    scores.display_path,
                    row_no,
                    None,
                    f"in de nulmeting heeft elke score bewijs, maar {cell[0]} × {cell[1]} heeft geen voorbeeld, "
                    "variatie of sessiebevinding; voeg het toe in evidence.csv of session_findings.csv",
                )
            )


def check_score_grid(table: Table, domains: dict[str, set[str]], problems: list[Problem]) -> None:
    """The rule for missing cells: sector-wide scores must cover every theme × dynamic (else refused);
    scores for one sector may cover part of the grid (accepted, with a warning naming what is missing)."""
    grid = {(t, d) for t in sorted(domains.get("theme", ())) for d in sorted(domains.get("dynamic", ()))}
    by_sector: dict[str, set[tuple[str, str]]] = {}
    for _, values in table.rows:
        if values.get("sector_code") and values.get("theme_code") and values.get("dynamic_code"):
            by_sector.setdefault(values["sector_code"], set()).add((values["theme_code"], values["dynamic_code"]))
    for sector in sorted(set(by_sector) | {"alle"}):
        missing = sorted(grid - by_sector.get(sector, set()))
        if not missing:
            continue
        cells = ", ".join(f"{t} × {d}" for t, d in missing[:8]) + (" …" if len(missing) > 8 else "")
        if sector == "alle":
            problems.append(
                Problem(
                    table.display_path,
                    None,
                    "sector_code",
                    f"de sectorbrede scores (sector_code alle) zijn onvolledig: {len(missing)} van de {len(grid)} "
                    f"ontbreken ({cells}); elke meting scoort alle thema's op alle dynamieken",
                )
            )
        else:
            problems.append(
                Problem(
                    table.display_path,
                    None,
                    "sector_code",
                    f"{sector}: {len(grid) - len(missing)} van de {len(grid)} cellen gescoord; voor de andere "
                    f"toont de monitor de sectorbrede score ({cells})",
                    is_warning=True,
                )
            )
