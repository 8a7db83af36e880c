"""Findable evidence: the Voorbeelden page's search (the search index joined into the paged, filtered lists in
DuckDB) and the page around it. The Dutch handling itself is tested in tests/test_site_search.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import data
from app.data import search_queries
from app.ui import highlight
from tests.helpers import open_app_page
from warehouse.search_index import analysis, dutch, index
from warehouse.search_index.engine import Engine
from warehouse.search_index.thesaurus import Thesaurus

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app" / "streamlit_app.py"
MARTS = ROOT / "dbt_project" / "models" / "marts"
VARIANTS = ["micro-credential", "Microcredentials", "microcredential", "Micro credential", "MICRO-CREDENTIALS"]


@pytest.fixture(autouse=True)
def _use_test_warehouse(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))


def open_page(page: str = "voorbeelden", **params: str) -> AppTest:
    return open_app_page(page, **params)


def count(at: AppTest) -> int:
    line = next(m.value for m in at.markdown if m.value.startswith("### ") and "resulta" in m.value)
    return int(line.split()[1].replace(".", ""))


def cards(at: AppTest) -> list[str]:
    """The evidence cards, each an <article> in the page's one block of cards: a kind label and a provenance line
    (a sector badge only where the row names a sector or the report calls it sector-wide)."""
    blocks = [h.proto.body for h in at.get("html") if 'class="tm-kaarten"' in h.proto.body]
    return re.findall(r'<article class="tm-kaart">.*?</article>', "".join(blocks), flags=re.S)


def card_links(at: AppTest) -> list[tuple[str, str]]:
    """(text, href) of the cards' links to a theme."""
    blocks = "".join(cards(at))
    found = re.findall(r'<a class="tm-naar" href="([^"]*)">([^<]*)</a>', blocks)
    return [(html.unescape(text), html.unescape(href)) for href, text in found]


def ids(text: str, expand: bool = True, **filters) -> list[str]:
    page = data.evidence_page(data.EvidenceFilter(year=2025, search=text, expand=expand, **filters), 0, 1_000)
    return page.rows["evidence_id"].to_list()


# --- Reading a search -----------------------------------------------------------------------------------------


def terms_of(text: str) -> frozenset[str]:
    return frozenset(analysis.search_terms(w)[0] for w in analysis.words_of(text))


def test_hyphen_case_accent_and_plural_read_alike():
    assert {terms_of(v) for v in VARIANTS[:3]} == {frozenset({"microcredential"})}
    assert terms_of("Créëren") == terms_of("creeren")
    assert terms_of("docenten") == terms_of("docent")


def test_every_text_is_found_by_its_rarest_word(warehouse):
    """Python reads the texts for the index and the typed search alike: each evidence row's rarest word finds it."""
    counts = dict(warehouse.sql("select word, text_count from search.vocabulary").fetchall())
    rows = warehouse.sql("select text_key, evidence_text from search.evidence order by search_key limit 150").fetchall()
    for text_key, text in rows:
        words = [dutch.joined(w) for w in analysis.words_of(text) if len(w) > 6 and dutch.joined(w).isalpha()]
        if words:
            rarest = min(words, key=lambda w: (counts.get(w, 0), w))
            assert text_key in {k for k, _ in search_queries.hits(rarest, expand=False).ranked}, rarest


def test_highlight_escapes_first_and_marks_only_matches():
    terms = terms_of("microcredential")
    marked = highlight.highlight_html("<b>micro-credential</b> & Microcredentials; <script>microsoft</script>", terms)
    assert marked == (
        "&lt;b&gt;<mark>micro-credential</mark>&lt;/b&gt; &amp; <mark>Microcredentials</mark>; "
        "&lt;script&gt;microsoft&lt;/script&gt;"
    )
    hostile = highlight.highlight_html('"><img src=x onerror=alert(1)> alert', terms_of("alert"))
    assert "<img" not in hostile and hostile.count("<mark>") == 2
    assert highlight.highlight_html("a\n\nb", frozenset()) == "a&#10;&#10;b"


