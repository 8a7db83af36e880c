-- Within a measurement and sector scope, every theme that is scored is scored on all four dynamics.
select measurement_year, sector_code, theme_code, count(distinct dynamic_code) as dynamics
from {{ ref('fct_score') }}
group by all
having count(distinct dynamic_code) != (select count(*) from {{ ref('dim_dynamic') }})
