-- In the nulmeting (the baseline) every scored theme × dynamic has evidence of its own dynamic (examples, variation or session
-- findings). Later measurements may arrive without evidence: the scoring form's 'bewijs' sheet is optional.
select scores.score_id
from {{ ref('fct_score') }} as scores
where scores.measurement_year in (select measurement_year from {{ ref('dim_measurement') }} where is_baseline)
    and not exists (
    select 1
    from {{ ref('fct_evidence') }} as evidence
    inner join {{ ref('bridge_evidence_theme') }} as themes using (evidence_id)
    where evidence.measurement_year = scores.measurement_year
        and themes.theme_code = scores.theme_code
        and evidence.dynamic_code = scores.dynamic_code
)
