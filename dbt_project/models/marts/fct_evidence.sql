with evidence as (
    select * from {{ ref('int_evidence_unioned') }}
),

themes as (
    -- Every theme a piece of evidence speaks to: its own, or each theme its session feeds.
    select
        evidence_themes.evidence_id,
        list(evidence_themes.theme_code order by dim_theme.sort_order) as theme_codes
    from (select distinct evidence_id, theme_code from {{ ref('int_evidence_themes') }}) as evidence_themes
    inner join {{ ref('dim_theme') }} as dim_theme using (theme_code)
    group by evidence_themes.evidence_id
),

sectors as (
    select
        tags.evidence_id,
        list(tags.sector_code order by dim_sector.sort_order) as sector_codes,
        case
            when bool_or(tags.sector_code = 'alle' and tags.tag_source = 'expliciet') then 'sectorbreed (expliciet)'
            when bool_or(tags.tag_source = 'geen sectorverwijzing') then 'geen sector genoemd'
            else 'sectorspecifiek'
        end as sector_scope
    from {{ ref('int_evidence_sectors') }} as tags
    inner join {{ ref('dim_sector') }} as dim_sector using (sector_code)
    group by tags.evidence_id
),

institutions as (
    -- Found in the text, plus those a checked row names without their spelling (evidence_sectors.csv).
    select evidence_id, list(distinct institution_code order by institution_code) as institution_codes
    from (
        select evidence_id, institution_code from {{ ref('int_evidence_text_matches') }}
        where institution_code is not null
        union all
        select evidence_id, trim(code) as institution_code
        from {{ ref('stg_evidence_sectors') }}, unnest(string_split(institution_codes, ';')) as codes(code)
        where institution_codes is not null
    )
    group by evidence_id
)
,

search_texts as (
    -- Each distinct text lowered and stripped of accents once (a monitor repeats texts; at 1000× by the thousand).
    select full_text, lower(strip_accents(full_text)) as search_text
    from (select distinct coalesce(heading || ' ', '') || evidence_text as full_text from evidence)
)

select
    evidence.evidence_id,
    evidence.measurement_year,
    evidence.evidence_kind,
    -- Only when the evidence speaks to exactly one theme; select a theme's evidence with theme_codes.
    case when len(themes.theme_codes) = 1 then themes.theme_codes[1] end as theme_code,
    coalesce(themes.theme_codes, []) as theme_codes,
    evidence.dynamic_code,
    case
        when evidence.session_code is not null then concat_ws('-', evidence.measurement_year, evidence.session_code)
    end as report_session_id,
    evidence.session_code,
    evidence.parent_evidence_id,
    evidence.seq,
    evidence.heading,
    evidence.evidence_text,
    sectors.sector_codes,
    sectors.sector_scope,
    coalesce(institutions.institution_codes, []) as institution_codes,
    search_texts.search_text,
    evidence.provenance,
    evidence.source_line,
    evidence.raw_file
from evidence
left join themes using (evidence_id)
left join sectors using (evidence_id)
left join institutions using (evidence_id)
left join search_texts on search_texts.full_text = coalesce(evidence.heading || ' ', '') || evidence.evidence_text
