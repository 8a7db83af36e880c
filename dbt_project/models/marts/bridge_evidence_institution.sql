-- Found in the text (its spellings), plus institutions a hand-checked row names without their spelling
-- (evidence_sectors.csv: 'Utrecht' for the Universiteit Utrecht), with no spelling found.
select evidence_id, institution_code, list(distinct matched_text order by matched_text) as matched_names
from {{ ref('int_evidence_text_matches') }}
where institution_code is not null
group by evidence_id, institution_code

union all

select checked.evidence_id, trim(codes.code) as institution_code, []::varchar[] as matched_names
from {{ ref('stg_evidence_sectors') }} as checked, unnest(string_split(checked.institution_codes, ';')) as codes(code)
where checked.institution_codes is not null
    and not exists (
        select 1 from {{ ref('int_evidence_text_matches') }} as found
        where found.evidence_id = checked.evidence_id and found.institution_code = trim(codes.code)
    )
