"""The marts hold the nulmeting as the report gives it: counts and spot values that catch a sloppy extraction."""

from __future__ import annotations

import pytest

# Chapter 4 of the report: the 20 final scores.
REPORT_SCORES = {
    ("digitalisering", "opbouw"): 4,
    ("digitalisering", "institutionalisering"): 3,
    ("digitalisering", "lock_in"): 4,
    ("digitalisering", "afbouw"): 2,
    ("flexibele_leerroutes", "opbouw"): 3,
    ("flexibele_leerroutes", "institutionalisering"): 2,
    ("flexibele_leerroutes", "lock_in"): 4,
    ("flexibele_leerroutes", "afbouw"): 3,
    ("student_naar_lerende", "opbouw"): 3,
    ("student_naar_lerende", "institutionalisering"): 2,
    ("student_naar_lerende", "lock_in"): 3,
    ("student_naar_lerende", "afbouw"): 1,
    ("leren_met_maatschappij", "opbouw"): 4,
    ("leren_met_maatschappij", "institutionalisering"): 2,
    ("leren_met_maatschappij", "lock_in"): 4,
    ("leren_met_maatschappij", "afbouw"): 2,
    ("rollen_professionals", "opbouw"): 3,
    ("rollen_professionals", "institutionalisering"): 4,
    ("rollen_professionals", "lock_in"): 3,
    ("rollen_professionals", "afbouw"): 2,
}

# Bullets under 'Illustrerende voorbeelden' per theme and dynamic (§4.3 afbouw has none).
REPORT_EXAMPLE_COUNTS = {
    ("digitalisering", "opbouw"): 4,
    ("digitalisering", "institutionalisering"): 5,
    ("digitalisering", "lock_in"): 5,
    ("digitalisering", "afbouw"): 4,
    ("flexibele_leerroutes", "opbouw"): 5,
    ("flexibele_leerroutes", "institutionalisering"): 5,
    ("flexibele_leerroutes", "lock_in"): 3,
    ("flexibele_leerroutes", "afbouw"): 2,
    ("student_naar_lerende", "opbouw"): 3,
    ("student_naar_lerende", "institutionalisering"): 2,
    ("student_naar_lerende", "lock_in"): 3,
    ("student_naar_lerende", "afbouw"): 0,
    ("leren_met_maatschappij", "opbouw"): 5,
    ("leren_met_maatschappij", "institutionalisering"): 3,
    ("leren_met_maatschappij", "lock_in"): 4,
    ("leren_met_maatschappij", "afbouw"): 2,
    ("rollen_professionals", "opbouw"): 5,
    ("rollen_professionals", "institutionalisering"): 3,
    ("rollen_professionals", "lock_in"): 2,
    ("rollen_professionals", "afbouw"): 1,
}


def test_all_twenty_scores_match_the_report(warehouse):
    rows = warehouse.sql(
        "select theme_code, dynamic_code, score from fct_score where measurement_year = 2025 and sector_code = 'alle'"
    ).fetchall()
    assert {(t, d): s for t, d, s in rows} == REPORT_SCORES


def test_marts_are_all_there(warehouse):
    tables = {
        r[0]
        for r in warehouse.sql("select table_name from information_schema.tables where table_schema='main'").fetchall()
    }
    assert {
        "dim_theme",
        "dim_dynamic",
        "dim_sector",
        "dim_measurement",
        "dim_rubric_level",
        "dim_institution",
        "dim_source",
        "dim_session",
        "fct_score",
        "fct_evidence",
        "bridge_evidence_sector",
        "bridge_evidence_theme",
        "bridge_evidence_institution",
        "bridge_session_theme",
        "dim_method_text",
        "dim_evidence_kind",
    } <= tables


def test_example_counts_per_theme_and_dynamic(warehouse):
    rows = warehouse.sql(
        "select theme_code, dynamic_code, count(*) from fct_evidence where evidence_kind = 'voorbeeld' group by all"
    ).fetchall()
    counts = {(t, d): n for t, d, n in rows}
    assert {k: counts.get(k, 0) for k in REPORT_EXAMPLE_COUNTS} == REPORT_EXAMPLE_COUNTS
    assert sum(counts.values()) == 66


