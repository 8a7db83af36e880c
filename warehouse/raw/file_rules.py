"""Rules within one file, as its contract states them: its key, its codes, and the extra checks it names."""

from __future__ import annotations

from warehouse.raw.contract import INT, LEVEL, SCORE, YEAR
from warehouse.raw.problems import Problem, Table, quoted
from warehouse.raw.records import int_or_none


def check_keys(table: Table, problems: list[Problem], fixed: dict[str, str] | None = None) -> None:
    seen: dict[tuple, int] = {}
    numeric = {c.name for c in table.spec.columns if c.kind in (INT, YEAR, SCORE, LEVEL)}
    for row_no, values in table.rows:
        merged = {**values, **(fixed or {})}
        # '7' and '07' are one number, as they are to dbt: compare numbers as numbers.
        key = tuple(
            str(int_or_none(v)) if k in numeric and int_or_none(v) is not None else v or ""
            for k, v in ((k, merged.get(k)) for k in table.spec.key)
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


def extra_checks(table: Table, problems: list[Problem]) -> None:
    for check in table.spec.extra_checks:
        for row_no, v in table.rows:
            message = None
            column = None
            if check == "evidence_scope":
                kind = v.get("evidence_kind")
                if kind in ("voorbeeld", "variatie", "variatie_sector"):
                    for column in ("theme_code", "dynamic_code"):
                        if not v.get(column):
                            message = f"verplicht bij evidence_kind '{kind}'"
                            break
                    if not message and kind == "variatie_sector" and not v.get("sector_codes"):
                        column, message = "sector_codes", "verplicht bij evidence_kind 'variatie_sector'"
                elif kind == "samenvatting_thema" and not v.get("theme_code"):
                    column, message = "theme_code", "verplicht bij evidence_kind 'samenvatting_thema'"
                elif kind == "samenvatting_dynamiek" and not v.get("dynamic_code"):
                    column, message = "dynamic_code", "verplicht bij evidence_kind 'samenvatting_dynamiek'"
            elif check == "dynamic_polarity":
                column = "higher_is_better"
                expected = "false" if v.get("dynamic_code") == "lock_in" else "true"
                if v.get("dynamic_code") and v.get(column) in ("true", "false") and v[column] != expected:
                    message = (
                        f"moet {expected} zijn: alleen bij lock-in betekent een hogere score méér weerstand "
                        "(false); bij de andere dynamieken meer transitie (true)"
                    )
            elif check == "institution_sector":
                kind, sector = v.get("institution_kind"), v.get("sector_code")
                column = "sector_code"
                if kind == "onderwijsinstelling" and sector not in ("mbo", "hbo", "wo"):
                    message = "een onderwijsinstelling hoort bij mbo, hbo of wo"
                elif kind == "organisatie" and sector:
                    message = "een organisatie heeft geen sector; laat het veld leeg"
            if message:
                problems.append(Problem(table.display_path, row_no, column, message))
