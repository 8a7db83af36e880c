"""Text from data is shown as text, never run: the escaping helpers, and a hostile scoring form walked in a browser.

The hostile measurement goes the way a real one does: a copy of data_raw/ with a 2026 folder holding the shipped
scoring form, filled in with script tags, iframes, password forms, javascript: and phishing links, Markdown, a
30 KB text (near the longest a cell may be) and invisible bidi characters. The warehouse is built from it and the real
app is walked in headless chromium: no dialog may open, no injected element may exist, and the hostile text must
be readable literally.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from app.charts import radar
from app.charts.grid import score_grid
from app.charts.svg import svg_img
from app.text import escape
from app.ui import blocks, filtering
from tests.helpers import open_app_page, running_app
from tests.test_measurements import nulmeting_scores
from warehouse.build import DATA_RAW, build
from warehouse.template import TEMPLATE

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"

SCRIPT = "<script>alert(1)</script>"
IFRAME = '<iframe srcdoc="<script>parent.alert(2)</script>">'
IMG = "<img src=x onerror=alert(3)>"
PASSWORD_FORM = '<form action="http://evil"><input type=password name=p></form>'
JS_ANCHOR = '<a href="javascript:alert(4)">klik</a>'
JS_MARKDOWN_LINK = "[klik hier](javascript:alert(5))"
PHISHING_LINK = "[phish](http://evil.example)"
MARKDOWN = "**vet** _schuin_ # kop"
TEMPLATE_SYNTAX = "{{7*7}}"
SQL = "'; drop table fct_score; --"
BIDI = "begin\u202eredro esrever\u200b\u200d\u2060einde"
LONG = "lang " * 6_000  # 30 KB with its label: just under the build's cell limit (32,767, what an Excel cell holds)
LONG_CELL = "cel " * 8_000
HOSTILE = [SCRIPT, IFRAME, IMG, PASSWORD_FORM, JS_ANCHOR, JS_MARKDOWN_LINK, PHISHING_LINK, MARKDOWN, TEMPLATE_SYNTAX]
HOSTILE += [SQL, BIDI]
ALL_HOSTILE = " ".join(HOSTILE)

THEME, DYNAMIC = "digitalisering", "opbouw"  # the cell that carries the hostile texts

# Elements that must never appear: each is what one of the hostile strings would inject if it ran as HTML.
INJECTED = {
    "iframe": "iframe",
    "iframe[srcdoc]": "iframe[srcdoc]",
    "password field": "input[type=password]",
    "form to evil": "form[action*=evil]",
    "javascript: link": "a[href^='javascript' i]",
    # '#…evil…' is a heading's own anchor; the sources list links a source's own http(s) address, named by its site
    "link to evil": "a[href*=evil]:not([href^='#']):not(table.tm-teksttabel a[href^='http'])",
    "img with onerror": "img[onerror]",
    # app.presentation's own scripts carry data-tm (their only data is an escaped JavaScript string)
    "script in the page body": "[data-testid=stMain] script:not([data-tm]), [data-testid=stSidebar] script",
    "bold from data": "strong:text-is('vet'), b:text-is('vet')",
    "emphasis from data": "em:text-is('schuin'), i:text-is('schuin')",
}


# Pages whose code is not in this branch and still shows a text from data as Markdown (a link is then live).


# --- The helpers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_html_leaves_no_tag_and_round_trips(hostile):
    escaped = escape.text_html(hostile)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped and "'" not in escaped
    assert "\n" not in escaped  # a blank line would end the Markdown HTML block
    assert html.unescape(escaped) == hostile.replace("\u202e", "")


def test_text_html_in_an_html_block_is_one_literal_paragraph():
    block = escape.paragraphs_html(f"{SCRIPT}\n\n{IFRAME}\n \n{MARKDOWN}\nnog een regel")
    assert block.count("<p>") == 3 and "\n" not in block
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert "&lt;iframe srcdoc=&quot;&lt;script&gt;parent.alert(2)&lt;/script&gt;&quot;&gt;" in block


def test_text_html_removes_controls_that_break_xml_or_reorder_text():
    assert escape.text_html("a\x00b\x1fc\u202ed\u2066e\u200bf") == "abcde\u200bf"
    assert escape.text_html(None) == ""
    assert escape.text_html(":material/home:") == "&#58;material/home:"  # Streamlit would rewrite it


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        (SCRIPT, r"\<script\>alert(1)\</script\>"),
        (JS_MARKDOWN_LINK, r"\[klik hier\](javascript\:alert(5))"),
        (PHISHING_LINK, "\\[phish\\](http\u2060\\://evil.example)"),
        (MARKDOWN, r"\*\*vet\*\* \_schuin\_ \# kop"),
        ("- geen lijst", r"\- geen lijst"),
        ("12. geen lijst", r"12\. geen lijst"),
        ("mail x@y.nl of www.evil.nl", "mail x\u2060@y.nl of www\u2060.evil.nl"),
        ("$x$ en :smile: en :red[rood] en &lt;", r"\$x\$ en \:smile\: en \:red\[rood\] en \&lt;"),
        ("regel\n\nnog een", "regel nog een"),
        ("Lock-in (eigen wo-score)", "Lock-in (eigen wo-score)"),  # honest text stays as it was
    ],
)
def test_text_markdown_escapes_every_markdown_construct(hostile, expected):
    assert escape.text_markdown(hostile) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.npuls.nl/x?a=1&b=2", "https://www.npuls.nl/x?a=1&b=2"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example", None),
        ("https://evil.example/<script>", "https://evil.example/<script>"),  # a link target, escaped where it is used
        (None, None),
    ],
)
def test_safe_url_only_passes_http(url, expected):
    assert escape.safe_url(url) == expected


def test_evidence_html_bold_heading_is_ours_and_text_is_escaped():
    row = {"heading": SCRIPT, "evidence_text": f"{MARKDOWN}\n\n{IMG}", "sector_codes": [SCRIPT]}
    assert blocks.evidence_html(row) == (
        "<div><p><strong>&lt;script&gt;alert(1)&lt;/script&gt;:</strong> **vet** _schuin_ # kop</p>"
        "<p>&lt;img src=x onerror=alert(3)&gt;</p></div>"
    )
    assert blocks.badges([SCRIPT, "alle"], "sectorbreed (expliciet)") == (
        '<span class="tm-badge">&lt;script&gt;alert(1)&lt;/script&gt;</span><span class="tm-badge">sectorbreed</span>'
    )
    assert blocks.badges(["alle"], "geen sector genoemd") == ""  # 'sectorbreed' only where the report says so


def html_elements(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every element a browser would build from the markup, with its attributes."""
    from html.parser import HTMLParser

    elements: list[tuple[str, dict[str, str]]] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: elements.append((tag, {k: v or "" for k, v in attrs}))
    parser.feed(markup)
    return elements


