"""A koersteam meeting on a beamer, measured in headless chromium as the room sees it (issue #18): one screen per
score, a clicker's keys, an address that always says what is shown, and charts that read from the back of the room.

Screenshots land in tests/artifacts/screenshots/scherm-<size>-<what>.png.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers import WORDS_BROKEN_FUNCTION

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
THEMES = {
    "digitalisering": "Digitalisering ondersteunt waardevolle leerervaringen",
    "flexibele_leerroutes": "Flexibele leerroutes",
    "student_naar_lerende": "Van studenten naar lerenden",
    "leren_met_maatschappij": "Leren met en van de maatschappij",
    "rollen_professionals": "Nieuwe competenties en rollen voor onderwijsprofessionals",
}
DYNAMICS = {
    "opbouw": "Opbouw",
    "institutionalisering": "Institutionalisering",
    "lock_in": "Lock-in",
    "afbouw": "Afbouw",
}
SCORES = [(t, d) for t in THEMES for d in DYNAMICS]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

# Every piece of text a person can see, with its rendered size: the page's own text, and the text inside chart
# images (an SVG's type sizes scaled by the ratio of its rendered to its drawn width).
TEXT_SIZES = """
() => {
  const sizes = [];
  const shown = (el) => { const b = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return b.width > 1 && b.height > 1 && s.visibility !== 'hidden' && s.opacity !== '0'; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.nodeValue.trim();
    if (!text || !el || el.closest('script, style, a[href="#main"]') || !shown(el)) continue;
    if (el.closest('[role="tooltip"], [data-baseweb="popover"]')) continue;
    sizes.push({size: parseFloat(getComputedStyle(el).fontSize), text: text.slice(0, 40)});
  }
  for (const img of document.querySelectorAll('img[src^="data:image/svg+xml;base64,"]')) {
    if (!shown(img)) continue;
    const svg = new DOMParser().parseFromString(atob(img.src.split(',')[1]), 'image/svg+xml').documentElement;
    const scale = img.getBoundingClientRect().width / parseFloat(svg.getAttribute('viewBox').split(' ')[2]);
    for (const t of svg.querySelectorAll('text')) {
      const size = parseFloat(t.getAttribute('font-size') || t.closest('[font-size]')?.getAttribute('font-size'));
      if (t.textContent.trim()) sizes.push({size: size * scale, text: 'svg: ' + t.textContent.trim().slice(0, 30)});
    }
  }
  return sizes;
}
"""

# The score screen as a person sees it: heights, and whether each part is inside the viewport.
SCORE_SCREEN = """
(anchor) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const inView = (el) => { if (!el) return false; const b = el.getBoundingClientRect();
    return b.top >= 0 && b.bottom <= innerHeight + 0.5 && b.left >= 0 && b.right <= innerWidth + 0.5 && b.height > 0; };
  const examples = [...document.querySelectorAll('h1, p, strong')].find(el => /^Illustrerende voorbeelden/
                                                                                    .test(el.textContent.trim()));
  return {
    page: document.scrollingElement.scrollHeight, main: main.scrollHeight, viewport: innerHeight,
    content: Math.round(Math.max(...[...main.querySelectorAll('[data-testid="stVerticalBlock"] > *')]
                                   .map(el => el.getBoundingClientRect().bottom))),
    theme: document.querySelector('h1').innerText, themeInView: inView(document.querySelector('h1')),
    score: document.getElementById(anchor)?.innerText, scoreInView: inView(document.getElementById(anchor)),
    level: document.querySelector('.tm-niveau')?.innerText || '',
    levelInView: inView(document.querySelector('.tm-niveau')),
    core: document.querySelector('.tm-quote')?.innerText || '',
    coreInView: inView(document.querySelector('.tm-quote')),
    more: inView(document.querySelector('details.tm-meer summary')),
    examplesInView: inView(examples), examplesLeft: examples ? examples.getBoundingClientRect().left : null,
  };
}
"""


def wait_ready(page, selector: str = "h1") -> None:
    page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(300)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(SCREENSHOTS / f"scherm-{size['width']}x{size['height']}-{name}.png"))


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def at_score(page, theme: str, dynamic: str) -> dict:
    """Wait until the score screen of theme × dynamic is drawn; its address must name it."""
    anchor = f"score-{theme}-{dynamic}"
    expect(page.locator(f"#{anchor}")).to_be_visible(timeout=15_000)
    expect(page.locator("h1")).to_have_text(THEMES[theme])
    # The whole screen drawn, not only its first element (a busy machine draws the columns one by one).
    expect(page.locator("strong").filter(has_text=re.compile(r"^Illustrerende voorbeelden"))).to_be_visible()
    expect(page.locator(".tm-niveau")).to_be_visible()
    wait_ready(page)
    assert urlsplit(page.url).path.endswith("/thema"), page.url
    assert query(page).get("thema") == theme, page.url
    # The first dynamic is the default: an address without one shows it too.
    assert query(page).get("dynamiek", "opbouw") == dynamic, page.url
    assert query(page).get("weergave") == "presentatie", page.url
    return page.evaluate(SCORE_SCREEN, anchor)


def assert_one_screen(m: dict, theme: str, dynamic: str, where: str) -> None:
    assert m["page"] <= m["viewport"] and m["main"] <= m["viewport"], f"{where}: taller than the screen {m}"
    assert m["themeInView"] and m["theme"] == THEMES[theme], where
    assert m["scoreInView"] and m["score"].startswith(f"{DYNAMICS[dynamic]}: score "), (where, m["score"])
    assert m["levelInView"] and re.search(r"Niveau \d van 5", m["level"]), where
    assert m["coreInView"] and len(m["core"]) > 80 and m["more"], where
    assert m["examplesInView"] and m["examplesLeft"] > m["viewport"] * 0.5, f"{where}: examples not beside it"


def assert_text_at_least(page, minimum: float, where: str) -> float:
    sizes = page.evaluate(TEXT_SIZES)
    assert sizes, where
    small = [s for s in sizes if s["size"] < minimum - 0.05]
    assert not small, f"{where}: text under {minimum} px: {small[:6]}"
    return min(s["size"] for s in sizes)


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768), (1920, 1080)], ids=["1280", "1366", "1920"])
def test_every_score_is_one_screen_walked_with_a_clicker(server, browser, width, height):
    """All twenty scores, stepped through with the clicker's keys from the overview without a click on the page:
    each fits the screen with theme, dynamic, score, level, the justification's core and examples in view."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{server}/?weergave=presentatie")
    wait_ready(page, "table.tm-grid a.tm-cel")
    tallest, smallest = 0, 99.0
    for index, (theme, dynamic) in enumerate(SCORES):
        page.keyboard.press(["PageDown", "Space", "ArrowDown"][index % 3])
        m = at_score(page, theme, dynamic)
        assert_one_screen(m, theme, dynamic, f"{width}x{height} {theme} {dynamic}")
        tallest = max(tallest, m["content"])
        if width == 1280 or index == 0:
            smallest = min(smallest, assert_text_at_least(page, 16, f"{width}x{height} {theme} {dynamic}"))
        if index in (0, 6, 15) or (theme, dynamic) == ("rollen_professionals", "afbouw"):
            shot(page, f"score-{theme}-{dynamic}")
    print(
        f"{width}x{height}: scroll heights ≤ {height}; lowest content bottom {tallest} px; smallest text {smallest:.1f}"
    )
    # The whole justification one key away, over the screen; the screen itself does not grow.
    page.keyboard.press("m")
    expect(page.locator("details.tm-meer .tm-meer-tekst")).to_be_visible()
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight") <= height
    shot(page, "meer")
    page.keyboard.press("Escape")
    expect(page.locator("details.tm-meer .tm-meer-tekst")).to_be_hidden()
    page.context.close()


