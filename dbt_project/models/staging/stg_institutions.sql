select
    {{ text('institution_code') }} as institution_code,
    {{ text('institution_name') }} as institution_name,
    {{ text('sector_code') }} as sector_code,
    {{ text('institution_kind') }} as institution_kind,
    {{ text('first_mention') }} as first_mention,
    cast(source_line as integer) as source_line
from {{ source('reference', 'institutions') }}
