"""In Debian's chromium: 'Kopieer link' puts the page's whole address on the clipboard and says so, 'Wis filters'
clears every filter in one click, and the Overzicht's 'Indicatief (koersteam)' table fits its column at 1280 and
1366 wide (issue #18). Screenshots land in tests/artifacts/screenshots/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers import WORDS_BROKEN_FUNCTION, joined, running_app
from tests.test_browser_e2e import SCREENSHOTS, wait_ready
from warehouse.build import DATA_RAW, build

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SECRET = "geheim-voor-de-test"
THEMES = [
    "digitalisering",
    "flexibele_leerroutes",
    "student_naar_lerende",
    "leren_met_maatschappij",
    "rollen_professionals",
]
DYNAMICS = ["opbouw", "institutionalisering", "lock_in", "afbouw"]


@pytest.fixture(scope="module")
def app_with_sessions(tmp_path_factory):
    """The app over a warehouse whose koersteam voted on every theme × dynamic of a 2026 session: the fullest
    'Indicatief (koersteam)' table (medians like 3,5 and spreads with vote counts in every cell)."""
    from app.scoring.session import ScoringService
    from warehouse.votes import SqliteVoteStore

    root = tmp_path_factory.mktemp("indicatief")
    votes_path = root / "votes.sqlite"
    service = ScoringService(SqliteVoteStore(votes_path), SECRET)
    session = service.open_session(SECRET, "Begeleider Test", 2026, THEMES, THEMES)
    tokens = [joined(service, session.join_code, f"Deelnemer {n}")[1] for n in "ABCDEFGHIJ"]
    for t, theme in enumerate(THEMES):
        for d, dynamic in enumerate(DYNAMICS):
            for v, token in enumerate(tokens):
                service.vote(session.join_code, token, theme, dynamic, 1 + (t + d + v) % 5, "")
            if (t + d) % 3 == 0:
                service.record_agreed(SECRET, session.session_id, theme, dynamic, 3, "")
    warehouse = root / "transitiemonitor.duckdb"
    result = build(DATA_RAW, warehouse, votes_path=votes_path)
    assert result.ok, "\n".join(result.messages)
    with running_app({"TM_WAREHOUSE": str(warehouse), "TM_VOTES_PATH": str(votes_path)}) as base:
        yield base


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)])
def test_indicative_table_fits_its_column(app_with_sessions, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{app_with_sessions}/")
        wait_ready(page)
        page.get_by_text(re.compile("Indicatief \\(koersteam\\)")).first.click()
        table = page.locator("table.tm-indicatief")
        expect(table).to_be_visible(timeout=15_000)
        table.scroll_into_view_if_needed()
        sizes = table.evaluate(
            """t => {
                const boxes = [];
                for (let el = t.parentElement; el && !el.matches('[data-testid="stMain"]'); el = el.parentElement) {
                    if (el.scrollWidth > el.clientWidth + 1) boxes.push(el.className || el.tagName);
                }
                const details = t.closest('details') || t.closest('[data-testid="stExpander"]');
                return {table: t.getBoundingClientRect().right, box: details.getBoundingClientRect().right,
                        scroll: t.parentElement.scrollWidth, client: t.parentElement.clientWidth,
                        overflowing: boxes, cells: t.querySelectorAll('tbody td').length};
            }"""
        )
        shot(page, f"overzicht-indicatief-{width}")
        print(f"indicatief at {width}: {sizes}")  # the measured facts, with -s
        assert sizes["cells"] == 20
        assert sizes["scroll"] <= sizes["client"], sizes
        assert sizes["table"] <= sizes["box"] + 0.5, sizes
        assert not sizes["overflowing"], sizes
        # Whole words in the headers: no header is narrower than its longest word.
        broken = table.evaluate(
            """t => [...t.querySelectorAll('th')].filter(th => th.scrollWidth > th.clientWidth + 1)
                     .map(th => th.textContent)"""
        )
        assert broken == []
    finally:
        page.close()


def test_kopieer_link_copies_the_whole_address(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        page.goto(f"{server}/voorbeelden?sector=wo&zoek=microcredentials&thema=flexibele_leerroutes")
        wait_ready(page)
        page.get_by_role("button", name="Kopieer link").click()
        expect(page.get_by_role("status").filter(has_text="Link gekopieerd")).to_be_visible(timeout=5_000)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.url
        params = parse_qs(urlsplit(copied).query)
        assert params["sector"] == ["wo"] and params["zoek"] == ["microcredentials"]
        assert params["thema"] == ["flexibele_leerroutes"] and urlsplit(copied).path == "/voorbeelden"
        shot(page, "kopieer-link")
    finally:
        context.close()


def result_count(page) -> int:
    return int(page.locator("h3", has_text=re.compile(r"^\d+ resulta")).first.inner_text().split()[0])


def test_wis_filters_clears_every_filter_in_one_click(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"{server}/voorbeelden")
        wait_ready(page)
        everything = result_count(page)
        page.goto(f"{server}/voorbeelden?sector=wo&thema=digitalisering&zoek=data&dynamiek=opbouw&lijst=tabel")
        wait_ready(page)
        expect(page.get_by_text("Actieve filters:")).to_be_visible()
        narrowed = result_count(page)
        assert narrowed < everything
        shot(page, "wis-filters-voor")
        page.get_by_test_id("stSidebarUserContent").get_by_role("button", name="Wis filters").click()
        page.wait_for_function("() => !location.search.includes('zoek=')", timeout=15_000)
        wait_ready(page)
        expect(page.get_by_text(re.compile(f"^{everything} resultaten"))).to_be_visible(timeout=15_000)
        params = parse_qs(urlsplit(page.url).query)
        assert params == {"lijst": ["tabel"]}, page.url  # the view stays, every filter is gone
        assert page.get_by_label("Zoek").input_value() == ""
        assert page.get_by_text("Actieve filters:").count() == 0
        shot(page, "wis-filters-na")
    finally:
        page.close()


LONG_THEMES = [
    "Digitalisering ondersteunt waardevolle leerervaringen",
    "Nieuwe competenties en rollen voor onderwijsprofessionals",
]
# A text in the sidebar as it is drawn: cut off (wider than its box, or past the sidebar's edge) and the words that
# a line break splits in two.
TEXT_DRAWN = (
    "(el) => {"
    + WORDS_BROKEN_FUNCTION
    + """
  const sidebar = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const broken = wordsBrokenAcrossLines(el, false);
  return {text: el.innerText.trim(), scroll: el.scrollWidth, client: el.clientWidth, left: box.left,
          right: box.right, sidebarRight: sidebar.right, broken,
          ellipsis: getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth};
}
"""
)


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)], ids=["1280", "1366"])
def test_thema_in_the_sidebar_shows_every_long_name_whole(server, browser, width, height):
    """The chosen theme and every other choice read in full: not cut at the box's edge, no word split."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}/?thema=rollen_professionals")
        wait_ready(page)
        sidebar = page.get_by_test_id("stSidebar")
        for name in LONG_THEMES:
            shown = sidebar.get_by_text(name, exact=True)
            expect(shown).to_be_visible()
            drawn = shown.evaluate(TEXT_DRAWN)
            assert drawn["text"] == name, drawn
            assert drawn["scroll"] <= drawn["client"] and not drawn["ellipsis"], (width, drawn)
            assert drawn["right"] <= drawn["sidebarRight"], (width, drawn)
            assert not drawn["broken"], (width, drawn)
        # The chosen one is the one the URL names, and choosing another changes the page and the address.
        expect(sidebar.get_by_role("radio", name=LONG_THEMES[1])).to_be_checked()
        shot(page, f"sidebar-thema-{width}")
        sidebar.get_by_text(LONG_THEMES[0], exact=True).click()
        page.wait_for_function("() => location.search.includes('thema=digitalisering')", timeout=15_000)
        expect(sidebar.get_by_role("radio", name=LONG_THEMES[0])).to_be_checked()
    finally:
        page.close()


