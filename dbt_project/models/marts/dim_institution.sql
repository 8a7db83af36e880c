select
    institutions.institution_code,
    institutions.institution_name,
    institutions.institution_kind,
    institutions.sector_code,
    coalesce(aliases.aliases, []) as aliases,
    institutions.first_mention
from {{ ref('stg_institutions') }} as institutions
left join (
    select institution_code, list(alias order by alias) as aliases
    from {{ ref('stg_institution_aliases') }}
    group by institution_code
) as aliases using (institution_code)
