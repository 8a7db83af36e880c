"""Decides whether a statement from the SQL page may run, by what DuckDB makes of it, not by what the text looks like.

Three looks, each by DuckDB itself:
1. its parser says what kind of statement it is (extract_statements): only reading statements pass, and an EXPLAIN
   only of one (EXPLAIN ANALYZE runs what it wraps);
2. its parse tree (json_serialize_sql) names every function, table function and table the statement uses, at any
   depth; each is held against app.sqlbox.rules (and a refused function written in the text but left out of the
   tree is refused as well). SQL given as text (query('…'), query_table('…')) is checked the
   same way, as a statement of its own; a function or aggregate named in text must be a constant that is allowed;
3. its plan (EXPLAIN) shows what would actually be scanned: views and macros unfolded, SHOW and DESCRIBE turned into
   queries. Every table function there must be allowed and every table must be the warehouse's.

A PIVOT without an IN list is a MULTI statement that DuckDB cannot serialize (it first makes a temp enum of the
values). It is checked as the same PIVOT with a placeholder IN list, which DuckDB parses as a SELECT with the same
source, columns and aggregates; the PIVOT itself runs only after that check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from app.sqlbox import rules as rule_names
from app.sqlbox import tree
from app.sqlbox.rules import Rules

WAREHOUSE = "warehouse"  # the name the worker attaches the warehouse under; the plan may scan only its tables
EXPLAIN_MODIFIERS = {"analyze", "analyse"}
MAX_NESTING = 3  # query('… query(''…'') …'): deeper than this is refused
# A table name that DuckDB would read as a file (replacement scan): a path, a URL, a name with a suffix.
FILE_LIKE = re.compile(r"[/\\:.]")
PLACEHOLDER_VALUES = " in (null)"
PIVOT_ON_ENDS = {"using", "group", "order", "limit", "offset"}

NOT_AVAILABLE = (
    "Deze query gebruikt een functie die hier niet beschikbaar is: bestanden lezen, SQL uit tekst uitvoeren en "
    "instellingen of serverpaden opvragen kan op deze pagina niet."
)
TABLE_FUNCTION_NOT_AVAILABLE = (
    "Deze tabelfunctie is hier niet beschikbaar: alleen de tabellen uit het schema en functies als range() en "
    "unnest() mogen."
)
VIEW_NOT_AVAILABLE = "Deze view is hier niet beschikbaar: hij toont instellingen, serverpaden of de sessie."
NO_FILES = "Bestanden lezen kan hier niet: gebruik de tabellen uit het schema."
DOES_NOT_EXIST = "Een tabel, kolom of functie in de query bestaat niet. Kijk in het schema."


class Refused(Exception):
    """A query this page will not run: Dutch message, optional DuckDB text."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class Checked:
    kind: str  # "select", "pivot" or "explain"
    text: str  # the statement to run: as typed, without trailing comments and semicolons


@dataclass(frozen=True)
class Token:
    text: str
    kind: duckdb.token_type
    start: int

    @property
    def word(self) -> str:
        return self.text.strip('"').lower()