def test_themes_and_dynamics(warehouse):
    themes = warehouse.sql("select theme_code, theme_name from dim_theme order by sort_order").fetchall()
    assert themes == [
        ("digitalisering", "Digitalisering ondersteunt waardevolle leerervaringen"),
        ("flexibele_leerroutes", "Flexibele leerroutes"),
        ("student_naar_lerende", "Van studenten naar lerenden"),
        ("leren_met_maatschappij", "Leren met en van de maatschappij"),
        ("rollen_professionals", "Nieuwe competenties en rollen voor onderwijsprofessionals"),
    ]
    question = warehouse.sql(
        "select transition_question from dim_theme where theme_code = 'flexibele_leerroutes'"
    ).fetchall()[0][0]
    assert question.startswith("in hoeverre leidt flexibilisering tot een werkelijk ander systeem")
    aliases = warehouse.sql("select other_names from dim_theme where theme_code = 'rollen_professionals'").fetchall()[
        0
    ][0]
    assert "Diversiteit aan rollen in onderwijsteams" in aliases
    polarity = dict(warehouse.sql("select dynamic_code, higher_is_better from dim_dynamic").fetchall())
    assert polarity == {"opbouw": True, "institutionalisering": True, "lock_in": False, "afbouw": True}


@pytest.mark.parametrize(
    ("dynamic", "level", "descriptors"),
    [
        (
            "opbouw",
            4,
            [
                "Clustering rondom een aantal dominante thema's",
                "Netwerkorganisatie met terugkerende ontmoetingen en externe communicatie",
                "Gezamenlijke leer- en ontwikkeldoelen",
            ],
        ),
        (
            "institutionalisering",
            2,
            [
                "Koplopers krijgen slechts beperkte erkenning op systeemniveau",
                "Nieuwe ideeën vinden hun weg mondjesmaat naar notities, visiestukken en verkenningen",
                "Lessen van koplopers worden incidenteel geformaliseerd",
            ],
        ),
        (
            "lock_in",
            3,
            [
                "Afwijken van de status quo komt met regelmaat voor",
                "Afwijken van de status quo kan leiden tot (georganiseerde) weerstand",
                "Verschillende partijen onderschrijven vernieuwing maar handelen hier niet naar",
            ],
        ),
        (
            "afbouw",
            5,
            [
                "Er zijn in het hele veld doelgerichte afbouwstrategieën",
                "Systematische beëindiging van manieren van doen, denken en organiseren",
                "Brede acceptatie van verlies van oude niet meer toereikende werkwijzen en denkbeelden",
            ],
        ),
    ],
)
def test_rubric_descriptors(warehouse, dynamic, level, descriptors):
    rows = warehouse.sql(
        "select descriptor from dim_rubric_level where dynamic_code = ? and level = ? order by descriptor_seq",
        params=[dynamic, level],
    ).fetchall()
    assert [r[0] for r in rows] == descriptors


def test_rubric_has_sixty_descriptors_in_twenty_levels(warehouse):
    assert warehouse.sql("select count(*), count(distinct (dynamic_code, level)) from dim_rubric_level").fetchall()[
        0
    ] == (60, 20)


def test_sessions_and_their_dates(warehouse):
    rows = warehouse.sql(
        "select session_code, session_name, cast(session_date as varchar), theme_codes from dim_session "
        "order by session_number"
    ).fetchall()
    assert rows == [
        ("digitale_geletterdheid", "Digitale geletterdheid", "2025-10-06", ["digitalisering"]),
        ("digitale_leermaterialen", "Digitale leermaterialen", "2025-10-15", ["digitalisering"]),
        ("lerende_cultuur", "Lerende cultuur", "2025-11-04", ["rollen_professionals"]),
        ("eigen_regie", "Eigen regie", "2025-11-27", ["flexibele_leerroutes", "student_naar_lerende"]),
        ("arbeidsmarkt_samenleving", "Arbeidsmarkt en samenleving", "2025-11-27", ["leren_met_maatschappij"]),
    ]