def overview_on_top(page, where: str) -> None:
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=15_000)
    wait_ready(page, "table.tm-grid a.tm-cel")
    page.wait_for_timeout(500)
    assert urlsplit(page.url).path in ("", "/"), f"{where}: {page.url}"
    assert "thema" not in query(page) and query(page).get("weergave") == "presentatie", f"{where}: {page.url}"
    top = page.evaluate(
        """() => [document.querySelector('[data-testid="stMain"]').scrollTop, window.scrollY,
                  document.querySelector('table.tm-grid').getBoundingClientRect().top,
                  document.querySelector('img.tm-grafiek').getBoundingClientRect().top]"""
    )
    assert top[0] == 0 and top[1] == 0, f"{where}: not at the top {top}"
    assert 0 < top[2] < page.viewport_size["height"] * 0.5 and 0 < top[3] < page.viewport_size["height"] * 0.5, top


@pytest.mark.alone  # five key presses within 0.3 s: `make test` runs it after the parallel part
def test_keys_clicks_and_the_address(server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server}/?weergave=presentatie")
    wait_ready(page, "table.tm-grid a.tm-cel")
    page.evaluate("window.__marker = 1")  # survives only if nothing reloads the page

    # Five quick → (all within 0.3 s) land five themes on, and the address says so.
    started = time.monotonic()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert time.monotonic() - started < 0.3
    at_score(page, "rollen_professionals", "opbouw")
    page.wait_for_timeout(1800)  # a late run of an earlier step may not take the screen or the address back
    at_score(page, "rollen_professionals", "opbouw")
    shot(page, "na-vijf-pijltjes")

    # Clicker: PageUp back, B blanks the screen and any key brings it back.
    page.keyboard.press("PageUp")
    at_score(page, "leren_met_maatschappij", "afbouw")
    page.keyboard.press("b")
    cover = page.locator("#tm-zwart")
    expect(cover).to_be_visible()
    box = cover.bounding_box()
    assert box["width"] >= 1280 and box["height"] >= 720
    shot(page, "zwart")
    page.keyboard.press("b")
    expect(cover).to_be_hidden()
    assert query(page)["thema"] == "leren_met_maatschappij"

    # Home lands at the top of the overview, three times from a score deep in the walk.
    for attempt in range(3):
        page.keyboard.press("ArrowDown" if attempt else "ArrowUp")
        page.wait_for_timeout(300)
        page.keyboard.press("Home")
        overview_on_top(page, f"Home, try {attempt + 1}")
    shot(page, "overzicht-na-home")

    # The mouse: the top bar's buttons step the same way and the address follows.
    page.get_by_role("button", name="Thema →").click()
    at_score(page, "digitalisering", "opbouw")
    page.get_by_role("button", name="Thema →").click()
    page.get_by_role("button", name="Dynamiek ↓").click()
    at_score(page, "flexibele_leerroutes", "institutionalisering")
    page.get_by_role("button", name="Alle thema's").click()
    overview_on_top(page, "Alle thema's")
    # Three quick clicks on 'Thema →', then a burst of six PageDowns across a theme's end: nothing is lost.
    for _ in range(3):
        page.get_by_role("button", name="Thema →").click(delay=0)
    at_score(page, "student_naar_lerende", "opbouw")
    for _ in range(6):  # score 9 of 20 + 6 = score 15: the fourth theme's lock-in
        page.keyboard.press("PageDown")
    at_score(page, "leren_met_maatschappij", "lock_in")
    page.keyboard.press("Home")
    overview_on_top(page, "Home after a burst")
    assert page.evaluate("window.__marker") == 1, "the app reloaded"

    # A deep link straight to a score, then 'Alle thema's': the overview at its top.
    page.goto(f"{server}/thema?thema=student_naar_lerende&dynamiek=lock_in&weergave=presentatie")
    at_score(page, "student_naar_lerende", "lock_in")
    page.get_by_role("button", name="Alle thema's").click()
    overview_on_top(page, "deep link, Alle thema's")
    page.context.close()


