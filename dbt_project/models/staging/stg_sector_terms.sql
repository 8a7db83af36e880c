select
    {{ text('term') }} as term,
    {{ text('sector_code') }} as sector_code,
    {{ text('note') }} as note
from {{ source('reference', 'sector_terms') }}
