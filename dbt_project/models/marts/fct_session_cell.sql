-- The agreement per session × theme × dynamic: how the participants' final votes (fct_rating) spread, and the
-- indicative score the koersteam agreed on (the latest one recorded). Quartiles interpolate linearly, as the
-- shared screen does (Python's statistics.quantiles, method 'inclusive'). is_latest_for_cell marks the one
-- session per measurement × theme × dynamic that the dashboard shows: the latest with an agreed score, else the
-- latest with votes.
with stats as (
    select
        scoring_session_id as session_id,
        theme_code,
        dynamic_code,
        count(*) as vote_count,
        median(score) as median_score,
        min(score) as min_score,
        max(score) as max_score,
        quantile_cont(score, 0.25) as q1_score,
        quantile_cont(score, 0.75) as q3_score
    from {{ ref('fct_rating') }}
    group by scoring_session_id, theme_code, dynamic_code
),

agreed as (
    select
        session_id,
        theme_code,
        dynamic_code,
        score as agreed_score,
        event_text as agreed_note,
        occurred_at as agreed_at
    from {{ ref('stg_scoring_events') }}
    where event_type = 'agreed_score_recorded'
    qualify row_number() over (partition by session_id, theme_code, dynamic_code order by event_id desc) = 1
),

cells as (
    select session_id, theme_code, dynamic_code from stats
    union
    select session_id, theme_code, dynamic_code from agreed
),

sessions as (
    select session_id, join_code, measurement_year, occurred_at as session_opened_at
    from {{ ref('stg_scoring_events') }}
    where event_type = 'session_opened'
),

joined as (
    select
        cells.session_id,
        sessions.join_code,
        sessions.measurement_year,
        sessions.session_opened_at,
        cells.theme_code,
        cells.dynamic_code,
        cast(coalesce(stats.vote_count, 0) as integer) as vote_count,
        stats.median_score,
        stats.min_score,
        stats.max_score,
        stats.q1_score,
        stats.q3_score,
        stats.q3_score - stats.q1_score as iqr,
        case
            when stats.vote_count is null then null
            when stats.max_score = stats.min_score then 'eensgezind'
            when stats.max_score - stats.min_score = 1 then 'klein'
            when stats.max_score - stats.min_score = 2 then 'matig'
            else 'groot'
        end as spread_label,
        agreed.agreed_score,
        agreed.agreed_note,
        agreed.agreed_at
    from cells
    inner join sessions using (session_id)
    left join stats using (session_id, theme_code, dynamic_code)
    left join agreed using (session_id, theme_code, dynamic_code)
)

select
    concat_ws('-', joined.session_id, joined.theme_code, joined.dynamic_code) as session_cell_id,
    joined.* rename (session_id as scoring_session_id),
    measurements.status as measurement_status,
    row_number() over (
        partition by joined.measurement_year, joined.theme_code, joined.dynamic_code
        order by joined.agreed_score is not null desc, joined.agreed_at desc nulls last,
            joined.session_opened_at desc, joined.session_id
    ) = 1 as is_latest_for_cell
from joined
left join {{ ref('dim_measurement') }} as measurements using (measurement_year)
