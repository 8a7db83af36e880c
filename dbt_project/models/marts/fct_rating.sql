-- Each participant's final vote per cell of a scoring session, from the vote store's event log. A change
-- replaces the earlier vote (the log keeps both); change_count says how often its score changed (a reason added
-- or edited alone is no change of mind), vote_round in which
-- round (1 + the times the theme's round was reopened before it) the final vote was cast. Anonymous.
with votes as (
    select
        *,
        lag(score) over (partition by session_id, participant_id, theme_code, dynamic_code order by event_id)
            as previous_score
    from {{ ref('stg_scoring_events') }}
    where event_type in ('vote_cast', 'vote_changed')
),

ranked as (
    select
        votes.*,
        row_number() over cell_votes as newest,
        count(*) filter (where score <> previous_score) over whole_cell as change_count,
        min(occurred_at) over whole_cell as first_cast_at
    from votes
    window
        cell_votes as (partition by session_id, participant_id, theme_code, dynamic_code order by event_id desc),
        whole_cell as (partition by session_id, participant_id, theme_code, dynamic_code)
),

reopened as (
    select session_id, theme_code, event_id
    from {{ ref('stg_scoring_events') }}
    where event_type = 'round_reopened'
)

select
    concat_ws('-', ranked.session_id, ranked.participant_id, ranked.theme_code, ranked.dynamic_code) as rating_id,
    ranked.session_id as scoring_session_id,
    sessions.measurement_year,
    ranked.participant_id,
    ranked.theme_code,
    ranked.dynamic_code,
    ranked.score,
    ranked.event_text as reason,
    cast(ranked.change_count as integer) as change_count,
    cast(1 + (
        select count(*)
        from reopened
        where reopened.session_id = ranked.session_id
            and reopened.theme_code = ranked.theme_code
            and reopened.event_id < ranked.event_id
    ) as integer) as vote_round,
    ranked.first_cast_at,
    ranked.occurred_at as cast_at,
    ranked.event_id
from ranked
inner join {{ ref('stg_scoring_events') }} as sessions
    on sessions.session_id = ranked.session_id and sessions.event_type = 'session_opened'
where ranked.newest = 1