def tokens(sql: str) -> list[Token]:
    """Every token but comments, by DuckDB's own tokenizer."""
    found = duckdb.tokenize(sql)
    ends = [start for start, _ in found[1:]] + [len(sql)]
    return [
        Token(sql[start:end].strip(), kind, start)
        for (start, kind), end in zip(found, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]


def without_trailing_comments(sql: str) -> str:
    """The statement without trailing comments and semicolons, so that it can be wrapped in a subquery."""
    meaningful = tokens(sql)
    while meaningful and meaningful[-1].text == ";":
        meaningful.pop()
    if not meaningful:
        return ""
    last = meaningful[-1]
    return sql[: last.start + len(last.text)]


def pivot_with_placeholder_values(sql: str) -> str:
    """The statement with ` in (null)` after every PIVOT ON column that names no values, so that DuckDB parses it as
    one SELECT. Only inserts text: every function and table of the original is still in it."""
    found = tokens(sql)
    insertions = []
    for index, token in enumerate(found):
        starts_statement = index == 0 or found[index - 1].text == "("
        if (
            token.kind != duckdb.token_type.keyword
            or token.word not in ("pivot", "pivot_wider")
            or not starts_statement
        ):
            continue
        insertions += _placeholder_positions(found, index)
    for position in sorted(insertions, reverse=True):
        sql = sql[:position] + PLACEHOLDER_VALUES + sql[position:]
    return sql


OPENING, CLOSING = ("(", "[", "{"), (")", "]", "}")


def _is_keyword(token: Token, *words: str) -> bool:
    return token.kind == duckdb.token_type.keyword and token.word in words


def _pivot_on_clause(found: list[Token], pivot_index: int) -> tuple[int | None, int]:
    """The index of the PIVOT's own ON (the last at its depth: earlier ones belong to joins in the source) and
    of the token that ends the PIVOT (its closing bracket, a ';' or the end)."""
    depth, on_index = 0, None
    for index in range(pivot_index + 1, len(found)):
        token = found[index]
        if token.text in OPENING:
            depth += 1
        elif token.text in CLOSING:
            if depth == 0:
                return on_index, index
            depth -= 1
        elif depth == 0 and token.text == ";":
            return on_index, index
        elif depth == 0 and _is_keyword(token, "on"):
            on_index = index
    return on_index, len(found)


def _placeholder_positions(found: list[Token], pivot_index: int) -> list[int]:
    """Where the PIVOT at pivot_index needs placeholder values: after each of its ON columns without IN."""
    on_index, end = _pivot_on_clause(found, pivot_index)
    if on_index is None:
        return []
    positions, depth, has_values, last = [], 0, False, None
    for token in found[on_index + 1 : end]:
        at_top = depth == 0
        depth += (token.text in OPENING) - (token.text in CLOSING)
        if at_top and _is_keyword(token, *PIVOT_ON_ENDS):
            break
        if at_top and token.text == ",":
            if last is not None and not has_values:
                positions.append(last.start + len(last.text))
            has_values, last = False, None
            continue
        has_values = has_values or (at_top and _is_keyword(token, "in"))
        last = token
    if last is not None and not has_values:
        positions.append(last.start + len(last.text))
    return positions


# A statement whose uses this reader must find: if a DuckDB version serializes its tree differently, nothing runs.
KNOWN_STATEMENT = "select upper('x'), current_user from range(1) join some_table on true"
KNOWN_USES = {
    ("function", "upper"),
    ("function", "current_user"),
    ("table_function", "range"),
    ("relation", "some_table"),
}


class Checker:
    def __init__(self, connection: duckdb.DuckDBPyConnection, rules: Rules) -> None:
        self.connection = connection
        self.rules = rules
        found = {(use.kind, use.name) for use in tree.uses(tree.parse(connection, KNOWN_STATEMENT))}
        if found != KNOWN_USES:
            raise Refused(
                "geweigerd",
                "De SQL-controle begrijpt deze DuckDB-versie niet en voert daarom niets uit. Meld dit aan de "
                "beheerder.",
                f"Gevonden: {sorted(found)}",
            )

    def check(self, sql: str) -> Checked:
        """What to run for a statement that only reads; raises Refused otherwise."""
        statement = self._single_statement(sql)
        text = without_trailing_comments(sql)
        if statement.type == duckdb.StatementType.SELECT:
            self._check_select(text)
            self._check_plan(text)
            return Checked("select", text)
        if statement.type == duckdb.StatementType.MULTI:
            stand_in = pivot_with_placeholder_values(text)
            try:
                readable = self._single_statement(stand_in).type == duckdb.StatementType.SELECT
            except Refused:
                readable = False
            if not readable:
                raise Refused(
                    "geweigerd",
                    "Deze PIVOT kan hier niet worden gecontroleerd en wordt niet uitgevoerd. Noem de waarden met "
                    "IN (…), of zet de bron tussen haakjes: PIVOT (SELECT …) ON ….",
                )
            self._check_select(stand_in)
            self._check_plan(stand_in)
            return Checked("pivot", text)
        words = tokens(text)
        if statement.type == duckdb.StatementType.EXPLAIN and words[0].word == "explain":
            rest = words[1:]
            if rest and rest[0].word in EXPLAIN_MODIFIERS:
                rest = rest[1:]
            wrapped = text[rest[0].start :] if rest else ""
            inner = self._single_statement(wrapped) if wrapped else None
            if inner is None or inner.type != duckdb.StatementType.SELECT:
                raise Refused(
                    "geweigerd",
                    "EXPLAIN mag hier alleen over een leesopdracht (SELECT, WITH, FROM): EXPLAIN ANALYZE voert de "
                    "opdracht echt uit.",
                )
            self._check_select(wrapped)
            self._check_plan(wrapped)
            return Checked("explain", text)
        raise Refused(
            "geweigerd",
            f"Alleen lezen mag hier (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, SHOW, PIVOT, EXPLAIN); "
            f"dit is een {statement.type.name}-opdracht en die wordt niet uitgevoerd.",
        )

    def _single_statement(self, sql: str):
        try:
            statements = self.connection.extract_statements(sql)
        except duckdb.ParserException as err:
            raise Refused("syntax", "De SQL klopt niet. Controleer de schrijfwijze.", str(err)) from None
        if not statements:
            raise Refused("leeg", "Er staat geen SQL-opdracht in het invoerveld.")
        if len(statements) > 1:
            raise Refused(
                "meerdere", f"Eén opdracht tegelijk, a.u.b.: er staan er {len(statements)}. Haal de andere weg."
            )
        return statements[0]

    # --- The parse tree -----------------------------------------------------------------------------------

    def _check_select(self, text: str, depth: int = 0) -> None:
        try:
            parsed = tree.parse(self.connection, text)
        except tree.Unreadable as err:
            unchecked = "Deze query kan hier niet worden gecontroleerd en wordt niet uitgevoerd."
            raise Refused("geweigerd", unchecked, str(err)) from None
        for use in tree.uses(parsed):
            if use.kind == "relation":
                self._check_relation(use.name)
            elif use.kind == "table_function" and use.name in rule_names.NESTED_SQL_TABLE_FUNCTIONS:
                self._check_nested_sql(use, depth)
            elif (
                use.kind == "function" and use.name in rule_names.AGGREGATE_BY_NAME and use.name in self.rules.functions
            ):
                self._check_aggregate_by_name(use)
            else:
                self._check_name(use)
        self._refuse_calls_the_tree_lost(text)

    def _refuse_calls_the_tree_lost(self, text: str) -> None:
        """A safety net under the parse tree: a call of a refused function written in the text but missing from the
        tree (DuckDB's serialization leaves out, for one, a WINDOW clause no expression uses) is refused too."""
        words = tokens(text)
        for word, following in zip(words, words[1:], strict=False):
            if following.text != "(" or word.kind not in (duckdb.token_type.identifier, duckdb.token_type.keyword):
                continue
            if word.word in self.rules.functions or word.word in self.rules.table_functions:
                continue  # allowed where the tree would have it (histogram() is an allowed aggregate, not a table)
            if word.word in rule_names.NESTED_SQL_TABLE_FUNCTIONS:
                continue
            if word.word in self.rules.refused_table_functions:
                raise Refused("geweigerd", TABLE_FUNCTION_NOT_AVAILABLE, f"Niet toegestaan: {word.word}()")
            if word.word in self.rules.refused_functions:
                reason = self.rules.refused_functions[word.word]
                raise Refused("geweigerd", NOT_AVAILABLE, f"Niet toegestaan: {word.word}(): {reason}")

    def _check_name(self, use: tree.Use) -> None:
        reason = self.rules.refusal(use)
        if reason is None:
            return
        if reason == rule_names.NOT_FOUND:
            what = "tabelfunctie" if use.kind == "table_function" else "functie"
            raise Refused("naam", DOES_NOT_EXIST, f"Onbekende {what}: {use.name}()")
        if use.kind == "table_function":
            raise Refused("geweigerd", TABLE_FUNCTION_NOT_AVAILABLE, f"Niet toegestaan: {use.name}()")
        raise Refused("geweigerd", NOT_AVAILABLE, f"Niet toegestaan: {use.name}(): {reason}")

    def _check_relation(self, name: str) -> None:
        if FILE_LIKE.search(name.strip('"')):
            raise Refused("bestand", NO_FILES, f"Niet toegestaan: {name}")
        reason = self.rules.refusal(tree.Use("relation", name, {}))
        if reason:
            raise Refused("geweigerd", VIEW_NOT_AVAILABLE, f"Niet toegestaan: {name}: {reason}")

    def _check_nested_sql(self, use: tree.Use, depth: int) -> None:
        """query('<select>') and query_table('<table>'): the text must be a constant and pass this same check."""
        given = tree.arguments(use.node)
        texts = tree.string_constants(given[0]) if given else None
        if texts is None or depth >= MAX_NESTING:
            raise Refused(
                "geweigerd",
                f"{use.name}() met berekende of diep geneste tekst is hier niet beschikbaar: geef de SQL als vaste "
                "tekst tussen aanhalingstekens.",
                f"Niet toegestaan: {use.name}() met berekende tekst",
            )
        if use.name == "query_table":
            for name in texts:
                self._check_relation(name)
            return
        nested = texts[0]
        if self._single_statement(nested).type != duckdb.StatementType.SELECT:
            raise Refused(
                "geweigerd",
                "query() is hier alleen beschikbaar met één leesopdracht (SELECT, WITH, FROM) als tekst.",
                f"Niet toegestaan: query({nested[:80]!r})",
            )
        self._check_select(nested, depth + 1)

    def _check_aggregate_by_name(self, use: tree.Use) -> None:
        """list_aggregate(list, 'sum'): the aggregate's name must be a constant naming an allowed aggregate."""
        given = tree.arguments(use.node)
        name = tree.string_constant(given[1]) if len(given) > 1 else None
        if name is None or name.lower() not in self.rules.aggregates:
            raise Refused("geweigerd", NOT_AVAILABLE, f"Niet toegestaan: {use.name}() met {name or 'berekende naam'}")

    # --- The plan -----------------------------------------------------------------------------------------

    def _check_plan(self, text: str) -> None:
        """What the plan scans, with views, macros and nested SQL unfolded. Binding runs no user data: it comes
        after the parse-tree check, so every function a binder might evaluate early is an allowed one."""
        rows = self.connection.sql(f"explain (format json)\n{text}").fetchall()  # the user's text starts a line
        for _, plan in rows:
            for node in _plan_nodes(json.loads(plan)):
                info = node.get("extra_info")
                if not isinstance(info, dict):
                    continue
                function = str(info.get("Function") or "").lower()
                if function and function not in self.rules.table_functions:
                    raise Refused("geweigerd", TABLE_FUNCTION_NOT_AVAILABLE, f"Niet toegestaan: {function}()")
                table = str(info.get("Table") or "").lower()
                if table and not table.startswith(f"{WAREHOUSE}."):
                    raise Refused("geweigerd", VIEW_NOT_AVAILABLE, f"Niet toegestaan: {table}")


def _plan_nodes(node):
    if isinstance(node, list):
        for item in node:
            yield from _plan_nodes(item)
    elif isinstance(node, dict):
        yield node
        for child in node.get("children") or []:
            yield from _plan_nodes(child)
