-- The sectors a piece of evidence speaks of. Explicit tags from the raw file win; otherwise the sector
-- words and institutions found in its text (not a sector word in a clause that says 'nog niet'); evidence
-- with neither is sector-wide ('alle', tag_source 'geen sectorverwijzing').
with evidence as (
    select evidence_id, explicit_sector_codes from {{ ref('int_evidence_unioned') }}
),

explicit_tags as (
    select evidence_id, trim(code) as sector_code, 'expliciet' as tag_source
    from evidence, unnest(string_split(explicit_sector_codes, ';')) as codes(code)
    where explicit_sector_codes is not null
),

derived_tags as (
    select matches.evidence_id, matches.sector_code, min(matches.match_kind) as tag_source
    from {{ ref('int_evidence_text_matches') }} as matches
    inner join evidence using (evidence_id)
    where evidence.explicit_sector_codes is null
        and matches.sector_code is not null
        and not matches.in_negated_clause
    group by all
),

tagged as (
    select * from explicit_tags
    union all
    select * from derived_tags
)

select * from tagged

union all

select evidence_id, 'alle' as sector_code, 'geen sectorverwijzing' as tag_source
from evidence
where evidence_id not in (select evidence_id from tagged)
