-- Exactly one measurement is the baseline (nulmeting), as data_raw/reference/baseline.csv names it, and no
-- measurement comes before it.
select count(*) filter (where is_baseline) as baselines,
    min(measurement_year) as first_year,
    min(measurement_year) filter (where is_baseline) as baseline_year
from {{ ref('dim_measurement') }}
having count(*) filter (where is_baseline) != 1
    or min(measurement_year) != min(measurement_year) filter (where is_baseline)
