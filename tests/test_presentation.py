"""Presentation mode on every beamer, the meeting flow, and Dutch everywhere: measured in headless chromium.

Screenshots land in tests/artifacts/screenshots/presentatie-<size>-<page>.png.
"""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
SIZES = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
PAGES = {  # name: (path, what shows the page is drawn)
    "overzicht": ("?weergave=presentatie", "table.tm-grid a.tm-cel"),
    "thema": (
        "thema?thema=rollen_professionals&dynamiek=afbouw&weergave=presentatie",
        "#score-rollen_professionals-afbouw",
    ),
}
ENGLISH = [
    "Press Enter",
    "No results",
    "Select all",
    "Page not found",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Print",
    "Record",
    "Made with Streamlit",
    "Running",
    "Rerun",
    "Settings",
    "Clear",
    "Deploy",
]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    """Every URL any page of this module asked for: none may leave the machine."""
    return []


def new_page(browser, requests_seen: list[str], width: int, height: int):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.on("request", lambda request: requests_seen.append(request.url))
    return page


def wait_ready(page, selector: str = "h1") -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(300)


# Bounding boxes of what must stay readable, measured in the page: the top bar's links and buttons, the grid's
# header cells, row labels and score cells, the dynamic selector, and the sizes of body and chart text.
MEASURE = """
() => {
  const box = (el) => { const b = el.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height,
                        right: b.right, bottom: b.bottom}; };
  const visible = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const item = (el) => ({text: el.innerText.replace(/\\s+/g, ' ').trim(), box: box(el),
                         clipped: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2});
  const bar = [...document.querySelectorAll('.st-key-tm-presentatiebalk [data-testid="stPageLink"] a, '
                                           + '.st-key-tm-presentatiebalk .stButton button')].filter(visible).map(item);
  const head = [...document.querySelectorAll('table.tm-grid th')].map(item);
  const rows = [...document.querySelectorAll('table.tm-grid tbody tr')].map(tr => ({
      label: item(tr.querySelector('td.tm-theme a')), cells: [...tr.querySelectorAll('a.tm-cel')].map(item)}));
  const choices = [...document.querySelectorAll('.st-key-dynamiek [data-testid="stButtonGroup"] button')]
      .filter(visible).map(item);
  const paragraph = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
      .find(p => visible(p) && !p.closest('.st-key-tm-presentatiebalk, [data-testid="stCaptionContainer"]'));
  const radar = document.querySelector('img[alt^="Radar"]');
  const grid = document.querySelector('table.tm-grid');
  return {bar, head, rows, choices,
          body: paragraph ? parseFloat(getComputedStyle(paragraph).fontSize) : null,
          radar: radar ? {box: box(radar), src: radar.getAttribute('src'), natural: radar.naturalWidth} : null,
          grid: grid ? box(grid) : null};
}
"""


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["x"] + slack < b["right"]
        and b["x"] + slack < a["right"]
        and a["y"] + slack < b["bottom"]
        and b["y"] + slack < a["bottom"]
    )


def assert_apart(items: list[dict], what: str) -> None:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert not overlaps(a["box"], b["box"]), f"{what}: '{a['text']}' overlaps '{b['text']}'"


def assert_unclipped(items: list[dict], what: str, width: int) -> None:
    for it in items:
        assert not it["clipped"], f"{what}: '{it['text']}' is cut off"
        assert it["box"]["x"] >= -0.5 and it["box"]["right"] <= width + 0.5, f"{what}: '{it['text']}' off screen"


