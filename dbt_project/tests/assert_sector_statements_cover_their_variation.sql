-- Per-sector variation statements, read in order, give back the whole variation paragraph: nothing lost.
with statements as (
    select measurement_year, theme_code, dynamic_code, string_agg(evidence_text, ' ' order by seq) as joined
    from {{ ref('fct_evidence') }}
    where evidence_kind = 'variatie_sector'
    group by all
),

variations as (
    select measurement_year, theme_code, dynamic_code, evidence_text
    from {{ ref('fct_evidence') }}
    where evidence_kind = 'variatie'
)

select statements.measurement_year, statements.theme_code, statements.dynamic_code
from statements
left join variations using (measurement_year, theme_code, dynamic_code)
where variations.evidence_text is null
    or regexp_replace(statements.joined, '\s+', ' ', 'g') != regexp_replace(variations.evidence_text, '\s+', ' ', 'g')
