select
    themes.theme_code,
    themes.theme_name,
    themes.sort_order,
    themes.description,
    themes.transition_question_lead,
    themes.transition_question,
    coalesce(aliases.other_names, []) as other_names,
    themes.provenance
from {{ ref('stg_themes') }} as themes
left join (
    select theme_code, list(alias order by source_line, alias) as other_names
    from {{ ref('stg_theme_aliases') }}
    group by theme_code
) as aliases using (theme_code)
