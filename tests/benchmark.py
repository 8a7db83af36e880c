"""Measure what users wait for, at 1×, 100× and 1000× the nulmeting's evidence, and write docs/benchmark.md
(`make bench`). Not a test: nothing here fails; each figure stands beside its target.

Data: tests/scale_data.py writes data_raw/ plus 2026-2030 (with sector scores) into a temporary folder, the
nulmeting's evidence repeated to the factor, through the same raw format a programme manager uses.
Per factor:
- the build: cold (no dbt parse cache) once, then warm; dbt's own start-up (`dbt --version`, `dbt parse`) apart;
- in headless chromium: each page's first paint and a sector change, until the page stops changing, with the app's
  and the browser's CPU time per action beside the wall time (tests/bench_browser.py);
- search: typing a word on Voorbeelden until the results stop changing;
- the SQL page's worker: one query, round trip;
- the server rerun after a filter change (AppTest) beside its floor: the same queries run straight on DuckDB,
  uncached, without Streamlit;
- the app's memory: RSS after each of TM_BENCH_WALKS (10) walks over every page, and its peak (VmHWM).
Medians after one warm-up; n is the number of measured runs.

On a shared machine: TM_BENCH_BEFORE=<another checkout> runs that checkout's app beside this one and alternates
every browser measurement between them (a 'voor' column); TM_BENCH_WAREHOUSE_<factor>=<file> reuses a warehouse
built earlier at that factor (a 1000× build takes minutes) instead of building one; the load average is noted.
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

from tests import bench_browser as bench_browser_module  # noqa: E402
from tests.bench_browser import QUIET_MS, settled_at  # noqa: E402
from tests.scale_data import rows_allowed, scaled_data_raw  # noqa: E402
from warehouse.build import DBT_PROJECT, build, dbt_folders  # noqa: E402

FACTORS = tuple(int(f) for f in os.environ.get("TM_BENCH_FACTORS", "1,100,1000").split(","))
REPEATS = int(os.environ.get("TM_BENCH_REPEATS", "5"))
BEFORE_LABEL = os.environ.get("TM_BENCH_BEFORE_LABEL") or os.environ.get("TM_BENCH_BEFORE", "")


# Targets from the issues (#9, #15) on this machine (2 cores): at 1× and at 1000×.
TARGETS = {
    1: {"paint": 1.0, "change": 0.150, "search": 0.150, "rerun": 0.050},  # search: issue #19
    1000: {"paint": 1.2, "change": 0.200, "search": 0.300, "rerun": 0.150, "rss_mb": 400, "warm_build": 30},
}


@dataclass
class Row:
    factor: int
    what: str
    value: str
    target: str = ""
    verdict: str = ""
    before: str = ""  # the same figure for TM_BENCH_BEFORE's checkout, measured alternately in the same run


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def seconds(samples: list[float]) -> str:
    value = median(samples)
    shown = f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{shown} (n={len(samples)}, min {min(samples) * 1000:.0f} ms)"


def judged(
    rows: list[Row], factor: int, what: str, samples: list[float], key: str, before: list[float] | None = None
) -> None:
    target = TARGETS.get(factor, {}).get(key)
    earlier = seconds(before) if before else ""
    if target is None:
        rows.append(Row(factor, what, seconds(samples), before=earlier))
        return
    ok = median(samples) <= target
    shown = f"≤ {target * 1000:.0f} ms" if target < 1 else f"≤ {target:g} s"
    rows.append(Row(factor, what, seconds(samples), shown, "gehaald" if ok else "**gemist**", earlier))


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
    with rows_allowed(factor):
        _bench_build(rows, factor, data_raw, target)


def _bench_build(rows: list[Row], factor: int, data_raw: Path, target: Path) -> None:
    shutil.rmtree(dbt_folders(target)[0], ignore_errors=True)
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


def bench_browser(rows: list[Row], factor: int, warehouse: Path) -> None:
    servers, loads = bench_browser_module.measure(
        warehouse, REPEATS, lambda server, context: bench_search(server, context)
    )
    after, before = servers[0], (servers[1] if len(servers) > 1 else None)

    def earlier(key: str) -> list[float] | None:
        return before.samples.get(key) if before else None

    for name in bench_browser_module.PAGES:
        for action, what, key in (("paint", "first paint until the page is complete", "paint"),
                                  ("change", "sector change until the page shows it", "change")):  # fmt: skip
            samples = after.samples.get(f"{name} {action}")
            if not samples:
                continue
            judged(rows, factor, f"browser: {name}, {what}", samples, key, earlier(f"{name} {action}"))
            cpu = [f"{name} {action} app", f"{name} {action} browser"]
            rows.append(
                Row(
                    factor,
                    "  CPU per action: app server; browser main thread",
                    "; ".join(bench_browser_module.cpu_text(after.samples[k]) for k in cpu),
                    before="; ".join(bench_browser_module.cpu_text(before.samples[k]) for k in cpu) if before else "",
                )
            )
    judged(
        rows,
        factor,
        "browser: search on Voorbeelden, last key until the results are shown",
        after.samples["search"],
        "search",
        earlier("search"),
    )
    target = TARGETS.get(factor, {}).get("rss_mb")

    def walks(server) -> str:
        rss = server.rss_after_walk
        return f"{' → '.join(f'{mb:.0f}' for mb in rss)} MB; peak {server.samples['peak'][0]:.0f} MB"

    peak = after.samples["peak"][0]
    flat = after.rss_after_walk[-1] - after.rss_after_walk[0] <= 0.05 * after.rss_after_walk[0]
    rows.append(
        Row(
            factor,
            f"app process: RSS after each of {len(after.rss_after_walk)} walks over every page; peak (VmHWM)",
            walks(after),
            f"≤ {target} MB, flat" if target else "",
            ("gehaald" if peak <= target and flat else "**gemist**") if target else "",
            walks(before) if before else "",
        )
    )
    rows.append(Row(factor, "load average (1 min) during the browser run", f"{min(loads):.1f}–{max(loads):.1f}"))
    stuck = sum(len(server.samples.get("timeouts", [])) for server in servers)
    if stuck:
        rows.append(Row(factor, "visits that did not settle within 90 s (left out)", str(stuck)))


def bench_search(server, context) -> None:
    """Typing a word on Voorbeelden, key by key, until the results stop changing after the last key."""
    for attempt, word in enumerate(["docent", "microcredential", "flexibel", "docent", "examen", "lerende"]):
        page = context.new_page()
        page.goto(f"{server.base}/voorbeelden")
        settled_at(page, 0)
        box = page.get_by_label("Zoek").first
        try:
            box.click(timeout=30_000)
        except Exception:
            page.screenshot(path="/tmp/tm-bench-search-failed.png")
            raise
        box.press_sequentially(word, delay=60)
        last_key = page.evaluate("performance.now()")
        # The search box reports while typing (debounced): the run that shows the whole word may have started
        # just before the last key was read back here.
        result = settled_at(page, last_key, ran_after=last_key - 250)
        if attempt:
            server.add("search", max(result, 0.0))
        page.close()


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
        f"for {QUIET_MS} ms. Load average (1 min) at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        *(
            [f"Column 'voor': the same measurement of {BEFORE_LABEL}, alternating with this one in the same run.", ""]
            if BEFORE_LABEL
            else []
        ),
        "| factor | what | measured | voor | target | |",
        "| --- | --- | --- | --- | --- | --- |",
        *[
            f"| {r.factor or '–'}× | {r.what} | {r.value} | {r.before} | {r.target} | {r.verdict} |".replace(
                "| –× |", "| – |"
            )
            for r in rows
        ],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    rows: list[Row] = []
    if not os.environ.get("TM_BENCH_SKIP_DBT"):
        bench_dbt_startup(rows)
    with tempfile.TemporaryDirectory(prefix="tm-bench-") as tmp:
        for factor in FACTORS:
            reused = os.environ.get(f"TM_BENCH_WAREHOUSE_{factor}")
            if reused:
                warehouse = Path(reused)
                rows.append(Row(factor, "warehouse (built earlier, reused)", warehouse.name))
            else:
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
    out = Path(os.environ.get("TM_BENCH_OUT", ROOT / "docs" / "benchmark.md"))
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
