select
    cast(measurement_year as integer) as measurement_year,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'baseline') }}
