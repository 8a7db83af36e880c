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


def test_urls_to_open_name_this_computer_or_the_room_network_or_the_public_url(monkeypatch):
    monkeypatch.setattr(serve, "network_addresses", lambda: ["10.1.2.3", "10.9.8.7"])
    assert serve.urls_to_open("127.0.0.1", 8501, None) == ["http://localhost:8501"]
    assert serve.urls_to_open("0.0.0.0", 8600, None) == [
        "http://localhost:8600",
        "http://10.1.2.3:8600",
        "http://10.9.8.7:8600",
    ]
    public = "https://transitiemonitor.example.nl"
    assert serve.urls_to_open("0.0.0.0", 8600, public) == [public]


@pytest.mark.parametrize("bad", ["ftp://host", "transitiemonitor.example.nl", "https://host/?x=1", "javascript:x"])
def test_a_bad_public_url_is_refused_in_dutch_before_anything_starts(bad, capsys, monkeypatch):
    monkeypatch.setenv("TM_PUBLIC_URL", bad)
    assert serve.main(["--port", str(serve.free_port())]) == 2
    assert "TM_PUBLIC_URL moet een adres als https://" in capsys.readouterr().err


def test_a_missing_secrets_file_is_refused_before_anything_starts(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TM_SECRETS_FILE", str(tmp_path / "geen.toml"))
    monkeypatch.delenv("TM_PUBLIC_URL", raising=False)
    assert serve.main(["--port", str(serve.free_port())]) == 2
    assert "TM_SECRETS_FILE wijst naar een bestand dat er niet is." in capsys.readouterr().err


def test_serving_the_room_network_listens_everywhere_and_links_participants_to_a_network_address(
    warehouse_path, tmp_path
):
    """--address 0.0.0.0: every address is printed, Streamlit listens on all of them (we only connect over
    loopback), the join link/QR base (TM_PUBLIC_URL) is a network address, and TM_SECRETS_FILE reaches Streamlit."""
    port = serve.free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('facilitator_secret = "uit-het-bestand"\n')
    env = {**os.environ, "TM_WAREHOUSE": str(warehouse_path), "TM_SECRETS_FILE": str(secrets_file)}
    env.pop("TM_PUBLIC_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--port", str(port), "--address", "0.0.0.0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        networks = serve.network_addresses()
        lines = [process.stdout.readline() for _ in range(1 + len(networks) + bool(networks))]
        assert f"http://localhost:{port}" in lines[0]
        for ip in networks:
            assert any(f"http://{ip}:{port}" in line for line in lines[1:])
        deadline = time.monotonic() + 60
        while not healthy(port):
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.2)
        (child,) = child_pids(process.pid)
        arguments = Path(f"/proc/{child}/cmdline").read_text().split("\0")
        assert arguments[arguments.index("--server.address") + 1] == "0.0.0.0"
        assert arguments[arguments.index("--secrets.files") + 1] == str(secrets_file)
        environment = dict(
            item.split("=", 1) for item in Path(f"/proc/{child}/environ").read_text().split("\0") if "=" in item
        )
        if networks:
            assert environment["TM_PUBLIC_URL"] == f"http://{networks[0]}:{port}"
        else:
            assert "TM_PUBLIC_URL" not in environment
    finally:
        process.terminate()
        process.wait(timeout=15)
