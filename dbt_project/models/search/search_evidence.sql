-- One row per piece of evidence with everything the Voorbeelden and Thema pages filter, sort and show: a query
-- filters, counts and pages on the narrow columns and reads the texts of the shown rows only, by search_key
-- through the index (a point lookup instead of decompressing the texts around scattered rows).
{{ config(alias='evidence', indexes=[{'columns': ['search_key'], 'unique': True}]) }}

with themes as (
    select bridge.evidence_id, list(bridge.theme_code order by dim_theme.sort_order) as theme_codes,
        min(dim_theme.sort_order) as theme_order
    from {{ ref('bridge_evidence_theme') }} as bridge
    inner join {{ ref('dim_theme') }} as dim_theme using (theme_code)
    group by bridge.evidence_id
),

evidence as (
    select
        e.evidence_id,
        e.measurement_year,
        e.evidence_kind,
        coalesce(themes.theme_codes, []) as theme_codes,
        e.dynamic_code,
        coalesce(e.sector_codes, ['alle']) as sector_codes,
        e.sector_scope,
        e.institution_codes,
        e.report_session_id,
        e.parent_evidence_id,
        e.heading,
        e.evidence_text,
        e.provenance,
        dim_evidence_kind.evidence_kind_label,
        e.session_code,
        dim_session.session_name,
        dim_session.session_date,
        -- Browsing without a search: illustrative examples first, then the other evidence from concrete to general.
        case e.evidence_kind
            when 'voorbeeld' then 1
            when 'sessie_voorbeeld' then 2
            when 'variatie_sector' then 3
            when 'variatie' then 4
            when 'sessie_ontwikkeling' then 5
            when 'sessie_narratief' then 6
            when 'samenvatting_thema' then 7
            else 8
        end as browse_kind_order,
        dim_evidence_kind.sort_order as kind_order,
        themes.theme_order,
        dim_dynamic.sort_order as dynamic_order,
        dim_session.session_number,
        e.seq,
        documents.text_key
    from {{ ref('fct_evidence') }} as e
    left join themes on themes.evidence_id = e.evidence_id
    left join {{ ref('dim_dynamic') }} as dim_dynamic on dim_dynamic.dynamic_code = e.dynamic_code
    left join {{ ref('dim_session') }} as dim_session on dim_session.report_session_id = e.report_session_id
    left join {{ ref('dim_evidence_kind') }} as dim_evidence_kind on dim_evidence_kind.evidence_kind = e.evidence_kind
    inner join {{ ref('search_document') }} as documents on documents.doc_id = 'evidence:' || e.evidence_id
),

ranks as (
    -- The three orders over narrow columns only: the sorts do not carry the texts.
    select
        evidence_id,
        -- A compact key in the table's order: joins on it are cheap and a range of it is a few row groups.
        row_number() over (
            order by measurement_year, browse_kind_order, theme_order nulls first, dynamic_order nulls first,
                session_number nulls first, seq, evidence_id
        ) as search_key,
        row_number() over (
            order by browse_kind_order, theme_order nulls first, dynamic_order nulls first, session_number nulls first,
                seq, evidence_id
        ) as browse_rank,
        row_number() over (
            order by session_number nulls first, kind_order, theme_order nulls first, dynamic_order nulls first, seq,
                evidence_id
        ) as report_rank
    from (select evidence_id, measurement_year, browse_kind_order, theme_order, dynamic_order, session_number, seq,
        kind_order from evidence)
)

select
    ranks.search_key,
    evidence.evidence_id,
    measurement_year,
    evidence_kind,
    theme_codes,
    dynamic_code,
    sector_codes,
    sector_scope,
    institution_codes,
    report_session_id,
    parent_evidence_id,
    text_key,
    heading,
    evidence_text,
    provenance,
    evidence_kind_label,
    session_code,
    session_name,
    session_date,
    ranks.browse_rank,
    ranks.report_rank
from evidence
inner join ranks using (evidence_id)
order by ranks.search_key
