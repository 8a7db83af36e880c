"""Start the dashboard on localhost and print its URL (`make run`)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "streamlit_app.py"


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
        "viewer",
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args()
    print(f"Transitiemonitor draait op http://localhost:{args.port}  (stoppen: Ctrl+C)", flush=True)
    try:
        return subprocess.call(command(args.port), env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
