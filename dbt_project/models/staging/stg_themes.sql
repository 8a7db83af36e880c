select
    {{ text('theme_code') }} as theme_code,
    cast(sort_order as integer) as sort_order,
    {{ text('theme_name') }} as theme_name,
    {{ text('description') }} as description,
    {{ text('transition_question_lead') }} as transition_question_lead,
    {{ text('transition_question') }} as transition_question,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'themes') }}
