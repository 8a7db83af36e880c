select
    concat_ws('-', dynamic_code, level, descriptor_seq) as rubric_descriptor_id,
    dynamic_code,
    level,
    descriptor_seq,
    descriptor,
    provenance
from {{ ref('stg_rubric_descriptors') }}
