select
    concat_ws('-', measurement_year, theme_code, dynamic_code, sector_code) as score_id,
    measurement_year,
    theme_code,
    dynamic_code,
    sector_code,
    score,
    justification,
    provenance,
    raw_file
from {{ ref('stg_scores') }}
