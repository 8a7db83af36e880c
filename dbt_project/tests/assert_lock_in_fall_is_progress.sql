-- The meaning of a change follows the polarity: a lower lock-in score is progress, a lower opbouw score is not.
select score_change_id
from {{ ref('fct_score_change') }}
where previous_score is not null
    and (
        (dynamic_code = 'lock_in' and score < previous_score and meaning_since_previous != 'vooruitgang')
        or (dynamic_code != 'lock_in' and score < previous_score and meaning_since_previous != 'achteruitgang')
        or (score = previous_score and meaning_since_previous != 'gelijk')
    )
