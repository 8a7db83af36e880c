-- Every final measurement (status 'vastgesteld') scores every theme on every dynamic sector-wide (sector_code
-- 'alle'); scores for one sector may cover part of the grid (the build warns about those). A concept
-- measurement may have no final scores yet.
with grid as (
    select measurements.measurement_year, themes.theme_code, dynamics.dynamic_code
    from {{ ref('dim_measurement') }} as measurements
    cross join {{ ref('dim_theme') }} as themes
    cross join {{ ref('dim_dynamic') }} as dynamics
    where measurements.status = 'vastgesteld'
)

select grid.*
from grid
left join {{ ref('fct_score') }} as scores
    on scores.measurement_year = grid.measurement_year
    and scores.theme_code = grid.theme_code
    and scores.dynamic_code = grid.dynamic_code
    and scores.sector_code = 'alle'
where scores.score is null
