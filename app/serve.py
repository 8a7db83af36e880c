"""Start the dashboard and print the URL(s) to open (`make run`).

By default it listens on 127.0.0.1 only (this computer). `--address 0.0.0.0` opens it to the room's network,
for phones that join a scoring session over the Wi-Fi; it then prints every address people can open.

Environment read here and passed on to the app:
    TM_PUBLIC_URL     the URL people use to reach the app when it is behind a proxy or a different name
                      (e.g. https://transitiemonitor.example.nl): the scoring session builds its join link and
                      QR code from it. `--public-url` sets it for this run. Without it the link follows the
                      address the browser used.
    TM_SECRETS_FILE   a secrets.toml (e.g. the `[auth]` sign-in section) to read instead of .streamlit/
                      secrets.toml; `make staging` writes one per topology into its own state folder.
The app itself reads TM_WAREHOUSE, TM_VOTES_URL / TM_VOTES_PATH, TM_FACILITATOR_SECRET and TM_SQL_PAGE.
"""

from __future__ import annotations

import argparse
import fcntl
import ipaddress
import os
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

# The router behind our HTTP rules (private metrics, Dutch errors): app/asgi.py wraps app/streamlit_app.py.
APP = Path(__file__).resolve().parent / "asgi.py"


LOOPBACK = "127.0.0.1"
ALL_ADDRESSES = "0.0.0.0"
PUBLIC_URL_ENV = "TM_PUBLIC_URL"
SECRETS_FILE_ENV = "TM_SECRETS_FILE"


def command(port: int, headless: bool = True, address: str = LOOPBACK, secrets_file: str | None = None) -> list[str]:
    secrets = ["--secrets.files", secrets_file] if secrets_file else []
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        str(headless).lower(),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--theme.base",
        "light",
        "--client.toolbarMode",
        "minimal",  # no ⋮ menu: its items (Print, Record screen, …) are English
        "--client.showErrorDetails",
        "none",  # never an exception type or traceback in the browser, even where our handler is not reached
        "--logger.hideWelcomeMessage",
        "true",  # we print the Dutch URLs; Streamlit's English ones would also look up an external IP
        *secrets,
    ]


# glibc gives every thread that allocates its own malloc arena (up to 8 per core) and rarely hands memory back:
# Streamlit runs each script run in a new thread, so the server's memory rose walk after walk until every arena
# had grown to its peak. Two arenas keep it flat (docs/benchmark.md); set MALLOC_ARENA_MAX yourself to override.
MALLOC_ARENAS = "2"


def app_environment(env: dict[str, str]) -> dict[str, str]:
    """The environment the Streamlit server starts with: `env`, with our memory setting unless it sets its own."""
    return {"MALLOC_ARENA_MAX": MALLOC_ARENAS, **env}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, env: dict[str, str] | None = None, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """Start the app in the background and wait for its health check; returns the process and its URL."""
    import tempfile
    import time
    import urllib.request

    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; a pipe could fill and block it
    full_env = app_environment({**os.environ, **(env or {})})
    process = subprocess.Popen(
        command(port, secrets_file=full_env.get(SECRETS_FILE_ENV) or None),
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                log.seek(0)
                output = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"streamlit did not start: {output}") from None
            time.sleep(0.1)


def run_until_stopped(cmd: list[str], env: dict[str, str]) -> int:
    """Run Streamlit as a child and stop it with us: SIGTERM or SIGINT to this process ends the child too
    (a service manager or `kill` must not leave an orphaned server on the port)."""
    child = subprocess.Popen(cmd, env=env)

    def stop(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.terminate()
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def network_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, read from the network interfaces (no traffic sent)."""
    found: list[str] = []
    siocgifaddr = 0x8915  # Linux ioctl: the interface's IPv4 address
    for _index, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                answer = fcntl.ioctl(probe.fileno(), siocgifaddr, struct.pack("256s", name.encode()[:15]))
            except OSError:  # an interface without an IPv4 address
                continue
        address = socket.inet_ntoa(answer[20:24])
        if not ipaddress.ip_address(address).is_loopback and address not in found:
            found.append(address)
    return found


def urls_to_open(address: str, port: int, public_url: str | None) -> list[str]:
    """What people can type: the public URL if one is set, else this computer's own URL(s)."""
    if public_url:
        return [public_url]
    if address == ALL_ADDRESSES:
        return [f"http://localhost:{port}", *(f"http://{ip}:{port}" for ip in network_addresses())]
    host = "localhost" if address == LOOPBACK else address
    return [f"http://{host}:{port}"]


def checked_public_url(value: str) -> str:
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"{PUBLIC_URL_ENV} moet een adres als https://transitiemonitor.example.nl zijn, zonder ? of #."
        )
    return url


def checked_address(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "--address moet een IP-adres zijn: 127.0.0.1 (alleen deze computer) of 0.0.0.0 (het hele netwerk)."
        ) from None
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument(
        "--address",
        type=checked_address,
        default=LOOPBACK,
        help="127.0.0.1 (standaard): alleen deze computer; 0.0.0.0: ook telefoons en laptops op het netwerk",
    )
    parser.add_argument(
        "--public-url",
        type=checked_public_url,
        default=None,
        help=f"het adres waarop deelnemers de app bereiken (standaard {PUBLIC_URL_ENV})",
    )
    args = parser.parse_args(argv)
    env = app_environment({**os.environ, "PYTHONUNBUFFERED": "1"})
    public_url = args.public_url
    if public_url is None and env.get(PUBLIC_URL_ENV, "").strip():
        try:
            public_url = checked_public_url(env[PUBLIC_URL_ENV])
        except argparse.ArgumentTypeError as error:
            print(error, file=sys.stderr)
            return 2
    urls = urls_to_open(args.address, args.port, public_url)
    if public_url is None and args.address == ALL_ADDRESSES and len(urls) > 1:
        # The join link and QR code must name an address a phone can reach, not the facilitator's localhost.
        public_url = urls[1]
    if public_url:
        env[PUBLIC_URL_ENV] = public_url
    print(f"Transitiemonitor draait op {urls[0]}  (stoppen: Ctrl+C)", flush=True)
    for url in urls[1:]:
        print(f"  ook bereikbaar op {url}", flush=True)
    if public_url and public_url != urls[0]:
        print(f"  deelnemerslink en QR-code wijzen naar {public_url}", flush=True)
    secrets_file = env.get(SECRETS_FILE_ENV, "").strip() or None
    if secrets_file and not Path(secrets_file).is_file():
        print(f"{SECRETS_FILE_ENV} wijst naar een bestand dat er niet is.", file=sys.stderr)
        return 2
    return run_until_stopped(command(args.port, address=args.address, secrets_file=secrets_file), env)


if __name__ == "__main__":
    sys.exit(main())
