-- Sector words (case-insensitive) and institution names (case-sensitive) as whole-word regex patterns.
-- A word boundary here is any character that is not a (Latin) letter or digit, so 'mbo-instellingen'
-- matches 'mbo' but 'vmbo' does not. (Unicode classes like \p{L} cost ~1 ms per regex compile.)
-- An institution spelling inside a longer spelling ('Leiden' in 'Leiden-Delft-Erasmus', the alliance) is
-- masked out first (mask_pattern), so an alliance never links to one of its members.
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
),

patterns as (
    select *, regexp_replace(term, '([.^$|?*+()\[\]{}\\/-])', '\\\1', 'g') as escaped
    from (select * from sector_terms union all select * from institution_names)
),

masks as (
    -- Longer institution spellings that contain this one, longest first.
    select
        short.matched_text,
        string_agg(long.escaped, '|' order by length(long.matched_text) desc, long.matched_text) as mask_pattern
    from patterns as short
    inner join patterns as long
        on contains(long.matched_text, short.matched_text)
        and long.matched_text != short.matched_text
    where short.match_kind = 'instelling' and long.match_kind = 'instelling'
    group by short.matched_text
)

select
    patterns.match_kind,
    patterns.matched_text,
    patterns.sector_code,
    patterns.institution_code,
    patterns.ignore_case,
    patterns.flags || '(?:^|[^A-Za-z0-9À-ÖØ-öø-ÿ])' || patterns.escaped || '(?:[^A-Za-z0-9À-ÖØ-öø-ÿ]|$)' as pattern,
    case when patterns.match_kind = 'instelling' then masks.mask_pattern end as mask_pattern
from patterns
left join masks on patterns.match_kind = 'instelling' and masks.matched_text = patterns.matched_text
