select
    concat_ws('-', measurement_year, session_code) as report_session_id,
    measurement_year,
    session_code,
    theme_code
from {{ ref('stg_session_themes') }}
