select
    measurement_year,
    label,
    row_number() over (order by measurement_year) as measurement_seq,
    measurement_year in (select baseline.measurement_year from {{ ref('stg_baseline') }} as baseline) as is_baseline,
    fieldwork_start,
    fieldwork_end,
    report_month,
    report_title,
    publisher,
    commissioned_by,
    authors,
    scoring_method,
    source_document,
    provenance,
    status,
    raw_file
from {{ ref('stg_measurement') }}
