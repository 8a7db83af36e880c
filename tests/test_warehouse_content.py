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
    assert warehouse.sql("select count(*), count(*) filter (where not is_public) from dim_source").fetchall()[0] == (
        49,
        11,
    )
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
