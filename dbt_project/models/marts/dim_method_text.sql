-- The report's own text outside scores and evidence: the method chapter (method_texts.csv) and the
-- Introductie, chapter 1, footnotes and figure captions (report_texts.csv). Read in report order by source_line.
with texts as (
    select
        measurement_year, section, heading, 'alinea' as text_kind, seq, method_text, provenance, source_line
    from {{ ref('stg_method_texts') }}

    union all

    select
        measurement_year, section, heading, text_kind, seq, report_text as method_text, provenance, source_line
    from {{ ref('stg_report_texts') }}
)

select
    -- A paragraph keeps the id it always had (2025-§2.2-1); other kinds name their kind (2025-§2.1-voetnoot-1).
    concat_ws('-', measurement_year, section, case when text_kind != 'alinea' then text_kind end, seq)
        as method_text_id,
    measurement_year,
    section,
    heading,
    text_kind,
    seq,
    method_text,
    provenance,
    source_line
from texts