def html_tags(markup: str) -> set[str]:
    return {tag for tag, _ in html_elements(markup)}


def assert_no_active_attributes(markup: str, http_links_from_data: bool = False) -> None:
    """No script in any attribute; no link target from data, except - where `http_links_from_data` (the sources
    list) - an http(s) address as the target of a link, which runs nothing."""
    for tag, attributes in html_elements(markup):
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name != "srcdoc", (tag, name, value)
            if name in ("href", "src", "action", "formaction"):  # a link or load target: never one from data
                assert not re.match(r"\s*(javascript|data:text)", value, re.IGNORECASE), (tag, name, value)
                if not (http_links_from_data and tag == "a" and re.match(r"https?://", value)):
                    assert "evil" not in value, (tag, name, value)


def _scores(theme_name: str, dynamic_name: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "theme_code": [THEME] * 4,
            "theme_name": [theme_name] * 4,
            "theme_order": [1] * 4,
            "dynamic_code": ["opbouw", "institutionalisering", "lock_in", "afbouw"],
            "dynamic_name": [dynamic_name, "Institutionalisering", "Lock-in", "Afbouw"],
            "dynamic_order": [1, 2, 3, 4],
            "higher_is_better": [True, True, False, True],
            "score": [4, 3, 4, 2],
            "sector_code": [f"wo{SCRIPT}", "alle", "alle", "alle"],
        }
    )


def test_radar_svg_is_well_formed_xml_with_hostile_names():
    svg = radar.radar_svg(_scores(f"{ALL_HOSTILE}\x01", IFRAME))
    root = ET.fromstring(svg)  # raises on a tag or entity the data broke
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert SCRIPT in texts and IFRAME in texts
    assert not [e for e in root.iter() if e.tag.split("}")[1] in ("script", "iframe", "img", "a", "foreignObject")]
    image = svg_img(svg, f'{SCRIPT}" onload="alert(7)')
    assert "<script>" not in image and '" onload="' not in image


