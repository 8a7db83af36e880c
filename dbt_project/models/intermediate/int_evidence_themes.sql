{{ config(materialized='table') }}  -- read by several models and tests: computed once
-- Which themes a piece of evidence speaks to: its own theme, or the themes its session feeds.
select evidence_id, theme_code
from {{ ref('int_evidence_unioned') }}
where theme_code is not null

union all

select evidence.evidence_id, session_themes.theme_code
from {{ ref('int_evidence_unioned') }} as evidence
inner join {{ ref('stg_session_themes') }} as session_themes
    on evidence.measurement_year = session_themes.measurement_year
    and evidence.session_code = session_themes.session_code
