"""One run in a real headless browser (Debian's chromium via Playwright): click through as a person would.

Full-page screenshots of every page, normal and in presentation mode, land in tests/artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


def wait_ready(page) -> None:
    """Wait until Streamlit has finished running the script and drawn any chart."""
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    # Charts load their plotting library lazily: wait until every chart element has drawn its SVG.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .every(c => c.querySelector('.main-svg .scatterlayer .trace'))""",
        timeout=30_000,
    )
    page.wait_for_timeout(400)


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to fit it first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 12_000)})
    page.wait_for_timeout(500)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def result_count(page) -> int:
    heading = page.locator("h3", has_text=re.compile(r"^\d+ resulta")).first
    return int(heading.inner_text().split()[0])


def test_click_through_filter_share_and_go_back(server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()

    # Overzicht: the state of the transition at a glance.
    page.goto(server)
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Staat van transitie")
    expect(page.locator("#cel-flexibele_leerroutes-lock_in")).to_have_text("4")
    expect(page.locator('img[alt^="Radar van de scores"]')).to_be_visible()
    screenshot(page, "01-overzicht")

    # One click on a score: the theme page at that dynamic, with its justification and examples.
    page.locator("#cel-flexibele_leerroutes-lock_in").click()
    page.wait_for_url(re.compile(r"/thema\?.*thema=flexibele_leerroutes"))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Flexibele leerroutes")
    expect(page.get_by_text("Lock-in: score 4")).to_be_visible()
    expect(page.get_by_text("Nieuwe bewegingen buigen snel terug naar het bestaande")).to_be_visible()
    expect(page.get_by_text("Lerenden hebben weinig inzicht in flexibiliseringsmogelijkheden")).to_be_visible()
    screenshot(page, "02-thema-flexibele-leerroutes-lock-in")

    # From the theme to its evidence; one example there links back to a theme.
    page.get_by_text("Al het bewijs bij dit thema doorzoeken").click()
    page.wait_for_url(re.compile(r"/voorbeelden\?"))
    wait_ready(page)
    all_sectors = result_count(page)
    assert all_sectors > 0
    # Search as you type: no Enter, the count follows the typing (after a short pause) and matches are marked.
    search = page.get_by_label("Zoek")
    entries = page.evaluate("history.length")
    search.click()
    page.keyboard.type("microcredentials", delay=40)
    page.wait_for_url(re.compile(r"zoek=microcredentials"))
    expect(page.locator("h3", has_text=re.compile(r"^\d+ resulta")).first).not_to_have_text(
        re.compile(rf"^{all_sectors} resulta")
    )
    wait_ready(page)
    searched = result_count(page)
    assert 0 < searched < all_sectors
    expect(page.locator("mark").first).to_be_visible()
    expect(search).to_be_focused()  # typing on was never interrupted
    expect(search).to_have_value("microcredentials")  # no run started mid-word wrote its older text back
    assert page.evaluate("history.length") - entries <= 1  # one back-button step for the search, not one per key
    # The active-filters line above the title follows the box (it is redrawn with the results, not only on a full run).
    expect(page.get_by_text(re.compile(r"Actieve filters:.*Zoekwoord: microcredentials")).first).to_be_visible()
    screenshot(page, "03-voorbeelden-zoeken")

    # Change the sector filter in the sidebar.
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="wo", exact=True).click()
    page.wait_for_url(re.compile(r"sector=wo"))
    # The rerun may start a moment after the address changed: wait for the count to move, not for a quiet page.
    heading = page.locator("h3", has_text=re.compile(r"^\d+ resulta")).first
    expect(heading).not_to_have_text(re.compile(rf"^{searched} resulta"), timeout=30_000)
    wait_ready(page)
    wo_count = result_count(page)
    assert wo_count < searched
    shared_url = page.url

    # The copied link reproduces the exact view in a fresh browser session.
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    other.goto(shared_url)
    wait_ready(other)
    expect(other.locator("h1")).to_have_text("Voorbeelden en bewijs")
    assert result_count(other) == wo_count
    expect(other.get_by_label("Zoek")).to_have_value("microcredentials")
    other.context.close()

    # The back button undoes the filter change.
    page.go_back()
    page.wait_for_url(lambda url: "sector=wo" not in url)
    expect(heading).to_have_text(re.compile(rf"^{searched} resulta"), timeout=30_000)
    wait_ready(page)
    assert result_count(page) == searched

    # A card's link opens its theme at its dynamic, inside the running app (no new page load, as a page link).
    link = page.locator("a.tm-naar").first
    theme_name = re.match(r"→ Naar (.+) · ", link.inner_text()).group(1)
    page.evaluate("window.__sameApp = true")
    link.click()
    page.wait_for_url(re.compile(r"/thema\?.*thema="))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text(theme_name)
    assert page.evaluate("window.__sameApp === true")

    # One search over the whole monitor, from the navigation: a typo offered as corrected, results grouped.
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Zoeken").click()
    page.wait_for_url(re.compile(r"/zoeken"))
    wait_ready(page)
    page.get_by_label("Zoek in de monitor").fill("microcredentals")
    page.get_by_label("Zoek in de monitor").press("Enter")
    expect(page.get_by_role("button", name=re.compile("Bedoelde u: microcredentials"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Scores en hun onderbouwing \(\d+\)"))).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    screenshot(page, "04-zoeken")

    # Methode, normal and in presentation mode on a 1920×1080 beamer.
    page.goto(f"{server}/methode")
    wait_ready(page)
    expect(page.get_by_text("Wat het sectorfilter wel en niet betekent")).to_be_visible()
    screenshot(page, "04-methode")
    page.goto(f"{server}/voortgang")
    wait_ready(page)
    expect(page.get_by_text("Voortgang verschijnt vanaf de tweede meting")).to_be_visible()
    screenshot(page, "04-voortgang-een-meting")
    context.close()

    beamer = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    for name, path in (("overzicht", ""), ("thema", "thema?thema=flexibele_leerroutes&dynamiek=lock_in")):
        separator = "&" if "?" in path else "?"
        beamer.goto(f"{server}/{path}{separator}weergave=presentatie")
        wait_ready(beamer)
        expect(beamer.locator('[data-testid="stSidebar"]')).to_be_hidden()
        expect(beamer.get_by_role("link", name="Presentatie uit")).to_be_visible()
        screenshot(beamer, f"05-presentatie-{name}")
    beamer.context.close()
