select
    cast(measurement_year as integer) as measurement_year,
    {{ text('section') }} as section,
    {{ text('heading') }} as heading,
    {{ text('text_kind') }} as text_kind,
    cast(seq as integer) as seq,
    {{ text('text') }} as report_text,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('measurements', 'report_texts') }}
