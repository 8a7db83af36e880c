-- Lock-in is the one dynamic where a higher score is worse for the transition.
select dynamic_code, higher_is_better
from {{ ref('dim_dynamic') }}
where higher_is_better = (dynamic_code = 'lock_in')