def radar_text_px(radar: dict) -> tuple[float, float]:
    """The rendered size of the radar's smallest axis or legend label, and of its tick numbers, in px.

    The radar is an SVG image: its text scales with the ratio of rendered to viewBox width.
    """
    svg = base64.b64decode(radar["src"].split(",", 1)[1]).decode()
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    scale = radar["box"]["w"] / view_width
    sizes = [float(s) for s in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)]
    labels = [s for s in sizes if s >= 22]  # names and legend; since issue #18 ticks and markers are as large
    return min(labels) * scale, min(sizes) * scale


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presentation_fits_every_beamer(server, browser, requests_seen, width, height):
    page = new_page(browser, requests_seen, width, height)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (path, drawn) in PAGES.items():
        page.goto(f"{server}/{path}")
        wait_ready(page, drawn)
        if name == "overzicht":
            page.wait_for_selector('img[alt^="Radar"]')
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / f"presentatie-{width}x{height}-{name}.png"))
        m = page.evaluate(MEASURE)
        where = f"{width}x{height} {name}"

        labels = [it["text"] for it in m["bar"]]
        assert "Presentatie uit" in " ".join(labels), where
        assert not any("Meedoen" in label for label in labels), f"{where}: the join page is in the beamer's bar"
        assert_unclipped(m["bar"], f"{where} bar", width)
        assert_apart(m["bar"], f"{where} bar")
        assert m["body"] >= 0.0195 * height, f"{where}: body text {m['body']:.1f}px is small for this screen"

        if name == "overzicht":
            radar_label, radar_tick = radar_text_px(m["radar"])
            assert radar_label >= m["body"] - 0.5, f"{where}: radar text {radar_label:.1f}px < body {m['body']:.1f}px"
            assert radar_tick >= 0.75 * m["body"], where
            assert_unclipped(m["head"], f"{where} grid header", width)
            assert_apart(m["head"], f"{where} grid header")
            for row in m["rows"]:
                assert_unclipped([row["label"], *row["cells"]], f"{where} grid row", width)
                assert_apart([row["label"], *row["cells"]], f"{where} grid row")
            if (width, height) == (1920, 1080):
                for part in (m["grid"], m["radar"]["box"]):  # the whole picture on one screen
                    assert part["bottom"] <= height and part["right"] <= width and part["y"] >= 0, part
        else:
            assert [c["text"].split(":")[0] for c in m["choices"][:4]] == [
                "Opbouw",
                "Institutionalisering",
                "Lock-in",
                "Afbouw",
            ], where
            assert_unclipped(m["choices"], f"{where} dynamic selector", width)
            heading = page.locator("#score-rollen_professionals-afbouw")
            assert heading.bounding_box()["y"] < height * 0.5, f"{where}: the score is not in view"
    page.context.close()


def test_normal_mode_grid_headers_do_not_overlap_at_1280(server, browser, requests_seen):
    page = new_page(browser, requests_seen, 1280, 720)
    page.goto(server)
    wait_ready(page, "table.tm-grid a.tm-cel")
    assert page.locator("table.tm-grid th").count() == 5
    m = page.evaluate(MEASURE)
    assert_unclipped(m["head"], "normal 1280 grid header", 1280)
    assert_apart(m["head"], "normal 1280 grid header")
    for row in m["rows"]:
        assert_apart([row["label"], *row["cells"]], "normal 1280 grid row")
        assert_unclipped([row["label"], *row["cells"]], "normal 1280 grid row", 1280)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "normaal-1280x720-overzicht.png"))
    page.context.close()


def score_in_view(page, anchor: str) -> None:
    heading = page.locator(f"#{anchor}")
    expect(heading).to_be_visible(timeout=15_000)
    page.wait_for_timeout(400)
    box = heading.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] * 0.6, (anchor, box)


