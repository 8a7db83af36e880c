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
        concat_ws('-', measurement_year, 'sessie_bevinding', session_code, dynamic_code,
                  {{ seq_in_id('finding_seq') }}) as evidence_id
    from {{ ref('stg_session_findings') }}
),

session_examples as (
    select
        measurement_year,
        'sessie_voorbeeld' as evidence_kind,
        cast(null as varchar) as theme_code,
        dynamic_code,
        session_code,
        example_seq as seq,
        heading,
        example_text as evidence_text,
        cast(null as varchar) as explicit_sector_codes,
        concat_ws('-', measurement_year, 'sessie_bevinding', session_code, dynamic_code,
                  {{ seq_in_id('finding_seq') }}) as parent_evidence_id,
        provenance,
        source_line,
        raw_file,
        concat_ws('-', measurement_year, 'sessie_voorbeeld', session_code, dynamic_code,
                  {{ seq_in_id('example_seq') }}) as evidence_id
    from {{ ref('stg_session_examples') }}
)

select * from chapter_evidence
union all by name
select * from session_findings
union all by name
select * from session_examples
