select
    {{ text('dynamic_code') }} as dynamic_code,
    cast(level as integer) as level,
    cast(descriptor_seq as integer) as descriptor_seq,
    {{ text('descriptor') }} as descriptor,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'rubric_descriptors') }}
