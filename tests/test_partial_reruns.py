"""Partial reruns in a real browser: a control inside a fragment redraws that part of the page and leaves the rest;
what is not on screen is made when it is opened; after a sector change every link carries the sector."""

from __future__ import annotations

import re

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


def settled(page) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(300)


# Counts every change to the element that holds a theme's summary, below the scores: a full rerun touches it (it
# is marked stale and fresh again), a rerun of the scores part does not.
WATCH_SUMMARY = """(() => {
  window.__summaryTouched = 0;
  const element = [...document.querySelectorAll('[data-testid="stElementContainer"]')]
    .find(e => e.innerText.includes("geeft een bijzonder beeld"));
  new MutationObserver(ms => { window.__summaryTouched += ms.length; })
    .observe(element, {attributes: true, subtree: true, childList: true, characterData: true});
})()"""


def hrefs(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href') || '')")


def test_radar_view_switch_redraws_only_the_scores_part(server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(server)
    settled(page)
    # The summary may still be on its way when the status widget is gone: watch it once it is there.
    expect(page.get_by_text("geeft een bijzonder beeld").first).to_be_attached(timeout=30_000)
    page.evaluate(WATCH_SUMMARY)
    page.locator('[data-testid="stMain"]').get_by_role("radio", name="Per thema", exact=True).click()
    page.wait_for_url(re.compile(r"radar=per_thema"))
    expect(page.locator('img[alt^="Radar. "]')).to_have_count(5)
    settled(page)
    expect(page.get_by_text("'Flexibele leerroutes' geeft een bijzonder beeld")).to_be_visible()
    assert page.evaluate("window.__summaryTouched") == 0  # a full rerun marks every element stale and back
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    context.close()


def test_after_a_sector_change_every_link_carries_it(server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(server)
    settled(page)
    summary = page.get_by_text("'Flexibele leerroutes' geeft een bijzonder beeld")
    expect(summary).to_be_visible()

    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="wo", exact=True).click()
    page.wait_for_url(re.compile(r"sector=wo"))
    expect(page.get_by_text("geeft geen aparte scores voor het wo")).to_be_visible()
    # Every cell of the grid links to its theme with the sector.
    expect(page.locator("#cel-flexibele_leerroutes-lock_in")).to_have_attribute("href", re.compile(r"sector=wo"))
    # And the other links that carry the filters: the sidebar's pages and each theme's 'Naar het thema'.
    sidebar = hrefs(page, '[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')
    assert sidebar and all("sector=wo" in href for href in sidebar), sidebar
    theme_links = '[data-testid="stMain"] a.tm-naar:has-text("Naar het thema")'
    expect(page.locator(theme_links)).to_have_count(5)  # the summaries' block may still be on its way
    themes = hrefs(page, theme_links)
    assert len(themes) == 5 and all("sector=wo" in href for href in themes), themes
    expect(summary).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)

    # The back button undoes it.
    page.go_back()
    page.wait_for_url(lambda url: "sector=" not in url)
    settled(page)
    expect(page.get_by_text("geeft geen aparte scores voor het wo")).to_have_count(0)
    themes = hrefs(page, '[data-testid="stMain"] a.tm-naar:has-text("Naar het thema")')
    assert not any("sector=" in href for href in themes), themes
    context.close()


def test_collapsed_text_is_made_when_opened(server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/methode")
    settled(page)
    opening = "Het diploma vormde het centrale organiserende principe."
    assert opening not in page.content()  # not drawn, not even hidden, while the expander is closed

    page.get_by_test_id("stExpander").get_by_text("Introductie en hoofdstuk 1 van het rapport").click()
    expect(page.get_by_text(opening)).to_be_visible()
    expect(page.get_by_text("Wat het sectorfilter wel en niet betekent")).to_be_visible()  # the page stays
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    context.close()


# Marks the search box's element and counts changes to the sidebar: a rerun of the fragment leaves both alone.
WATCH_BOX_AND_SIDEBAR = """(() => {
  document.querySelector('input[type="search"]').__tmSameBox = true;
  window.__sidebarTouched = 0;
  new MutationObserver(ms => { window.__sidebarTouched += ms.length; }).observe(
    document.querySelector('[data-testid="stSidebar"]'),
    {attributes: true, subtree: true, childList: true, characterData: true});
})()"""


@pytest.mark.parametrize(("path", "label"), [("voorbeelden", "Zoek"), ("zoeken", "Zoek in de monitor")])
def test_fast_typing_keeps_every_letter_and_reruns_only_the_search(server, browser, path, label):
    """No filter active, so the first letter brings the active-filters line above the box: the box must stay the
    same element (a new one lost its focus and every letter after it), and the results are the whole word's."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/{path}")
    settled(page)
    box = page.get_by_label(label).first
    box.click()
    page.evaluate(WATCH_BOX_AND_SIDEBAR)
    page.keyboard.type("microcredentials", delay=30)
    expect(box).to_have_value("microcredentials")  # a box drawn anew kept only the letters before it ('m')
    page.wait_for_url(re.compile(r"zoek=microcredentials"), timeout=30_000)
    expect(page.get_by_text(re.compile(r"Actieve filters:.*Zoekwoord: microcredentials")).first).to_be_visible()
    settled(page)
    page.wait_for_timeout(500)
    expect(box).to_have_value("microcredentials")  # no run started mid-word wrote its older text back
    expect(box).to_be_focused()
    assert page.evaluate("document.activeElement.__tmSameBox === true")  # never drawn anew while typing
    assert page.evaluate("window.__sidebarTouched") == 0  # each key reran the fragment, not the page
    shown = page.locator("h3").all_inner_texts()
    fresh = context.new_page()
    fresh.goto(f"{server}/{path}?zoek=microcredentials")
    settled(fresh)
    expect(fresh.locator("h3").first).to_be_visible()
    assert shown == fresh.locator("h3").all_inner_texts()  # the whole word's results, not a prefix's
    context.close()
