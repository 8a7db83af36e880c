"""`python -m app.serve` (what `make run` starts): it prints its URL and takes its Streamlit child down with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import serve

ROOT = Path(__file__).resolve().parent.parent


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_serve_stops_the_streamlit_child(warehouse_path, stop_signal):
    port = serve.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "TM_WAREHOUSE": str(warehouse_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert f"http://localhost:{port}" in process.stdout.readline()
        deadline = time.monotonic() + 60
        while not healthy(port):
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.2)
        children = child_pids(process.pid)
        assert children, "serve runs Streamlit as a child process"

        process.send_signal(stop_signal)
        assert process.wait(timeout=15) == 0
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in children), "the Streamlit child outlived serve"
        assert not healthy(port)
    finally:
        if process.poll() is None:
            process.kill()
        for pid in child_pids(process.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("path", ["/", "/thema", "/voorbeelden?pagina=2"])
def test_every_page_document_is_dutch(server, path):
    """WCAG 3.1.1: `<html lang="nl">` (Streamlit ships "en"), also when the browser accepts gzip."""
    request = urllib.request.Request(server + path, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=10) as response:
        document = response.read().decode()
    assert '<html lang="nl">' in document and 'lang="en"' not in document


def test_the_browser_sees_a_dutch_document(server, browser):
    page = browser.new_page()
    try:
        page.goto(server + "/thema")
        page.wait_for_selector("h1", timeout=30_000)
        assert page.evaluate("document.documentElement.lang") == "nl"
    finally:
        page.close()
