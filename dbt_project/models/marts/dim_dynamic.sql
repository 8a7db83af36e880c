select
    dynamic_code,
    dynamic_name,
    quadrant_label,
    sort_order,
    higher_is_better,
    guiding_questions,
    case
        when higher_is_better then 'Hoe hoger de score, hoe meer transitiedynamiek.'
        else 'Hoe hoger de score, hoe meer weerstand tegen verandering: hoog is hier ongunstig voor de transitie.'
    end as score_direction,
    provenance
from {{ ref('stg_dynamics') }}
