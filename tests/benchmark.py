"""Measure what users wait for and write it to docs/benchmark.md (`make bench`). Not a test: nothing here fails.

- the warehouse build, cold (no dbt parse cache) and warm;
- the server-side rerun of a page after a filter change (Streamlit AppTest, query and figure included);
- in headless chromium: first paint of the Overzicht (title and radar drawn) and a sector change until the
  page shows the new state.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import serve  # noqa: E402
from tests.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from warehouse.build import DATA_RAW, DBT_PROJECT, build  # noqa: E402

REPEATS = 5


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (n={len(samples)}, min {min(samples) * 1000:.0f})"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GiB RAM, {system}"


def bench_build(workdir: Path) -> dict[str, str]:
    target = workdir / "wh.duckdb"
    shutil.rmtree(DBT_PROJECT / "target", ignore_errors=True)
    cold = build(DATA_RAW, target)
    warm = [build(DATA_RAW, target).seconds for _ in range(3)]
    return {
        "build, cold (no dbt parse cache)": f"{cold.seconds:.1f} s",
        "build, warm": f"{statistics.median(warm):.1f} s (n=3)",
    }


def bench_apptest(warehouse: Path) -> dict[str, str]:
    from streamlit.testing.v1 import AppTest

    os.environ["TM_WAREHOUSE"] = str(warehouse)
    app = str(ROOT / "app" / "streamlit_app.py")
    results = {}

    first = []
    for _ in range(REPEATS):
        at = AppTest.from_file(app, default_timeout=60)
        started = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - started)
    results["AppTest: Overzicht, first run in a session"] = median_ms(first)

    def reruns(page: str | None, params: dict[str, str], values: list[str], act) -> str:
        """Median time of a rerun after `act(at, value)`, over every value three times."""
        at = AppTest.from_file(app, default_timeout=60)
        at.query_params.update(params)
        at.run()
        if page:
            at.switch_page(page).run()
        samples = []
        for value in values * 3:
            started = time.perf_counter()
            act(at, value).run()
            samples.append(time.perf_counter() - started)
        return median_ms(samples)

    results["AppTest: Overzicht rerun after a sector change"] = reruns(
        None, {}, ["mbo", "hbo", "wo", "alle"], lambda at, v: at.segmented_control(key="sector").set_value(v)
    )
    results["AppTest: Thema rerun after a dynamic change"] = reruns(
        "views/thema.py",
        {"thema": "flexibele_leerroutes"},
        ["lock_in", "afbouw", "opbouw", "institutionalisering"],
        lambda at, v: at.segmented_control(key="dynamiek").set_value(v),
    )
    results["AppTest: Voorbeelden rerun after typing a search"] = reruns(
        "views/voorbeelden.py",
        {},
        ["micro", "microcredentials", "xerte", "docent"],
        lambda at, v: at.text_input(key="zoek").input(v),
    )
    return results


def bench_browser(warehouse: Path) -> dict[str, str]:
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    process, base = serve.start(serve.free_port(), {"TM_WAREHOUSE": str(warehouse)})
    results = {"server up (health check answers)": f"{(time.perf_counter() - started):.1f} s"}
    paint, radar, change = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
            )
            for _ in range(REPEATS):
                page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
                started = time.perf_counter()
                page.goto(base)
                page.wait_for_selector("h1")
                page.wait_for_selector("#cel-rollen_professionals-afbouw")
                paint.append(time.perf_counter() - started)
                page.wait_for_selector('img[alt^="Radar van de scores"]')
                radar.append(time.perf_counter() - started)
                for sector in ["wo", "mbo"]:
                    started = time.perf_counter()
                    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=sector, exact=True).click()
                    page.get_by_text(f"geeft geen aparte scores voor het {sector}").wait_for()
                    change.append(time.perf_counter() - started)
                page.context.close()
            browser.close()
    finally:
        process.terminate()
    results["browser: Overzicht first paint (title and score grid)"] = median_ms(paint)
    results["browser: Overzicht radar drawn"] = median_ms(radar)
    results["browser: sector change until the page shows it"] = median_ms(change)
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rows = bench_build(workdir)
        warehouse = workdir / "wh.duckdb"
        rows |= bench_apptest(warehouse)
        rows |= bench_browser(warehouse)
    lines = [
        "# Benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` (tests/benchmark.py) on: {machine()}.",
        "Medians; n is the number of runs.",
        "",
        "| what | time |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in rows.items()],
        "",
    ]
    out = ROOT / "docs" / "benchmark.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
