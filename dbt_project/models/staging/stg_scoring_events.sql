-- The vote store's event log, typed. One row per event; nothing is derived here.
select
    cast(event_id as bigint) as event_id,
    {{ text('session_id') }} as session_id,
    {{ text('event_type') }} as event_type,
    cast({{ text('occurred_at') }} as timestamp) as occurred_at,
    {{ text('participant_id') }} as participant_id,
    cast({{ text('measurement_year') }} as integer) as measurement_year,
    {{ text('theme_codes') }} as theme_codes,
    {{ text('join_code') }} as join_code,
    {{ text('theme_code') }} as theme_code,
    {{ text('dynamic_code') }} as dynamic_code,
    cast({{ text('score') }} as integer) as score,
    {{ text('text') }} as event_text
from {{ source('votes', 'scoring_event') }}
