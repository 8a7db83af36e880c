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


def copy_warehouse(source: Path, target: Path) -> Path:
    """A built warehouse copied with the search index directory it names, so a test that needs a served warehouse
    it may replace starts from the session's build instead of building one more (a build is ~15 s of CPU)."""
    import shutil

    from warehouse.search_index import index as search_index

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    directory = search_index.current_directory(source)
    if directory:
        shutil.copytree(source.parent / directory, target.parent / directory)
    return target


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


def joined(service, join_code: str, name: str):
    """Join a scoring session as a browser does: ask to join, then redeem the one-time claim (what the claim route
    does for the browser). Returns the participant and the token the server issued."""
    _, claim = service.join(join_code, name)
    _, participant, token = service.redeem_claim(claim)
    return participant, token


def follow_claim(url: str, headers: dict[str, str] | None = None, client: str = "203.0.113.7"):
    """Call the claim route (app/scoring/participant_cookie.py) as a browser following `url` would, without a
    server: returns the Starlette response (its Location and Set-Cookie headers)."""
    from urllib.parse import urlsplit

    from starlette.requests import Request

    from app.scoring.participant_cookie import redeem

    parts = urlsplit(url)
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": parts.scheme or "http",
        "server": (parts.hostname or "localhost", parts.port or 80),
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "root_path": "",
        "query_string": parts.query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": (client, 50000),
    }
    return redeem(Request(scope))


def set_cookies(response) -> dict[str, dict[str, str]]:
    """The cookies a response sets: name → {'value': …, and each attribute in lower case ('httponly': '', …)}."""
    cookies = {}
    for header in response.headers.getlist("set-cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        cookies[name] = {"value": value}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            cookies[name][key.lower()] = attribute_value
    return cookies


def show_dynamic(page, dynamic: str):
    """The phone shows one dynamic per screen, as tabs: bring `dynamic` on screen by tapping its tab, as a person
    would, unless it is there already. Returns its radio group of levels."""
    import re

    from playwright.sync_api import expect

    group = page.get_by_role("radiogroup", name=f"Uw score voor {dynamic}")
    if not group.is_visible():
        page.get_by_role("tab", name=re.compile(f"^{re.escape(dynamic)}$", re.IGNORECASE)).click()
        expect(group).to_be_visible()
    return group


def score_button(page, dynamic: str, score: int):
    """A level's button on the phone, with its dynamic brought on screen first: the label a person taps (the level
    and its rubric text); checked-ness is read from its radio input."""
    group = show_dynamic(page, dynamic)
    return group.locator("label", has=page.get_by_role("radio", name=str(score), exact=True))


# For a page.evaluate script: the words of `root` that a line break splits in two (a word's rectangles on more than
# one line), leaving out text in collapsed elements (≤ 1 px wide) when `skipCollapsed`.
WORDS_BROKEN_FUNCTION = """
function wordsBrokenAcrossLines(root, skipCollapsed) {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skipCollapsed && node.parentElement.getBoundingClientRect().width <= 1) continue;
    for (const match of node.nodeValue.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}
"""
