-- How each score moved, per sector scope: against the previous measurement and against the baseline (the nulmeting,
-- as dim_measurement.is_baseline names it from data_raw/reference/baseline.csv). A sector scope uses the sector's own score where a measurement gives one and the
-- sector-wide score otherwise, so a sector with a few own scores still has a whole series; is_own_sector_score
-- says which is which. What a change means depends on the dynamic: a fall in lock-in is progress.
with baseline as (
    select min(measurement_year) as measurement_year from {{ ref('dim_measurement') }} where is_baseline
),

scopes as (
    select sector_code as scope_code from {{ ref('dim_sector') }}
),

sector_wide as (
    select * from {{ ref('fct_score') }} where sector_code = 'alle'
),

in_scope as (
    select
        scopes.scope_code,
        coalesce(own.score_id, sector_wide.score_id) as score_id,
        sector_wide.measurement_year,
        sector_wide.theme_code,
        sector_wide.dynamic_code,
        coalesce(own.score, sector_wide.score) as score,
        own.score_id is not null and scopes.scope_code != 'alle' as is_own_sector_score
    from sector_wide
    cross join scopes
    left join {{ ref('fct_score') }} as own
        on own.sector_code = scopes.scope_code
        and own.measurement_year = sector_wide.measurement_year
        and own.theme_code = sector_wide.theme_code
        and own.dynamic_code = sector_wide.dynamic_code
),

series as (
    select
        in_scope.*,
        dynamics.higher_is_better,
        lag(in_scope.measurement_year) over cell as previous_year,
        lag(in_scope.score) over cell as previous_score,
        baseline.measurement_year as baseline_year,
        -- every measurement has the 20 sector-wide cells, so each scope's series holds the baseline year
        max(in_scope.score) filter (where in_scope.measurement_year = baseline.measurement_year)
            over whole_cell as baseline_score
    from in_scope
    inner join {{ ref('dim_dynamic') }} as dynamics using (dynamic_code)
    cross join baseline
    window
        cell as (
            partition by in_scope.scope_code, in_scope.theme_code, in_scope.dynamic_code
            order by in_scope.measurement_year
        ),
        whole_cell as (partition by in_scope.scope_code, in_scope.theme_code, in_scope.dynamic_code)
)

select
    concat_ws('-', measurement_year, theme_code, dynamic_code, scope_code) as score_change_id,
    score_id,
    measurement_year,
    theme_code,
    dynamic_code,
    scope_code as sector_code,
    is_own_sector_score,
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
from series
