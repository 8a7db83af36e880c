"""The reference lists from the warehouse's dimensions: measurements, themes, dynamics, sectors, the rubric,
evidence kinds, institutions, sessions, method texts and sources."""

from __future__ import annotations

import polars as pl

from app.data.connection import _frame


def measurements() -> pl.DataFrame:
    """The measurements with final scores (status 'vastgesteld'), oldest first: what the sidebar's Meetmoment,
    Voortgang and every 'latest measurement' choose from. A measurement still in progress ('concept') is not
    among them; see concept_measurements() and indicative_scores(). Column status is always 'vastgesteld' here."""
    return _frame(
        "select measurement_year, label, measurement_seq, is_baseline, fieldwork_start, fieldwork_end, report_month, "
        "report_title, publisher, commissioned_by, authors, scoring_method, status from dim_measurement "
        "where status = 'vastgesteld' order by measurement_year"
    )


def measurement_label(year: int) -> str:
    row = measurements().filter(measurement_year=year)
    return str(row["label"][0]) if row.height else str(year)


def themes() -> pl.DataFrame:
    return _frame(
        "select theme_code, theme_name, sort_order, description, transition_question_lead, transition_question, "
        "other_names "
        "from dim_theme order by sort_order"
    )


def dynamics() -> pl.DataFrame:
    return _frame(
        "select dynamic_code, dynamic_name, quadrant_label, sort_order, higher_is_better, guiding_questions, "
        "score_direction from dim_dynamic order by sort_order"
    )


def sectors() -> pl.DataFrame:
    return _frame("select sector_code, sector_name, description from dim_sector order by sort_order")


def rubric() -> pl.DataFrame:
    return _frame(
        "select dynamic_code, level, descriptor_seq, descriptor from dim_rubric_level "
        "order by dynamic_code, level, descriptor_seq"
    )


def evidence_kinds() -> pl.DataFrame:
    return _frame("select evidence_kind, evidence_kind_label, description from dim_evidence_kind order by sort_order")


def institutions() -> pl.DataFrame:
    return _frame(
        "select institution_code, institution_name, institution_kind, sector_code from dim_institution "
        "where institution_code in (select institution_code from bridge_evidence_institution) "
        "order by institution_name"
    )


def sessions(year: int) -> pl.DataFrame:
    return _frame(
        "select report_session_id, session_code, session_number, session_name, session_date, theme_codes, "
        "reading_guide, intro_heading, intro_text from dim_session where measurement_year = ? order by session_number",
        year,
    )


def method_texts(year: int) -> pl.DataFrame:
    return _frame(
        "select section, heading, text_kind, seq, method_text, provenance from dim_method_text "
        "where measurement_year = ? order by source_line nulls last, section, text_kind, seq",
        year,
    )


def sources(year: int) -> pl.DataFrame:
    return _frame(
        "select source_seq, title, organisation, url, is_public, citation, cited_in from dim_source "
        "where measurement_year = ? order by source_seq",
        year,
    )
