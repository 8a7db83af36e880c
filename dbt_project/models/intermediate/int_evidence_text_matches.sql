{{ config(materialized='table') }}
-- Every sector word and institution name found in a piece of evidence (heading and text).
-- A plain substring test picks the candidates first: a regex per evidence × pattern pair is far slower.
with evidence as (
    select evidence_id, coalesce(heading, '') || ' ' || evidence_text as full_text
    from {{ ref('int_evidence_unioned') }}
),

candidates as materialized (
    select evidence.evidence_id, evidence.full_text, patterns.*
    from evidence
    inner join {{ ref('int_text_patterns') }} as patterns
        on case
            when patterns.ignore_case then contains(lower(evidence.full_text), lower(patterns.matched_text))
            else contains(evidence.full_text, patterns.matched_text)
        end
)

select evidence_id, match_kind, matched_text, sector_code, institution_code
from candidates
where regexp_matches(full_text, pattern)
