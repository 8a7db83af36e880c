"""Which functions, table functions and views the SQL page allows: one allowlist of table functions and one denylist
of expression functions, applied at the worker's start-up to the catalog of the DuckDB that actually runs.

It fails closed. A table function is refused unless it is on ALLOWED_TABLE_FUNCTIONS. A scalar, aggregate, window
or macro function is refused unless it is on the reviewed list of this DuckDB version (a function a later version
adds is refused until someone reviews it) and not denied here. A function that takes SQL text or a function name is
refused unless the checker knows how to check that text. A macro or a view whose own body uses anything refused is
refused too: `pg_settings` is a view over duckdb_settings(), `get_block_size()` a macro over pragma_database_size().
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from app.sqlbox import tree

REVIEWED_FUNCTIONS = Path(__file__).with_name("reviewed_functions_duckdb_2_0_1.txt")

# Table functions that only read the warehouse's own catalog or make values; every other one is refused.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "repeat",
        "repeat_row",
        "json_each",
        "json_tree",
        "summary",
        "test_all_types",
        "duckdb_tables",
        "duckdb_columns",
        "duckdb_views",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_functions",
        "duckdb_constraints",
        "duckdb_keywords",
        "duckdb_indexes",
        "duckdb_dependencies",
        "pragma_table_info",
        "pragma_show",
    }
)
# Table functions that run SQL or read tables named in text: the checker checks that text itself (app.sqlbox.checker).
NESTED_SQL_TABLE_FUNCTIONS = frozenset({"query", "query_table"})
# Functions that run an aggregate named in text (argument 2): the checker allows only an allowed aggregate's name.
AGGREGATE_BY_NAME = frozenset({"aggregate", "list_aggregate", "list_aggr", "array_aggregate", "array_aggr"})
# Names the parser writes as functions that the binder handles itself.
BINDER_FORMS = frozenset({"unnest", "unlist"})

SHOWS_SERVER = "toont de server, de sessie of instellingen"
CHANGES_STATE = "verandert iets of laat de server wachten"
RUNS_TEXT = "voert SQL of een functie uit die als tekst is meegegeven"
INTERNAL = "intern onderdeel van DuckDB"
UNREVIEWED = "nieuw in deze DuckDB-versie en nog niet beoordeeld"
USES_REFUSED = "gebruikt zelf iets wat hier niet mag"
NOT_ALLOWED_TABLE_FUNCTION = "alleen de tabellen uit het schema en functies als range() en unnest() mogen"
NOT_FOUND = "bestaat niet"

# Reviewed functions that are refused all the same: what they show, what they change, what they run.
DENIED_FUNCTIONS = {
    **dict.fromkeys(
        (
            "current_setting",
            "getenv",
            "getvariable",
            "version",
            "current_user",
            "user",
            "session_user",
            "current_role",
            "current_query",
            "current_query_id",
            "current_connection_id",
            "current_transaction_id",
            "txid_current",
            "pg_postmaster_start_time",
            "pg_conf_load_time",
            "inet_client_addr",
            "inet_client_port",
            "inet_server_addr",
            "inet_server_port",
            "stats",
            "vector_type",
            "index_key",
        ),
        SHOWS_SERVER,
    ),
    **dict.fromkeys(("nextval", "currval", "setval", "write_log", "sleep_ms", "pg_sleep"), CHANGES_STATE),
    **dict.fromkeys(
        ("json_serialize_plan", "json_serialize_sql", "json_deserialize_sql", "json_execute_serialized_sql"), RUNS_TEXT
    ),
    **dict.fromkeys(("to_aggregate_state", "finalize", "combine", "parse_duckdb_log_message"), INTERNAL),
}
DENIED_PREFIXES = ("__internal", "json_copy_")
EXPRESSION_KINDS = ("scalar", "aggregate", "window", "macro")
SQL_TEXT_PARAMETERS = frozenset({"sql", "query", "serialized_sql", "query_string"})


def reviewed_names() -> frozenset[str]:
    lines = REVIEWED_FUNCTIONS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@dataclass
class Rules:
    functions: set[str] = field(default_factory=set)  # allowed in an expression
    aggregates: set[str] = field(default_factory=set)  # allowed aggregates, for list_aggregate(list, 'name')
    table_functions: set[str] = field(default_factory=set)  # allowed in FROM
    refused_functions: dict[str, str] = field(default_factory=dict)  # name → why
    refused_table_functions: dict[str, str] = field(default_factory=dict)
    refused_relations: dict[str, str] = field(default_factory=dict)  # view name → why

    def refusal(self, use: tree.Use) -> str | None:
        """Why this one use is refused, or None. The checker adds what a name alone cannot tell (files, SQL text)."""
        if use.kind == "function":
            if use.name in self.functions:
                return None
            return self.refused_functions.get(use.name, NOT_FOUND)
        if use.kind == "table_function":
            if use.name in self.table_functions:
                return None
            return self.refused_table_functions.get(use.name, NOT_FOUND)
        return self.refused_relations.get(use.name.strip('"').lower())

    def first_refusal(self, parsed: dict | None) -> str | None:
        if parsed is None:
            return USES_REFUSED
        for use in tree.uses(parsed):
            reason = self.refusal(use)
            if reason:
                return reason
        return None


def _expression_reason(database: str, name: str, parameters: list[str], reviewed: frozenset[str]) -> str | None:
    if database != "system" or name not in reviewed:
        return UNREVIEWED
    if name in DENIED_FUNCTIONS:
        return DENIED_FUNCTIONS[name]
    if name.startswith(DENIED_PREFIXES):
        return INTERNAL
    if SQL_TEXT_PARAMETERS.intersection(parameters):
        return RUNS_TEXT
    if any("function" in parameter for parameter in parameters) and name not in AGGREGATE_BY_NAME:
        return RUNS_TEXT
    return None


def _view_body(create_sql: str) -> str:
    """The SELECT of a CREATE VIEW statement: everything after its first AS."""
    for start, kind in duckdb.tokenize(create_sql):
        if kind == duckdb.token_type.keyword and create_sql[start : start + 2].lower() == "as":
            return create_sql[start + 2 :].strip().rstrip(";")
    return ""


def load_rules(connection: duckdb.DuckDBPyConnection) -> Rules:
    """The rules for the DuckDB behind `connection`, from its own catalog (duckdb_functions(), duckdb_views())."""
    reviewed = reviewed_names()
    rules = Rules()
    macros: dict[str, list[str]] = {}
    catalog = connection.sql(
        "select database_name, lower(function_name), function_type, coalesce(parameters, []), macro_definition "
        "from duckdb_functions()"
    ).fetchall()
    for database, name, kind, parameters, definition in catalog:
        parameters = [str(parameter).lower() for parameter in parameters]
        if kind in ("table", "table_macro"):
            takes_text = SQL_TEXT_PARAMETERS.intersection(parameters) or any("function" in p for p in parameters)
            if database != "system" or name not in ALLOWED_TABLE_FUNCTIONS or kind != "table" or takes_text:
                rules.refused_table_functions.setdefault(name, NOT_ALLOWED_TABLE_FUNCTION)
            continue
        if kind not in EXPRESSION_KINDS:
            continue  # a pragma runs only as a PRAGMA statement, which the checker refuses
        reason = _expression_reason(database, name, parameters, reviewed)
        if reason:
            rules.refused_functions.setdefault(name, reason)
        if kind == "macro" and definition:
            macros.setdefault(name, []).append(f"select {definition}")
        if kind == "aggregate":
            rules.aggregates.add(name)
    names = {row[1] for row in catalog if row[2] in EXPRESSION_KINDS}
    rules.functions = (names - set(rules.refused_functions)) | set(BINDER_FORMS)
    rules.aggregates -= set(rules.refused_functions)
    tables = {row[1] for row in catalog if row[2] in ("table", "table_macro")}
    rules.table_functions = (tables & ALLOWED_TABLE_FUNCTIONS) - set(rules.refused_table_functions)

    views: dict[str, list[str]] = {}
    for name, create_sql in connection.sql("select lower(view_name), sql from duckdb_views()").fetchall():
        views.setdefault(name, []).append(_view_body(create_sql or ""))
    _refuse_what_uses_refused(connection, rules, macros, views)
    return rules


def _refuse_what_uses_refused(connection, rules: Rules, macros: dict, views: dict) -> None:
    """Refuse every macro and view whose body uses something refused, until nothing changes (a view may use a macro
    that uses a view...)."""
    bodies = [("macro", name, body) for name, texts in macros.items() for body in texts]
    bodies += [("view", name, body) for name, texts in views.items() for body in texts]
    parsed = tree.parse_many(connection, [body for _, _, body in bodies])
    needs: dict[tuple[str, str], set[tuple[str, str]] | None] = {}
    for (kind, name, _), body in zip(bodies, parsed, strict=True):
        found = needs.setdefault((kind, name), set())
        if body is None or found is None:
            needs[(kind, name)] = None  # a body DuckDB cannot read is refused
            continue
        found.update((use.kind, use.name) for use in tree.uses(body))
    changed = True
    while changed:
        changed = False
        for (kind, name), uses in needs.items():
            refused = rules.refused_functions if kind == "macro" else rules.refused_relations
            if name in refused:
                continue
            if uses is None or any(rules.refusal(tree.Use(*use, {})) for use in uses):
                refused[name] = USES_REFUSED
                rules.functions.discard(name)
                changed = True
