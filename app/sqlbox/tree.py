"""DuckDB's own parse tree of a SELECT (json_serialize_sql), read for what it uses: every function called in an
expression, every table function and every table or view it reads, at any depth.

The tree is DuckDB's: a name counts as it is parsed, whatever its case, quoting or qualification in the text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

# Names DuckDB's binder calls as a function when no column has that name (SQL's value functions, no parentheses):
# the written name and the catalog function it calls.
VALUE_FUNCTIONS = {
    "current_catalog": "current_catalog",
    "current_date": "current_date",
    "current_role": "current_role",
    "current_schema": "current_schema",
    "current_time": "get_current_time",
    "current_timestamp": "get_current_timestamp",
    "current_user": "current_user",
    "localtime": "current_localtime",
    "localtimestamp": "current_localtimestamp",
    "session_user": "session_user",
    "user": "user",
}


# Nulls and empty lists name nothing: leaving them out makes the tree a fraction of its size.
SERIALIZE = "json_serialize_sql({}, skip_null := true, skip_empty := true)"
JSON_DEPTH = 20_000  # nesting of the parse tree's JSON that json.loads may follow


@dataclass(frozen=True)
class Use:
    kind: str  # "function" (in an expression), "table_function" (in FROM) or "relation" (a table or view name)
    name: str  # lower-cased, without catalog or schema; for a relation the text as written
    node: dict  # the node of the call or reference, for its arguments


class Unreadable(Exception):
    """DuckDB could not serialize the statement: only a plain SELECT can be."""


def parse(connection: duckdb.DuckDBPyConnection, sql: str) -> dict:
    text = connection.sql(f"select {SERIALIZE.format('?')}", params=[sql]).fetchall()[0][0]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, JSON_DEPTH))  # DuckDB's parser already stops at 1,000 nested expressions
    try:
        serialized = json.loads(text)
    except RecursionError:
        raise Unreadable("te diep genest om te controleren") from None
    finally:
        sys.setrecursionlimit(limit)
    if serialized.get("error"):
        raise Unreadable(serialized.get("error_message", ""))
    return serialized


def parse_many(connection: duckdb.DuckDBPyConnection, statements: list[str]) -> list[dict | None]:
    """Each statement's tree in one query (None where DuckDB cannot serialize it): for checking many at start-up."""
    if not statements:
        return []
    texts = connection.sql(
        f"select list_transform(?, lambda s: {SERIALIZE.format('s')})", params=[statements]
    ).fetchall()
    trees = [json.loads(text) for text in texts[0][0]]
    return [None if tree.get("error") else tree for tree in trees]


def uses(root) -> Iterator[Use]:
    """Every use in the tree, in no particular order. A table function's own call is reported once, as a table
    function; its arguments, like everything else, are searched as expressions. Iterative: a deeply nested
    expression is no problem."""
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            call = node.get("function")
            rest = [value for key, value in node.items() if key != "function"]
            if isinstance(call, dict) and "function_name" in call:
                yield Use("table_function", str(call["function_name"]).lower(), call)
                rest += list(call.values())
            else:  # a table function this reader does not understand: a name no list allows
                yield Use("table_function", "?", node)
            pending.extend(rest)
            continue
        if kind == "BASE_TABLE":
            yield Use("relation", str(node.get("table_name") or ""), node)
        elif kind == "SHOW_REF" and node.get("table_name"):
            yield Use("relation", str(node["table_name"]), node)
        if "function_name" in node:
            yield Use("function", str(node["function_name"]).lower(), node)
        elif node.get("class") == "COLUMN_REF" and len(node.get("column_names") or []) == 1:
            called = VALUE_FUNCTIONS.get(str(node["column_names"][0]).lower())
            if called:  # `select current_user` calls current_user() unless a column has that name
                yield Use("function", called, node)
        pending.extend(value for value in node.values() if isinstance(value, dict | list))


def arguments(call: dict) -> list[dict]:
    """The argument expressions of a function call node."""
    found = []
    for argument in call.get("arguments") or call.get("children") or []:
        if isinstance(argument, dict):
            found.append(argument.get("expression", argument))
    return found


def string_constant(expression: dict) -> str | None:
    """The text of a string literal, else None (a column, a concatenation, a cast: not known before it runs)."""
    if expression.get("class") != "CONSTANT":
        return None
    literal = expression.get("literal") or {}
    if literal.get("kind") == "STRING":
        return literal.get("text")
    value = expression.get("value") or {}  # the older serialization
    if (value.get("type") or {}).get("id") == "VARCHAR" and not value.get("is_null"):
        return value.get("value")
    return None


def string_constants(expression: dict) -> list[str] | None:
    """The texts of a string literal or of a list of string literals ([ 'a', 'b' ]), else None."""
    single = string_constant(expression)
    if single is not None:
        return [single]
    if expression.get("class") == "FUNCTION" and str(expression.get("function_name")).lower() == "list_value":
        texts = [string_constant(item) for item in arguments(expression)]
        if texts and all(text is not None for text in texts):
            return texts  # type: ignore[return-value]
    return None
