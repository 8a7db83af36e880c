select
    concat_ws('-', measurement_year, section, seq) as method_text_id,
    measurement_year,
    section,
    heading,
    seq,
    method_text,
    provenance
from {{ ref('stg_method_texts') }}
