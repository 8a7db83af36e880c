"""`make staging`: the hosted topology on one machine, as a team tries it before it deploys and as the tests use it.

    browser ──► nginx (127.0.0.1:PORT, deploy/nginx.conf) ──► app1 ┐  python -m app.serve, each with
                 route cookie → same server, WebSocket upgrade,    app2 ┘  TM_VOTES_URL → PostgreSQL
                 /_stcore/metrics refused, failover                          TM_WAREHOUSE → one shared file
    test identity provider (oidc-provider, tests/oidc) ◄── st.login on either server ([auth] in secrets.toml)

Everything listens on 127.0.0.1 and lives in a state folder outside the repository (logs, nginx config, the
servers' secrets.toml with the [auth] section and a shared cookie secret); PostgreSQL is a throwaway server from
Debian's package (tests/postgres_server.py). Both servers read the same warehouse file: a build swaps it in
atomically (os.replace) and each server reopens it at its next query (app/data.py keys on inode and mtime).

Debian's nginx has no active health checks: a thread here asks every server's /gereed each second and marks a
server that is not ready `down` in nginx's upstream (then reloads nginx); nginx itself skips a server that refuses
a connection at once. Ctrl+C (or SIGTERM) stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python deploy/staging.py` as well as `python -m deploy.staging`

from app.serve import free_port  # noqa: E402
from tests import oidc_server, postgres_server  # noqa: E402

NGINX = "/usr/sbin/nginx"
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
DEFAULT_WAREHOUSE = ROOT / "warehouse" / "transitiemonitor.duckdb"
ROUTE_COOKIE = "tm_route"
SERVER_HEADER = "X-Transitiemonitor-Server"
APP_NAMES = ("app1", "app2")
HEALTH_INTERVAL = 1.0


def missing_tools() -> list[str]:
    """What `make staging` (system-packages, oidc) has not installed yet."""
    missing = []
    if not Path(NGINX).exists():
        missing.append("nginx (apt-get install nginx)")
    if postgres_server.binaries() is None:
        missing.append("PostgreSQL (apt-get install postgresql)")
    if not oidc_server.installed():
        missing.append("de test-identiteitsprovider (make oidc: Node.js en npm ci in tests/oidc)")
    return missing


def answers(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def wait_until(
    condition, timeout: float, what: str, log: Path | None = None, process: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        stopped = process is not None and process.poll() is not None
        if stopped or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} {'stopte' if stopped else 'kwam niet op tijd op'}.\n{tail}")
        time.sleep(0.1)


@dataclass
class AppServer:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self) -> bool:
        return answers(f"{self.url}/gereed")

    def pids(self) -> list[int]:
        """The serve process and everything it started (the Streamlit server is its child)."""
        if self.process is None:
            return []
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            children = Path(f"/proc/{pid}/task/{pid}/children")
            if children.exists():
                todo.extend(int(p) for p in children.read_text().split())
        return found


@dataclass
class Staging:
    state: Path
    warehouse: Path
    port: int
    cookie_secret: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    apps: list[AppServer] = field(default_factory=list)
    postgres: postgres_server.Server | None = None
    provider: oidc_server.Provider | None = None
    nginx: subprocess.Popen | None = None
    _down: frozenset[str] = frozenset()
    _stop_watching: threading.Event = field(default_factory=threading.Event)
    _watcher: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def secrets_file(self) -> Path:
        return self.state / "secrets.toml"

    @property
    def nginx_folder(self) -> Path:
        return self.state / "nginx"

    def app(self, name: str) -> AppServer:
        return next(a for a in self.apps if a.name == name)

    # --- Starting -------------------------------------------------------------------------------------------

    def start(self) -> Staging:
        try:
            self.state.mkdir(parents=True, exist_ok=True)
            self.postgres = postgres_server.start(free_port())
            client = oidc_server.streamlit_client(self.url)
            self.provider = oidc_server.start(free_port(), [client])
            # Sign-in on: roles come from config/roles.toml, and the begeleider role replaces the facilitator secret.
            secrets_text = self.provider.auth_secrets(client, self.cookie_secret)
            # Readable by this user only, from the first byte: it holds the client secret and the cookie secret.
            with os.fdopen(os.open(self.secrets_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                f.write(secrets_text)
            self.apps = [AppServer(name, free_port(), self.state / f"{name}.log") for name in APP_NAMES]
            for app in self.apps:
                self._launch(app)
            for app in self.apps:
                wait_until(app.ready, 90, f"App-server {app.name}", app.log, app.process)
            self._start_nginx()
            self._watcher = threading.Thread(target=self._watch, name="staging-gereedheid", daemon=True)
            self._watcher.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, app: AppServer) -> None:
        env = {
            **os.environ,
            "TM_WAREHOUSE": str(self.warehouse),
            "TM_VOTES_URL": self.postgres.url,
            "TM_SECRETS_FILE": str(self.secrets_file),
            "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret,  # XSRF and auth cookies valid on both servers
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("TM_VOTES_PATH", None)
        env.pop("TM_FACILITATOR_SECRET", None)
        command = [sys.executable, "-m", "app.serve", "--port", str(app.port), "--public-url", self.url]
        with app.log.open("ab") as log:
            # A session of its own: a test can kill the server and its Streamlit child at once, as a crash would.
            app.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _write_upstream(self, down: frozenset[str]) -> None:
        lines = [
            f"server 127.0.0.1:{app.port} max_fails=1 fail_timeout=5s{' down' if app.name in down else ''};"
            for app in self.apps
        ]
        (self.nginx_folder / "upstream.conf").write_text("\n".join(lines) + "\n")

    def _start_nginx(self) -> None:
        folder = self.nginx_folder
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        names = "\n".join(f"        ~:{app.port}$ {app.name};" for app in self.apps)
        config = (
            TEMPLATE.read_text()
            .replace("@STATE@", str(folder))
            .replace("@LISTEN@", f"127.0.0.1:{self.port}")
            .replace("@SERVER_NAMES@", names)
        )
        if os.geteuid() == 0:  # workers run as the state folder's owner, not as `nobody` (no access there)
            config = config.replace("worker_processes 1;", "user root;\nworker_processes 1;")
        (folder / "nginx.conf").write_text(config)
        self._write_upstream(frozenset())
        log = folder / "nginx.out"
        with log.open("ab") as out:
            self.nginx = subprocess.Popen(
                [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: answers(f"{self.url}/gezond"), 20, "nginx", folder / "error.log", self.nginx)

    # --- Health checks nginx cannot do itself ------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stop_watching.wait(HEALTH_INTERVAL):
            self.check_health()

    def check_health(self) -> frozenset[str]:
        """Mark the servers that are not ready `down` (never all: then nginx's own failover decides)."""
        with self._lock:
            not_ready = frozenset(app.name for app in self.apps if not app.ready())
            down = not_ready if len(not_ready) < len(self.apps) else frozenset()
            if down != self._down and self.nginx is not None and self.nginx.poll() is None:
                self._write_upstream(down)
                self.nginx.send_signal(signal.SIGHUP)  # reload: open connections finish on the old workers
                self._down = down
            return self._down

    # --- Faults (for the tests) and stopping -------------------------------------------------------------------

    def kill(self, name: str) -> None:
        """SIGKILL an app server and its Streamlit child: a crash, no goodbye to its browsers."""
        app = self.app(name)
        os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait(timeout=10)

    def restart(self, name: str, timeout: float = 90) -> None:
        app = self.app(name)
        self._launch(app)
        wait_until(app.ready, timeout, f"App-server {app.name}", app.log, app.process)
        self.check_health()

    def stop(self) -> None:
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGTERM)  # fast: a graceful stop would wait for every open WebSocket
        for app in self.apps:
            if app.process is not None and app.process.poll() is None:
                app.process.terminate()  # serve stops its Streamlit child on SIGTERM
        for process in [self.nginx, *(a.process for a in self.apps)]:
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        if self.provider is not None:
            self.provider.stop()
        if self.postgres is not None:
            self.postgres.stop()
        self.secrets_file.unlink(missing_ok=True)  # its secrets belonged to this run only