def test_into_presentation_from_a_theme_keeps_theme_and_mode(server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server}/thema?thema=digitalisering&dynamiek=lock_in")
    wait_ready(page)
    # Normal mode: the link to the next theme changes the address with the content.
    page.get_by_role("link", name="Volgend thema").click()
    expect(page.locator("h1")).to_have_text(THEMES["flexibele_leerroutes"], timeout=15_000)
    wait_ready(page)
    assert query(page) == {"thema": "flexibele_leerroutes", "dynamiek": "lock_in"}, page.url
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Presentatiemodus").click()
    at_score(page, "flexibele_leerroutes", "lock_in")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    page.get_by_role("button", name="Thema →").click()
    at_score(page, "student_naar_lerende", "lock_in")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    # A reload shows the same screen: the address was true.
    page.reload()
    at_score(page, "student_naar_lerende", "lock_in")
    # A dynamic chosen with the mouse, then the clicker's Space: the next score, not the same button again.
    page.locator('.st-key-dynamiek [data-testid="stButtonGroup"] button').first.click()
    at_score(page, "student_naar_lerende", "opbouw")
    page.keyboard.press("Space")
    at_score(page, "student_naar_lerende", "institutionalisering")
    page.get_by_role("link", name="Presentatie uit").click()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible(timeout=15_000)
    assert "weergave" not in query(page) and query(page)["thema"] == "student_naar_lerende", page.url
    page.context.close()


