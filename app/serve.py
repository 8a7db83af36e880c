"""Start the dashboard on localhost and print its URL (`make run`)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

# The router behind our HTTP rules (private metrics, Dutch errors): app/asgi.py wraps app/streamlit_app.py.
APP = Path(__file__).resolve().parent / "asgi.py"


def command(port: int, headless: bool = True) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
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
    ]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, env: dict[str, str] | None = None, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """Start the app in the background and wait for its health check; returns the process and its URL."""
    import tempfile
    import time
    import urllib.request

    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; a pipe could fill and block it
    process = subprocess.Popen(command(port), env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args()
    print(f"Transitiemonitor draait op http://localhost:{args.port}  (stoppen: Ctrl+C)", flush=True)
    return run_until_stopped(command(args.port), {**os.environ, "PYTHONUNBUFFERED": "1"})


if __name__ == "__main__":
    sys.exit(main())
