select
    {{ text('dynamic_code') }} as dynamic_code,
    cast(sort_order as integer) as sort_order,
    {{ text('dynamic_name') }} as dynamic_name,
    {{ text('quadrant_label') }} as quadrant_label,
    cast(higher_is_better as boolean) as higher_is_better,
    {{ text('guiding_questions') }} as guiding_questions,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'dynamics') }}
