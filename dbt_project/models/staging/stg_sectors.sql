select
    {{ text('sector_code') }} as sector_code,
    cast(sort_order as integer) as sort_order,
    {{ text('sector_name') }} as sector_name,
    {{ text('description') }} as description
from {{ source('reference', 'sectors') }}
