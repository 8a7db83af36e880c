with evidence as (
    select * from {{ ref('int_evidence_unioned') }}
),

single_theme as (
    -- A piece of evidence gets a theme_code only when it speaks to exactly one theme.
    select evidence_id, min(theme_code) as theme_code
    from {{ ref('int_evidence_themes') }}
    group by evidence_id
    having count(*) = 1
),

sectors as (
    select tags.evidence_id, list(tags.sector_code order by dim_sector.sort_order) as sector_codes
    from {{ ref('int_evidence_sectors') }} as tags
    inner join {{ ref('dim_sector') }} as dim_sector using (sector_code)
    group by tags.evidence_id
),

institutions as (
    select evidence_id, list(distinct institution_code order by institution_code) as institution_codes
    from {{ ref('int_evidence_text_matches') }}
    where institution_code is not null
    group by evidence_id
)

select
    evidence.evidence_id,
    evidence.measurement_year,
    evidence.evidence_kind,
    single_theme.theme_code,
    evidence.dynamic_code,
    case
        when evidence.session_code is not null then concat_ws('-', evidence.measurement_year, evidence.session_code)
    end as session_id,
    evidence.session_code,
    evidence.parent_evidence_id,
    evidence.seq,
    evidence.heading,
    evidence.evidence_text,
    sectors.sector_codes,
    coalesce(institutions.institution_codes, []) as institution_codes,
    lower(strip_accents(coalesce(evidence.heading || ' ', '') || evidence.evidence_text)) as search_text,
    evidence.provenance,
    evidence.source_line,
    evidence.raw_file
from evidence
left join single_theme using (evidence_id)
left join sectors using (evidence_id)
left join institutions using (evidence_id)
