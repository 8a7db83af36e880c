"""A throwaway PostgreSQL server for the tests, from Debian's postgresql package (never mocked).

PostgreSQL refuses to run as root, so initdb and pg_ctl run as the `postgres` OS user (runuser) on a data
directory in a fresh folder under /tmp that belongs to that user. The server listens on a free port on
127.0.0.1 only, with its socket in the same folder, and trusts local connections: it lives for one test session.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MISSING = (
    "PostgreSQL ontbreekt (geen /usr/lib/postgresql/*/bin/initdb): `make test` installeert het "
    "(apt-get install postgresql)."
)


def binaries() -> Path | None:
    """The newest installed /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


@dataclass
class Server:
    url: str
    folder: Path
    bin_dir: Path
    options: str = ""

    def stop(self) -> None:
        _as_postgres(self.bin_dir / "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def go_down(self) -> None:
        """Stop the server as a restart does ('fast': open transactions are rolled back, sessions ended), keeping
        its data for come_back()."""
        _as_postgres(self.bin_dir / "pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def come_back(self) -> None:
        """Start it again on the same port with the same data."""
        _pg_start(self.bin_dir, self.folder, self.options)


def _as_postgres(*command: str | Path) -> subprocess.CompletedProcess:
    as_root = os.geteuid() == 0
    full = (["runuser", "-u", "postgres", "--"] if as_root else []) + [str(c) for c in command]
    result = subprocess.run(full, capture_output=True, text=True, timeout=60, cwd="/tmp")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(full)} faalde:\n{result.stdout}\n{result.stderr}")
    return result


def start(port: int) -> Server:
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError(MISSING)
    folder = Path(tempfile.mkdtemp(prefix="tm-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    try:
        _as_postgres(bin_dir / "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
            "-c fsync=off -c max_connections=60"
        )
        _pg_start(bin_dir, folder, options)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", folder, bin_dir, options)


def _pg_start(bin_dir: Path, folder: Path, options: str) -> None:
    data = folder / "data"
    _as_postgres(bin_dir / "pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
