select
    concat_ws('-', measurement_year, lpad(cast(source_seq as varchar), 2, '0')) as source_id,
    measurement_year,
    source_seq,
    citation,
    title,
    organisation,
    url,
    is_public,
    provenance
from {{ ref('stg_sources') }}
