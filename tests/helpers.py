"""Helpers shared by several test modules (and the benchmark)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.build import build

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags chromium's background connections fail noisily on this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(data_raw: Path, warehouse: Path, *expected: str, dbt_project: Path | None = None) -> str:
    """The build refuses, says why, and leaves the served warehouse exactly as it was."""
    before = _sha(warehouse)
    result = build(data_raw, warehouse, dbt_project) if dbt_project else build(data_raw, warehouse)
    text = "\n".join(result.messages)
    assert not result.ok
    assert "Bouw afgebroken" in text
    assert "blijft ongewijzigd in gebruik" in text
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert _sha(warehouse) == before
    assert not list(warehouse.parent.glob(".build-*")), "a failed build left its file behind"
    assert "configured to fail" not in text, "dbt's own words are no message for a person"
    return text


@contextmanager
def running_app(env: dict[str, str]) -> Iterator[str]:
    """The real app (`python -m streamlit run`, as `make run` starts it) with `env`; yields its base URL and
    stops it afterwards."""
    from app import serve

    process, base = serve.start(serve.free_port(), env)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def open_app_page(page: str = "overzicht", timeout: float = 60, **params: str):
    """Run the app in Streamlit's AppTest with these URL parameters, switch to `page` and check it raised nothing.

    The warehouse (and vote store) come from the environment: TM_WAREHOUSE, TM_VOTES_PATH.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.query_params.update(params)
    at.run()
    if page != "overzicht":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rewrite_csv(path: Path, change) -> list[dict[str, str]]:
    """Read a raw CSV, let `change` edit its rows (a list of dicts), write it back with the same header."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows
