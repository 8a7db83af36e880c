-- Every scored theme × dynamic has evidence of its own dynamic (examples, variation or session findings).
select scores.score_id
from {{ ref('fct_score') }} as scores
where not exists (
    select 1
    from {{ ref('fct_evidence') }} as evidence
    inner join {{ ref('bridge_evidence_theme') }} as themes using (evidence_id)
    where evidence.measurement_year = scores.measurement_year
        and themes.theme_code = scores.theme_code
        and evidence.dynamic_code = scores.dynamic_code
)
