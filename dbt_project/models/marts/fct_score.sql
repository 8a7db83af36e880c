-- Final scores only: a measurement still 'concept' (dim_measurement.status) may hold draft scores in its form,
-- but they are no score of the monitor yet. Indicative scores from a scoring session are in fct_session_cell.
select
    concat_ws('-', scores.measurement_year, scores.theme_code, scores.dynamic_code, scores.sector_code) as score_id,
    scores.measurement_year,
    scores.theme_code,
    scores.dynamic_code,
    scores.sector_code,
    scores.score,
    scores.justification,
    scores.provenance,
    scores.raw_file
from {{ ref('stg_scores') }} as scores
inner join {{ ref('stg_measurement') }} as measurements using (measurement_year)
where measurements.status = 'vastgesteld'
