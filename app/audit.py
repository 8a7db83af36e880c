"""Who did what, for the audit log (warehouse/votes/audit.py): the facilitator's actions on a scoring session and
the SQL page's queries. Plain Python over the vote store; app/access.py says who the actor is.

The facilitator's actions go through AuditedService, the scoring rules (app/scoring/session.py) with one entry
written after each action that changed something. A participant's actions (joining, voting) are not audited:
the event log already holds them, anonymously, and the audit log never names a participant.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from warehouse.votes import StoreError, VoteStore, audit

log = logging.getLogger("transitiemonitor")

ACTION_LABELS = {
    "session_opened": "sessie geopend",
    "round_revealed": "uitslag getoond",
    "round_closed": "ronde gesloten",
    "round_reopened": "ronde heropend",
    "agreed_score_recorded": "afgesproken score vastgelegd",
    "sql_run": "SQL uitgevoerd",
}
ROUND_ACTIONS = {"reveal": "round_revealed", "close": "round_closed", "reopen": "round_reopened"}
NOT_SIGNED_IN = "niet aangemeld"
SQL_NOT_LOGGED = (
    "De query is niet uitgevoerd: het logboek kon hem niet vastleggen, omdat de stemopslag even niet bereikbaar "
    "is. Probeer het over een paar seconden opnieuw."
)


@dataclass(frozen=True)
class Actor:
    """The person behind an action: an e-mail address and role when signed in, else 'niet aangemeld'."""

    name: str = NOT_SIGNED_IN
    role: str = "-"


class AuditNotWritten(Exception):
    """The audit entry could not be written; str() is a Dutch sentence."""


class AuditedService:
    """A ScoringService whose facilitator actions leave an audit entry; everything else passes through."""

    def __init__(self, service, actor: Actor) -> None:
        self._service = service
        self.actor = actor

    def __getattr__(self, name: str):
        return getattr(self._service, name)

    def _record(self, action: str, session_id: str, theme_code: str | None = None, detail: str = "") -> None:
        # The action itself succeeded: a log that cannot be written must not make it look as if it failed.
        try:
            audit.record(
                self._service.store,
                actor=self.actor.name,
                actor_role=self.actor.role,
                action=action,
                session_id=session_id,
                theme_code=theme_code,
                detail=detail,
            )
        except StoreError:
            log.error("Logboek: %s door %s niet vastgelegd", action, self.actor.name, exc_info=True)

    def open_session(self, secret, facilitator, measurement_year, theme_codes, known_themes):
        session = self._service.open_session(secret, facilitator, measurement_year, theme_codes, known_themes)
        detail = f"meting {session.measurement_year}, thema's {', '.join(session.theme_codes)}"
        self._record("session_opened", session.session_id, detail=detail)
        return session

    def change_round(self, secret, session_id: str, theme_code: str, action: str) -> bool:
        changed = self._service.change_round(secret, session_id, theme_code, action)
        if changed:
            self._record(ROUND_ACTIONS[action], session_id, theme_code)
        return changed

    def record_agreed(self, secret, session_id, theme_code, dynamic_code, score, note):
        agreed = self._service.record_agreed(secret, session_id, theme_code, dynamic_code, score, note)
        self._record("agreed_score_recorded", session_id, theme_code, f"{dynamic_code}: score {agreed.score}")
        return agreed


def record_sql(store: Callable[[], VoteStore], actor: Actor, query: str) -> None:
    """Before a query runs: who runs which SQL. Raises AuditNotWritten when the log cannot be written (`store`
    opens the vote store, which may itself be down), and then the query must not run: an analist's query that
    nobody can account for is not run."""
    try:
        audit.record(store(), actor=actor.name, actor_role=actor.role, action="sql_run", detail=query.strip())
    except StoreError as error:
        log.warning("Logboek: SQL van %s niet vastgelegd (%s)", actor.name, type(error).__name__)
        raise AuditNotWritten(SQL_NOT_LOGGED) from error


def recent(store: VoteStore, limit: int = 500) -> list[audit.AuditEntry]:
    return audit.entries(store, limit)
