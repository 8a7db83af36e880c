select
    concat_ws('-', measurement_year, {{ seq_in_id('source_seq') }}) as source_id,
    measurement_year,
    source_seq,
    citation,
    title,
    organisation,
    url,
    is_public,
    provenance
from {{ ref('stg_sources') }}
