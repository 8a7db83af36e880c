select
    cast(measurement_year as integer) as measurement_year,
    {{ text('label') }} as label,
    cast({{ text('fieldwork_start') }} as date) as fieldwork_start,
    cast({{ text('fieldwork_end') }} as date) as fieldwork_end,
    {{ text('report_date') }} as report_month,
    {{ text('report_title') }} as report_title,
    {{ text('publisher') }} as publisher,
    {{ text('commissioned_by') }} as commissioned_by,
    {{ text('authors') }} as authors,
    {{ text('scoring_method') }} as scoring_method,
    {{ text('source_document') }} as source_document,
    {{ text('provenance') }} as provenance,
    coalesce({{ text('status') }}, 'vastgesteld') as status,
    {{ raw_file() }} as raw_file
from {{ source('measurements', 'measurement') }}
