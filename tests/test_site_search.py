"""The search over the whole monitor (issue #19): Dutch word forms, compounds, typos, the thesaurus and acronyms;
one box over evidence, scores, method text and sources with duplicates collapsed; the Zoeken page; the index built
beside the warehouse and swapped with it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from app import data
from tests.helpers import open_app_page
from warehouse import build as warehouse_build
from warehouse.search_index import dutch, engine, index, query
from warehouse.search_index.thesaurus import Thesaurus


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


def found(text: str, expand: bool = True) -> list[str]:
    return [i for members in data.site_search(text, 2025, expand).results["members"].to_list() for i in members]


def texts(text: str) -> str:
    return " ".join(data.site_search(text, 2025).results["body"].to_list()).lower()


# --- Dutch words ------------------------------------------------------------------------------------------------


def test_word_forms_meet_at_their_stem():
    assert dutch.stem("gedigitaliseerd") == dutch.stem("digitaliseren") == dutch.stem("digitalisering")
    assert dutch.stem("digitale") == dutch.stem("digitaal")
    assert dutch.stem("toets") == dutch.stem("toetsen") == dutch.stem("toetsing")  # not Snowball's 'toet'
    assert dutch.stem("begeleiding") != dutch.stem("beleid")  # Snowball merges them; the 'ge' root stays
    assert dutch.stem("strategieën".replace("ë", "e")) == dutch.stem("strategie")


def test_compounds_split_against_the_dutch_word_list():
    assert dutch.split_compound("personeelstekorten") == ("personeel", "tekorten")
    assert dutch.split_compound("platformafhankelijkheid") == ("platform", "afhankelijkheid")
    assert dutch.split_compound("ontwikkeling") == ()  # common words stay whole
    assert "personeelstekorten" in texts("tekort")  # a part finds the compound
    assert "bij- en omscholing" in texts("bijscholing")  # an elided compound is indexed whole


def test_a_latin_plural_meets_its_singular():
    assert dutch.stem("curricula") == dutch.stem("curriculum") == dutch.stem("curriculums")
    assert dutch.stem("media") == dutch.stem("medium")
    assert dutch.stem("alumni") == dutch.stem("alumnus")
    assert dutch.latin_singular("data") == "data"  # too short to be read as a plural
    assert dutch.latin_singular("agenda") == "agenda"  # Dutch knows no 'agendum'
    assert "curricula" in texts("curriculum")


def test_a_noun_in_e_meets_its_verb():
    assert dutch.verb_of_noun("scores") == "scoren"  # score and scoor: Snowball keeps them apart
    assert dutch.verb_of_noun("grote") is None  # 'groten' is a word, but 'grote' has no 'groting'
    assert dutch.verb_of_noun("route") is None
    assert "scoring" in texts("scores")


def test_a_compounds_rarest_part_also_finds_it_inside_another_compound():
    # docententeams split as docenten + teams: 'team' alone, also where it is a compound's part
    unit = data.site_search("docententeams", 2025).hits.plan.units[0]
    assert "compound" in [a.kind for a in unit.alternatives]
    assert "onderwijsteams" in texts("docententeams")
    assert "teamactiviteiten" in texts("docententeams")


def test_a_known_compound_of_common_words_is_not_searched_by_its_parts():
    tussenjaar = data.site_search("tussenjaar", 2025).hits.plan.units[0]
    assert "compound" not in [a.kind for a in tussenjaar.alternatives]  # not every text with 'tussen' and 'jaar'
    bodies = data.site_search("tussenjaar", 2025).results["body"].to_list()
    assert bodies and all("tussenjaar" in body.lower() for body in bodies)
    toetsvormen = data.site_search("toetsvormen", 2025).hits.plan.units[0]
    assert "compound" in [a.kind for a in toetsvormen.alternatives]  # 'toets' is no common word: still split


def test_a_typo_is_corrected_and_offered_only_for_unknown_words():
    plan = data.site_search("microcredentals", 2025).hits.plan
    assert plan.suggestions == (("microcredentals", "microcredentials"),)
    assert plan.corrected("Microcredentals") == "microcredentials"
    assert found("microcredentals") and set(found("microcredentals")) == set(found("microcredentials"))
    assert data.site_search("verbieden", 2025).hits.plan.suggestions == ()  # Dutch knows it: no 'correction'


def test_acronyms_match_whole_words_only():
    han = texts("HAN")
    assert "hogeschool van arnhem" in han or " han" in han
    assert "handreiking" not in han and "handelen" not in han
    assert not any(u.acronym and len(u.alternatives) > 2 for u in query.plan("SER").units)


def test_the_thesaurus_holds_the_reports_own_other_words():
    expanded = data.site_search("versnippering", 2025).hits.plan.expanded
    assert {"fragmentatie", "gefragmenteerd"} & set(expanded)  # one stem: the thesaurus keeps one of the two
    assert "60-70-jarigen" in texts("ouderen")
    assert "grote technologiebedrijven" in texts("big tech")


def test_the_thesaurus_expands_and_can_be_switched_off():
    long_name = data.site_search("Hogeschool van Arnhem en Nijmegen", 2025)
    assert "HAN" in long_name.hits.plan.expanded
    assert set(found("HAN")) <= set(found("Hogeschool van Arnhem en Nijmegen"))
    off = data.site_search("Hogeschool van Arnhem en Nijmegen", 2025, expand=False)
    assert off.hits.plan.expanded == ()
    assert set(found("HAN")) - set(found("Hogeschool van Arnhem en Nijmegen", expand=False))  # 'HAN' only: not found
    assert "WHW" in data.site_search("Wet op het hoger onderwijs", 2025).hits.plan.expanded  # a name typed in part


def test_more_of_the_query_ranks_higher_and_a_common_word_alone_is_not_enough():
    built, _ = index.in_memory(
        [(1, "het ministerie van onderwijs en cultuur"), (2, "onderwijs onderwijs"), (3, "het ministerie en cultuur")]
        + [(4, "x y z")]
        + [(10 + n, f"onderwijs en nog iets {n}") for n in range(20)]
    )
    searched = engine.Engine(built, Thesaurus(), []).search("ministerie onderwijs").ranked
    assert [k for k, _ in searched][:2] == [1, 3]
    assert 2 not in {k for k, _ in searched}  # only the common word: under the cut-off


# --- One search over the whole monitor ---------------------------------------------------------------------------


def test_one_box_searches_scores_method_text_and_sources():
    results = data.site_search("scoringslogica", 2025).results
    assert {"methode"} <= set(results["doc_kind"])
    kinds = set(data.site_search("microcredentials", 2025).results["doc_kind"])
    assert {"bewijs", "score", "bron"} <= kinds
    assert data.site_search("opbouwbeweging", 2025).total  # the report writes 'opbouwbeving': the thesaurus


def test_duplicates_show_once():
    results = data.site_search("flexibilisering", 2025).results
    assert "variatie_sector" not in set(results["evidence_kind"].drop_nulls())  # shown as their paragraph
    assert results["doc_id"].is_unique().all()
    copies = data.site_search("Sectorbrede voorzieningen als EduID", 2025).results
    first = copies.row(0, named=True)
    assert len(first["members"]) == 2  # chapter 4 quotes session report 4 word for word: one result, two places


def test_results_are_grouped_by_kind_in_the_order_of_their_best_result():
    searched = data.site_search("microcredentials", 2025)
    best = [rows["score"].max() for _, rows in searched.groups]
    assert best == sorted(best, reverse=True)
    assert all(rows["score"].is_sorted(descending=True) for _, rows in searched.groups)


# --- The Zoeken page --------------------------------------------------------------------------------------------


def test_zoeken_page_groups_marks_and_offers_a_correction():
    at = open_app_page("zoeken", zoek="microcredentals")
    headers = [h.value for h in at.subheader]
    assert any(h.startswith("Scores en hun onderbouwing (") for h in headers)
    assert any(h.startswith("Voorbeelden (") for h in headers)
    cards = [h.proto.body for h in at.get("html") if "<mark>" in h.proto.body]
    assert cards and all("<script" not in c for c in cards)
    offer = next(b for b in at.button if b.label.startswith("Bedoelde u"))
    offer.click().run()
    assert at.query_params.get("zoek") in ("microcredentials", ["microcredentials"])


def test_zoeken_page_shows_each_group_as_one_block_with_links_carrying_the_filters():
    at = open_app_page("zoeken", zoek="microcredentials", sector="wo")
    groups = [h.value for h in at.subheader]
    blocks = [h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="tm-kaarten">')]
    assert len(blocks) == len(groups) > 1  # one HTML block per group, no element per result
    assert not [p for p in at.main.get("page_link") if p.proto.label.startswith("Naar ")]
    assert not [e for e in at.expander if e.label == "Hele tekst"]  # a native <details> inside the block
    shown = "".join(blocks)
    assert '<details class="tm-hele-tekst"><summary>Hele tekst</summary>' in shown
    theme_links = re.findall(r'<a class="tm-naar" href="thema\?([^"]*)">→ Naar ', shown)
    assert theme_links and all(q.startswith("sector=wo&amp;thema=") for q in theme_links)
    sources = re.findall(r'<a class="tm-naar" href="([^"]*)" target="_blank" rel="noopener noreferrer">', shown)
    assert sources and all(s.startswith(("http://", "https://")) for s in sources)
    # 'Toon alle' makes the rest of a group when it is opened, again as one block per group
    more = [e for e in at.expander if e.label.startswith("Toon alle")]
    assert more
    for group in range(1, 8):
        at.session_state[f"zoeken-alle-{group}"] = True
    at.run()
    opened = [h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="tm-kaarten">')]
    assert len(opened) == len(groups) + len(more)


def test_zoeken_page_shows_and_switches_off_the_expansion():
    at = open_app_page("zoeken", zoek="HAN")
    assert any("Ook gezocht op" in c.value and "Hogeschool van Arnhem en Nijmegen" in c.value for c in at.caption)
    at.toggle(key="synoniemen").set_value(False).run()
    assert at.query_params.get("synoniemen") in ("uit", ["uit"])
    assert not any("Ook gezocht op" in c.value for c in at.caption)


def test_zoeken_page_without_a_search_and_with_nothing_found():
    assert "Typ een of meer woorden" in open_app_page("zoeken").info[0].value
    assert "Niets gevonden" in open_app_page("zoeken", zoek="qwertyuiop").info[0].value


# --- The index beside the warehouse -----------------------------------------------------------------------------


def _fake_dbt(built: Path):
    """dbt replaced by a copy of an already built warehouse: the build's own steps after dbt run for real."""

    def run(command, env, **kwargs):
        shutil.copyfile(built, env["TM_BUILD_PATH"])
        return subprocess.CompletedProcess(command, 0, "", "")

    return run


