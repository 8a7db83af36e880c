select
    cast(measurement_year as integer) as measurement_year,
    {{ text('theme_code') }} as theme_code,
    {{ text('dynamic_code') }} as dynamic_code,
    {{ text('sector_code') }} as sector_code,
    cast(score as integer) as score,
    {{ text('justification') }} as justification,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line,
    {{ raw_file() }} as raw_file
from {{ source('measurements', 'scores') }}