def test_every_session_has_findings_in_all_four_quadrants(warehouse):
    rows = warehouse.sql(
        """select session_code, count(distinct dynamic_code) from fct_evidence
           where evidence_kind like 'sessie_%' group by all"""
    ).fetchall()
    assert dict(rows) == {
        code: 4
        for code in (
            "digitale_geletterdheid",
            "digitale_leermaterialen",
            "lerende_cultuur",
            "eigen_regie",
            "arbeidsmarkt_samenleving",
        )
    }


def test_justification_is_complete_and_joined_across_page_breaks(warehouse):
    text = warehouse.sql(
        """select justification from fct_score
           where theme_code = 'digitalisering' and dynamic_code = 'lock_in'"""
    ).fetchall()[0][0]
    assert text.startswith("Alhoewel de fundamentele discussie over waardegedreven digitalisering")
    # The export breaks this sentence over a page: 'versterken daarmee het bestaande' / 'systeem van …'.
    assert "versterken daarmee het bestaande systeem van eenzijdige kennisoverdracht" in text
    assert text.endswith("in plaats van dat deze leidt tot fundamenteel andere leerervaringen.")
    assert "Variatie in beweging" not in text


def test_example_joined_across_page_break(warehouse):
    texts = [
        r[0]
        for r in warehouse.sql(
            """select evidence_text from fct_evidence
           where evidence_kind = 'voorbeeld' and theme_code = 'flexibele_leerroutes' and dynamic_code = 'lock_in'
           order by seq"""
        ).fetchall()
    ]
    assert texts[2] == (
        "Docenten blijven grotendeels vasthouden aan hun rol als vakinhoudelijke expert en mede door werkdruk en "
        "tekort aan scholing doen ze weinig vaardigheden op om studenten ook te coachen en begeleiden"
    )


def test_sector_tags(warehouse):
    def sectors(where: str) -> list[str]:
        return warehouse.sql(f"select sector_codes from fct_evidence where {where}").fetchall()[0][0]

    assert sectors("evidence_text like 'ROC Mondriaan vraagt bij de intake%'") == ["mbo"]
    assert sectors("evidence_text like 'Tal van instellingen, zoals de UvA, HU en Fontys%'") == ["hbo", "wo"]
    assert sectors("evidence_text like 'Wo: verplichte docenturen%'") == ["wo"]
    assert sectors("evidence_text like 'Lerenden hebben weinig inzicht in flexibiliseringsmogelijkheden%'") == ["alle"]
    wo_statement = warehouse.sql(
        """select sector_codes from fct_evidence
           where evidence_kind = 'variatie_sector' and theme_code = 'student_naar_lerende' and dynamic_code = 'lock_in'
             and evidence_text like '%In het wo is deze het meest uitgesproken%'"""
    ).fetchall()[0][0]
    assert wo_statement == ["wo"]


def test_institutions_are_linked(warehouse):
    rows = warehouse.sql(
        """select i.institution_code from bridge_evidence_institution b join dim_institution i using (institution_code)
           join fct_evidence e using (evidence_id)
           where e.evidence_text like 'Tal van instellingen, zoals de UvA, HU en Fontys%'"""
    ).fetchall()
    sectors = dict(warehouse.sql("select institution_code, sector_code from dim_institution").fetchall())
    assert sorted(sectors[r[0]] for r in rows) == ["hbo", "hbo", "wo"]