def test_score_grid_escapes_names_and_attributes(monkeypatch):
    # Filters.params looks up the latest measurement in the warehouse: not needed to build the grid's text.
    monkeypatch.setattr(filtering.Filters, "params", lambda self, **extra: {k: v for k, v in extra.items() if v})
    filters = filtering.Filters(year=2025, sector="alle", theme=None, presentation=False)
    scores = _scores(f'{SCRIPT}" onmouseover="alert(6)', IMG)
    grid = score_grid(scores, scores.select("dynamic_code", "dynamic_name", "higher_is_better"), filters)
    assert "&quot; onmouseover=&quot;alert(6)" in grid
    assert_no_active_attributes(grid)
    assert html_tags(grid) <= {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "br", "small", "sup", "span"}


# --- A hostile scoring form, built into a warehouse ------------------------------------------------------------


def fill_hostile_form(path: Path) -> Path:
    """The shipped form filled as an attacker would: every free-text cell hostile."""
    workbook = load_workbook(TEMPLATE)
    workbook["meting"].append([2026, f"Meting 2026 {SCRIPT} {PHISHING_LINK}"])
    base = nulmeting_scores()
    for row in workbook["scores"].iter_rows(min_row=2):
        key = (row[1].value, row[2].value)
        score = int(base[key])
        if key == (THEME, "afbouw"):  # one changed score: Voortgang then shows both justifications
            score = score + 1 if score < 5 else score - 1
        row[4].value = score
        if key[0] == THEME:
            row[5].value = "\n\n".join([*HOSTILE, "einde onderbouwing"])
            row[6].value = f"formulier {SCRIPT} {PHISHING_LINK}"
        else:
            row[5].value = f"Onderbouwing {key[0]} × {key[1]}."
    evidence = workbook["bewijs"]
    for seq, text in enumerate([*HOSTILE, LONG_CELL], start=1):
        heading = None if text is LONG_CELL else text
        sector = "wo" if seq % 2 else None
        evidence.append([2026, "voorbeeld", THEME, DYNAMIC, seq, sector, heading, text, f"bron {text[:60]}"])
    evidence.append([2026, "variatie", THEME, DYNAMIC, 1, None, None, "\n\n".join(HOSTILE), SCRIPT])
    evidence.append([2026, "samenvatting_thema", THEME, None, 1, None, SCRIPT, ALL_HOSTILE, PHISHING_LINK])
    evidence.append([2026, "samenvatting_dynamiek", None, DYNAMIC, 1, None, None, ALL_HOSTILE, IFRAME])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def append_hostile_csv(folder: Path) -> None:
    """Rows the form has no sheet for, added to the nulmeting's CSV files (a year is either a form or CSV files):
    method texts, one with the 30 KB text, and sources with javascript:, data: and phishing URLs."""
    with (folder / "method_texts.csv").open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([2025, "§2.1", SCRIPT, 99, f"{ALL_HOSTILE}\n\n{LONG}", PHISHING_LINK, ""])
        writer.writerow([2025, "§2.2", IFRAME, 99, "\n\n".join(HOSTILE), SCRIPT, ""])
    with (folder / "sources.csv").open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        urls = [(SCRIPT, "javascript:alert(8)"), (PHISHING_LINK, "http://evil.example"), (IMG, "data:text/html,x")]
        for seq, (title, url) in enumerate(urls, start=97):  # source_id holds two digits
            writer.writerow([2025, seq, title, title, IFRAME, url, "true", SCRIPT, ""])


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("hostile") / "data_raw"
    shutil.copytree(DATA_RAW, raw)
    fill_hostile_form(raw / "measurements" / "2026" / "scoringsformulier 2026.xlsx")
    append_hostile_csv(raw / "measurements" / "2025")
    path = tmp_path_factory.mktemp("hostile_wh") / "transitiemonitor.duckdb"
    result = build(raw, path)
    assert result.ok, "\n".join(result.messages)
    return path


def open_page(warehouse: Path, monkeypatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse))
    return open_app_page(page, **params)


