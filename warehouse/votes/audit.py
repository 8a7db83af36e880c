"""The audit log: who opened a scoring session, revealed, closed or reopened a round, recorded an agreed score, or
ran which SQL, and when. One table in the vote store (`audit_log`, SQLite and PostgreSQL alike), append-only.

Who is the signed-in person's e-mail address (or 'niet aangemeld' in the open local mode) and their role; a
participant never appears here, by name or otherwise. The log is written by the app right after the action
succeeded (or, for SQL, before the query runs) and read on the begeleider's Logboek page; the warehouse build does
not read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warehouse.votes.model import now

AUDIT_ACTIONS = (
    "session_opened",
    "round_revealed",
    "round_closed",
    "round_reopened",
    "agreed_score_recorded",
    "sql_run",
)
MAX_DETAIL = 10_000  # an SQL text longer than this is cut (and says so)
MAX_ACTOR = 200


def audit_statements(id_column: str) -> list[str]:
    """The table and its index, created with the vote store's own tables; `id_column` as for scoring_event."""
    actions = ", ".join(f"'{a}'" for a in AUDIT_ACTIONS)
    return [
        f"""create table if not exists audit_log (
            audit_id {id_column},
            occurred_at text not null,
            actor text not null,
            actor_role text not null,
            action text not null check (action in ({actions})),
            session_id text,
            theme_code text,
            detail text not null
        )""",
        "create index if not exists audit_log_time on audit_log (occurred_at)",
    ]


@dataclass(frozen=True)
class AuditEntry:
    occurred_at: str
    actor: str
    actor_role: str
    action: str
    join_code: str | None
    theme_code: str | None
    detail: str


def record(
    store: Any,
    *,
    actor: str,
    actor_role: str,
    action: str,
    session_id: str | None = None,
    theme_code: str | None = None,
    detail: str = "",
) -> None:
    """Append one entry in its own transaction. Raises the store's errors (StoreUnavailable when it is down)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + " … (afgekapt)"
    with store._transaction(write=True) as tx:
        tx.run(
            "insert into audit_log (occurred_at, actor, actor_role, action, session_id, theme_code, detail) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [now(), actor[:MAX_ACTOR], actor_role, action, session_id, theme_code, detail],
        )


def entries(store: Any, limit: int = 500) -> list[AuditEntry]:
    """The newest entries first, with the session's join code (what people know it by) instead of its id."""
    with store._transaction(write=False) as tx:
        rows = tx.rows(
            "select a.occurred_at, a.actor, a.actor_role, a.action, s.join_code, a.theme_code, a.detail "
            "from audit_log a left join scoring_session s on s.session_id = a.session_id "
            "order by a.audit_id desc limit ?",
            [limit],
        )
    return [AuditEntry(**row) for row in rows]
