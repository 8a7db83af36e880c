"""AppTest: every page and filter path, asserting what a user reads."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import open_app_page

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


def open_page(page: str = "overzicht", **params: str) -> AppTest:
    return open_app_page(page, timeout=30, **params)


def text_of(at: AppTest) -> str:
    """What a user reads: text from data reaches Markdown HTML-escaped inside our HTML blocks."""
    parts = [html.unescape(m.value) for m in at.markdown]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [t.value for t in at.title] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning]
    parts += [html.unescape(h.proto.body) for h in at.get("html") if "<style" not in h.proto.body]  # HTML blocks
    return "\n".join(parts)


def links(at: AppTest) -> list:
    return list(at.get("page_link"))


# --- Overzicht ---------------------------------------------------------------------------------------------


def score_cells(at: AppTest) -> dict[tuple[str, str], tuple[str, str]]:
    """(theme, dynamic) → (score shown, link target) of each cell in the grid."""
    grid = next(h.proto.body for h in at.get("html") if "tm-grid" in h.proto.body and "<table" in h.proto.body)
    cells = {}
    for href, score in re.findall(r'<a class="tm-cel"[^>]*href="([^"]+)"[^>]*>(\d)</a>', grid):
        params = parse_qs(urlsplit(html.unescape(href)).query)
        cells[(params["thema"][0], params["dynamiek"][0])] = (score, html.unescape(href))
    return cells


def test_overzicht_shows_all_twenty_scores_as_links():
    at = open_page()
    assert at.title[0].value == "Staat van transitie"
    cells = score_cells(at)
    assert len(cells) == 20
    assert cells[("flexibele_leerroutes", "lock_in")][0] == "4"
    assert cells[("student_naar_lerende", "afbouw")][0] == "1"
    assert cells[("rollen_professionals", "institutionalisering")][0] == "4"
    assert cells[("digitalisering", "opbouw")][0] == "4"
    assert cells[("flexibele_leerroutes", "lock_in")][1].startswith("thema?")
    grid = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert 'Lock-in<br><small class="tm-noot-kop">↑ = meer weerstand</small>' in grid
    assert '<td class="tm-noot" colspan="5">Lock-in: ↑ = meer weerstand</td>' in grid


def test_overzicht_links_carry_the_filters():
    at = open_page(sector="hbo")
    assert all("sector=hbo" in href for _, href in score_cells(at).values())


def test_overzicht_has_chapter_three_summaries():
    at = open_page()
    text = text_of(at)
    assert "'Flexibele leerroutes' geeft een bijzonder beeld" in text
    assert "Per dynamiek: het totaalbeeld" in text
    assert len(at.tabs) == 4


def test_overzicht_sector_filter_explains_sector_wide_scores():
    at = open_page(sector="wo")
    assert "De nulmeting geeft geen aparte scores voor het wo: u ziet de sectorbrede scores" in text_of(at)
    assert score_cells(at)[("flexibele_leerroutes", "lock_in")][0] == "4"  # scores stay visible: never empty


def test_overzicht_theme_filter_keeps_one_summary():
    at = open_page(thema="student_naar_lerende")
    text = text_of(at)
    assert "'Van student naar lerende' kent juist nauwelijks afbouwdynamiek" in text
    assert "'Flexibele leerroutes' geeft een bijzonder beeld" not in text


def test_sidebar_sector_change_goes_into_the_url():
    at = open_page()
    at.segmented_control(key="sector").set_value("mbo").run()
    assert at.query_params.get("sector") in ("mbo", ["mbo"])
    assert "geeft geen aparte scores voor het mbo" in text_of(at)


def test_invalid_url_values_fall_back_to_defaults():
    at = open_page(sector="vo", thema="bestaat_niet", jaar="1999")
    assert at.title[0].value == "Staat van transitie"
    assert at.segmented_control(key="sector").value == "alle"


# --- Thema -------------------------------------------------------------------------------------------------


def test_thema_lock_in_shows_score_rubric_and_justification():
    at = open_page("thema", thema="flexibele_leerroutes", dynamiek="lock_in")
    text = text_of(at)
    assert at.title[0].value == "Flexibele leerroutes"
    assert "Lock-in: score 4" in text
    assert "Gescoord niveau: niveau 4" in text
    assert "Status quo staat ter discussie, maar afwijking hiervan wordt als risicovol gezien" in text
    assert "Nieuwe bewegingen buigen snel terug naar het bestaande" in text
    assert "Echte modulering of schaalbare flexibiliteit blijft voorlopig dus nog uit" in text
    assert "in hoeverre leidt flexibilisering" in text.lower()


def test_thema_neighbouring_rubric_level_is_one_click_away():
    at = open_page("thema", thema="flexibele_leerroutes", dynamiek="lock_in")
    level = next(s for s in at.segmented_control if s.label == "Niveau")
    level.set_value(5).run()
    text = text_of(at)
    assert "Ter vergelijking: niveau 5" in text
    assert "Het dominante narratief positioneert status quo als beste en legitieme optie" in text


def test_thema_wo_filter_shows_wo_variation_and_no_mbo_only_example():
    at = open_page("thema", thema="student_naar_lerende", dynamiek="opbouw", sector="wo")
    text = text_of(at)
    assert "In het wo blijft het klassieke studentenbeeld relatief dominant" in text
    # The mbo statement is only in the collapsed 'whole text' expander, not in what the wo view shows.
    mbo_statement = "In het mbo, waar de verwevenheid tussen leren en werken traditioneel al groot is"
    assert text.count(mbo_statement) == 1
    whole_text = next(e for e in at.expander if e.label == "De hele tekst over alle sectoren")
    assert any(mbo_statement in m.value for m in whole_text.markdown)
    assert "DNA Next" not in text  # an mbo-only example
    assert "Pilots met microcredentials waarin onderwijsinstellingen" in text  # sector-wide stays


def test_thema_without_sector_filter_shows_everything():
    at = open_page("thema", thema="student_naar_lerende", dynamiek="opbouw")
    text = text_of(at)
    assert "DNA Next" in text
    assert "In het mbo, waar de verwevenheid" in text


def test_thema_dynamic_switch_updates_view_and_url():
    at = open_page("thema", thema="leren_met_maatschappij")
    assert "Opbouw: score 4" in text_of(at)
    at.segmented_control(key="dynamiek").set_value("institutionalisering").run()
    assert "Institutionalisering: score 2" in text_of(at)
    assert at.query_params.get("dynamiek") in ("institutionalisering", ["institutionalisering"])


def test_thema_score_without_examples_says_so():
    at = open_page("thema", thema="student_naar_lerende", dynamiek="afbouw")
    text = text_of(at)
    assert "Afbouw: score 1" in text
    assert "Het rapport geeft bij deze score geen illustrerende voorbeelden." in text


def test_thema_shows_session_findings_that_fed_it():
    at = open_page("thema", thema="flexibele_leerroutes", dynamiek="institutionalisering")
    text = text_of(at)
    assert "Sessie Eigen regie" in text
    assert "Microcredentials worden steeds vaker verankerd in instellingsstructuren" in text


def test_thema_previous_and_next():
    at = open_page("thema", thema="flexibele_leerroutes")
    labels = {link.value: link.proto.query_string for link in links(at)}
    assert "thema=digitalisering" in labels["Vorig thema"]
    assert "thema=student_naar_lerende" in labels["Volgend thema"]
    first = open_page("thema", thema="digitalisering")
    assert "Vorig thema" not in [link.value for link in links(first)]


# --- Voorbeelden -------------------------------------------------------------------------------------------


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### ") and "resulta" in m.value)


def test_voorbeelden_counts_all_evidence():
    at = open_page("voorbeelden")
    assert count_line(at).startswith("### ")
    total = int(count_line(at).split()[1])
    assert total > 300
    assert len(at.get("download_button")) == 2


def test_voorbeelden_search_is_case_and_accent_insensitive():
    at = open_page("voorbeelden", zoek="CREEREN")
    hits = int(count_line(at).split()[1])
    assert hits >= 1
    assert "creëren" in text_of(at).lower()


def test_voorbeelden_search_as_you_type_and_filters_combine():
    at = open_page("voorbeelden")
    at.text_input(key="zoek").input("Xerte").run()
    xerte = int(count_line(at).split()[1])
    assert xerte >= 5
    at.selectbox(key="dynamiek").set_value("afbouw").run()
    narrowed = int(count_line(at).split()[1])
    assert 0 < narrowed < xerte
    assert at.query_params.get("zoek") in ("Xerte", ["Xerte"])


def test_voorbeelden_institution_filter():
    at = open_page("voorbeelden", instelling="roc_mondriaan")
    assert int(count_line(at).split()[1]) == 2
    assert "ROC Mondriaan vraagt bij" in text_of(at)


def test_voorbeelden_kind_and_theme_filter():
    at = open_page("voorbeelden", thema="flexibele_leerroutes", soort="voorbeeld")
    assert int(count_line(at).split()[1]) == 15


def test_voorbeelden_nothing_found_says_so():
    at = open_page("voorbeelden", zoek="qwertyuiop")
    assert count_line(at).startswith("### 0 resultaten")
    assert "Niets gevonden met deze filters" in text_of(at)


def test_voorbeelden_sector_filter_drops_other_sectors_only():
    everything = int(count_line(open_page("voorbeelden", soort="voorbeeld")).split()[1])
    wo = open_page("voorbeelden", soort="voorbeeld", sector="wo")
    assert int(count_line(wo).split()[1]) < everything
    assert "ROC Mondriaan vraagt bij" not in text_of(wo)


# --- Methode -----------------------------------------------------------------------------------------------


def test_methode_explains_quadrants_rubric_scoring_and_sector_filter():
    at = open_page("methode")
    text = text_of(at)
    for quadrant in ("Opbouw", "Institutionaliseren", "Lock-in", "Afbouw"):
        assert f"#### {quadrant}" in text
    assert "Welke nieuwe initiatieven zijn zichtbaar?" in text
    table = at.table[0].value
    assert list(table.index) == ["Opbouw", "Institutionalisering", "Lock-in", "Afbouw"]
    assert "Nieuwe bewegingen buigen snel terug naar het bestaande" in table.loc["Lock-in", "Niveau 4"]
    assert "gezamenlijke scoringssessie" in text
    assert "sectorbrede scores" in text and "versmalt het bewijs" in text
    assert "49 bronnen, waarvan 11 intern of niet-publiek" in text


def test_presentation_mode_hides_sidebar_and_offers_way_back():
    at = open_page(weergave="presentatie")
    labels = [link.value for link in links(at)]
    assert "Presentatie uit" in labels
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_voorbeelden_session_evidence_links_to_every_theme_it_feeds():
    at = open_page("voorbeelden", zoek="ROC Mondriaan vraagt bij intake")
    cards = "".join(h.proto.body for h in at.get("html") if 'class="tm-kaarten"' in h.proto.body)
    targets = re.findall(r'<a class="tm-naar" href="thema\?([^"]*)">→ Naar ', cards)
    assert any("thema=flexibele_leerroutes" in t for t in targets)
    assert any("thema=student_naar_lerende" in t for t in targets)


def test_tables_and_charts_can_be_downloaded():
    overzicht = open_page()
    labels = [b.proto.label for b in overzicht.get("download_button")]
    assert labels == ["Download PNG", "Download SVG", "Hand-out (PowerPoint)", "Download CSV", "Download Excel"]
    methode = open_page("methode")
    assert len(methode.get("download_button")) == 2


def test_overzicht_radar_draws_every_theme_and_downloads():
    at = open_page(thema="flexibele_leerroutes")
    radar = next(h.proto.body for h in at.get("html") if 'alt="Radar van de scores' in h.proto.body)
    assert "Flexibele leerroutes: Opbouw 3, Institutionalisering 2, Lock-in 4, Afbouw 3" in radar
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Download PNG", "Download SVG"]


def test_thema_radar_has_the_theme_colour_and_one_polygon_per_year():
    from app import data
    from app.charts.radar import radar_svg

    history = data.theme_scores_by_year("flexibele_leerroutes")
    svg = radar_svg(history, by="year")
    assert svg.count("<polygon") == 1
    assert 'stroke="#E69F00"' in svg  # Flexibele leerroutes' colour, as on the Overzicht
    assert "Nulmeting (2025)" in svg


def test_radar_svg_and_png():
    from app import data
    from app.charts.radar import radar_svg
    from app.exports import images

    scores = data.scores(2025).filter(sector_code="alle")
    svg = radar_svg(scores, highlight="digitalisering")
    assert svg.count("<polygon") == 5
    assert "hoger = meer weerstand" in svg
    assert svg.count('opacity="0.3"') == 2 * 4  # the other themes fade, their polygon and legend entry
    assert svg.count('class="tm-punten tm-vaag"') == 4  # and their markers (opaque: no line shows through)
    png = images.svg_to_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_thema_in_presentation_is_one_screen_per_score():
    """Theme, dynamic, score, its rubric level, the justification's core, the examples, and the whole text behind
    'M' (issue #18); the long page below (radar, sessions) is not drawn on the beamer."""
    at = open_page("thema", thema="flexibele_leerroutes", dynamiek="lock_in", weergave="presentatie")
    assert at.title[0].value == "Flexibele leerroutes"
    assert at.header[0].value == "Lock-in: score 4"
    text = text_of(at)
    assert "Niveau 4 van 5" in text and "Nieuwe bewegingen buigen snel terug naar het bestaande" in text
    assert "Echte modulering of schaalbare flexibiliteit blijft voorlopig dus nog uit" in text
    assert "Illustrerende voorbeelden (3)" in text and "Score 7 van 20" in text
    assert "Hele onderbouwing en alle voorbeelden (M)" in text
    assert "als resultaat blijft flexibilisering toch vooral een instrumenteel" in text.lower()  # the whole text
    assert not [h for h in at.get("html") if 'alt="Radar' in h.proto.body]
    assert "Uit de monitoringssessies" not in [s.value for s in at.subheader]
