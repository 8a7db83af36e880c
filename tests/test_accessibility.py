"""WCAG 2.1 AA, the bar Dutch public bodies work to: axe-core (npm, tests/a11y) scans every page in normal and
presentation mode at the commonest beamer size and finds nothing serious or critical."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/thema", "/voorbeelden", "/voortgang", "/methode", "/sql", "/scoringssessie", "/meedoen"]
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
