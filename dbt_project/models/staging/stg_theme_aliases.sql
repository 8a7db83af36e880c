select
    {{ text('theme_code') }} as theme_code,
    {{ text('alias') }} as alias,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'theme_aliases') }}
