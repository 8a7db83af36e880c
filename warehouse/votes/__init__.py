"""The vote store of the live scoring sessions: an append-only event log plus the current state derived from it.

It sits below the app: the app's session pages write through it, the warehouse build reads it. It imports
neither streamlit nor duckdb nor anything from `app`.

model.py     the values it hands out (Session, Vote, Snapshot, …), its errors (Dutch messages) and its clock
schema.py    the tables and the event log's columns (which of them the export and the warehouse get)
base.py      VoteStore: every action as one transaction, whatever the backend
transaction.py  one transaction on either backend (placeholders translated)
throttle.py  the join claims and throttle counters every server shares (a mixin of VoteStore)
reading.py   sessions, snapshots and the event log as rows (a mixin of VoteStore)
sqlite.py    SqliteVoteStore: a file, no server (the default)
postgres.py  PostgresVoteStore: several app processes sharing sessions
config.py    which store the configuration points at (open_store), and the build's read-only export
"""

from warehouse.votes.base import VoteStore
from warehouse.votes.config import DEFAULT_SQLITE_PATH, describe_store, open_store, read_for_warehouse
from warehouse.votes.model import (
    Agreed,
    JoinCodeTaken,
    Participant,
    Round,
    RoundClosed,
    Session,
    SessionFull,
    Snapshot,
    StoreError,
    StoreUnavailable,
    UnknownParticipant,
    UnknownSession,
    Vote,
    now,
)
from warehouse.votes.postgres import PostgresVoteStore
from warehouse.votes.schema import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    EXPORT_COLUMNS,
    WAREHOUSE_COLUMNS,
)
from warehouse.votes.sqlite import SqliteVoteStore

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
    "Round",
    "RoundClosed",
    "Session",
    "SessionFull",
    "Snapshot",
    "SqliteVoteStore",
    "StoreError",
    "StoreUnavailable",
    "UnknownParticipant",
    "UnknownSession",
    "Vote",
    "VoteStore",
    "describe_store",
    "now",
    "open_store",
    "read_for_warehouse",
]
