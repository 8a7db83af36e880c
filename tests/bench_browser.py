"""The benchmark's browser and memory figures (tests/benchmark.py): each page's first paint and a sector change in
headless chromium, with the CPU time they cost beside the wall time, and the app's memory over repeated walks.

The machine is shared, so wall times move with the load. Two things make the figures comparable anyway:
- CPU time beside wall time: the app's own (utime + stime of the server process) and the browser's main thread
  (Chrome's TaskDuration) per action;
- before and after in one run: with TM_BENCH_BEFORE pointing at another checkout (e.g. `git worktree add
  /tmp/voor <commit>`), its server runs beside this one on the same warehouse and every measurement alternates
  between the two, so both see the same load.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app import serve
from tests.helpers import CHROMIUM, CHROMIUM_ARGS

QUIET_MS = 400  # a page has finished when nothing in it changed for this long
WALKS = int(os.environ.get("TM_BENCH_WALKS", "10"))

# Where the page stands: Overzicht, Thema, Voorbeelden, Voortgang, Methode, SQL.
PAGES = {
    "Overzicht": "",
    "Thema": "thema?thema=flexibele_leerroutes&dynamiek=lock_in",
    "Voorbeelden": "voorbeelden",
    "Voortgang": "voortgang",
    "Methode": "methode",
    "SQL": "sql",
}

# Records when anything in the page last changed, when Streamlit last started running the script and when the
# server last sent a message; the page has finished when the server answered the action (a run was seen starting,
# or - for a run so short that the page never shows it running - a message came), the script is no longer running
# and nothing changed for QUIET_MS.
QUIET_SCRIPT = """
window.__lastChange = performance.now();
window.__lastRunStart = -1;
window.__lastMessage = -1;
const PageWebSocket = window.WebSocket;
window.WebSocket = class extends PageWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => { window.__lastMessage = performance.now(); });
  }
};
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
                 && Math.max(window.__lastRunStart, window.__lastMessage) >= {since if ran_after is None else ran_after}
                 && document.querySelector('h1')
                 && performance.now() - window.__lastChange > {QUIET_MS};
           }}""",
        timeout=timeout_s * 1000,
        polling=50,
    )
    return (page.evaluate("window.__lastChange") - since) / 1000


@dataclass
class Server:
    """One app under test: this checkout ('na') or the one TM_BENCH_BEFORE names ('voor')."""

    name: str
    process: subprocess.Popen
    base: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    rss_after_walk: list[float] = field(default_factory=list)

    def add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self, field_name: str) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def start_product(warehouse: Path, name: str) -> Server:
    """This checkout's app as `make run` starts it, on `warehouse`."""
    process, base = serve.start(serve.free_port(), {"TM_WAREHOUSE": str(warehouse)}, timeout=120)
    return Server(name, process, base)


def start_app(name: str, app: Path, env: dict[str, str], cwd: str | None = None) -> Server:
    """Another app file (another checkout's, or the bare floor) with this checkout's server flags and `env`."""
    port = serve.free_port()
    command = serve.command(port)
    command[command.index(str(serve.APP))] = str(app)
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process)
    return Server(name, process, base)


def stop(servers: list[Server]) -> None:
    for server in servers:
        server.process.terminate()
        server.process.wait(timeout=15)


def start_servers(warehouse: Path) -> list[Server]:
    """This checkout's app as `make run` starts it, and the other checkout's as it started itself then."""
    servers = [start_product(warehouse, "na")]
    before = os.environ.get("TM_BENCH_BEFORE")
    if before:
        env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
        other_app = Path(before) / "app" / "asgi.py"
        servers.append(start_app("voor", other_app, {**env, "TM_WAREHOUSE": str(warehouse)}, cwd=before))
    return servers


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} started no app")


def sector_control(page, sector: str):
    """The sidebar's sector button ('Alle' for all sectors), or None on a page without the sidebar."""
    name = "Alle" if sector == "alle" else sector
    control = page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=name, exact=True)
    return control.first if control.count() else None


def cost_meter(context, page, server: Server) -> Callable[[], tuple[float, float]]:
    """Reads (the app server's CPU seconds, the browser main thread's busy seconds, Chrome's TaskDuration) now:
    read before and after an action, the difference is what the action cost."""
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def now() -> tuple[float, float]:
        app = server.cpu_seconds()
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return app, next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    return now


Record = Callable[[str, float], None]


def record_action(record: Record, kind: str, wall: float, costs, before: tuple[float, float]) -> None:
    """record(kind, wall seconds), then `kind app` and `kind browser`: the CPU time spent since `before`."""
    app, browser = costs()
    record(kind, wall)
    record(f"{kind} app", app - before[0])
    record(f"{kind} browser", browser - before[1])


def first_paint(page, url: str, costs, record: Record) -> None:
    """Open `url`; record 'paint' (seconds from navigation start until the page is complete) and its CPU time."""
    before = costs()
    page.goto(url)
    record_action(record, "paint", settled_at(page, 0), costs, before)


def change_sectors(page, costs, record: Record) -> None:
    """Change the sector to 'wo' and back to all (not on a page without the sidebar); record 'change' and its CPU
    time for each. A page that does not settle raises PlaywrightTimeout."""
    for sector in ("wo", "alle"):
        control = sector_control(page, sector)
        if control is None:
            return
        before = costs()
        since = page.evaluate("performance.now()")
        control.click()
        record_action(record, "change", settled_at(page, since), costs, before)


def ignore(_kind: str, _value: float) -> None:
    """A record for a warm-up visit."""


def visit(context, server: Server, name: str, path: str, keep: bool) -> None:
    """Open a page and change the sector twice; with `keep`, record wall time, app CPU and browser main thread."""
    page = context.new_page()
    costs = cost_meter(context, page, server)

    def record(kind: str, value: float) -> None:
        server.add(f"{name} {kind}", value)

    try:
        first_paint(page, f"{server.base}/{path}", costs, record if keep else ignore)
        change_sectors(page, costs, record if keep else ignore)
    except PlaywrightTimeout:  # counted, not fatal: one stuck page on a busy machine
        server.add("timeouts", 1)
    page.close()


def open_browser(p):
    """Headless chromium and a context at the benchmark's size that marks when a page last changed."""
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(QUIET_SCRIPT)
    return browser, context


def measure(warehouse: Path, repeats: int, search) -> tuple[list[Server], list[float]]:
    """Per page `repeats` measured visits (after one warm-up) on every server, alternating; then the walks: every
    page once per walk, RSS after each. Returns the servers with their samples and the load average seen."""
    from playwright.sync_api import sync_playwright

    servers = start_servers(warehouse)
    loads = [os.getloadavg()[0]]
    try:
        with sync_playwright() as p:
            browser, context = open_browser(p)
            for name, path in PAGES.items():
                for attempt in range(repeats + 1):
                    order = servers if attempt % 2 else servers[::-1]
                    for server in order:
                        visit(context, server, name, path, keep=attempt > 0)
                loads.append(os.getloadavg()[0])
            for server in servers:
                search(server, context)
            # Memory: fresh sessions walking the same pages again and again must not make the app grow.
            for _walk in range(WALKS):
                for server in servers:
                    for name, path in PAGES.items():
                        visit(context, server, name, path, keep=False)
                    server.rss_after_walk.append(server.memory_mb("VmRSS"))
                loads.append(os.getloadavg()[0])
            context.close()
            browser.close()
        for server in servers:
            server.samples["peak"] = [server.memory_mb("VmHWM")]
    finally:
        stop(servers)
    return servers, loads


def cpu_text(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"
