"""Helpers shared by several test modules (and the benchmark)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from warehouse.build import build

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
