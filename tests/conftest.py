"""Shared fixtures: one warehouse built from the real data_raw/ for the whole test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, running_app
from warehouse.build import DATA_RAW, build

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"

# Tests never read or write the developer's own vote store (warehouse/votes.sqlite): builds and app servers
# started by a test see an empty store of their own unless the test names one.
os.environ["TM_VOTES_PATH"] = str(Path(tempfile.mkdtemp(prefix="tm-test-votes-")) / "votes.sqlite")
os.environ.pop("TM_VOTES_URL", None)


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the committed data_raw/ into a fresh folder, as on a clean checkout.

    TM_TEST_WAREHOUSE points at an already built file instead, for a quick local rerun.
    """
    if os.environ.get("TM_TEST_WAREHOUSE"):
        return Path(os.environ["TM_TEST_WAREHOUSE"])
    path = tmp_path_factory.mktemp("warehouse") / "transitiemonitor.duckdb"
    result = build(DATA_RAW, path)
    assert result.ok, "\n".join(result.messages)
    return path


@pytest.fixture(scope="session")
def warehouse(warehouse_path: Path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


@pytest.fixture
def data_raw_copy(tmp_path: Path) -> Path:
    """A private copy of data_raw/ that a test may break."""
    target = tmp_path / "data_raw"
    shutil.copytree(DATA_RAW, target)
    return target


@pytest.fixture
def previous_warehouse(tmp_path: Path) -> Path:
    """Stands in for the warehouse that users are reading while someone rebuilds."""
    path = tmp_path / "served" / "transitiemonitor.duckdb"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("create table marker as select 'vorige bouw' as what")
    con.close()
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for every browser test (never a downloaded browser: there is no internet)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(warehouse_path: Path):
    """The real app over the session's warehouse, shared by the browser tests; a module that needs other
    settings (a vote store, a hostile warehouse) starts its own."""
    with running_app({"TM_WAREHOUSE": str(warehouse_path)}) as base:
        yield base


@pytest.fixture(scope="session")
def staging(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """The hosted topology of `make staging` (deploy/staging.py): PostgreSQL, the test identity provider, two app
    servers and nginx in front, over a copy of the session's warehouse that a test may rebuild. A test that kills
    a server starts it again before it ends."""
    from deploy import staging as topology

    missing = topology.missing_tools()
    if missing:
        pytest.fail("Ontbreekt: " + "; ".join(missing) + ". `make test` installeert dit.")
    state = tmp_path_factory.mktemp("staging")
    warehouse = state / "transitiemonitor.duckdb"
    shutil.copyfile(warehouse_path, warehouse)
    running = topology.start(state, warehouse)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def signed_in(staging, browser):
    """Cookies of one real sign-in per role through the test identity provider (tests/signin.py), for tests on
    the staging topology that are about something else than signing in."""
    from tests.signin import SignedIn

    return SignedIn(staging, browser)


# The longest groups (about 1.5–6 minutes each on two busy cores) go to the workers first, so neither worker is left
# with a long module at the end while the other is done. A hint only: a wrong order costs time, never a result.
LONGEST_FIRST = (
    "staging",
    "tests/test_raw_files.py",
    "tests/test_presentation_screens.py",
    "tests/test_sql_page.py",
    "tests/test_scoring_browser.py",
    "tests/test_votes_warehouse.py",
    "tests/test_presentation.py",
    "tests/test_measurements.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (`make test` runs two workers): a module's tests stay on one worker, so its module-scoped
    servers start once, and every test on the hosted topology (PostgreSQL, identity provider, two app servers,
    nginx) shares one worker and one `staging` fixture."""
    groups = {}
    for item in items:
        hosted = {"staging", "signed_in"} & set(getattr(item, "fixturenames", ()))
        groups[item.nodeid] = group = "staging" if hosted else item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))
    rank = {group: n for n, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(groups[item.nodeid], len(rank)))  # stable: a module keeps its order
