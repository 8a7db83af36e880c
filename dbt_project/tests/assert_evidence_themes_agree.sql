-- theme_codes holds exactly the themes of bridge_evidence_theme; theme_code is set only when there is one.
with bridge as (
    select evidence_id, list(theme_code order by theme_code) as codes
    from {{ ref('bridge_evidence_theme') }}
    group by evidence_id
)

select evidence.evidence_id
from {{ ref('fct_evidence') }} as evidence
left join bridge using (evidence_id)
where list_sort(evidence.theme_codes) is distinct from coalesce(bridge.codes, [])
    or (len(evidence.theme_codes) = 1) != (evidence.theme_code is not null)
    or (evidence.theme_code is not null and evidence.theme_code != evidence.theme_codes[1])
