"""Findable evidence: the search index, the ranked and paged queries, and the Voorbeelden page around them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import data
from app.text import query
from app.ui import highlight
from tests.helpers import open_app_page

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
    return [m.value for m in at.markdown if m.proto.allow_html and "tm-badge" in m.value]


def ids(text: str, **filters) -> list[str]:
    page = data.evidence_page(data.EvidenceFilter(year=2025, search=text, **filters), 0, 1_000)
    return page.rows["evidence_id"].to_list()


# --- Reading a search -----------------------------------------------------------------------------------------


def test_hyphen_case_accent_and_plural_read_alike():
    prefixes = {tuple(p.text for p in query.parse(v).prefixes)[0] for v in VARIANTS[:3]}
    assert prefixes == {"microcredential"}
    assert query.parse("Créëren").prefixes[0].text == "creer"
    assert query.stem("docenten") == "docent" and query.stem("lerende") == "lerend" and query.stem("les") == "les"
    assert query.parse("de").prefixes[0].whole_word  # a short word does not find every word it starts
    assert not query.parse("  -- !! ")


def test_python_reads_words_exactly_as_the_index(warehouse):
    """The query side (Python) and the index (dbt, DuckDB) split and normalise every evidence text alike."""
    rows = warehouse.sql(
        "select e.evidence_id, coalesce(e.heading || ' ', '') || e.evidence_text, list(t.term order by t.term) "
        "from fct_evidence e join fct_evidence_term t using (evidence_id) group by all"
    ).fetchall()
    assert len(rows) > 300
    for evidence_id, text, terms in rows:
        words = query.WORD.findall(query.normalise(text))
        expected = {query.SEPARATOR.sub("", w) for w in words}
        expected |= {part for w in words if query.SEPARATOR.search(w) for part in query.SEPARATOR.split(w) if part}
        assert set(terms) == expected, evidence_id


def test_pattern_in_python_matches_the_dbt_macro():
    macro = (ROOT / "dbt_project" / "macros" / "search.sql").read_text(encoding="utf-8")
    assert r"'[\pL\pN]+(?:[-''’‐‑][\pL\pN]+)*'" in macro  # the pattern query.WORD mirrors
    assert query.WORD.pattern == r"[^\W_]+(?:[-'’‐‑][^\W_]+)*"


def test_highlight_escapes_first_and_marks_only_matches():
    prefixes = query.parse("microcredential").prefixes
    marked = highlight.highlight_html(
        "<b>micro-credential</b> & Microcredentials; <script>microsoft</script>", prefixes
    )
    assert marked == (
        "&lt;b&gt;<mark>micro-credential</mark>&lt;/b&gt; &amp; <mark>Microcredentials</mark>; "
        "&lt;script&gt;microsoft&lt;/script&gt;"
    )
    hostile = highlight.highlight_html('"><img src=x onerror=alert(1)> alert', query.parse("alert").prefixes)
    assert "<img" not in hostile and hostile.count("<mark>") == 2
    assert highlight.highlight_html("a\n\nb", ()) == "a&#10;&#10;b"


# --- The queries --------------------------------------------------------------------------------------------


def test_variants_find_the_same_rows():
    found = [sorted(ids(v)) for v in VARIANTS]
    assert len(found[0]) >= 20
    assert all(f == found[0] for f in found), [len(f) for f in found]
    assert sorted(ids("microcredentials")) == found[0]


def test_every_word_must_match_and_words_run_together():
    both = set(ids("docenten microcredentials"))
    assert both and both <= set(ids("docenten")) and both <= set(ids("microcredentials"))
    assert ids("qwertyuiop") == [] and ids("docenten qwertyuiop") == []


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


def _tiny_warehouse(path: Path) -> Path:
    """Four pieces of evidence through the real search marts' SQL (fct_evidence_term rendered from its model)."""
    texts = {
        "a": "zeldzaam zeldzaam gewoon vul",  # the rare word twice, the common word once
        "b": "zeldzaam gewoon gewoon vul",  # the rare word once, the common word twice
        "c": "gewoon vul vul vul",
        "d": "gewoon " + "vul " * 40,
    }
    con = duckdb.connect(str(path))
    con.execute("create table fct_evidence (evidence_id varchar, heading varchar, evidence_text varchar)")
    con.executemany("insert into fct_evidence values (?, null, ?)", list(texts.items()))
    con.execute(
        "create table fct_evidence_search as select row_number() over (order by evidence_id) as search_key, "
        "evidence_id, 2025 as measurement_year, 'voorbeeld' as evidence_kind, ['digitalisering'] as theme_codes, "
        "'opbouw' as dynamic_code, ['alle'] as sector_codes, []::varchar[] as institution_codes, "
        "null::varchar as session_id, null::varchar as parent_evidence_id, len(string_split(trim(evidence_text), ' ')) "
        "as word_count, heading, evidence_text, 'x' as provenance, 'Illustrerend voorbeeld' as evidence_kind_label, "
        "null::varchar as session_code, null::varchar as session_name, null::date as session_date, "
        "row_number() over (order by evidence_id) as browse_rank, row_number() over (order by evidence_id) "
        "as report_rank from fct_evidence"
    )
    model = (MARTS / "fct_evidence_term.sql").read_text(encoding="utf-8")
    model = re.sub(r"\{\{ ref\('(\w+)'\) \}\}", r"\1", model)
    model = re.sub(
        r"\{\{ search_words\(\"(.*?)\"\) \}\}",
        lambda m: rf"regexp_extract_all(lower(strip_accents({m.group(1)})), '[\pL\pN]+(?:[-''’‐‑][\pL\pN]+)*')",
        model,
    )
    model = model.replace("{{ search_word_separator() }}", "'[-''’‐‑]'")
    con.execute("create table fct_evidence_term as " + model)
    con.close()
    return path


def test_relevance_rare_words_and_frequent_matches_rank_first(tmp_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(_tiny_warehouse(tmp_path / "tiny.duckdb")))
    both = data.evidence_page(data.EvidenceFilter(search="zeldzaam gewoon"), 0, 10)
    assert both.rows["evidence_id"].to_list() == ["a", "b"]  # the rarer word counts more
    common = data.evidence_page(data.EvidenceFilter(search="gewoon"), 0, 10)
    ranked = common.rows["evidence_id"].to_list()
    assert ranked[0] == "b" and ranked[-1] == "d"  # more matches first, a long text with one match last
    assert common.rows["score"].is_sorted(descending=True)


# --- The Voorbeelden page ------------------------------------------------------------------------------------


def test_search_field_reports_while_typing():
    at = open_page()
    field = at.text_input(key="zoek")
    assert field.proto.live_debounce_ms == 200  # the browser sends the text after a 200 ms pause, no Enter
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
    links = [link.value for link in themed.get("page_link") if link.value.startswith("Naar ")]
    assert links and all("studenten naar lerenden" in link for link in links)
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
    at = open_page(zoek="microcredentials qwertyuiop")
    info = html.unescape(at.info[0].value)
    assert "Niets gevonden met deze filters" in info
    assert "zonder het woord ‘qwertyuiop’" in info
    assert "zonder het woord ‘microcredentials’" not in info  # it would still give nothing