ALLOWED_TAGS = {"div", "p", "strong", "em", "ul", "li", "br", "span", "small", "style", "img"}
ALLOWED_TAGS |= {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "sup"}  # the score grid
ALLOWED_TAGS |= {"caption"}  # plain tables (a chart's table, the sources list)
ALLOWED_TAGS |= {"article", "h4"}  # cards (Voorbeelden, the Overzicht's themes)
ALLOWED_TAGS |= {"details", "summary"}  # 'Hele tekst' under a result on Zoeken
ALLOWED_TAGS |= {"mark"}  # search matches on Voorbeelden
ALLOWED_TAGS |= {"button"}  # 'Kopieer link' (app/ui/filter_tools.py): a fixed button, its click handler a script


def page_sources(at: AppTest) -> tuple[list[str], list[str]]:
    """(HTML the page builds, Markdown it renders without HTML), as sent to the browser."""
    markdown = [m for m in at.markdown] + list(at.caption)
    html_blocks = list(at.get("html"))
    # Our own scripts (app.presentation: in-app links, Dutch words, scrolling to a score) are the only blocks that
    # run JavaScript; a code from data appears in them only as an escaped JavaScript string, never as a tag.
    for block in html_blocks:
        if block.proto.unsafe_allow_javascript:
            body = block.proto.body.strip()
            opening = re.match(r'<script data-tm="[a-z]+">', body)
            assert opening and body.endswith("</script>"), body[:300]
            inner = body[opening.end() : -len("</script>")]
            assert not re.search(r"(?i)</?script|<!--", inner), body[:300]
    html_sources = [m.value for m in markdown if m.proto.allow_html]
    html_sources += [h.proto.body for h in html_blocks if not h.proto.unsafe_allow_javascript]
    plain = [m.value for m in markdown if not m.proto.allow_html] + [t.value for t in at.title]
    plain += [h.value for h in at.header] + [h.value for h in at.subheader] + [i.value for i in at.info]
    plain += [e.label for e in at.expander] + [link.proto.label for link in at.get("page_link")]
    return html_sources, plain


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("overzicht", {}),
        ("thema", {"thema": THEME, "dynamiek": DYNAMIC}),
        ("thema", {"thema": THEME, "dynamiek": DYNAMIC, "sector": "wo"}),
        ("voorbeelden", {"thema": THEME}),
        ("voorbeelden", {"zoek": "alert"}),
        ("zoeken", {"zoek": "alert script"}),
        ("methode", {}),
        ("methode", {"jaar": "2025"}),
    ],
)
def test_apptest_pages_send_only_escaped_text(hostile_warehouse, monkeypatch, page, params):
    at = open_page(hostile_warehouse, monkeypatch, page, **params)
    if page == "methode":  # the introduction and sources are made only when opened: open them, so they are checked
        at.session_state["methode-inleiding"] = True
        at.session_state["methode-bronnen"] = True
        at.run()
    html_sources, plain = page_sources(at)
    for source in html_sources:
        assert html_tags(source) <= ALLOWED_TAGS, source[:300]
        assert_no_active_attributes(source, http_links_from_data="<caption>Geraadpleegde bronnen</caption>" in source)
    for source in plain:  # Markdown without HTML: every tag and link bracket from data carries a backslash
        assert not re.search(r"(?<!\\)<[a-z/]|(?<!\\)\]\(|(?<!\\)\*\*vet", source), source[:300]
    if page in ("thema", "voorbeelden"):
        assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in source for source in html_sources)
    if page == "zoeken":  # the best passage, its words marked: <mark> around escaped text only
        assert any("&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)" in source for source in html_sources)


def test_apptest_hostile_theme_page_shows_every_text(hostile_warehouse, monkeypatch):
    at = open_page(hostile_warehouse, monkeypatch, "thema", thema=THEME, dynamiek=DYNAMIC)
    shown = html.unescape("\n".join(m.value for m in at.markdown))
    for text in HOSTILE:
        assert text.replace("\u202e", "") in shown, text
    assert LONG_CELL.strip() in shown  # a full spreadsheet cell, whole
    caption = next(c.value for c in at.caption if "formulier" in c.value)
    assert caption == escape.text_markdown(f"formulier {SCRIPT} {PHISHING_LINK}")