def test_the_best_passage_of_a_long_text_is_shown_with_its_matches():
    text = "Eerste zin over iets anders. " * 20 + "Hier staat microcredentials en docenten. " + "Slot. " * 40
    shown, shortened = highlight.passage_html(text, terms_of("microcredentials docenten"))
    assert shortened and shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>microcredentials</mark>" in shown and "<mark>docenten</mark>" in shown
    assert len(html.unescape(re.sub("<[^>]+>", "", shown))) <= 380


# --- The queries --------------------------------------------------------------------------------------------


def test_variants_find_the_same_rows():
    found = [sorted(ids(v)) for v in VARIANTS]
    assert len(found[0]) >= 20
    assert all(f == found[0] for f in found), [len(f) for f in found]
    assert sorted(ids("microcredentials")) == found[0]


def test_not_every_word_must_match_but_rows_with_more_come_first():
    both = ids("docenten microcredentials")
    docenten, micro = set(ids("docenten")), set(ids("microcredentials"))
    assert set(both) <= docenten | micro and set(both) - docenten  # OR: rows with only the rarer word are found too
    with_both = docenten & micro
    assert with_both and set(both[: len(with_both)]) == with_both  # those with both words first
    assert ids("qwertyuiop") == [] and set(ids("docenten qwertyuiop")) == docenten


def test_no_search_puts_illustrative_examples_first():
    page = data.evidence_page(data.EvidenceFilter(year=2025), 0, 70)
    kinds = page.rows["evidence_kind"].to_list()
    assert kinds[:66] == ["voorbeeld"] * 66
    assert page.total == 354


def test_filters_push_into_the_query_and_pages_do_not_overlap():
    selection = data.EvidenceFilter(year=2025, sector_code="wo")
    first = data.evidence_page(selection, 0, 25)
    second = data.evidence_page(selection, 25, 25)
    assert first.rows.height == second.rows.height == 25
    assert not set(first.rows["evidence_id"]) & set(second.rows["evidence_id"])
    assert all(set(codes) & {"wo", "alle"} for codes in first.rows["sector_codes"])
    assert data.evidence_count(selection) == first.total < 354


def test_facet_counts_are_under_the_other_filters():
    page = data.evidence_page(data.EvidenceFilter(year=2025, sector_code="mbo"), 0, 1, facets=True)
    institutions = dict(page.facets.filter(facet="instelling").select("value", "n").iter_rows())
    assert "roc_mondriaan" in institutions and "universiteit_leiden" not in institutions
    kinds = dict(page.facets.filter(facet="soort").select("value", "n").iter_rows())
    assert sum(kinds.values()) == page.total
    narrowed = data.evidence_page(
        data.EvidenceFilter(year=2025, sector_code="mbo", kinds=("voorbeeld",)), 0, 1, facets=True
    )
    assert dict(narrowed.facets.filter(facet="soort").select("value", "n").iter_rows()) == kinds  # own filter left out
    assert narrowed.total == kinds["voorbeeld"]


def test_children_of_shown_findings_in_one_query():
    findings = data.evidence_page(
        data.EvidenceFilter(
            year=2025, theme_code="flexibele_leerroutes", dynamic_code="institutionalisering", session_findings=True
        ),
        0,
        50,
        order="report",
    )
    parents = tuple(findings.rows.filter(evidence_kind="sessie_ontwikkeling")["evidence_id"])
    children = data.evidence_children(parents, "alle", limit=1)
    assert children.height and set(children["parent_evidence_id"]) <= set(parents)
    assert children["parent_evidence_id"].is_unique().all()  # at most `limit` per finding
    assert (children["n_children"] >= 1).all()


def test_relevance_rare_words_and_frequent_matches_rank_first():
    """BM25 through the real index: four texts, the rarer word counts more, more matches rank higher."""
    texts = {
        1: "zeldzaam zeldzaam gewoon vul",  # the rare word twice, the common word once
        2: "zeldzaam gewoon gewoon vul",  # the rare word once, the common word twice
        3: "gewoon vul vul vul",
        4: "gewoon " + "vul " * 40,
        5: "iets anders",
    }
    built, _ = index.in_memory(texts.items())
    engine = Engine(built, Thesaurus(), ["zeldzaam", "gewoon", "vul"])
    both = engine.search("zeldzaam gewoon").ranked
    assert [k for k, _ in both][:2] == [1, 2]  # the rarer word counts more
    common = [k for k, _ in engine.search("gewoon").ranked]
    assert common[0] == 2 and common[-1] == 4  # more matches first, a long text with one match last