def test_meeting_flow_with_mouse_and_keyboard_without_reload(server, browser, requests_seen):
    page = new_page(browser, requests_seen, 1920, 1080)
    page.goto(f"{server}/?weergave=presentatie")
    wait_ready(page, "table.tm-grid a.tm-cel")
    page.evaluate("window.__marker = 1")  # survives only if nothing reloads the page

    # Mouse: a score in the grid, timed until its heading is on screen.
    started = time.monotonic()
    page.locator("#cel-flexibele_leerroutes-lock_in").click()
    expect(page.locator("h1")).to_have_text("Flexibele leerroutes", timeout=15_000)
    score_in_view(page, "score-flexibele_leerroutes-lock_in")
    print(f"score click → score heading in view: {time.monotonic() - started - 0.4:.2f} s")
    assert "weergave=presentatie" in page.url

    page.get_by_role("button", name=re.compile(r"^Thema.*→")).click()
    expect(page.locator("h1")).to_have_text("Van studenten naar lerenden", timeout=15_000)
    score_in_view(page, "score-student_naar_lerende-lock_in")
    page.get_by_role("button", name=re.compile(r"^Dynamiek.*↓")).click()
    score_in_view(page, "score-student_naar_lerende-afbouw")
    page.get_by_role("button", name=re.compile(r"^Alle thema's")).click()
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=15_000)
    assert "thema=" not in urlsplit(page.url).query
    expect(page.get_by_text("Naar het thema")).to_have_count(5)
    assert page.evaluate("window.__marker") == 1, "the app reloaded"

    # Keyboard: the same walk.
    page.locator("h1").click()  # focus on the page, not on a control
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Digitalisering ondersteunt waardevolle leerervaringen", timeout=15_000)
    score_in_view(page, "score-digitalisering-opbouw")
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Flexibele leerroutes", timeout=15_000)
    page.keyboard.press("ArrowDown")
    score_in_view(page, "score-flexibele_leerroutes-institutionalisering")
    page.keyboard.press("ArrowUp")
    score_in_view(page, "score-flexibele_leerroutes-opbouw")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1")).to_have_text("Digitalisering ondersteunt waardevolle leerervaringen", timeout=15_000)
    page.keyboard.press("o")
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=15_000)
    expect(page.get_by_text("Naar het thema")).to_have_count(5)
    page.keyboard.press("ArrowDown")
    expect(page.locator("h1")).to_have_text("Digitalisering ondersteunt waardevolle leerervaringen", timeout=15_000)
    page.keyboard.press("Home")
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=15_000)
    assert page.evaluate("window.__marker") == 1, "the app reloaded"
    # The arrow keys are on the buttons themselves.
    bar = page.locator(".st-key-tm-vergadering").inner_text()
    for key in ("← Thema", "Thema →", "↑ Dynamiek", "Dynamiek ↓", "Alle thema's"):
        assert key in bar, (key, bar)

    # Normal mode: a score click also moves inside the app and shows the score.
    page.goto(server)
    wait_ready(page, "table.tm-grid a.tm-cel")
    page.evaluate("window.__marker = 2")
    page.locator("#cel-rollen_professionals-institutionalisering").click()
    expect(page.locator("h1")).to_have_text(re.compile("Nieuwe competenties"), timeout=15_000)
    score_in_view(page, "score-rollen_professionals-institutionalisering")
    assert page.evaluate("window.__marker") == 2, "the app reloaded"
    page.go_back()
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=15_000)
    page.context.close()


def english_on(page) -> list[str]:
    text = page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('[title], [aria-label], [placeholder], [data-title]')]
                     .filter(el => !el.closest('img'))
                     .flatMap(el => ['title', 'aria-label', 'placeholder', 'data-title']
                                      .map(a => el.getAttribute(a) || ''))].join('\\n')"""
    )
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


ALL_PAGES = ["", "thema", "voorbeelden", "voortgang", "methode", "sql", "scoringssessie", "meedoen"]


@pytest.mark.parametrize("mode", ["normaal", "presentatie"])
def test_no_english_reaches_the_koersteam(server, browser, requests_seen, mode):
    page = new_page(browser, requests_seen, 1366, 768)
    suffix = "?weergave=presentatie" if mode == "presentatie" else ""
    # On the beamer: the pages a meeting shows (every page is scanned in normal mode).
    for path in ALL_PAGES if mode == "normaal" else ["", "thema", "voortgang", "methode"]:
        page.goto(f"{server}/{path}{suffix}")
        wait_ready(page)
        assert not english_on(page), (path or "overzicht", english_on(page))
    if mode == "normaal":
        # A selectbox searched without a match, and a multiselect: Streamlit's own list words.
        page.goto(f"{server}/voorbeelden")
        wait_ready(page)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').last
        box.click()
        page.keyboard.type("qqqq")
        page.wait_for_timeout(300)
        assert not english_on(page), english_on(page)
        assert "Geen resultaten" in page.locator("body").inner_text()
        page.keyboard.press("Escape")
        # A page that does not exist: Streamlit's 'Page not found' dialog, in Dutch.
        page.goto(f"{server}/bestaat-niet{suffix}")
        wait_ready(page)
        page.wait_for_timeout(500)
        assert not english_on(page), english_on(page)
    page.context.close()


def test_no_request_leaves_the_machine(requests_seen):
    """Runs last in this module: every page above, in every mode and size, asked only this machine."""
    assert requests_seen, "no requests recorded"
    hosts = {urlsplit(url).hostname for url in requests_seen if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
