"""WCAG 2.1 AA, the bar Dutch public bodies work to: axe-core (npm, tests/a11y) scans every page in normal and
presentation mode at the commonest beamer size and finds nothing serious or critical."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/thema", "/voorbeelden", "/voortgang", "/methode", "/sql", "/scoringssessie", "/meedoen"]
PAGES += ["/zoeken?zoek=microcredentials"]  # results: cards with links and 'Hele tekst' in one block per group
PRESENTATION = ["/?weergave=presentatie", "/thema?weergave=presentatie", "/voortgang?weergave=presentatie"]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

SCAN = """async (rules) => (await axe.run(document, {runOnly: rules})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""


def _settled(page, quiet_ms: int = 600, timeout_s: float = 30) -> None:
    """Until the page stopped changing for a moment: code highlighting and late widgets are drawn by then."""
    page.evaluate(
        """(quiet) => new Promise(done => {
             let timer = setTimeout(done, quiet);
             new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); })
               .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
           })""",
        quiet_ms,
    )


@pytest.fixture(scope="module")
def scanner(browser, server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci --prefix tests/a11y)")
    page = browser.new_page(viewport={"width": 1280, "height": 720})

    def scan(path: str) -> list[str]:
        page.goto(server + path)
        page.wait_for_selector("h1", timeout=30_000)
        _settled(page)
        page.add_script_tag(path=str(AXE))
        return page.evaluate(SCAN, RULES)

    yield scan
    page.close()


@pytest.mark.parametrize("path", PAGES + PRESENTATION)
def test_no_serious_accessibility_violation(scanner, path):
    assert scanner(path) == []


def test_the_scan_can_fail(browser, server):
    """The same scan finds a real violation when one is there (text at 1.5:1 contrast)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(server + "/methode")
        page.wait_for_selector("h1", timeout=30_000)
        page.evaluate("document.querySelector('h1').style.color = '#eeeeee'")
        time.sleep(0.2)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(SCAN, RULES)
    finally:
        page.close()
    assert any(v.startswith("color-contrast") for v in found)


def test_the_page_one_is_on_is_announced_and_code_blocks_take_focus(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(server + "/sql")
        page.wait_for_selector("h1", timeout=30_000)
        _settled(page)
        assert page.locator('a[data-testid="stPageLink-NavLink"][aria-current="page"]').inner_text().strip() == "SQL"
        # DuckDB's own words under a refusal are the page's code block: the keyboard can reach and scroll it.
        box = page.get_by_label("SQL (Ctrl+Enter of de knop om uit te voeren)")
        box.fill("select cast('geen getal' as integer)")
        box.press("Control+Enter")
        page.wait_for_selector("pre", timeout=30_000)
        _settled(page)
        assert page.locator("pre").first.get_attribute("tabindex") == "0"
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(SCAN, RULES) == []
        help_labels = page.evaluate(
            "[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
            ".filter(l => l.startsWith('Help for'))"
        )
        assert help_labels == []
    finally:
        page.close()


def test_zoeken_results_open_by_keyboard_and_link_within_the_app(browser, server):
    """Zoeken's results are one HTML block per group: 'Hele tekst' is a native <details> that Enter opens, with
    the focus ring; a result's link opens its theme and dynamic with the filters, inside the running app."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(server + "/zoeken?zoek=microcredentials&sector=wo")
        page.wait_for_selector("article.tm-kaart", timeout=30_000)
        _settled(page)
        details = page.locator("details.tm-hele-tekst").first
        summary = details.locator("summary")
        summary.focus()
        page.keyboard.press("Shift+Tab")  # reached by the keyboard, as a keyboard user would: the ring shows
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        ring = summary.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
        assert ring == ["solid", "3px"]
        assert details.get_attribute("open") is None
        page.keyboard.press("Enter")
        assert details.get_attribute("open") is not None
        assert details.locator("div p").first.is_visible()

        link = page.locator('article.tm-kaart a.tm-naar[href^="thema?"]').first
        href = link.get_attribute("href")
        assert href.startswith("thema?sector=wo&thema=") and "&dynamiek=" in href
        theme_name = re.match(r"→ Naar (.+) · ", link.inner_text()).group(1)
        page.evaluate("window.__sameApp = true")
        link.click()
        page.wait_for_url(re.compile(r"/thema\?sector=wo&thema=[a-z_]+&dynamiek="), timeout=30_000)
        page.wait_for_function(
            "(name) => document.querySelector('h1')?.innerText.trim() === name", arg=theme_name, timeout=30_000
        )
        assert page.evaluate("window.__sameApp === true")  # no new page load
    finally:
        page.close()
