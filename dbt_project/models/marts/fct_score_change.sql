-- How each score moved: against the previous measurement that scored the same cell, and against the baseline:
-- the nulmeting (dim_measurement.is_baseline), or for a cell the nulmeting did not score (a sector's own score)
-- the first measurement after it that did. What a change means depends on the dynamic: a fall in lock-in is
-- progress, a rise in the other three is progress.
with baseline as (
    select min(measurement_year) as measurement_year from {{ ref('dim_measurement') }} where is_baseline
),

scores as (
    select
        scores.*,
        dynamics.higher_is_better,
        lag(scores.measurement_year) over cell as previous_year,
        lag(scores.score) over cell as previous_score,
        min(scores.measurement_year) filter (where scores.measurement_year >= baseline.measurement_year)
            over whole_cell as baseline_year,
        arg_min(scores.score, scores.measurement_year) filter (where scores.measurement_year >= baseline.measurement_year)
            over whole_cell as baseline_score
    from {{ ref('fct_score') }} as scores
    inner join {{ ref('dim_dynamic') }} as dynamics using (dynamic_code)
    cross join baseline
    window
        cell as (partition by scores.theme_code, scores.dynamic_code, scores.sector_code order by scores.measurement_year),
        whole_cell as (partition by scores.theme_code, scores.dynamic_code, scores.sector_code)
)

select
    score_id,
    measurement_year,
    theme_code,
    dynamic_code,
    sector_code,
    score,
    previous_year,
    previous_score,
    score - previous_score as change_since_previous,
    baseline_year,
    baseline_score,
    score - baseline_score as change_since_baseline,
    case
        when previous_score is null then 'eerste meting'
        when score = previous_score then 'gelijk'
        when (score > previous_score) = higher_is_better then 'vooruitgang'
        else 'achteruitgang'
    end as meaning_since_previous,
    case
        when measurement_year = baseline_year then 'eerste meting'
        when score = baseline_score then 'gelijk'
        when (score > baseline_score) = higher_is_better then 'vooruitgang'
        else 'achteruitgang'
    end as meaning_since_baseline
from scores
