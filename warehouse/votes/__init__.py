"""The vote store of the live scoring sessions: an append-only event log plus the current state derived from it.

It sits below the app: the app's session pages write through it, the warehouse build reads it. It imports
neither streamlit nor duckdb nor anything from `app`.
"""

from warehouse.votes.base import (
    DEFAULT_SQLITE_PATH,
    EVENT_COLUMNS,
    EVENT_TYPES,
    EXPORT_COLUMNS,
    WAREHOUSE_COLUMNS,
    Agreed,
    JoinCodeTaken,
    Participant,
    PostgresVoteStore,
    RoundClosed,
    Session,
    Snapshot,
    SqliteVoteStore,
    StoreError,
    UnknownParticipant,
    UnknownSession,
    Vote,
    VoteStore,
    describe_store,
    now,
    open_store,
    read_for_warehouse,
)

__all__ = [
    "DEFAULT_SQLITE_PATH",
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "EXPORT_COLUMNS",
    "WAREHOUSE_COLUMNS",
    "Agreed",
    "JoinCodeTaken",
    "Participant",
    "PostgresVoteStore",
    "RoundClosed",
    "Session",
    "Snapshot",
    "SqliteVoteStore",
    "StoreError",
    "UnknownParticipant",
    "UnknownSession",
    "Vote",
    "VoteStore",
    "describe_store",
    "now",
    "open_store",
    "read_for_warehouse",
]