WORDS_BROKEN = (
    "(selector) => {"
    + WORDS_BROKEN_FUNCTION
    + "  return [...document.querySelectorAll(selector)].flatMap(cell => wordsBrokenAcrossLines(cell, true));\n}"
)


def grid_headers_upright_and_whole(page, where: str) -> None:
    modes = page.evaluate(
        "() => [...document.querySelectorAll('table.tm-grid th')].map(th => getComputedStyle(th).writingMode)"
    )
    assert modes and set(modes) == {"horizontal-tb"}, f"{where}: grid headers turned: {modes}"
    broken = page.evaluate(WORDS_BROKEN, "table.tm-grid th, table.tm-grid td.tm-theme, table.tm-tabel th")
    assert not broken, f"{where}: words broken across lines: {broken}"


def table_fits(page, where: str) -> None:
    fit = page.evaluate(
        """() => { const t = document.querySelector('table.tm-tabel'), box = t.parentElement;
                   const heads = [...t.querySelectorAll('thead th')].map(th => th.getBoundingClientRect());
                   return {table: t.scrollWidth, box: box.clientWidth, right: Math.max(...heads.map(h => h.right)),
                           main: document.querySelector('[data-testid="stMain"]').scrollWidth,
                           view: innerWidth, heads: [...t.querySelectorAll('thead th')].map(th => th.innerText)}; }"""
    )
    assert fit["table"] <= fit["box"] + 1 and fit["right"] <= fit["view"] and fit["main"] <= fit["view"], (where, fit)
    assert any(h.startswith("Lock-in") for h in fit["heads"]) and "Afbouw" in fit["heads"], (where, fit)


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)], ids=["1280", "1366"])
def test_charts_read_from_the_back_of_the_room(server, browser, width, height):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    where = f"{width}x{height}"
    report = []
    for mode, minimum in (("presentatie", 16), ("normaal", 11)):
        suffix = "&weergave=presentatie" if mode == "presentatie" else ""
        for view in ("samen", "per_thema", "tabel"):
            page.goto(f"{server}/?radar={view}{suffix}")
            wait_ready(page, "table.tm-grid a.tm-cel")
            report.append((mode, view, assert_text_at_least(page, minimum, f"{where} {mode} overzicht {view}")))
            grid_headers_upright_and_whole(page, f"{where} {mode} {view}")
            if view == "per_thema":
                sizes = page.evaluate(
                    """() => [...document.querySelectorAll('img.tm-klein')].map(i => {
                         const b = i.getBoundingClientRect(); return [Math.round(b.width), Math.round(b.height)]; })"""
                )
                assert len(sizes) == 5 and len(set(map(tuple, sizes))) == 1, f"{where} {mode}: unequal {sizes}"
                assert sizes[0][0] > 250, sizes
            if view == "tabel":
                table_fits(page, f"{where} {mode}")
            if width == 1280:
                shot(page, f"{mode}-overzicht-{view}")
        for path, name in (("thema?thema=rollen_professionals", "thema"), ("voortgang", "voortgang")):
            page.goto(f"{server}/{path}{suffix.replace('&', '?' if '?' not in path else '&')}")
            wait_ready(page)
            page.wait_for_timeout(300)
            report.append((mode, name, assert_text_at_least(page, minimum, f"{where} {mode} {name}")))
            if name == "voortgang" and mode == "presentatie":
                expect(page.locator('img[alt^="Scores over de jaren"]')).to_be_visible()
            if name == "thema":  # all four dynamics with their scores, none pushed out of its column
                choices = page.locator('.st-key-dynamiek [data-testid="stButtonGroup"] button')
                expect(choices).to_have_count(4)
                for i in range(4):
                    box = choices.nth(i).bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (where, mode, i, box)
            if width == 1280:
                shot(page, f"{mode}-{name}")
    print(where, "smallest text:", ", ".join(f"{m} {v} {s:.1f}px" for m, v, s in report))
    # Dropdowns show their whole choice ('Alle dynamieken', not 'Alle dynamie'); the switch under the search box
    # its whole label ('Ook synoniemen en afkortingen', not 'Ook synoniemen en…').
    for path in ("voorbeelden", "voorbeelden?dynamiek=institutionalisering", "voorbeelden?zoek=data"):
        page.goto(f"{server}/{path}")
        wait_ready(page)
        page.wait_for_timeout(500)
        cut = [(text, need, room) for text, need, room in page.evaluate(SELECT_TEXT) if need > room]
        assert not cut, f"{where} {path}: dropdown text cut off {cut}"
    label = page.evaluate(SWITCH_LABEL)
    assert label["text"] == "Ook synoniemen en afkortingen", (where, label)
    assert label["scroll"] <= label["client"] and label["right"] <= label["columnRight"] + 0.5, (where, label)
    shot(page, "voorbeelden-synoniemen")
    page.context.close()


