select
    {{ text('concept') }} as concept,
    {{ text('term') }} as term,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line
from {{ source('reference', 'thesaurus') }}
