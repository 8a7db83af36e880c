"""Where a first paint and a sector change go, beside Streamlit's floor (`make bench` runs it after the benchmark;
alone: `python -m tests.bench_floor`). Not a test: it measures and writes docs/benchmark-profile.md.

Two servers side by side on the same machine, every visit alternating between them so both see the same load:
- the floor: tests/bench_bare_app.py — Streamlit with our server flags, a heading, a paragraph and the sidebar's
  sector radio, nothing else;
- the floor plus one kind of element the product's pages are made of (`?met=tabel`, a 5×5 st.dataframe, …), to
  price each kind on its own;
- the product's pages (TM_WAREHOUSE, default warehouse/transitiemonitor.duckdb).
Per visit, as tests/bench_browser.py measures them: wall time until the page is complete, the app server's CPU and
the browser main thread's busy time (Chrome's TaskDuration), the number of DOM elements; and once per page a Chrome
trace of the first paint, its main-thread self time summed by kind of work (script, style and layout, paint, parse).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import serve  # noqa: E402
from tests.bench_browser import (  # noqa: E402
    PAGES,
    Server,
    change_sectors,
    cost_meter,
    first_paint,
    ignore,
    open_browser,
    start_app,
    start_product,
    stop,
)

BARE_APP = Path(__file__).resolve().parent / "bench_bare_app.py"
REPEATS = int(os.environ.get("TM_BENCH_REPEATS", "5"))
BARE = "Kale Streamlit-pagina"
OUT = Path(os.environ.get("TM_BENCH_PROFILE_OUT", ROOT / "docs" / "benchmark-profile.md"))

# Chrome's trace event names on the renderer's main thread, by the kind of work DevTools files them under.
KINDS = {
    "script": {"EvaluateScript", "v8.compile", "v8.compileModule", "FunctionCall", "TimerFire", "EventDispatch",
               "RunMicrotasks", "v8.evaluateModule", "FireAnimationFrame", "V8.GCScavenger", "MajorGC", "MinorGC",
               "v8.produceCache", "v8.callFunction", "FireIdleCallback"},
    "style and layout": {"UpdateLayoutTree", "Layout", "RecalculateStyles", "UpdateLayerTree", "HitTest",
                         "ScheduleStyleRecalculation", "PrePaint"},
    "paint": {"Paint", "PaintImage", "CompositeLayers", "Commit", "Layerize", "UpdateLayer"},
    "parse": {"ParseHTML", "ParseAuthorStyleSheet"},
}  # fmt: skip
TRACE_CATEGORIES = "devtools.timeline,v8.execute,disabled-by-default-devtools.timeline"


def start_bare() -> Server:
    return start_app("kaal", BARE_APP, serve.app_environment(dict(os.environ)))


def self_time_by_kind(trace: bytes) -> dict[str, float]:
    """Milliseconds of main-thread self time per kind of work in a Chrome trace (nested events counted once)."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    main_threads = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    per_thread: dict[tuple, list] = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and (e.get("pid"), e.get("tid")) in main_threads and "dur" in e:
            per_thread[(e["pid"], e["tid"])].append(e)
    kind_of = {name: kind for kind, names in KINDS.items() for name in names}
    totals: dict[str, float] = defaultdict(float)
    for thread_events in per_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack: list[list] = []  # [end, kind, self time]; an event of no known kind does its parent's kind of work
        for e in thread_events:
            while stack and e["ts"] >= stack[-1][0]:
                _end, kind, own = stack.pop()
                totals[kind] += own
            parent_kind = stack[-1][1] if stack else "other"
            if stack:
                stack[-1][2] -= e["dur"]
            stack.append([e["ts"] + e["dur"], kind_of.get(e["name"], parent_kind), e["dur"]])
        for _end, kind, own in stack:
            totals[kind] += own
    return {kind: us / 1000 for kind, us in totals.items()}