# --- The Voorbeelden page ------------------------------------------------------------------------------------


def test_search_field_reports_while_typing():
    at = open_page()
    field = at.text_input(key="zoek")
    assert field.proto.live_debounce_ms == 100  # the browser sends the text after a 100 ms pause, no Enter
    before = count(at)
    field.input("microcred").run()
    assert 0 < count(at) < before
    assert at.query_params.get("zoek") in ("microcred", ["microcred"])


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_variants_show_the_same_count_and_mark_matches(variant):
    at = open_page(zoek=variant)
    assert count(at) == len(ids("microcredential"))
    first = cards(at)[0]
    assert re.search(r"<mark>[Mm]icro-?credentials?</mark>", first), first[:400]


def test_default_order_starts_with_illustrative_examples_and_pages():
    at = open_page()
    assert "<strong>Illustrerend voorbeeld</strong>" in cards(at)[0]
    assert len(cards(at)) == data.EVIDENCE_PAGE_SIZE
    text = "\n".join(m.value for m in at.markdown)
    assert "1–25 van 354" in text
    next(b for b in at.button if b.label == "Volgende").click().run()
    assert "26–50 van 354" in "\n".join(m.value for m in at.markdown)
    assert at.query_params.get("pagina") in ("2", ["2"])
    at.text_input(key="zoek").input("docent").run()  # a new search starts at page 1
    assert "1–25 van" in "\n".join(m.value for m in at.markdown)
    assert at.query_params.get("pagina") is None or at.query_params.get("pagina") == []


def test_institution_filter_grouped_counted_and_narrowed_by_sector():
    at = open_page()
    labels = at.selectbox(key="instelling").options
    assert labels[0].startswith("Alle (")
    groups = [label.split(" · ")[0] for label in labels[1:]]
    order = ["mbo", "hbo", "wo", "Organisatie"]
    assert groups == sorted(groups, key=order.index)  # schools per sector first, other organisations apart
    assert all(re.search(r" \(\d+\)$", label) for label in labels[1:])
    mbo = open_page(sector="mbo").selectbox(key="instelling").options
    assert any("ROC Mondriaan" in o for o in mbo)
    assert not any("Universiteit Leiden" in o for o in mbo)


def test_cards_name_the_theme_they_are_shown_for():
    themed = open_page(thema="student_naar_lerende", zoek="ROC Mondriaan vraagt bij intake")
    assert all("Van studenten naar lerenden" in c and "Flexibele leerroutes" not in c for c in cards(themed))
    links = card_links(themed)
    assert links
    assert all("studenten naar lerenden" in text and "thema=student_naar_lerende" in href for text, href in links)
    open_theme = open_page(zoek="ROC Mondriaan vraagt bij intake")
    assert any("Flexibele leerroutes, Van studenten naar lerenden" in c for c in cards(open_theme))


def test_table_view_has_readable_labels_and_fits_its_rows():
    at = open_page(lijst="tabel", zoek="eigen regie")
    table = at.dataframe[0].value
    assert len(table) <= data.EVIDENCE_PAGE_SIZE
    assert "Id" not in table.columns
    values = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "eigen_regie" not in values and "Eigen regie" in values
    assert not {"alle", "opbouw", "lock_in"} & (set(table["Dynamiek"]) | set(table["Sector"]))


def test_no_results_says_what_to_loosen():
    at = open_page(zoek="qwertyuiop", dynamiek="afbouw")
    info = html.unescape(at.info[0].value)
    assert "Niets gevonden met deze filters" in info
    assert "zonder zoekwoord" in info and "met Dynamiek op ‘Alle dynamieken’" not in info  # it would still give nothing


def test_a_typo_is_searched_as_corrected_and_offered():
    at = open_page(zoek="microcredentals")
    assert count(at) == len(ids("microcredentials"))
    offer = next(b for b in at.button if b.label.startswith("Bedoelde u"))
    assert "microcredentials" in offer.label
    offer.click().run()
    assert at.query_params.get("zoek") in ("microcredentials", ["microcredentials"])
