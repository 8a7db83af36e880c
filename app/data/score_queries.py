"""The scores: per measurement, per theme over the years, their changes, and the indicative scores of the
koersteam's scoring sessions beside the final ones."""

from __future__ import annotations

import polars as pl

from app.data.connection import _frame


def scores(year: int) -> pl.DataFrame:
    """Every score of one measurement, all sector scopes, with theme and dynamic names."""
    return _frame(
        "select s.measurement_year, s.theme_code, t.theme_name, t.sort_order as theme_order, s.dynamic_code, "
        "d.dynamic_name, d.sort_order as dynamic_order, d.higher_is_better, s.sector_code, s.score, s.justification, "
        "s.provenance from fct_score s join dim_theme t using (theme_code) join dim_dynamic d using (dynamic_code) "
        "where s.measurement_year = ? order by t.sort_order, d.sort_order",
        year,
    )


def theme_scores_by_year(theme_code: str) -> pl.DataFrame:
    """One theme's scores in every measurement (all sector scopes)."""
    return _frame(
        "select s.measurement_year, m.label, s.theme_code, s.dynamic_code, d.dynamic_name, "
        "d.sort_order as dynamic_order, "
        "d.higher_is_better, s.sector_code, s.score from fct_score s join dim_dynamic d using (dynamic_code) "
        "join dim_measurement m using (measurement_year) where s.theme_code = ? "
        "order by s.measurement_year, d.sort_order",
        theme_code,
    )


def score_changes(sector_code: str) -> pl.DataFrame:
    """Every score of one sector scope over all measurements (the sector's own where given, else sector-wide),
    with its change and the justifications."""
    return _frame(
        "select c.measurement_year, m.label, c.theme_code, t.theme_name, t.sort_order as theme_order, "
        "c.dynamic_code, d.dynamic_name, d.sort_order as dynamic_order, d.higher_is_better, c.score, "
        "c.is_own_sector_score, c.previous_year, c.previous_score, c.change_since_previous, "
        "c.meaning_since_previous, c.baseline_year, c.baseline_score, c.change_since_baseline, "
        "c.meaning_since_baseline, s.justification, p.justification as previous_justification, "
        "coalesce(pc.is_own_sector_score, false) as previous_is_own_sector_score "
        "from fct_score_change c join fct_score s using (score_id) "
        "left join fct_score_change pc on pc.measurement_year = c.previous_year and pc.theme_code = c.theme_code "
        "  and pc.dynamic_code = c.dynamic_code and pc.sector_code = c.sector_code "
        "left join fct_score p on p.score_id = pc.score_id "
        "join dim_theme t on t.theme_code = c.theme_code join dim_dynamic d on d.dynamic_code = c.dynamic_code "
        "join dim_measurement m on m.measurement_year = c.measurement_year "
        "where c.sector_code = ? order by c.measurement_year, t.sort_order, d.sort_order",
        sector_code,
    )


# --- Scoring sessions: indicative scores beside the final ones (issue #10) ----------------------------------


def concept_measurements() -> pl.DataFrame:
    """Measurements in progress (status 'concept'): no final scores yet, maybe indicative ones from a session."""
    return _frame(
        "select measurement_year, label, measurement_seq, status from dim_measurement where status = 'concept' "
        "order by measurement_year"
    )


def indicative_scores(year: int) -> pl.DataFrame:
    """What the koersteam's scoring sessions said, to show beside the final scores of measurement `year`: per
    theme × dynamic the latest session's agreed indicative score and the spread of the votes.

    Rows for sessions on `year` itself, and, when `year` is the latest final measurement, for sessions on later
    measurements that are not final yet (concept, or not in data_raw at all). measurement_label names the
    measurement the session scored; measurement_status is 'concept', 'vastgesteld' or null (no such measurement).
    """
    return _frame(
        "select c.measurement_year, coalesce(m.label, 'Meting ' || c.measurement_year) as measurement_label, "
        "c.measurement_status, c.scoring_session_id, c.join_code, c.session_opened_at, c.theme_code, c.dynamic_code, "
        "c.vote_count, c.median_score, c.min_score, c.max_score, c.q1_score, c.q3_score, c.spread_label, "
        "c.agreed_score, c.agreed_note "
        "from fct_session_cell c left join dim_measurement m using (measurement_year) "
        "join dim_theme t on t.theme_code = c.theme_code join dim_dynamic d on d.dynamic_code = c.dynamic_code "
        "where c.is_latest_for_cell and (c.measurement_year = ? or (c.measurement_year > ? "
        "  and coalesce(c.measurement_status, 'concept') = 'concept' "
        "  and ? = (select max(measurement_year) from dim_measurement where status = 'vastgesteld'))) "
        "order by c.measurement_year, t.sort_order, d.sort_order",
        year,
        year,
        year,
    )


def scoring_sessions() -> pl.DataFrame:
    """Every live scoring session in the warehouse (as of the last build), newest first. No names."""
    return _frame(
        "select scoring_session_id, join_code, measurement_year, theme_codes, opened_at, last_event_at, "
        "participant_count, rating_count, agreed_count from dim_scoring_session order by opened_at desc"
    )
