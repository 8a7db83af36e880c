"""`make backup` and `make restore`: a copy of the vote store (the scoring sessions' votes), and putting one back.

The store is the one the app uses (TM_VOTES_URL, else TM_VOTES_PATH, else warehouse/votes.sqlite):
    SQLite       SQLite's online backup API: a consistent copy while app servers keep writing; restored the same
                 way, in one step that other connections wait for.
    PostgreSQL   pg_dump (custom format) of the scoring_* tables and audit_log; restored with pg_restore in one
                 transaction (--clean: the tables are replaced as a whole, their id sequences included).
A restore into a store that already holds votes needs --vervang: it replaces everything in it.

    python -m warehouse.backup maken [--naar backups/stemmen.sqlite]
    python -m warehouse.backup terugzetten backups/stemmen-….sqlite [--vervang]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warehouse.votes import SqliteVoteStore, StoreError, VoteStore, describe_store, open_store

# The store module is moving to warehouse/votes/; until then it lives with the app.
from warehouse.votes.schema import schema_statements

ROOT = Path(__file__).resolve().parent.parent
BACKUP_FOLDER = ROOT / "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Every table the store creates (claims and throttle counters too: they refer to sessions, so a restore that
# left them out could not replace the sessions they point at).
STORE_TABLES = tuple(
    found.group(1)
    for statement in schema_statements("bigint")
    if (found := re.search(r"create table if not exists (\w+)", statement))
)


class BackupError(Exception):
    """A refused or failed backup or restore; the message is Dutch and names no password."""


@dataclass(frozen=True)
class Backup:
    path: Path
    backend: str
    events: int


def _store(url: str | None, path: str | os.PathLike[str] | None) -> VoteStore:
    try:
        return open_store(url=url, path=path)
    except Exception as error:  # noqa: BLE001 - any backend's failure to open is one message
        raise BackupError(
            f"De stemopslag ({describe_store(url, path)}) kon niet worden geopend: {_short(error)}"
        ) from error


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error).strip()[:300]}"


def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path.name} is geen back-up van de stemopslag (geen SQLite-bestand en geen pg_dump).")


def _postgres_tool(name: str) -> str:
    """pg_dump / pg_restore of the newest installed PostgreSQL (Debian), else whatever is on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    tool = found[-1] if found else shutil.which(name)
    if not tool:
        raise BackupError(f"{name} ontbreekt: installeer de PostgreSQL-clientprogramma's (apt-get install postgresql).")
    return tool


def _postgres_env(url: str) -> dict[str, str]:
    """The connection as libpq's environment variables: a password never shows in the process list."""
    from psycopg.conninfo import conninfo_to_dict

    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "connect_timeout": "PGCONNECT_TIMEOUT",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in conninfo_to_dict(url).items():
        if key in names and value is not None:
            env[names[key]] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} faalde: {result.stderr.strip()[-500:]}")
    return result.stdout


def default_target(backend: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return BACKUP_FOLDER / f"stemmen-{stamp}.{'sqlite' if backend == 'sqlite' else 'dump'}"


def make_backup(
    target: Path | None = None, *, url: str | None = None, path: str | os.PathLike[str] | None = None
) -> Backup:
    """Copy the configured vote store to `target` (default backups/stemmen-<UTC time>.sqlite|.dump).

    Written beside the target first and moved into place when complete: a half-written backup never carries
    the final name."""
    store = _store(url, path)
    try:
        target = Path(target) if target else default_target(store.backend)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        partial = Path(partial_name)
        try:
            if isinstance(store, SqliteVoteStore):
                with (
                    contextlib.closing(sqlite3.connect(store.path)) as source,
                    contextlib.closing(sqlite3.connect(partial)) as copy,
                ):
                    source.backup(copy)
                    copy.execute("pragma journal_mode = delete")  # one self-contained file, no -wal beside it
                events = SqliteVoteStore(partial, read_only=True).event_count()
            else:
                tables = [f"--table={table}" for table in STORE_TABLES]
                command = [_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *tables]
                _run([*command, f"--file={partial}"], _postgres_env(store.url), "pg_dump")
                listing = _run([_postgres_tool("pg_restore"), "--list", str(partial)], dict(os.environ), "pg_restore")
                missing = [t for t in STORE_TABLES if f"TABLE public {t} " not in listing]
                if missing:
                    raise BackupError(f"De back-up mist tabellen: {', '.join(missing)}.")
                events = store.event_count()
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return Backup(target, store.backend, events)
    finally:
        store.close()


def restore_backup(
    source: Path, *, url: str | None = None, path: str | os.PathLike[str] | None = None, replace: bool = False
) -> int:
    """Put a backup back into the configured store; returns the number of events in it afterwards.

    Refused when the store already holds events and `replace` is False, and when the backup is of the other kind
    of store (a SQLite copy into PostgreSQL or the other way round)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Back-upbestand {source.name} bestaat niet.")
    kind = _kind(source)
    store = _store(url, path)
    try:
        if kind != store.backend:
            raise BackupError(
                f"Dit is een back-up van een {kind}-stemopslag; de ingestelde stemopslag is {store.backend}. "
                "Zet hem terug in dezelfde soort opslag."
            )
        present = store.event_count()
        if present and not replace:
            raise BackupError(
                f"De stemopslag bevat al {present} gebeurtenis(sen). Terugzetten vervangt ze allemaal: "
                "geef --vervang (make restore … VERVANG=1) als dat de bedoeling is."
            )
        if isinstance(store, SqliteVoteStore):
            try:
                SqliteVoteStore(source, read_only=True).event_count()  # a copy of a vote store, not any SQLite file
            except sqlite3.Error as error:
                raise BackupError(f"{source.name} is geen back-up van de stemopslag: {_short(error)}") from error
            with (
                contextlib.closing(sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)) as backup,
                contextlib.closing(sqlite3.connect(store.path, timeout=SqliteVoteStore.BUSY_TIMEOUT_MS / 1000)) as live,
            ):
                backup.backup(live)
                live.execute("pragma journal_mode = wal")  # as the store keeps it: readers never wait for a vote
        else:
            command = [
                _postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
            ]
            env = _postgres_env(store.url)
            _run([*command, f"--dbname={env.get('PGDATABASE', 'postgres')}", str(source)], env, "pg_restore")
        return store.event_count()
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("maken", help="een back-up van de stemopslag maken")
    make.add_argument("--naar", type=Path, default=None, help="het back-upbestand (standaard in backups/)")
    restore = commands.add_parser("terugzetten", help="een back-up terugzetten in de stemopslag")
    restore.add_argument("bestand", type=Path)
    restore.add_argument("--vervang", action="store_true", help="ook als de stemopslag al stemmen bevat")
    args = parser.parse_args(argv)
    try:
        if args.command == "maken":
            made = make_backup(args.naar)
            print(f"Back-up gemaakt: {made.path} ({made.events} gebeurtenis(sen), {made.backend})")
        else:
            events = restore_backup(args.bestand, replace=args.vervang)
            print(f"Teruggezet in {describe_store()}: de stemopslag bevat nu {events} gebeurtenis(sen).")
    except (BackupError, StoreError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
