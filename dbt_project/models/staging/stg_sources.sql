select
    cast(measurement_year as integer) as measurement_year,
    cast(source_seq as integer) as source_seq,
    {{ text('citation') }} as citation,
    {{ text('title') }} as title,
    {{ text('organisation') }} as organisation,
    {{ text('url') }} as url,
    cast(is_public as boolean) as is_public,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('measurements', 'sources') }}
