select evidence_id, institution_code, list(distinct matched_text order by matched_text) as matched_names
from {{ ref('int_evidence_text_matches') }}
where institution_code is not null
group by evidence_id, institution_code
