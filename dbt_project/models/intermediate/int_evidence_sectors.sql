{{ config(materialized='table') }}  -- read by several models and tests: computed once
-- The sectors a piece of evidence speaks of. Explicit tags from the raw file win, then the sectors checked by
-- hand (evidence_sectors.csv: where the text's words mislead, with provenance); otherwise the sector
-- words and institutions found in its text (not a sector word in a clause that says 'nog niet', nor one in an
-- aside between parentheses, nor one inside an institution's name); evidence with neither speaks of no sector
-- in particular ('alle', tag_source 'geen sectorverwijzing').
with checked as (
    select evidence_id, sector_codes from {{ ref('stg_evidence_sectors') }}
),

evidence as (
    select evidence_id, explicit_sector_codes from {{ ref('int_evidence_unioned') }}
),

explicit_tags as (
    select evidence_id, trim(code) as sector_code, 'expliciet' as tag_source
    from evidence, unnest(string_split(explicit_sector_codes, ';')) as codes(code)
    where explicit_sector_codes is not null
),

checked_tags as (
    -- Checked by hand (data_raw/measurements/<year>/evidence_sectors.csv, with provenance); none listed: no sector.
    select evidence_id, trim(code) as sector_code, 'nagekeken' as tag_source
    from checked, unnest(string_split(sector_codes, ';')) as codes(code)
    where sector_codes is not null
        and evidence_id in (select evidence_id from evidence where explicit_sector_codes is null)
),

derived_tags as (
    select matches.evidence_id, matches.sector_code, min(matches.match_kind) as tag_source
    from {{ ref('int_evidence_text_matches') }} as matches
    inner join evidence using (evidence_id)
    where evidence.explicit_sector_codes is null
        and evidence_id not in (select evidence_id from checked)
        and matches.sector_code is not null
        and not matches.in_negated_clause
        and not matches.in_aside
    group by all
),

tagged as (
    select * from explicit_tags
    union all
    select * from checked_tags
    union all
    select * from derived_tags
)

select * from tagged

union all

select evidence_id, 'alle' as sector_code, 'geen sectorverwijzing' as tag_source
from evidence
where evidence_id not in (select evidence_id from tagged)
