-- One row per live scoring session (the Scoringssessie page), from the vote store's event log. No names:
-- neither the facilitator's nor the participants'.
with opened as (
    select
        session_id,
        join_code,
        measurement_year,
        string_split(theme_codes, ',') as theme_codes,
        occurred_at as opened_at
    from {{ ref('stg_scoring_events') }}
    where event_type = 'session_opened'
),

activity as (
    select
        session_id,
        count(*) as event_count,
        count(*) filter (where event_type = 'participant_joined') as participant_count,
        count(*) filter (where event_type in ('vote_cast', 'vote_changed')) as vote_event_count,
        max(occurred_at) as last_event_at
    from {{ ref('stg_scoring_events') }}
    group by session_id
),

ratings as (
    select scoring_session_id as session_id, count(*) as rating_count
    from {{ ref('fct_rating') }}
    group by scoring_session_id
),

agreed as (
    select scoring_session_id as session_id, count(*) filter (where agreed_score is not null) as agreed_count
    from {{ ref('fct_session_cell') }}
    group by scoring_session_id
)

select
    opened.session_id as scoring_session_id,
    opened.join_code,
    opened.measurement_year,
    opened.theme_codes,
    opened.opened_at,
    activity.last_event_at,
    cast(activity.participant_count as integer) as participant_count,
    cast(coalesce(ratings.rating_count, 0) as integer) as rating_count,
    cast(activity.vote_event_count as integer) as vote_event_count,
    cast(coalesce(agreed.agreed_count, 0) as integer) as agreed_count,
    cast(activity.event_count as integer) as event_count
from opened
inner join activity using (session_id)
left join ratings using (session_id)
left join agreed using (session_id)
