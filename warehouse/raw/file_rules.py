"""Rules within one file, as its contract states them: its key, its codes, and the extra checks it names."""

from __future__ import annotations

from warehouse.raw.contract import INT, LEVEL, SCORE, YEAR
from warehouse.raw.problems import Problem, Table, quoted
from warehouse.raw.records import int_or_none


def check_keys(table: Table, problems: list[Problem], fixed: dict[str, str] | None = None) -> None:
    seen: dict[tuple, int] = {}
    numeric = {c.name for c in table.spec.columns if c.kind in (INT, YEAR, SCORE, LEVEL)}
    fixed = fixed or {}
    # Each key column's cells as dbt compares them, worked out once per distinct cell (they repeat).
    parts: list[dict[str | None, str]] = [{} for _ in table.spec.key]
    for row_no, values in table.rows:
        key = tuple(
            _key_part_once(known, fixed[k] if k in fixed else values.get(k), k in numeric)
            for known, k in zip(parts, table.spec.key, strict=True)
        )
        if key in seen:
            shown_key = ", ".join(f"{k}={v or '(leeg)'}" for k, v in zip(table.spec.key, key, strict=True))
            problems.append(
                Problem(
                    table.display_path,
                    row_no,
                    None,
                    f"dubbele regel: {shown_key} staat ook in rij {seen[key]}",
                )
            )
        else:
            seen[key] = row_no


def _key_part_once(known: dict[str | None, str], value: str | None, numeric: bool) -> str:
    try:
        return known[value]
    except KeyError:
        part = known[value] = _key_part(value, numeric)
        return part


def _key_part(value: str | None, numeric: bool) -> str:
    """A key cell as dbt compares it: '7' and '07' are one number."""
    number = int_or_none(value) if numeric else None
    return str(number) if number is not None else value or ""


def check_domains(table: Table, domains: dict[str, set[str]], problems: list[Problem]) -> None:
    for col in table.spec.columns:
        if not col.domain:
            continue
        allowed = domains.get(col.domain, set())
        for row_no, values in table.rows:
            value = values.get(col.name)
            if value is None:
                continue
            for code in value.split(";") if col.many else [value]:
                if code.strip() not in allowed:
                    problems.append(
                        Problem(
                            table.display_path,
                            row_no,
                            col.name,
                            f"onbekende code {quoted(code.strip())}; toegestaan: {', '.join(sorted(allowed))}",
                        )
                    )


Finding = tuple[str | None, str | None]  # (column, message); message None: the row is fine


def _evidence_scope(v: dict) -> Finding:
    """Which columns an evidence row needs depends on its kind."""
    kind = v.get("evidence_kind")
    if kind in ("voorbeeld", "variatie", "variatie_sector"):
        for column in ("theme_code", "dynamic_code"):
            if not v.get(column):
                return column, f"verplicht bij evidence_kind '{kind}'"
        if kind == "variatie_sector" and not v.get("sector_codes"):
            return "sector_codes", "verplicht bij evidence_kind 'variatie_sector'"
    elif kind == "samenvatting_thema" and not v.get("theme_code"):
        return "theme_code", "verplicht bij evidence_kind 'samenvatting_thema'"
    elif kind == "samenvatting_dynamiek" and not v.get("dynamic_code"):
        return "dynamic_code", "verplicht bij evidence_kind 'samenvatting_dynamiek'"
    return None, None


def _dynamic_polarity(v: dict) -> Finding:
    column = "higher_is_better"
    expected = "false" if v.get("dynamic_code") == "lock_in" else "true"
    if v.get("dynamic_code") and v.get(column) in ("true", "false") and v[column] != expected:
        return column, (
            f"moet {expected} zijn: alleen bij lock-in betekent een hogere score méér weerstand "
            "(false); bij de andere dynamieken meer transitie (true)"
        )
    return None, None


def _institution_sector(v: dict) -> Finding:
    kind, sector = v.get("institution_kind"), v.get("sector_code")
    if kind == "onderwijsinstelling" and sector not in ("mbo", "hbo", "wo"):
        return "sector_code", "een onderwijsinstelling hoort bij mbo, hbo of wo"
    if kind == "organisatie" and sector:
        return "sector_code", "een organisatie heeft geen sector; laat het veld leeg"
    return None, None


EXTRA_CHECKS = {
    "evidence_scope": _evidence_scope,
    "dynamic_polarity": _dynamic_polarity,
    "institution_sector": _institution_sector,
}


def extra_checks(table: Table, problems: list[Problem]) -> None:
    """The rules a file kind names in its contract (RawFile.extra_checks), row by row."""
    for check in table.spec.extra_checks:
        for row_no, v in table.rows:
            column, message = EXTRA_CHECKS[check](v)
            if message:
                problems.append(Problem(table.display_path, row_no, column, message))
