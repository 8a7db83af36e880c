"""/gezond and /gereed (app/asgi.py): what a proxy or service manager asks of each app server.

/gezond answers as long as the process serves HTTP; /gereed only when the warehouse answers a query and the vote
store answers, else 503 with a short Dutch sentence. Neither says which path, version or error.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message

from app import asgi
from tests.helpers import running_app

UNREACHABLE_POSTGRES = "postgresql://niemand@127.0.0.1:1/stemmen"  # port 1: refused at once


def fetch(url: str, method: str = "GET") -> tuple[int, str, Message]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def assert_reveals_nothing(body: str, headers: Message, *secrets: str) -> None:
    for secret in ("/", "\\", "duckdb", "sqlite", "postgres", "streamlit", "Traceback", *secrets):
        assert secret.lower() not in body.lower(), body
    assert headers.get("Cache-Control") == "no-store"


def test_a_ready_server_says_so_and_nothing_more(server):
    for path, body in (("/gezond", "Gezond."), ("/gereed", "Gereed.")):
        status, text, headers = fetch(server + path)
        assert (status, text) == (200, body)
        assert_reveals_nothing(text, headers)
        assert fetch(server + path, "HEAD")[0] == 200


def test_a_server_without_its_warehouse_is_alive_but_not_ready(tmp_path):
    missing = tmp_path / "nog-niet-gebouwd.duckdb"
    with running_app({"TM_WAREHOUSE": str(missing)}) as base:
        assert fetch(base + "/gezond")[:2] == (200, "Gezond.")
        status, text, headers = fetch(base + "/gereed")
    assert (status, text) == (503, asgi.NOT_READY_WAREHOUSE)
    assert_reveals_nothing(text, headers, missing.name, str(tmp_path))


def test_readiness_names_what_is_missing(monkeypatch, tmp_path, warehouse_path):
    monkeypatch.setenv("TM_VOTES_PATH", str(tmp_path / "votes.sqlite"))
    monkeypatch.delenv("TM_VOTES_URL", raising=False)

    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    assert asgi.readiness_problem() is None

    monkeypatch.setenv("TM_WAREHOUSE", str(tmp_path / "ontbreekt.duckdb"))
    assert asgi.readiness_problem() == asgi.NOT_READY_WAREHOUSE

    not_a_warehouse = tmp_path / "kapot.duckdb"
    not_a_warehouse.write_bytes(b"half geschreven" * 100)
    monkeypatch.setenv("TM_WAREHOUSE", str(not_a_warehouse))
    assert asgi.readiness_problem() == asgi.NOT_READY_WAREHOUSE

    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("TM_VOTES_URL", UNREACHABLE_POSTGRES)
    assert asgi.readiness_problem() == asgi.NOT_READY_VOTES
    assert asgi.readiness_problem() == asgi.NOT_READY_VOTES  # asked again, not answered from a cache

    # The store comes back (here: the configuration points at one that answers): ready again, no restart.
    monkeypatch.delenv("TM_VOTES_URL")
    assert asgi.readiness_problem() is None
