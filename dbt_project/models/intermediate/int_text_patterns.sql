-- Sector words (case-insensitive) and institution names (case-sensitive) as whole-word regex patterns.
-- A word boundary here is any character that is not a (Latin) letter or digit, so 'mbo-instellingen'
-- matches 'mbo' but 'vmbo' does not. (Unicode classes like \p{L} cost ~1 ms per regex compile.)
with sector_terms as (
    select
        'sectorwoord' as match_kind,
        term as matched_text,
        sector_code,
        cast(null as varchar) as institution_code,
        '(?i)' as flags,
        true as ignore_case,
        term
    from {{ ref('stg_sector_terms') }}
),

institution_names as (
    select
        'instelling' as match_kind,
        aliases.alias as matched_text,
        institutions.sector_code,
        aliases.institution_code,
        '' as flags,
        false as ignore_case,
        aliases.alias as term
    from {{ ref('stg_institution_aliases') }} as aliases
    inner join {{ ref('stg_institutions') }} as institutions using (institution_code)
)

select
    match_kind,
    matched_text,
    sector_code,
    institution_code,
    ignore_case,
    flags || '(?:^|[^A-Za-z0-9À-ÖØ-öø-ÿ])'
        || regexp_replace(term, '([.^$|?*+()\[\]{}\\/-])', '\\\1', 'g')
        || '(?:[^A-Za-z0-9À-ÖØ-öø-ÿ]|$)' as pattern
from (select * from sector_terms union all select * from institution_names)