SIDEBAR_BUTTONS = """
() => [...document.querySelectorAll('[data-testid="stSidebar"] button')]
  .filter(b => /^(Wis filters|Kopieer link)$/.test(b.innerText.replace(/^filter_alt_off/, '').trim())
               && b.getBoundingClientRect().height > 0)
  .map(b => { const r = b.getBoundingClientRect(), label = b.querySelector('p') || b;
              const text = [...label.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
              const range = document.createRange();
              range.selectNodeContents(text);
              const lines = new Set([...range.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
              return {text: b.innerText.replace(/^filter_alt_off/, '').trim(), top: Math.round(r.top),
                      height: r.height, lines: lines.size}; })
"""


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)], ids=["1280", "1366"])
def test_wis_filters_and_kopieer_link_stay_one_line_each(server, browser, width, height):
    """With a filter set 'Wis filters' is active beside 'Kopieer link': each label on one line, side by side, and
    so they stay when 'Link gekopieerd' appears under them."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        page.goto(f"{server}/voorbeelden?sector=wo&zoek=data&thema=rollen_professionals")
        wait_ready(page)
        sidebar = page.get_by_test_id("stSidebarUserContent")
        expect(sidebar.get_by_role("button", name="Wis filters")).to_be_enabled(timeout=15_000)
        expect(sidebar.get_by_role("button", name="Kopieer link")).to_be_visible()
        for moment in ("voor", "na"):
            if moment == "na":
                page.get_by_role("button", name="Kopieer link").click()
                expect(page.get_by_role("status").filter(has_text="Link gekopieerd")).to_be_visible(timeout=5_000)
            buttons = page.evaluate(SIDEBAR_BUTTONS)
            assert [b["text"] for b in buttons] == ["Wis filters", "Kopieer link"], buttons
            for button in buttons:
                assert button["lines"] == 1, (width, moment, button)
                assert button["height"] <= 44, (width, moment, button)
            assert buttons[0]["top"] == buttons[1]["top"], (width, moment, buttons)
        status = page.get_by_role("status").filter(has_text="Link gekopieerd").bounding_box()
        kopieer = page.get_by_role("button", name="Kopieer link").bounding_box()
        assert status["y"] >= kopieer["y"] + kopieer["height"], (status, kopieer)
        shot(page, f"sidebar-knoppen-{width}")
    finally:
        context.close()
