select
    concat_ws('-', sessions.measurement_year, sessions.session_code) as report_session_id,
    sessions.measurement_year,
    sessions.session_code,
    sessions.session_number,
    sessions.session_name,
    sessions.session_date,
    coalesce(themes.theme_codes, []) as theme_codes,
    sessions.reading_guide,
    sessions.intro_heading,
    sessions.intro_text,
    sessions.provenance
from {{ ref('stg_sessions') }} as sessions
left join (
    select measurement_year, session_code, list(theme_code order by theme_code) as theme_codes
    from {{ ref('stg_session_themes') }}
    group by all
) as themes using (measurement_year, session_code)