def visit(browser, context, server: Server, path: str, samples: dict, trace: bool) -> None:
    """One visit as tests/bench_browser.py makes it, recorded in `samples` with the page's DOM elements; with
    `trace`, only the first paint, traced by Chrome and summed by kind of work in samples['trace']."""
    page = context.new_page()
    costs = cost_meter(context, page, server)
    if trace:
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES.split(","))
        first_paint(page, f"{server.base}/{path}", costs, ignore)
        samples["trace"] = self_time_by_kind(browser.stop_tracing())
        page.close()
        return

    def record(kind: str, value: float) -> None:
        samples[kind].append(value)

    first_paint(page, f"{server.base}/{path}", costs, record)
    samples["elements"].append(page.evaluate("document.querySelectorAll('[data-testid=stMain] *').length"))
    change_sectors(page, costs, record)
    page.close()


def measure(warehouse: Path) -> tuple[dict[str, dict], list[float]]:
    from playwright.sync_api import sync_playwright

    product = start_product(warehouse, "product")
    bare = start_bare()
    from tests.bench_bare_app import ELEMENTS

    targets = (
        {BARE: (bare, "")}
        | {f"{BARE} + {kind}": (bare, f"?met={kind}") for kind in ELEMENTS}
        | {name: (product, path) for name, path in PAGES.items()}
    )
    results: dict[str, dict] = {name: defaultdict(list) for name in targets}
    loads = [os.getloadavg()[0]]
    try:
        with sync_playwright() as p:
            browser, context = open_browser(p)
            for name, (server, path) in targets.items():  # warm-up, then the trace
                visit(browser, context, server, path, defaultdict(list), trace=False)
                visit(browser, context, server, path, results[name], trace=True)
            for _ in range(REPEATS):  # page by page, alternating with the floor so both see the same load
                for name, (server, path) in targets.items():
                    visit(browser, context, server, path, results[name], trace=False)
                    if path:  # the floor itself once beside every other visit
                        visit(browser, context, bare, "", results[BARE], trace=False)
                loads.append(os.getloadavg()[0])
            context.close()
            browser.close()
    finally:
        stop([product, bare])
    return results, loads


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f}" if samples else "–"


def write(results: dict[str, dict], loads: list[float]) -> str:
    from tests.benchmark import machine

    kinds = [*KINDS, "other"]  # other: task time outside any traced event (IPC, loading, the scheduler)
    lines = [
        "# Where the wait goes: the product's pages beside a bare Streamlit page",
        "",
        "Written by `python -m tests.bench_floor` (part of `make bench`). Medians in ms, "
        f"n={REPEATS} visits per page (floor: one visit beside every product visit); the load average "
        f"(1 min) during the run was {min(loads):.1f}–{max(loads):.1f}. {machine()}",
        "",
        "| page | first paint until complete | app server CPU | browser main thread | DOM elements in the page "
        "| sector change until shown | app CPU | browser main thread |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in results.items():
        elements = f"{statistics.median(s['elements']):.0f}" if s["elements"] else "–"
        lines.append(
            f"| {name} | {ms(s['paint'])} | {ms(s['paint app'])} | {ms(s['paint browser'])} | {elements} "
            f"| {ms(s['change'])} | {ms(s['change app'])} | {ms(s['change browser'])} |"
        )
    lines += [
        "",
        "One traced first paint per page: the browser main thread's own time (ms) by kind of work (Chrome trace "
        "events, nested events counted once; the tracing itself slows the page, so compare rows, not with the "
        "table above). 'other' is task time outside any traced event: messages between processes, loading, the "
        "scheduler.",
        "",
        "| page | " + " | ".join(kinds) + " |",
        "| --- | " + " | ".join("---:" for _ in kinds) + " |",
    ]
    for name, s in results.items():
        trace = s.get("trace", {})
        lines.append(f"| {name} | " + " | ".join(f"{trace.get(k, 0):.0f}" for k in kinds) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    warehouse = Path(os.environ.get("TM_WAREHOUSE", ROOT / "warehouse" / "transitiemonitor.duckdb"))
    results, loads = measure(warehouse)
    text = write(results, loads)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
