select
    {{ year_from_path() }} as measurement_year,
    {{ text('session_code') }} as session_code,
    {{ text('theme_code') }} as theme_code
from {{ source('measurements', 'session_themes') }}
