{{ config(materialized='table') }}
-- Every sector word and institution name found in a piece of evidence (heading and text).
-- A plain substring test picks the candidates first: a regex per evidence × pattern pair is far slower.
-- A sector word is 'in a negated clause' when every clause that holds it says the thing is not there yet
-- ('nog niet', 'nog geen'): '(dit kan in het hbo en wo nog niet)' does not make a text about hbo and wo.
-- A clause is the text between . ; : ! ? ( and ).
-- Lower-casing is done once per text and once per pattern, not once per text × pattern pair: the pair join
-- is evidence × patterns, so anything computed inside it is paid that many times.
with evidence as materialized (
    select evidence_id, full_text, lower(full_text) as lower_text
    from (
        select evidence_id, coalesce(heading, '') || ' ' || evidence_text as full_text
        from {{ ref('int_evidence_unioned') }}
    )
),

patterns as materialized (
    select *, case when ignore_case then lower(matched_text) else matched_text end as needle
    from {{ ref('int_text_patterns') }}
),

candidates as materialized (
    select evidence.evidence_id, evidence.full_text, patterns.*
    from evidence
    inner join patterns
        on contains(case when patterns.ignore_case then evidence.lower_text else evidence.full_text end, patterns.needle)
),

matches as (
    select *
    from candidates
    where regexp_matches(
        case when mask_pattern is null then full_text else regexp_replace(full_text, mask_pattern, ' ', 'g') end,
        pattern
    )
),

clauses as (
    select
        evidence_id,
        clause,
        regexp_matches(clause, '(?i)(?:^|[^a-zà-ÿ])nog (?:niet|geen)(?:[^a-zà-ÿ]|$)') as is_negated
    from (
        select evidence_id, unnest(string_split_regex(full_text, '[.;:!?()]')) as clause
        from evidence
        where evidence_id in (select evidence_id from matches where match_kind = 'sectorwoord')
    )
),

sector_word_clauses as (
    select matches.evidence_id, matches.matched_text, bool_and(clauses.is_negated) as in_negated_clause
    from matches
    inner join clauses
        on matches.evidence_id = clauses.evidence_id
        and regexp_matches(clauses.clause, matches.pattern)
    where matches.match_kind = 'sectorwoord'
    group by all
)

select
    matches.evidence_id,
    matches.match_kind,
    matches.matched_text,
    matches.sector_code,
    matches.institution_code,
    coalesce(sector_word_clauses.in_negated_clause, false) as in_negated_clause
from matches
left join sector_word_clauses
    on matches.match_kind = 'sectorwoord'
    and matches.evidence_id = sector_word_clauses.evidence_id
    and matches.matched_text = sector_word_clauses.matched_text