def test_sources(warehouse):
    # The report's list has 49 entries (one listed twice is kept once); footnotes 1 and 2 cite 3 more works.
    rows = warehouse.sql(
        "select cited_in, count(*), count(*) filter (where not is_public) from dim_source group by all"
    ).fetchall()
    assert sorted(rows) == [("Geraadpleegde bronnen", 49, 11), ("voetnoot", 3, 0)]
    literature = warehouse.sql(
        "select title, organisation, provenance from dim_source where cited_in = 'voetnoot' order by source_seq"
    ).fetchall()
    assert literature == [
        ("Staat van Transitie: opbouw en afbraak in vijf domeinen", "DRIFT", "§2.1 Theoretisch kader › voetnoot 1"),
        (
            "Staat van Transitie: dynamiek in mobiliteit, klimaatadaptatie en circulaire economie",
            "DRIFT, EUR",
            "§2.1 Theoretisch kader › voetnoot 1",
        ),
        (
            "Sturing in Transities: een raamwerk voor strategiebepaling",
            "DRIFT, NSOB",
            "§2.1 Theoretisch kader › voetnoot 2",
        ),
    ]
    assert warehouse.sql("select url from dim_source where title = 'EduBadges'").fetchall()[0] == (
        "https://www.surf.nl/en/services/flexible-education/edubadges",
    )


def test_measurement(warehouse):
    row = warehouse.sql(
        "select measurement_year, label, report_month, is_baseline, scoring_method from dim_measurement"
    ).fetchall()
    assert len(row) == 1
    year, label, month, baseline, method = row[0]
    assert (year, label, month, baseline) == (2025, "Nulmeting", "2026-03", True)
    assert "koersteam" in method and "Risbo en DRIFT" in method


def test_search_text_is_accent_and_case_insensitive(warehouse):
    hits = warehouse.sql(
        "select count(*) from fct_evidence where search_text like '%' || lower(strip_accents(?)) || '%'",
        params=["CREËREN"],
    ).fetchall()[0][0]
    assert hits >= 1


# --- The rest of the report: Introductie, chapter 1, footnotes and figure captions ---------------------------


def test_introductie_and_chapter_one_are_in_dim_method_text(warehouse):
    rows = warehouse.sql(
        "select section, text_kind, count(*) from dim_method_text where measurement_year = 2025 group by all"
    ).fetchall()
    counts = {(section, kind): n for section, kind, n in rows}
    assert counts[("Introductie", "alinea")] == 10
    assert counts[("§1.1", "alinea")] == 5
    assert counts[("§1.2", "alinea")] == 7  # the opening of §1.2; its five theme texts are in dim_theme
    assert counts[("§2.1", "voetnoot")] == 2 and counts[("§2.2", "voetnoot")] == 1 and counts[("§4.1", "voetnoot")] == 1
    # Footnote 5 (issue #19): its first sentence names a gap in the mbo evidence on learning culture.
    gap = warehouse.sql(
        "select method_text from dim_method_text where section = 'Bijlage 3' and text_kind = 'voetnoot' and seq = 5"
    ).fetchall()
    assert gap == [
        (
            "In de verdiepende interviews op dit thema zoomen we graag verder in op de ontwikkeling van "
            "lerende cultuur binnen mbo's.",
        )
    ]
    aims = warehouse.sql(
        "select method_text from dim_method_text where section = 'Introductie' and text_kind = 'opsomming' order by seq"
    ).fetchall()
    assert [a[0] for a in aims] == [
        "De beweging in het onderwijs zichtbaar en bespreekbaar maakt",
        "De voortgang van de transitie in kaart brengt",
        "Handvatten biedt voor het bijsturen van het meerjarige Npuls programma",
    ]
    horizon = warehouse.sql(
        "select method_text from dim_method_text where method_text_id = '2025-Introductie-5'"
    ).fetchall()[0][0]
    assert "over zes jaar van monitoring concreet te kunnen beantwoorden" in horizon
    captions = warehouse.sql(
        "select method_text from dim_method_text where text_kind = 'figuurbijschrift' order by source_line"
    ).fetchall()
    assert [c[0] for c in captions][:2] == ["Figuur 1: De X-curve", "Figuur 2: Kwadranten van de X-curve"]
    assert captions[2][0].startswith("Legenda: Digitalisering ondersteunt waardevolle leerervaringen")
    # The old method paragraphs keep their ids; the report order is source_line.
    ids = [r[0] for r in warehouse.sql("select method_text_id from dim_method_text order by source_line").fetchall()]
    assert ids.index("2025-§2.1-1") < ids.index("2025-§2.1-figuurbijschrift-1") < ids.index("2025-§2.1-2")


