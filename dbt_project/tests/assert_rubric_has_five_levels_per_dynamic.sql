-- The rubric describes every level 1-5 of every dynamic: 4 × 5 = 20 levels, each with a descriptor.
with expected as (
    select dynamic_code, level
    from {{ ref('dim_dynamic') }}, range(1, 6) as levels(level)
)
select expected.dynamic_code, expected.level
from expected
left join (select distinct dynamic_code, level from {{ ref('dim_rubric_level') }}) as present
    using (dynamic_code, level)
where present.level is null
union all
select 'totaal', count(*) from (select distinct dynamic_code, level from {{ ref('dim_rubric_level') }})
having count(*) != 20
