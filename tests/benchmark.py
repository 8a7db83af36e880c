"""Measure what users wait for, at 1×, 100× and 1000× the nulmeting's evidence, and write docs/benchmark.md
(`make bench`). Not a test: nothing here fails; each figure stands beside its target.

Data: tests/scale_data.py writes data_raw/ plus 2026-2030 (with sector scores) into a temporary folder, the
nulmeting's evidence repeated to the factor, through the same raw format a programme manager uses.
Per factor:
- the build: cold (no dbt parse cache) once, then warm; dbt's own start-up (`dbt --version`, `dbt parse`) apart;
- in headless chromium: each page's first paint and a sector change, until the page stops changing;
- search: typing a word on Voorbeelden until the results stop changing;
- the SQL page's worker: one query, round trip;
- the server rerun after a filter change (AppTest) beside its floor: the same queries run straight on DuckDB,
  uncached, without Streamlit;
- the peak memory (VmHWM) of the app process after the browser run.
Medians after one warm-up; n is the number of measured runs.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import serve  # noqa: E402
from tests.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.scale_data import scaled_data_raw  # noqa: E402
from warehouse.build import DBT_PROJECT, build  # noqa: E402

FACTORS = tuple(int(f) for f in os.environ.get("TM_BENCH_FACTORS", "1,100,1000").split(","))
REPEATS = int(os.environ.get("TM_BENCH_REPEATS", "5"))
QUIET_MS = 400  # a page has finished when nothing in it changed for this long

# Where the page stands: Overzicht, Thema, Voorbeelden, Voortgang, Methode, SQL.
PAGES = {
    "Overzicht": "",
    "Thema": "thema?thema=flexibele_leerroutes&dynamiek=lock_in",
    "Voorbeelden": "voorbeelden",
    "Voortgang": "voortgang",
    "Methode": "methode",
    "SQL": "sql",
}

# Targets from the issue (2 cores): at 1× and at 1000×.
TARGETS = {
    1: {"paint": 1.2, "change": 0.150, "search": 0.100, "rerun": 0.050},
    1000: {"paint": 1.5, "change": 0.300, "search": 0.300, "rerun": 0.150, "rss_mb": 500, "warm_build": 30},
}


@dataclass
class Row:
    factor: int
    what: str
    value: str
    target: str = ""
    verdict: str = ""


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def seconds(samples: list[float]) -> str:
    value = median(samples)
    shown = f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{shown} (n={len(samples)}, min {min(samples) * 1000:.0f} ms)"


def judged(rows: list[Row], factor: int, what: str, samples: list[float], key: str) -> None:
    target = TARGETS.get(factor, {}).get(key)
    if target is None:
        rows.append(Row(factor, what, seconds(samples)))
        return
    ok = median(samples) <= target
    shown = f"≤ {target * 1000:.0f} ms" if target < 1 else f"≤ {target:g} s"
    rows.append(Row(factor, what, seconds(samples), shown, "gehaald" if ok else "**gemist**"))


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


# --- The build -------------------------------------------------------------------------------------------------


def bench_dbt_startup(rows: list[Row]) -> None:
    dbt = str(Path(sys.executable).with_name("dbt"))
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "TM_BUILD_PATH": "/tmp/tm-bench-parse.duckdb"}
    for what, command in (
        ("dbt start-up alone (`dbt --version`)", [dbt, "--version"]),
        (
            "dbt parse of the project (no models run)",
            [dbt, "parse", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)],
        ),
    ):
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=False)
            samples.append(time.perf_counter() - started)
        rows.append(Row(0, what, seconds(samples)))


def bench_build(rows: list[Row], factor: int, data_raw: Path, target: Path) -> None:
    shutil.rmtree(DBT_PROJECT / "target", ignore_errors=True)
    cold = build(data_raw, target)
    if not cold.ok:
        raise RuntimeError("\n".join(cold.messages))
    rows.append(Row(factor, "build, cold (no dbt parse cache)", f"{cold.seconds:.1f} s"))
    # A warm build at 1000× takes about a minute: fewer runs there keep `make bench` under 15 minutes.
    warm_runs = REPEATS if factor < 100 else (3 if factor < 1000 else 1)
    warm = [build(data_raw, target).seconds for _ in range(warm_runs)]
    target_s = TARGETS.get(factor, {}).get("warm_build")
    value = f"{median(warm):.1f} s (n={warm_runs}, min {min(warm):.1f} s)"
    if target_s:
        rows.append(
            Row(
                factor, "build, warm", value, f"≤ {target_s} s", "gehaald" if median(warm) <= target_s else "**gemist**"
            )
        )
    else:
        rows.append(Row(factor, "build, warm", value))
    import duckdb

    with duckdb.connect(str(target), read_only=True) as con:
        evidence = con.sql("select count(*) from fct_evidence").fetchall()[0][0]
    rows.append(Row(factor, "evidence rows in fct_evidence", f"{evidence:,}".replace(",", ".")))


# --- The server rerun and its floor -------------------------------------------------------------------------


def bench_rerun(rows: list[Row], factor: int, warehouse: Path) -> None:
    """The rerun after a filter change, and the floor: the queries that rerun issued, run straight on DuckDB."""
    import duckdb
    from streamlit.testing.v1 import AppTest

    from app.data import connection

    os.environ["TM_WAREHOUSE"] = str(warehouse)
    app = str(ROOT / "app" / "streamlit_app.py")
    issued: list[tuple[str, tuple]] = []
    original_cached = connection._cached

    def recording_cached(version: tuple, sql: str, params: tuple):
        # Every query of the data modules passes here (their _frame calls it), cached or not.
        issued.append((sql, params))
        return original_cached(version, sql, params)

    connection._cached = recording_cached
    direct = duckdb.connect(str(warehouse), read_only=True)
    try:
        cases: list[tuple[str, str | None, dict, list[str], Callable]] = [
            (
                "Overzicht",
                None,
                {},
                ["mbo", "hbo", "wo", "alle"],
                lambda at, v: at.segmented_control(key="sector").set_value(v),
            ),
            (
                "Thema",
                "views/thema.py",
                {"thema": "flexibele_leerroutes"},
                ["lock_in", "afbouw", "opbouw", "institutionalisering"],
                lambda at, v: at.segmented_control(key="dynamiek").set_value(v),
            ),
            (
                "Voorbeelden",
                "views/voorbeelden.py",
                {},
                ["mbo", "hbo", "wo", "alle"],
                lambda at, v: at.segmented_control(key="sector").set_value(v),
            ),
        ]
        for name, page, params, values, act in cases:
            at = AppTest.from_file(app, default_timeout=120)
            at.query_params.update(params)
            at.run()
            if page:
                at.switch_page(page).run()
            act(at, values[-1]).run()  # warm-up
            rerun, floor = [], []
            for value in values * 2:
                issued.clear()
                started = time.perf_counter()
                act(at, value).run()
                rerun.append(time.perf_counter() - started)
                started = time.perf_counter()
                for sql, query_params in list(issued):
                    direct.execute(sql, list(query_params)).fetchall()
                floor.append(time.perf_counter() - started)
            judged(rows, factor, f"server rerun, {name} (AppTest, after a filter change)", rerun, "rerun")
            ratio = median(rerun) / max(median(floor), 1e-4)
            target = "≤ 3×" if factor >= 1000 else ""
            verdict = ("gehaald" if ratio <= 3 else "**gemist**") if target else ""
            rows.append(
                Row(
                    factor,
                    "  floor: its queries straight on DuckDB; rerun ÷ floor",
                    f"{seconds(floor)}; {ratio:.1f}×",
                    target,
                    verdict,
                )
            )
    finally:
        connection._cached = original_cached
        direct.close()


def bench_sql_worker(rows: list[Row], factor: int, warehouse: Path) -> None:
    from app import data

    query = (
        "select theme_code, evidence_kind, count(*) as n from fct_evidence "
        "where search_text like '%docent%' group by all order by n desc"
    )
    data.run_user_sql(query, warehouse)  # warm-up
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        data.run_user_sql(query, warehouse)
        samples.append(time.perf_counter() - started)
    rows.append(Row(factor, "SQL page: one aggregate query in its worker, round trip", seconds(samples)))


# --- In the browser -------------------------------------------------------------------------------------------

# Records when anything in the page last changed and when Streamlit last started running the script; the page has
# finished when the script ran after the action, is no longer running and nothing changed for QUIET_MS.
QUIET_SCRIPT = """
window.__lastChange = performance.now();
window.__lastRunStart = -1;
new MutationObserver((mutations) => {
  window.__lastChange = performance.now();
  for (const m of mutations) {
    if (m.attributeName === 'data-test-script-state' && m.target.getAttribute(m.attributeName) === 'running') {
      window.__lastRunStart = performance.now();
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def settled_at(page, since: float, timeout_s: float = 90, ran_after: float | None = None) -> float:
    """Seconds from `since` (page clock, ms) until the page last changed, once the script has run (started after
    `ran_after`, default `since`) and the page is quiet."""
    page.wait_for_function(
        f"""() => {{
              const app = document.querySelector('[data-testid="stApp"]');
              return app && app.getAttribute('data-test-script-state') === 'notRunning'
                 && window.__lastRunStart >= {since if ran_after is None else ran_after}
                 && document.querySelector('h1')
                 && performance.now() - window.__lastChange > {QUIET_MS};
           }}""",
        timeout=timeout_s * 1000,
        polling=50,
    )
    return (page.evaluate("window.__lastChange") - since) / 1000


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of the app: the Streamlit child of serve, or the process itself."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_browser(rows: list[Row], factor: int, warehouse: Path) -> None:
    from playwright.sync_api import sync_playwright

    process, base = serve.start(serve.free_port(), {"TM_WAREHOUSE": str(warehouse)}, timeout=120)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(QUIET_SCRIPT)
            for name, path in PAGES.items():
                paints, changes = [], []
                for attempt in range(REPEATS + 1):
                    page = context.new_page()
                    page.goto(f"{base}/{path}")
                    paint = settled_at(page, 0)
                    for sector in ("wo", "alle"):
                        control = page.locator('[data-testid="stSidebar"]').get_by_role(
                            "radio", name=sector, exact=True
                        )
                        if control.count() == 0:
                            control = page.get_by_role("radio", name="Alle" if sector == "alle" else sector, exact=True)
                        if control.count() == 0:
                            break
                        since = page.evaluate("performance.now()")
                        control.first.click()
                        change = settled_at(page, since)
                        if attempt:
                            changes.append(change)
                    if attempt:  # the first load warms the server's caches
                        paints.append(paint)
                    page.close()
                judged(rows, factor, f"browser: {name}, first paint until the page is complete", paints, "paint")
                if changes:
                    judged(rows, factor, f"browser: {name}, sector change until the page shows it", changes, "change")
            bench_search(rows, factor, context, base)
            context.close()
            browser.close()
        pid = _streamlit_pid(process.pid)
        rss = peak_rss_mb(pid)
        target = TARGETS.get(factor, {}).get("rss_mb")
        rows.append(
            Row(
                factor,
                "app process, peak memory (VmHWM) after the browser run",
                f"{rss:.0f} MB",
                f"≤ {target} MB" if target else "",
                ("gehaald" if rss <= target else "**gemist**") if target else "",
            )
        )
    finally:
        process.terminate()
        process.wait(timeout=15)


def _streamlit_pid(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    return int(found[0]) if found else pid


def bench_search(rows: list[Row], factor: int, context, base: str) -> None:
    """Typing a word on Voorbeelden, key by key, until the results stop changing after the last key."""
    samples = []
    for attempt, word in enumerate(["docent", "microcredential", "flexibel", "docent", "examen", "lerende"]):
        page = context.new_page()
        page.goto(f"{base}/voorbeelden")
        settled_at(page, 0)
        box = page.get_by_label("Zoek").first
        if box.count() == 0:  # a search box inside a component's iframe
            box = page.frame_locator("iframe").first.locator("input").first
        try:
            box.click(timeout=10_000)
        except Exception:
            page.screenshot(path="/tmp/tm-bench-search-failed.png")
            raise
        box.press_sequentially(word, delay=60)
        last_key = page.evaluate("performance.now()")
        # The search box reports while typing (debounced): the run that shows the whole word may have started
        # just before the last key was read back here.
        result = settled_at(page, last_key, ran_after=last_key - 250)
        if attempt:
            samples.append(max(result, 0.0))
        page.close()
    judged(rows, factor, "browser: search on Voorbeelden, last key until the results are shown", samples, "search")


# --- Output ---------------------------------------------------------------------------------------------------


def write(rows: list[Row], started: float) -> str:
    lines = [
        "# Benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` (tests/benchmark.py) in "
        f"{(time.perf_counter() - started) / 60:.1f} min on: {machine()}.",
        "Data: data_raw/ plus 2026-2030 with sector scores, the nulmeting's evidence repeated to the factor "
        "(tests/scale_data.py, through the raw format). Medians after a warm-up; n is the number of measured runs. "
        "Browser figures: headless chromium, from the click (or navigation start) until nothing in the page changed "
        f"for {QUIET_MS} ms.",
        "",
        "| factor | what | measured | target | |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {r.factor or '–'}× | {r.what} | {r.value} | {r.target} | {r.verdict} |".replace("| –× |", "| – |")
            for r in rows
        ],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    rows: list[Row] = []
    bench_dbt_startup(rows)
    with tempfile.TemporaryDirectory(prefix="tm-bench-") as tmp:
        for factor in FACTORS:
            workdir = Path(tmp) / f"x{factor}"
            data_raw = scaled_data_raw(workdir, factor)
            warehouse = workdir / "transitiemonitor.duckdb"
            bench_build(rows, factor, data_raw, warehouse)
            shutil.rmtree(data_raw)  # the app reads only the built file
            bench_rerun(rows, factor, warehouse)
            bench_sql_worker(rows, factor, warehouse)
            bench_browser(rows, factor, warehouse)
            print(write(rows, started), flush=True)
    text = write(rows, started)
    out = ROOT / "docs" / "benchmark.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
