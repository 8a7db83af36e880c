select
    cast(measurement_year as integer) as measurement_year,
    {{ text('session_code') }} as session_code,
    cast(session_number as integer) as session_number,
    {{ text('session_name') }} as session_name,
    cast(session_date as date) as session_date,
    {{ text('reading_guide') }} as reading_guide,
    {{ text('intro_heading') }} as intro_heading,
    {{ text('intro_text') }} as intro_text,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line,
    {{ raw_file() }} as raw_file
from {{ source('measurements', 'sessions') }}