# The synonyms switch's label: the text shown, its width against its box's, and where it ends against its column.
SWITCH_LABEL = """
() => { const box = document.querySelector('.st-key-synoniemen [data-testid="stWidgetLabel"] '
                                           + '[data-testid="stMarkdownContainer"]');
  return {text: box.innerText, scroll: box.scrollWidth, client: box.clientWidth,
          right: box.getBoundingClientRect().right,
          columnRight: box.closest('[data-testid="stColumn"]').getBoundingClientRect().right}; }
"""


# Each dropdown's shown text, the width it needs in its own font and the room its box gives it.
SELECT_TEXT = """
() => { const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('input[role="combobox"]')].filter(i => i.getBoundingClientRect().width > 0)
    .map(i => { const s = getComputedStyle(i); ctx.font = s.font; const text = i.value || i.placeholder;
                return [text, ctx.measureText(text).width,
                        i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)]; }); }
"""


LOCK_IN_NOTE = """
() => { const grid = document.querySelector('table.tm-grid'), box = grid.parentElement.getBoundingClientRect();
  const shown = [...grid.querySelectorAll('td.tm-noot, th small')].filter(el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.clipPath === 'none'; });
  return {notes: shown.map(el => { const r = el.getBoundingClientRect();
            return {text: el.innerText.trim(), size: parseFloat(getComputedStyle(el).fontSize),
                    inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.bottom <= innerHeight,
                    cut: el.scrollWidth > el.clientWidth + 1}; }),
          grid: grid.scrollWidth, room: grid.parentElement.clientWidth,
          cells: [...grid.querySelectorAll('a.tm-cel')].filter(a => a.getBoundingClientRect().width > 30).length}; }
"""


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768), (1920, 1080)], ids=["1280", "1366", "1920"])
def test_the_lock_in_note_is_on_screen_for_the_room(server, browser, width, height):
    """'↑ = meer weerstand' is read by everyone, not only by a screen reader: in the grid's header where it fits,
    under the grid where it does not, at 16 px or more on the beamer and 11 px or more in normal mode."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    for suffix, minimum in (("?weergave=presentatie", 16), ("", 11)):
        page.goto(f"{server}/{suffix}")
        wait_ready(page, "table.tm-grid a.tm-cel")
        found = page.evaluate(LOCK_IN_NOTE)
        where = f"{width}x{height} {suffix or 'normaal'}"
        assert len(found["notes"]) == 1, (where, found)
        note = found["notes"][0]
        assert "↑ = meer weerstand" in note["text"] and note["size"] >= minimum - 0.05, (where, note)
        assert note["inside"] and not note["cut"], (where, note)
        assert found["grid"] <= found["room"] + 1 and found["cells"] == 20, (where, found)
        grid_headers_upright_and_whole(page, where)
        if width == 1280:
            shot(page, f"{'presentatie' if suffix else 'normaal'}-grid-lock-in-noot")
    page.context.close()


def test_the_first_dynamic_is_in_the_address_like_every_other(server, browser):
    """Opbouw is chosen like the others: by click (normal and presentation mode) and by key, the address names
    it, and a reload of that address shows it."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    # Normal mode: the dynamic's button.
    page.goto(f"{server}/thema?thema=flexibele_leerroutes&dynamiek=lock_in")
    wait_ready(page)
    expect(page.locator("#score-flexibele_leerroutes-lock_in")).to_be_visible()
    choices = page.locator('.st-key-dynamiek [data-testid="stButtonGroup"] button')
    choices.first.click()
    expect(page.locator("#score-flexibele_leerroutes-opbouw")).to_be_visible(timeout=15_000)
    page.wait_for_function("() => location.search.includes('dynamiek=opbouw')", timeout=15_000)
    assert query(page) == {"thema": "flexibele_leerroutes", "dynamiek": "opbouw"}, page.url
    # A second click on the chosen one keeps it chosen, and the address as it was.
    choices.first.click()
    wait_ready(page)
    expect(page.locator("#score-flexibele_leerroutes-opbouw")).to_be_visible()
    assert query(page)["dynamiek"] == "opbouw", page.url
    page.go_back()
    expect(page.locator("#score-flexibele_leerroutes-lock_in")).to_be_visible(timeout=15_000)
    assert query(page)["dynamiek"] == "lock_in", page.url

    # Presentation mode: the button, then the keys; after each the address says what is shown.
    page.goto(f"{server}/thema?thema=student_naar_lerende&dynamiek=afbouw&weergave=presentatie")
    at_score(page, "student_naar_lerende", "afbouw")
    page.locator('.st-key-dynamiek [data-testid="stButtonGroup"] button').first.click()
    at_score(page, "student_naar_lerende", "opbouw")
    page.wait_for_function("() => location.search.includes('dynamiek=opbouw')", timeout=15_000)
    page.keyboard.press("ArrowDown")
    at_score(page, "student_naar_lerende", "institutionalisering")
    page.keyboard.press("ArrowUp")
    at_score(page, "student_naar_lerende", "opbouw")
    assert query(page)["dynamiek"] == "opbouw", page.url
    page.keyboard.press("ArrowRight")
    at_score(page, "leren_met_maatschappij", "opbouw")
    assert query(page)["dynamiek"] == "opbouw", page.url
    page.reload()
    at_score(page, "leren_met_maatschappij", "opbouw")
    page.context.close()


