"""The vote store's tables, on both backends. An append-only event log plus the current state derived from it.

Every action is one transaction that appends one row to `scoring_event` and updates the small state tables in
the same transaction, so the two can never disagree:

    scoring_event        the log, never updated or deleted: session_opened, participant_joined, vote_cast,
                         vote_changed, round_revealed, round_closed, round_reopened, agreed_score_recorded
    scoring_session      one row per session (join code unique)
    scoring_round        one row per session × theme: open or closed, results revealed or not
    scoring_participant  one row per participant; the browser's token is stored only as a SHA-256 hash
    scoring_vote         the current vote; primary key session × participant × theme × dynamic, so the
                         database itself guarantees one current vote per participant per cell
    scoring_agreed       the agreed indicative score per session × theme × dynamic (the latest recorded)

Two small tables sit beside the log (bookkeeping, not session events, never exported): what every app server
must share to keep the doors shut, not what happened in a session.

    scoring_claim        a join that a browser has not yet redeemed for its participant cookie: the one-time
                         claim's SHA-256 hash, the session, the name, and when it expires
    scoring_limit        throttle counters: hits in the current window (joins, votes) and failures in a row
                         with the time a client or the whole server is blocked until (secret guesses, codes)
    scoring_screen       which theme the facilitator has on the shared screen: the beamer reads it, so it
                         follows the facilitator without a click of its own (no event: it changes no result)
    audit_log            who (a signed-in person, never a participant) did which facilitator action or SQL (audit.py)
"""

from __future__ import annotations

from warehouse.votes.audit import audit_statements

EVENT_TYPES = (
    "session_opened",
    "participant_joined",
    "vote_cast",
    "vote_changed",
    "round_revealed",
    "round_closed",
    "round_reopened",
    "agreed_score_recorded",
)
# The columns of the event log, in export order. display_name is never exported (votes are anonymous).
EVENT_COLUMNS = (
    "event_id",
    "session_id",
    "event_type",
    "occurred_at",
    "participant_id",
    "display_name",
    "facilitator",
    "measurement_year",
    "theme_codes",
    "join_code",
    "theme_code",
    "dynamic_code",
    "score",
    "text",
)
# What leaves the store (the session log download and the warehouse): no names at all, not even the facilitator's.
EXPORT_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in ("display_name", "facilitator"))
WAREHOUSE_COLUMNS = EXPORT_COLUMNS


def schema_statements(id_column: str) -> list[str]:
    """The statements that create every table if it is missing; `id_column` is the event id's type."""
    return [
        f"""create table if not exists scoring_event (
            event_id {id_column},
            session_id text not null,
            event_type text not null check (event_type in ({", ".join(f"'{t}'" for t in EVENT_TYPES)})),
            occurred_at text not null,
            participant_id text,
            display_name text,
            facilitator text,
            measurement_year integer,
            theme_codes text,
            join_code text,
            theme_code text,
            dynamic_code text,
            score integer check (score between 1 and 5),
            text text
        )""",
        "create index if not exists scoring_event_session on scoring_event (session_id, event_id)",
        """create table if not exists scoring_session (
            session_id text primary key,
            join_code text not null unique,
            measurement_year integer not null,
            theme_codes text not null,
            facilitator text not null,
            opened_at text not null
        )""",
        """create table if not exists scoring_round (
            session_id text not null references scoring_session (session_id),
            theme_code text not null,
            is_open integer not null check (is_open in (0, 1)),
            revealed integer not null check (revealed in (0, 1)),
            primary key (session_id, theme_code)
        )""",
        """create table if not exists scoring_participant (
            participant_id text primary key,
            session_id text not null references scoring_session (session_id),
            token_hash text not null,
            display_name text not null,
            joined_at text not null,
            unique (session_id, token_hash)
        )""",
        """create table if not exists scoring_vote (
            session_id text not null,
            participant_id text not null references scoring_participant (participant_id),
            theme_code text not null,
            dynamic_code text not null,
            score integer not null check (score between 1 and 5),
            reason text not null,
            event_id bigint not null,
            cast_at text not null,
            primary key (session_id, participant_id, theme_code, dynamic_code),
            foreign key (session_id, theme_code) references scoring_round (session_id, theme_code)
        )""",
        """create table if not exists scoring_agreed (
            session_id text not null,
            theme_code text not null,
            dynamic_code text not null,
            score integer not null check (score between 1 and 5),
            note text not null,
            event_id bigint not null,
            recorded_at text not null,
            primary key (session_id, theme_code, dynamic_code),
            foreign key (session_id, theme_code) references scoring_round (session_id, theme_code)
        )""",
        """create table if not exists scoring_claim (
            claim_hash text primary key,
            session_id text not null references scoring_session (session_id),
            display_name text not null,
            expires_at double precision not null
        )""",
        """create table if not exists scoring_limit (
            bucket text primary key,
            window_start double precision not null,
            hits integer not null,
            failures integer not null,
            blocked_until double precision not null,
            touched_at double precision not null
        )""",
        "create index if not exists scoring_limit_touched on scoring_limit (touched_at)",
        """create table if not exists scoring_screen (
            session_id text primary key references scoring_session (session_id),
            theme_code text not null,
            changed_at text not null
        )""",
        *audit_statements(id_column),
    ]
