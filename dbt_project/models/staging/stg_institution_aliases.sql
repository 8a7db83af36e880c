select
    {{ text('institution_code') }} as institution_code,
    {{ text('alias') }} as alias
from {{ source('reference', 'institution_aliases') }}
