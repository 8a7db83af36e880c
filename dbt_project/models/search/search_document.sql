{{ config(alias='document', indexes=[{'columns': ['doc_key'], 'unique': True}]) }}
-- Everything the one search box searches, one row per result: every piece of evidence, every score's
-- justification, the method chapter and the report's own texts, every source (title and organisation; its URL is
-- no text). The search index (warehouse/search_index) holds each distinct search_text once, by text_key.
-- collapse_key names the result a row is shown as: a per-sector sentence (variatie_sector) as its variatie
-- paragraph, a text the measurement repeats word for word as its first occurrence.
with evidence as (
    select
        'evidence:' || e.evidence_id as doc_id,
        'bewijs' as doc_kind,
        e.evidence_kind,
        k.evidence_kind_label as kind_label,
        e.measurement_year,
        e.theme_codes,
        e.dynamic_code,
        e.sector_codes,
        e.sector_scope,
        e.evidence_id,
        cast(null as varchar) as score_id,
        e.heading as title,
        e.evidence_text as body,
        coalesce(e.heading || ': ', '') || e.evidence_text as search_text,
        e.provenance,
        cast(null as varchar) as url,
        'evidence:' || paragraphs.evidence_id as paragraph_id,
        k.sort_order as kind_order,
        e.source_line
    from {{ ref('fct_evidence') }} as e
    inner join {{ ref('dim_evidence_kind') }} as k using (evidence_kind)
    left join (
        -- The variatie paragraph a per-sector sentence is part of.
        select measurement_year, theme_code, dynamic_code, min(evidence_id) as evidence_id
        from {{ ref('fct_evidence') }}
        where evidence_kind = 'variatie'
        group by all
    ) as paragraphs
        on e.evidence_kind = 'variatie_sector'
        and paragraphs.measurement_year = e.measurement_year
        and paragraphs.theme_code = e.theme_code
        and paragraphs.dynamic_code = e.dynamic_code
),

scores as (
    select
        'score:' || s.score_id as doc_id,
        'score' as doc_kind,
        cast(null as varchar) as evidence_kind,
        'Onderbouwing van de score' as kind_label,
        s.measurement_year,
        [s.theme_code] as theme_codes,
        s.dynamic_code,
        [s.sector_code] as sector_codes,
        case when s.sector_code = 'alle' then 'sectorbreed (expliciet)' else 'sectorspecifiek' end as sector_scope,
        cast(null as varchar) as evidence_id,
        s.score_id,
        t.theme_name || ' · ' || d.dynamic_name || ': score ' || s.score as title,
        s.justification as body,
        s.justification as search_text,
        s.provenance,
        cast(null as varchar) as url,
        cast(null as varchar) as paragraph_id,
        0 as kind_order,
        cast(null as integer) as source_line
    from {{ ref('fct_score') }} as s
    inner join {{ ref('dim_theme') }} as t using (theme_code)
    inner join {{ ref('dim_dynamic') }} as d using (dynamic_code)
    where s.justification is not null
),

method_texts as (
    select
        'method:' || m.method_text_id as doc_id,
        'methode' as doc_kind,
        cast(null as varchar) as evidence_kind,
        case m.text_kind
            when 'voetnoot' then 'Voetnoot'
            when 'figuurbijschrift' then 'Figuurbijschrift'
            else 'Methode en rapporttekst'
        end as kind_label,
        m.measurement_year,
        []::varchar[] as theme_codes,
        cast(null as varchar) as dynamic_code,
        []::varchar[] as sector_codes,
        cast(null as varchar) as evidence_id,
        cast(null as varchar) as score_id,
        m.heading as title,
        m.method_text as body,
        coalesce(m.heading || ': ', '') || m.method_text as search_text,
        m.provenance,
        cast(null as varchar) as url,
        cast(null as varchar) as paragraph_id,
        100 as kind_order,
        m.source_line
    from {{ ref('dim_method_text') }} as m
),

sources as (
    select
        'source:' || s.source_id as doc_id,
        'bron' as doc_kind,
        cast(null as varchar) as evidence_kind,
        'Bron' as kind_label,
        s.measurement_year,
        []::varchar[] as theme_codes,
        cast(null as varchar) as dynamic_code,
        []::varchar[] as sector_codes,
        cast(null as varchar) as evidence_id,
        cast(null as varchar) as score_id,
        coalesce(s.title, s.citation) as title,
        s.citation as body,
        concat_ws(' – ', coalesce(s.title, s.citation), s.organisation) as search_text,
        s.provenance,
        s.url,
        cast(null as varchar) as paragraph_id,
        200 as kind_order,
        s.source_seq as source_line
    from {{ ref('dim_source') }} as s
),

documents as materialized (
    select * from scores
    union all by name select * from evidence
    union all by name select * from method_texts
    union all by name select * from sources
),

-- The order is numbered over the narrow sort columns, not the rows with their texts (at 1000× ~350,000 of them).
doc_keys as materialized (
    select
        doc_id,
        row_number() over (
            order by measurement_year, kind_order, theme_codes[1] nulls first, dynamic_code nulls first,
                source_line nulls last, doc_id
        ) as doc_key
    from documents
),

-- Each distinct text once, numbered, and the first row of a measurement that carries it: hash aggregates and
-- joins on the text, no sort of the long texts (at 1000× they are hundreds of thousands).
texts as (
    select search_text, row_number() over () as text_key
    from (select distinct search_text from documents)
),

keyed as materialized (
    select documents.*, doc_keys.doc_key, texts.text_key
    from documents
    inner join doc_keys using (doc_id)
    inner join texts using (search_text)
),

first_rows as (
    select measurement_year, text_key, min(doc_key) as first_doc_key
    from keyed
    group by measurement_year, text_key
)

select
    keyed.doc_key,
    keyed.doc_id,
    keyed.doc_kind,
    keyed.evidence_kind,
    keyed.kind_label,
    case
        when keyed.doc_kind = 'score' then 1
        when keyed.evidence_kind in ('voorbeeld', 'sessie_voorbeeld') then 2
        when keyed.evidence_kind in ('variatie', 'variatie_sector') then 3
        when keyed.evidence_kind in ('sessie_ontwikkeling', 'sessie_narratief') then 4
        when keyed.evidence_kind like 'samenvatting%' then 5
        when keyed.doc_kind = 'methode' then 6
        else 7
    end as result_group,
    keyed.measurement_year,
    keyed.theme_codes,
    keyed.dynamic_code,
    keyed.sector_codes,
    keyed.sector_scope,
    keyed.evidence_id,
    keyed.score_id,
    keyed.title,
    keyed.body,
    keyed.search_text,
    keyed.provenance,
    keyed.url,
    coalesce(keyed.paragraph_id, firsts.doc_id) as collapse_key,
    keyed.text_key
from keyed
inner join first_rows using (measurement_year, text_key)
inner join doc_keys as firsts on firsts.doc_key = first_rows.first_doc_key
order by keyed.doc_key
