"""How many viewers one app server holds, and what two give (`make sizing`): the figures in docs/hosting.md.

The staging topology (deploy/staging.py: nginx, two app servers, PostgreSQL, sign-in on) on this machine. A
viewer is a headless chromium context, signed in as a lezer (the cookies of one real sign-in). A load is from the
request until the Overzicht has drawn its scores and Streamlit has finished running it; p95 over all loads.
Two ways of being there together:
  steady   N viewers each open the Overzicht, read for 3–7 s, open it again, for STEADY_SECONDS (people using
           the dashboard at the same time; arrivals spread over the first 5 s);
  burst    N viewers open it at the same moment, ROUNDS times (a room opening the link together: the worst case).
'One server': every viewer's route cookie points at app1; 'two servers': at app1 and app2 in turn.

The browsers run on the same machine as the servers, so they take CPU from them: on a separate server (the real
situation) the figures are better, not worse. Wall-clock times on a shared machine follow everyone's load, so each
level also records the CPU time the app servers spent per page load (from /proc): that figure depends little on the
rest of the machine and gives the capacity of a core. Not a test: it prints a Markdown table with the load.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import staging as topology  # noqa: E402
from tests.benchmark import machine  # noqa: E402
from tests.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

STEADY_LEVELS = tuple(int(n) for n in os.environ.get("TM_SIZING_LEVELS", "1,2,4,8,12,16").split(","))
BURST_LEVELS = (1, 2, 4, 8)
STEADY_SECONDS = float(os.environ.get("TM_SIZING_SECONDS", "45"))
LOAD_TIMEOUT = 60
ROUNDS = 3
TARGET_P95 = 2.0
SCORE_CELL = "#cel-flexibele_leerroutes-lock_in"
DONE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
SETUPS = (("één server", ("app1",)), ("twee servers", ("app1", "app2")))


def server_cpu_seconds(staging) -> float:
    """CPU time (user + system) used so far by both app servers and their Streamlit processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for app in staging.apps:
        for pid in app.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


async def _context_on(browser, staging, server: str, state: dict):
    for _ in range(60):
        context = await browser.new_context(viewport={"width": 1400, "height": 900}, storage_state=state)
        response = await context.request.get(f"{staging.url}/gezond")
        if response.headers.get("x-transitiemonitor-server") == server:
            return context
        await context.close()
    raise RuntimeError(f"no browser context landed on {server}")


async def _load(page, url: str) -> float:
    """Seconds until the page is drawn; a page not drawn within LOAD_TIMEOUT counts as that long (and shows as
    a failed load in the table)."""
    started = time.perf_counter()
    try:
        await page.goto(url, timeout=LOAD_TIMEOUT * 1000)
        await page.wait_for_selector(f"{SCORE_CELL}:has-text('4')", timeout=LOAD_TIMEOUT * 1000)
        await page.wait_for_function(DONE, timeout=LOAD_TIMEOUT * 1000)
    except Exception as error:  # noqa: BLE001 - a page that never came is a result, not a crash
        print(f"  niet geladen binnen {LOAD_TIMEOUT} s: {type(error).__name__}", flush=True)
        return float(LOAD_TIMEOUT)
    return time.perf_counter() - started


async def _viewer(page, url: str, until: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, 5))
    loads = []
    while time.perf_counter() < until:
        loads.append(await _load(page, url))
        await asyncio.sleep(rng.uniform(3, 7))  # reading
    return loads


async def _level(browser, staging, state: dict, viewers: int, servers: tuple[str, ...], mode: str) -> list[float]:
    contexts = [await _context_on(browser, staging, servers[i % len(servers)], state) for i in range(viewers)]
    pages = [await c.new_page() for c in contexts]
    try:
        if mode == "burst":
            await asyncio.gather(*(_load(page, staging.url) for page in pages))  # warm-up: sessions, caches
            loads: list[float] = []
            for _ in range(ROUNDS):
                loads += await asyncio.gather(*(_load(page, staging.url) for page in pages))
            return loads
        until = time.perf_counter() + STEADY_SECONDS
        per_viewer = await asyncio.gather(*(_viewer(p, staging.url, until, i) for i, p in enumerate(pages)))
        return [load for loads in per_viewer for load in loads]
    finally:
        for context in contexts:
            await context.close()


async def _measure(staging, state: dict) -> list[tuple[str, str, int, list[float], float, float]]:
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for mode, levels in (("steady", STEADY_LEVELS), ("burst", BURST_LEVELS)):
            for label, servers in SETUPS:
                for viewers in levels:
                    cpu_before = server_cpu_seconds(staging)
                    loads = await _level(browser, staging, state, viewers, servers, mode)
                    cpu_per_load = (server_cpu_seconds(staging) - cpu_before) / len(loads)
                    load_average = os.getloadavg()[0]
                    results.append((mode, label, viewers, loads, load_average, cpu_per_load))
                    print(
                        f"{mode:6} {label:12} {viewers:3} kijkers: p95 {p95(loads):.2f} s, mediaan "
                        f"{statistics.median(loads):.2f} s, n={len(loads)}, server-CPU per pagina "
                        f"{cpu_per_load:.2f} s, load {load_average:.1f}",
                        flush=True,
                    )
                    if p95(loads) > TARGET_P95 * 2:  # well past the target: higher levels only take longer
                        break
        await browser.close()
    return results


def _sign_in_state(staging) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.signin import auth_state, sign_in

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        sign_in(context.new_page(), staging, "lezer")
        state = auth_state(context)
        browser.close()
    return state


def main() -> int:
    warehouse = Path(os.environ.get("TM_WAREHOUSE", ROOT / "warehouse" / "transitiemonitor.duckdb"))
    if not warehouse.is_file():
        print("Er is nog geen warehouse: bouw het eerst met `make build`.", file=sys.stderr)
        return 2
    state_folder = Path(tempfile.mkdtemp(prefix="tm-sizing-"))
    copy = state_folder / "transitiemonitor.duckdb"
    shutil.copyfile(warehouse, copy)
    load_before = os.getloadavg()
    staging = topology.start(state_folder, copy)
    try:
        results = asyncio.run(_measure(staging, _sign_in_state(staging)))
    finally:
        staging.stop()
        shutil.rmtree(state_folder, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"\nMachine: {machine()}")
    print(
        f"Load (1/5/15 min) vóór: {load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f}, "
        f"na: {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f}\n"
    )
    print(
        "| manier | servers | kijkers | laadtijd mediaan | p95 | p95 ≤ 2 s | n | niet geladen "
        "| server-CPU per pagina | load (1 min) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for mode, label, viewers, loads, load_average, cpu_per_load in results:
        verdict = "ja" if p95(loads) <= TARGET_P95 else "nee"
        failed = sum(load >= LOAD_TIMEOUT for load in loads)
        print(
            f"| {mode} | {label} | {viewers} | {statistics.median(loads):.2f} s | {p95(loads):.2f} s | {verdict} "
            f"| {len(loads)} | {failed} | {cpu_per_load:.2f} s | {load_average:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