def _index_dirs(warehouse: Path) -> list[str]:
    return sorted(p.name for p in warehouse.parent.glob(f"{warehouse.stem}.search-*"))


def test_the_index_is_swapped_with_the_warehouse_and_a_failed_build_keeps_both(
    warehouse_path, data_raw_copy, tmp_path, monkeypatch
):
    served = tmp_path / "served" / "transitiemonitor.duckdb"
    served.parent.mkdir()
    monkeypatch.setattr(warehouse_build.subprocess, "run", _fake_dbt(warehouse_path))
    assert warehouse_build.build(data_raw_copy, served).ok
    first = index.current_directory(served)
    assert _index_dirs(served) == [first]
    assert warehouse_build.build(data_raw_copy, served).ok
    second = index.current_directory(served)
    assert second != first and _index_dirs(served) == sorted([first, second])  # the replaced one stays a while
    assert warehouse_build.build(data_raw_copy, served).ok
    assert first not in _index_dirs(served)  # older ones go

    def broken(database, directory):
        directory.mkdir()
        raise OSError("schijf vol")

    monkeypatch.setattr(warehouse_build.search_index, "build_search_index", broken)
    before = (_index_dirs(served), served.stat().st_ino)
    result = warehouse_build.build(data_raw_copy, served)
    assert not result.ok and "zoekindex" in result.messages[0]
    assert (_index_dirs(served), served.stat().st_ino) == before  # the old file and its index keep serving


def test_a_warehouse_copied_without_its_index_still_searches(warehouse_path, tmp_path):
    copy = tmp_path / "elders" / "transitiemonitor.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(warehouse_path, copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        searched = engine.from_warehouse(con, copy.parent).search("microcredentials")
    assert len(searched.ranked) > 20