def test_apptest_sources_link_only_http(hostile_warehouse, monkeypatch):
    at = open_page(hostile_warehouse, monkeypatch, "methode", jaar="2025")
    at.session_state["methode-bronnen"] = True  # the sources are made when their expander opens
    at.run()
    table = next(h.proto.body for h in at.get("html") if "<caption>Geraadpleegde bronnen</caption>" in h.proto.body)
    rows = ET.fromstring(table).find("tbody")  # every cell escaped: the table parses as XML
    by_title = {row[0].text: row[4] for row in rows}
    assert {SCRIPT, PHISHING_LINK, IMG} <= set(by_title)
    links = [by_title[title].find("a") for title in (SCRIPT, PHISHING_LINK, IMG)]
    # An http(s) address stays a link (it runs nothing); javascript: and data: stay text.
    assert [link.get("href") if link is not None else None for link in links] == [None, "http://evil.example", None]
    assert all(a.get("href").startswith(("http://", "https://")) for a in rows.iter("a"))
    assert all(a.get("rel") == "noopener noreferrer" for a in rows.iter("a"))
    assert "<script" not in table and "<img" not in table


# --- The real app in a real browser ---------------------------------------------------------------------------

playwright_api = pytest.importorskip("playwright.sync_api")


def wait_ready(page) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


def injected_elements(page) -> dict[str, int]:
    found = {name: page.locator(selector).count() for name, selector in INJECTED.items()}
    return {name: count for name, count in found.items() if count}


def test_hostile_form_in_the_browser(hostile_warehouse, browser):
    dialogs: list[str] = []
    problems: dict[str, dict[str, int]] = {}
    with running_app({"TM_WAREHOUSE": str(hostile_warehouse)}) as base:
        page = browser.new_context(viewport={"width": 1500, "height": 1100}).new_page()

        def on_dialog(dialog) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

        def visit(name: str, path: str, *literal: str) -> None:
            page.goto(f"{base}/{path}")
            wait_ready(page)
            check(name, *literal)

        def check(name: str, *literal: str) -> None:
            page.wait_for_timeout(300)  # an injected onerror or srcdoc script would have run by now
            if found := injected_elements(page):
                problems[name] = found
            for text in literal:
                expect(page.get_by_text(text, exact=False).first).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / f"hostile-{name}.png"))

        expect = playwright_api.expect
        visit("overzicht", "", SCRIPT, IFRAME, PHISHING_LINK, MARKDOWN)
        visit("thema", f"thema?thema={THEME}&dynamiek={DYNAMIC}", SCRIPT, IFRAME, IMG, JS_ANCHOR, PASSWORD_FORM)
        for text in (JS_MARKDOWN_LINK, PHISHING_LINK, MARKDOWN, TEMPLATE_SYNTAX, SQL, "begin"):
            expect(page.get_by_text(text, exact=False).first).to_be_attached()
        page.get_by_role("heading", name="Illustrerende voorbeelden").scroll_into_view_if_needed()
        check("thema-voorbeelden", JS_ANCHOR)
        visit("thema-wo", f"thema?thema={THEME}&dynamiek={DYNAMIC}&sector=wo", SCRIPT)
        visit("voorbeelden", f"voorbeelden?thema={THEME}", SCRIPT, IFRAME)
        search = page.get_by_label("Zoek")
        search.fill(SCRIPT)
        search.press("Enter")
        page.wait_for_url(lambda url: "zoek=" in url)
        wait_ready(page)
        check("voorbeelden-zoeken", SCRIPT)
        visit("zoeken", "zoeken?zoek=alert+script", SCRIPT)  # the passage, its words marked, still text
        page.locator("details.tm-hele-tekst > summary").first.press("Enter")
        check("zoeken-hele-tekst")
        visit("voortgang", "voortgang")
        visit("methode", "methode", "Geraadpleegde bronnen")
        page.get_by_text(re.compile(r"^Alle \d+ bronnen met hun link")).click()
        check("methode-bronnen", SCRIPT)
        visit("methode-2025", "methode?jaar=2025", SCRIPT, IFRAME, "lang lang")

        visit("sql", "sql")
        editor = page.get_by_label("SQL (Ctrl+Enter of de knop om uit te voeren)")
        editor.fill("select heading, evidence_text from fct_evidence where evidence_text like '%<script>%'")
        page.get_by_role("button", name="Uitvoeren").click()
        expect(page.get_by_text("rijen", exact=False).first).to_be_visible(timeout=30_000)
        wait_ready(page)
        check("sql", "like '%<script>%'")
    page.context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not problems, problems