def test_overzicht_by_its_name_is_the_overview(server, browser):
    """/overzicht (with any query) is the Overzicht, served at '/': a redirect that keeps the query."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for path, location in (
        ("/overzicht?sector=wo&weergave=presentatie", "./?sector=wo&weergave=presentatie"),
        ("/overzicht", "./"),
        ("/overzicht/?radar=tabel", "../?radar=tabel"),
    ):
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(f"{server}{path}", timeout=20)
        assert answer.value.code in (301, 302, 307, 308), (path, answer.value.code)
        assert answer.value.headers["Location"] == location, (path, answer.value.headers["Location"])
    with urllib.request.urlopen(f"{server}/overzicht?sector=hbo", timeout=20) as followed:
        assert followed.status == 200 and urlsplit(followed.url).path == "/", followed.url

    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    for path, expected in (
        ("/overzicht?sector=wo&weergave=presentatie", {"sector": "wo", "weergave": "presentatie"}),
        ("/overzicht", {}),
    ):
        page.goto(f"{server}{path}")
        wait_ready(page, "table.tm-grid a.tm-cel")
        expect(page.locator("h1")).to_have_text("Staat van transitie")
        assert urlsplit(page.url).path == "/" and query(page) == expected, page.url
        assert page.get_by_text("Pagina niet gevonden").count() == 0
        assert page.get_by_text(re.compile("bestaat niet")).count() == 0
    page.context.close()
