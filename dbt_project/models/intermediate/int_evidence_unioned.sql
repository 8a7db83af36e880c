{{ config(materialized='table') }}  -- read by several models and tests: computed once
-- Every piece of evidence in one shape: the chapter-3/4 evidence and the session findings and examples.
with chapter_evidence as (
    select
        measurement_year,
        evidence_kind,
        theme_code,
        dynamic_code,
        cast(null as varchar) as session_code,
        seq,
        heading,
        evidence_text,
        sector_codes as explicit_sector_codes,
        cast(null as varchar) as parent_evidence_id,
        provenance,
        source_line,
        raw_file,
        concat_ws('-', measurement_year, evidence_kind, coalesce(theme_code, 'thema_overstijgend'),
                  coalesce(dynamic_code, 'dynamiek_overstijgend'), {{ seq_in_id('seq') }}) as evidence_id
    from {{ ref('stg_evidence') }}
),

session_findings as (
    select
        measurement_year,
        'sessie_' || finding_kind as evidence_kind,
        cast(null as varchar) as theme_code,
        dynamic_code,
        session_code,
        finding_seq as seq,
        heading,
        finding_text as evidence_text,
        cast(null as varchar) as explicit_sector_codes,
        cast(null as varchar) as parent_evidence_id,
        provenance,
        source_line,
        raw_file,
        -- The id starts with the kind: 2025-sessie_narratief-… or 2025-sessie_ontwikkeling-….
        concat_ws('-', measurement_year, 'sessie_' || finding_kind, session_code, dynamic_code,
                  {{ seq_in_id('finding_seq') }}) as evidence_id
    from {{ ref('stg_session_findings') }}
),

session_examples as (
    select
        examples.measurement_year,
        'sessie_voorbeeld' as evidence_kind,
        cast(null as varchar) as theme_code,
        examples.dynamic_code,
        examples.session_code,
        examples.example_seq as seq,
        examples.heading,
        examples.example_text as evidence_text,
        cast(null as varchar) as explicit_sector_codes,
        findings.evidence_id as parent_evidence_id,
        examples.provenance,
        examples.source_line,
        examples.raw_file,
        concat_ws('-', examples.measurement_year, 'sessie_voorbeeld', examples.session_code, examples.dynamic_code,
                  {{ seq_in_id('examples.example_seq') }}) as evidence_id
    from {{ ref('stg_session_examples') }} as examples
    left join session_findings as findings
        on examples.measurement_year = findings.measurement_year
        and examples.session_code = findings.session_code
        and examples.dynamic_code = findings.dynamic_code
        and examples.finding_seq = findings.seq
)

select * from chapter_evidence
union all by name
select * from session_findings
union all by name
select * from session_examples
