-- The nulmeting (2025) scores 5 themes × 4 dynamics, sector-wide only: exactly 20 scores.
select count(*) as scores
from {{ ref('fct_score') }}
where measurement_year = 2025
having count(*) != 20 or count(*) filter (where sector_code != 'alle') > 0
