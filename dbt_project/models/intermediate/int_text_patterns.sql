-- Sector words (case-insensitive) and institution spellings (case-sensitive) as the token sequences that find
-- them in a text. A token is a run of (Latin) letters and digits, so 'mbo-instellingen' holds the token 'mbo' but
-- 'vmbo' does not, and 'Leiden-Delft-Erasmus' is the tokens Leiden, Delft, Erasmus. int_evidence_text_matches
-- joins a text's tokens with these on the first token (a hash join), not every text with every pattern.
with sector_terms as (
    select
        'sectorwoord' as match_kind,
        term as matched_text,
        sector_code,
        cast(null as varchar) as institution_code,
        true as ignore_case
    from {{ ref('stg_sector_terms') }}
),

institution_names as (
    select
        'instelling' as match_kind,
        aliases.alias as matched_text,
        institutions.sector_code,
        aliases.institution_code,
        false as ignore_case
    from {{ ref('stg_institution_aliases') }} as aliases
    inner join {{ ref('stg_institutions') }} as institutions using (institution_code)
),

patterns as (
    select
        *,
        regexp_extract_all(
            case when ignore_case then lower(matched_text) else matched_text end, '[A-Za-z0-9À-ÖØ-öø-ÿ]+'
        ) as tokens
    from (select * from sector_terms union all select * from institution_names)
)

select
    match_kind,
    matched_text,
    sector_code,
    institution_code,
    ignore_case,
    tokens,
    len(tokens) as token_count,
    tokens[1] as first_token
from patterns
where len(tokens) > 0
