{{ config(materialized='table') }}
-- Every sector word and institution spelling found in a piece of evidence (heading and text).
-- Each distinct text is split into clauses and tokens once; patterns are found by a hash join on their first token
-- and checked on the tokens that follow (int_text_patterns), never by testing every text against every pattern.
-- An institution's spelling inside a longer one ('Leiden' in 'Leiden-Delft-Erasmus') does not count, and neither
-- does a sector word inside an institution's name ('MBO' in 'Kennispunt MBO Leven Lang Ontwikkelen'): a name is
-- not a statement about a sector.
-- A clause is the text between . ; : ! ? ( and ). A sector word is 'in a negated clause' when every clause that
-- holds it says the thing is not there yet ('nog niet', 'nog geen'), and 'in an aside' when every clause that holds
-- it stands between parentheses ('(vooral voor mbo-docenten)').
with evidence as materialized (
    select evidence_id, coalesce(heading, '') || ' ' || evidence_text as full_text
    from {{ ref('int_evidence_unioned') }}
),

texts as materialized (
    select full_text, row_number() over (order by full_text) as text_no
    from (select distinct full_text from evidence)
),

clauses as materialized (
    select
        text_no,
        clause_no,
        regexp_matches(clause, '(?i)(?:^|[^a-zà-ÿ])nog (?:niet|geen)(?:[^a-zà-ÿ]|$)') as is_negated,
        coalesce(lag(right(clause, 1)) over (partition by text_no order by clause_no) = '(', false) as in_parentheses,
        regexp_extract_all(clause, '[A-Za-z0-9À-ÖØ-öø-ÿ]+') as clause_tokens
    from (
        select text_no, unnest(parts) as clause, generate_subscripts(parts, 1) as clause_no
        from (select text_no, regexp_extract_all(full_text, '[^.;:!?()]*[.;:!?()]?') as parts from texts)
    )
),

positioned as materialized (
    -- Each clause's tokens with their position in the whole text (a pattern may span clauses: 'St. Lucas').
    select
        text_no,
        clause_no,
        is_negated,
        in_parentheses,
        clause_tokens,
        coalesce(sum(len(clause_tokens)) over (
            partition by text_no order by clause_no rows between unbounded preceding and 1 preceding
        ), 0) as token_offset
    from clauses
),

text_tokens as materialized (
    select
        text_no,
        flatten(list(clause_tokens order by clause_no)) as tokens,
        list_transform(flatten(list(clause_tokens order by clause_no)), lambda t: lower(t)) as lower_tokens
    from positioned
    group by text_no
),

occurrences as materialized (
    select text_no, clause_no, is_negated, in_parentheses, token_offset + i as pos, token
    from (
        select *, generate_subscripts(clause_tokens, 1) as i, unnest(clause_tokens) as token from positioned
    )
),

patterns as materialized (
    select * from {{ ref('int_text_patterns') }}
),

candidates as (
    select o.*, p.match_kind, p.matched_text, p.sector_code, p.institution_code, p.ignore_case, p.tokens,
        p.token_count
    from occurrences as o
    inner join patterns as p
        on p.first_token = case when p.ignore_case then lower(o.token) else o.token end
),

found as materialized (
    select c.text_no, c.clause_no, c.is_negated, c.in_parentheses, c.pos, c.pos + c.token_count - 1 as end_pos,
        c.match_kind, c.matched_text, c.sector_code, c.institution_code
    from candidates as c
    inner join text_tokens as t using (text_no)
    where c.token_count = 1
        or (case when c.ignore_case then t.lower_tokens else t.tokens end)[c.pos : c.pos + c.token_count - 1]
        = c.tokens
),

kept as (
    select f.*
    from found as f
    where not exists (
        -- inside a longer institution spelling: an institution within a longer name, or a sector word in a name
        select 1 from found as name
        where name.text_no = f.text_no
            and name.match_kind = 'instelling'
            and name.pos <= f.pos and name.end_pos >= f.end_pos
            and name.end_pos - name.pos > f.end_pos - f.pos
    )
),

text_matches as (
    select
        text_no,
        match_kind,
        matched_text,
        sector_code,
        institution_code,
        match_kind = 'sectorwoord' and bool_and(is_negated) as in_negated_clause,
        match_kind = 'sectorwoord' and bool_and(in_parentheses) as in_aside
    from kept
    group by text_no, match_kind, matched_text, sector_code, institution_code
)

select
    evidence.evidence_id,
    text_matches.match_kind,
    text_matches.matched_text,
    text_matches.sector_code,
    text_matches.institution_code,
    text_matches.in_negated_clause,
    text_matches.in_aside
from evidence
inner join texts using (full_text)
inner join text_matches using (text_no)