def start(state: Path, warehouse: Path, port: int | None = None) -> Staging:
    """Start the whole topology and return it once nginx answers and both servers are ready."""
    return Staging(state=state, warehouse=warehouse, port=port or free_port()).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080, help="de poort van nginx (standaard 8080)")
    parser.add_argument("--state", type=Path, default=None, help="map voor logboeken en instellingen")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("TM_WAREHOUSE", DEFAULT_WAREHOUSE)),
        help="het warehouse dat beide servers lezen (standaard TM_WAREHOUSE of warehouse/transitiemonitor.duckdb)",
    )
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        print("Ontbreekt: " + "; ".join(missing) + ". `make staging` installeert dit.", file=sys.stderr)
        return 2
    if not args.warehouse.is_file():
        print("Er is nog geen warehouse: bouw het eerst met `make build`.", file=sys.stderr)
        return 2
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            print(
                f"Poort {args.port} is al in gebruik: kies een andere (make staging STAGING_PORT=…).", file=sys.stderr
            )
            return 2
    state = args.state or Path(tempfile.mkdtemp(prefix="tm-staging-"))

    def stop_requested(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # SIGINT too: a shell's `&` ignores it
        signal.signal(stop_signal, stop_requested)
    print("Staging starten: PostgreSQL, identiteitsprovider, twee app-servers en nginx …", flush=True)
    try:
        topology = start(state.resolve(), args.warehouse.resolve(), args.port)
    except (RuntimeError, OSError) as error:  # everything started so far has been stopped again
        print(f"Staging kon niet starten: {error}", file=sys.stderr)
        if args.state is None:
            shutil.rmtree(state, ignore_errors=True)
        return 1
    try:
        users = ", ".join(name for name in oidc_server.USERS)
        print(f"\nTransitiemonitor (staging) draait op {topology.url}  (stoppen: Ctrl+C)\n", flush=True)
        print(f"  app-servers:        {', '.join(f'{a.name} {a.url}' for a in topology.apps)}")
        print(f"  identiteitsprovider {topology.provider.issuer}  (gebruikers: {users}; elk wachtwoord)")
        print("  rollen: config/roles.toml (gast heeft geen rol); meedoen met een sessiecode kan zonder aanmelden")
        print(f"  logboeken en instellingen: {state}", flush=True)
        while topology.nginx.poll() is None:
            time.sleep(1)
        print("nginx is gestopt; staging stopt ook.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStaging stoppen …", flush=True)
        return 0
    finally:
        topology.stop()
        if args.state is None:
            shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
