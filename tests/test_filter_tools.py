"""Filters a person can see, clear and share: 'Actieve filters', 'Wis filters', 'Kopieer link', download names that
carry every filter, and the sector-wide caveat on a sector's chart images (issue #18). AppTest; the browser side
(clipboard, one-click reset in chromium) is in tests/test_filter_tools_browser.py."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from tests.helpers import open_app_page

CAVEAT = "de scores gelden voor het hele stelsel"
FILTERED = {"sector": "wo", "thema": "flexibele_leerroutes", "zoek": "microcredentials", "instelling": "npuls"}


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's file name and data callable, by label."""
    import streamlit as st
    from streamlit.elements.widgets.button import ButtonMixin

    made: dict[str, tuple[str, object]] = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        made[label] = (file_name, data)
        made[f"file:{file_name}"] = (file_name, data)  # several tables on a page share the labels
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *args, **kwargs: recording(st._main, *args, **kwargs))
    return made


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_voorbeelden_downloads_are_named_after_every_filter(downloads):
    at = open_app_page("voorbeelden", **FILTERED)
    stem = "transitiemonitor-voorbeelden-2025-wo-flexibele_leerroutes-zoek-microcredentials-instelling-npuls"
    assert downloads["Download Excel"][0] == f"{stem}.xlsx"
    assert downloads["Download CSV"][0] == f"{stem}.csv"
    workbook = load_workbook(io.BytesIO(downloads["Download Excel"][1]()))
    about = {row[0]: row[1] for row in workbook["Over deze tabel"].iter_rows(min_row=2, values_only=True)}
    assert about["Filters op deze pagina"] == "Zoekwoord: microcredentials · Instelling: Npuls"
    assert "Sector: wo" in about["Filters"] and "Flexibele leerroutes" in about["Filters"]
    assert "Actieve filters:" in captions(at)


def test_a_sectors_scores_table_says_in_excel_that_its_scores_are_sector_wide(downloads):
    open_app_page("overzicht", sector="wo")
    workbook = load_workbook(io.BytesIO(downloads["file:transitiemonitor-scores-2025-wo-alle-themas.xlsx"][1]()))
    about = {row[0]: row[1] for row in workbook["Over deze tabel"].iter_rows(min_row=2, values_only=True)}
    assert about["Sector"] == "Sector: wo — de scores gelden voor het hele stelsel (sectorbreed)"
    open_app_page("overzicht")  # all sectors: nothing to say
    workbook = load_workbook(
        io.BytesIO(downloads["file:transitiemonitor-scores-2025-alle-sectoren-alle-themas.xlsx"][1]())
    )
    assert "Sector" not in {row[0] for row in workbook["Over deze tabel"].iter_rows(min_row=2, values_only=True)}


def test_a_hostile_search_makes_a_safe_file_name(downloads):
    open_app_page("voorbeelden", zoek='../../etc/passwd <script>"ë;|')
    name = downloads["Download Excel"][0]
    assert name == "transitiemonitor-voorbeelden-2025-alle-sectoren-alle-themas-zoek-etc-passwd-script-e.xlsx"


def test_active_filters_line_names_what_narrows_the_page():
    at = open_app_page("voorbeelden", **FILTERED)
    line = next(c.value for c in at.caption if "Actieve filters:" in c.value).replace("\\", "")  # Markdown escapes
    for part in ("Sector: wo", "Thema: Flexibele leerroutes", "Zoekwoord: microcredentials", "Instelling: Npuls"):
        assert part in line, part
    assert "Actieve filters:" not in captions(open_app_page("voorbeelden"))
    overzicht = open_app_page("overzicht", sector="hbo")
    assert any("Actieve filters:" in c.value and "Sector\\: hbo" in c.value for c in overzicht.caption)


def test_wis_filters_resets_url_and_widgets_in_one_click():
    at = open_app_page("voorbeelden", lijst="tabel", **FILTERED)
    narrowed = at.markdown
    assert at.text_input(key="zoek").value == "microcredentials"
    at.button(key="wis-filters").click().run()
    assert not at.exception
    params = {k: v for k, v in at.query_params.items() if v not in ([], "", None)}
    assert params == {"lijst": ["tabel"]} or params == {"lijst": "tabel"}, params  # the view stays
    assert at.text_input(key="zoek").value == ""
    assert at.radio(key="thema").value == "alle"
    assert at.selectbox(key="instelling").value == "alle"
    assert at.segmented_control(key="sector").value == "alle"
    assert "Actieve filters:" not in captions(at)
    assert "Alle filters gewist." in captions(at)
    assert at.button(key="wis-filters").disabled  # nothing left to clear
    assert [m.value for m in at.markdown] != [m.value for m in narrowed]


def test_wis_filters_above_the_page_does_the_same():
    at = open_app_page("overzicht", sector="mbo", thema="digitalisering", jaar="2025")
    at.button(key="wis-filters-boven").click().run()
    assert not at.exception
    assert not {k for k in at.query_params if k in ("sector", "thema", "jaar")}
    assert at.segmented_control(key="sector").value == "alle" and at.radio(key="thema").value == "alle"


def test_kopieer_link_is_in_the_sidebar_on_every_page():
    for page in ("overzicht", "voorbeelden", "methode"):
        at = open_app_page(page)
        bodies = [h.proto.body for h in at.sidebar.get("html")]
        assert any("data-tm-copy" in body and "Kopieer link" in body for body in bodies), page
        script = next(h.proto for h in at.get("html") if 'data-tm="kopieer"' in h.proto.body)
        assert script.body.startswith('<script data-tm="kopieer">') and "Link gekopieerd" in script.body


def test_a_sector_radar_image_says_its_scores_are_sector_wide(downloads):
    open_app_page("overzicht", sector="wo")
    svg = downloads["Download SVG"][1]().decode("utf-8")
    text = " ".join("".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert f"Sector: wo — {CAVEAT}" in text
    assert downloads["Download PNG"][0] == "transitiemonitor-radar-2025-wo-alle-themas.png"
    downloads.clear()
    open_app_page("overzicht")
    assert CAVEAT not in downloads["Download SVG"][1]().decode("utf-8")


def test_voorbeelden_download_is_fetched_when_clicked_in_the_order_shown(downloads, monkeypatch):
    """A search per typed key must not fetch its whole list for the downloads; the file, made on the click, holds
    every result in the order of the cards."""
    import csv

    from app import data

    fetched = []
    original = data.evidence_download
    monkeypatch.setattr(data, "evidence_download", lambda selection: fetched.append(selection) or original(selection))
    at = open_app_page("voorbeelden", zoek="docent")
    assert fetched == []  # drawing the page fetched nothing for the downloads
    rows = list(csv.DictReader(io.StringIO(downloads["Download CSV"][1]().decode("utf-8-sig")), delimiter=";"))
    assert len(fetched) == 1
    total = int(next(m.value for m in at.markdown if m.value.startswith("### ")).split()[1].replace(".", ""))
    assert len(rows) == total > 25
    shown = data.evidence_page(fetched[0], 0, 25).rows["evidence_id"].to_list()
    assert [r["Id"] for r in rows[:25]] == shown
    workbook = load_workbook(io.BytesIO(downloads["Download Excel"][1]()))
    about = {row[0]: row[1] for row in workbook["Over deze tabel"].iter_rows(min_row=2, values_only=True)}
    assert about["Rijen"] == f"{total} rijen"