def test_transition_question_keeps_its_lead_in(warehouse):
    lead, question = warehouse.sql(
        "select transition_question_lead, transition_question from dim_theme where theme_code = 'digitalisering'"
    ).fetchall()[0]
    assert lead == "De onderliggende fundamentele transitievraag is hier dus:"
    assert question.startswith("lukt het het vervolgonderwijs om technologie op eigen voorwaarden in te zetten")


# --- The contract: themes, ids, sector scope -------------------------------------------------------------------

THEME_QUERY = "select evidence_id from fct_evidence where list_contains(theme_codes, ?)"


def test_a_session_that_feeds_two_themes_is_reached_by_both(warehouse):
    eigen_regie = {
        r[0]
        for r in warehouse.sql("select evidence_id from fct_evidence where session_code = 'eigen_regie'").fetchall()
    }
    assert len(eigen_regie) == 44
    for theme in ("flexibele_leerroutes", "student_naar_lerende"):
        reached = {r[0] for r in warehouse.sql(THEME_QUERY, params=[theme]).fetchall()}
        assert eigen_regie <= reached
        via_bridge = {
            r[0]
            for r in warehouse.sql(
                "select evidence_id from bridge_evidence_theme where theme_code = ?", params=[theme]
            ).fetchall()
        }
        assert reached == via_bridge
    rows = warehouse.sql(
        "select distinct theme_code, theme_codes from fct_evidence where session_code = 'eigen_regie'"
    ).fetchall()
    assert rows == [(None, ["flexibele_leerroutes", "student_naar_lerende"])]
    # Single-theme evidence has theme_code; only the chapter-3 dynamic summaries have no theme at all.
    assert (
        warehouse.sql("select count(*) from fct_evidence where theme_code is null and len(theme_codes) = 0").fetchall()[
            0
        ][0]
        == warehouse.sql("select count(*) from fct_evidence where evidence_kind = 'samenvatting_dynamiek'").fetchall()[
            0
        ][0]
    )


def test_every_evidence_id_starts_with_its_kind(warehouse):
    wrong = warehouse.sql(
        "select evidence_id from fct_evidence where not starts_with(evidence_id, measurement_year || '-' || "
        "evidence_kind || '-')"
    ).fetchall()
    assert wrong == []
    # A session example points at its finding by that finding's own id (narrative or development).
    parents = warehouse.sql(
        """select split_part(e.parent_evidence_id, '-', 2) as kind, count(*), count(p.evidence_id)
           from fct_evidence e left join fct_evidence p on p.evidence_id = e.parent_evidence_id
           where e.parent_evidence_id is not null group by all order by kind"""
    ).fetchall()
    assert parents == [("sessie_narratief", 37, 37), ("sessie_ontwikkeling", 96, 96)]


def test_sector_scope_tells_no_sector_from_explicitly_sector_wide(warehouse):
    rows = dict(warehouse.sql("select sector_scope, count(*) from fct_evidence group by all").fetchall())
    # 119 and 226 since issue #19: eight rows tagged by an aside or a name now name no sector (evidence_sectors.csv,
    # the aside and name rules), one gained the mbo by the WEB; before 127 and 218.
    assert rows == {"sectorspecifiek": 119, "sectorbreed (expliciet)": 9, "geen sector genoemd": 226}
    # Both kinds of 'alle' keep sector_codes ['alle']; the bridge's tag_source agrees with sector_scope.
    mismatched = warehouse.sql(
        """select e.evidence_id from fct_evidence e join bridge_evidence_sector b using (evidence_id)
           where b.sector_code = 'alle' and not (
               (b.tag_source = 'expliciet' and e.sector_scope = 'sectorbreed (expliciet)')
               or (b.tag_source = 'geen sectorverwijzing' and e.sector_scope = 'geen sector genoemd'))"""
    ).fetchall()
    assert mismatched == []
    assert warehouse.sql(
        "select distinct sector_codes from fct_evidence where sector_scope != 'sectorspecifiek'"
    ).fetchall() == [(["alle"],)]


def test_an_aside_a_name_or_a_comparison_is_not_the_rows_sector(warehouse):
    """Issue #19: sector tags from the row's subject, not from every sector word anywhere in it."""
    rows = {
        evidence_id: (sectors, institutions)
        for evidence_id, sectors, institutions in warehouse.sql(
            "select evidence_id, sector_codes, institution_codes from fct_evidence"
        ).fetchall()
    }
    assert rows["2025-voorbeeld-rollen_professionals-opbouw-04"][0] == ["alle"]  # '(vooral voor mbo-docenten)'
    # 'Kennispunt MBO Leven Lang Ontwikkelen' is a name, not a statement about the mbo
    assert rows["2025-sessie_ontwikkeling-arbeidsmarkt_samenleving-institutionalisering-04"][0] == ["alle"]
    # the WEB is the mbo's law
    assert rows["2025-voorbeeld-leren_met_maatschappij-lock_in-03"][0] == ["mbo", "hbo", "wo"]
    # 'Utrecht, Leiden, HU en HAN': the Universiteit Utrecht, checked by hand (evidence_sectors.csv)
    assert "uu" in rows["2025-sessie_voorbeeld-digitale_leermaterialen-institutionalisering-03"][1]
    checked = warehouse.sql(
        "select count(distinct evidence_id) from bridge_evidence_sector where tag_source = 'nagekeken'"
    ).fetchall()[0][0]
    assert checked == 3  # the three checked rows that do name sectors; five more name none


def test_a_sector_the_text_says_is_not_there_yet_is_not_tagged(warehouse):
    # 'Het is wettelijk mogelijk om een doorlopende leerroute te maken, waarin vmbo en mbo samen één opleiding
    # ontwikkelen (dit kan in het hbo en wo nog niet).' is about mbo, not about hbo and wo.
    sectors, scope = warehouse.sql(
        "select sector_codes, sector_scope from fct_evidence "
        "where evidence_text like '%(dit kan in het hbo en wo nog niet)%'"
    ).fetchall()[0]
    assert (sectors, scope) == (["mbo"], "sectorspecifiek")
    # Other sentences with 'niet' near a sector word keep their sector: only 'nog niet'/'nog geen' negates.
    assert warehouse.sql(
        "select sector_codes from fct_evidence where evidence_text like 'Scratch MBO Utrecht%'"
    ).fetchall()[0][0] == ["mbo"]
    hbo = warehouse.sql(
        "select sector_codes from fct_evidence where evidence_kind = 'variatie_sector' "
        "and evidence_text like 'Binnen het hbo zien we eveneens%'"
    ).fetchall()[0][0]
    assert "hbo" in hbo


def test_an_alliance_is_not_linked_to_one_of_its_members(warehouse):
    rows = warehouse.sql(
        """select b.institution_code, b.matched_names from bridge_evidence_institution b
           join fct_evidence e using (evidence_id)
           where e.evidence_text like '%Leiden-Delft-Erasmus (LDE)%'"""
    ).fetchall()
    assert rows == [("lde", ["LDE", "Leiden-Delft-Erasmus"])]
    # 'Universiteit Leiden' elsewhere is still Leiden.
    assert (
        warehouse.sql(
            """select count(*) from bridge_evidence_institution b join fct_evidence e using (evidence_id)
           where b.institution_code = 'universiteit_leiden' and e.evidence_text like '%Universiteit Leiden%'"""
        ).fetchall()[0][0]
        >= 1
    )
