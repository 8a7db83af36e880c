-- The search index: every term of every piece of evidence (heading and text) with how often it occurs there.
-- A word with a hyphen or apostrophe is indexed whole without it ('micro-credential' → 'microcredential') and
-- also by its parts ('micro', 'credential'). Stored in term order, so that a prefix range (term >= 'docent' and
-- term < 'docent' || chr(65535)) reads only the few row groups that hold it.
with words as (
    select evidence_id, unnest({{ search_words("coalesce(heading || ' ', '') || evidence_text") }}) as word
    from {{ ref('fct_evidence') }}
),

terms as (
    select evidence_id, regexp_replace(word, {{ search_word_separator() }}, '', 'g') as term
    from words
    union all
    select evidence_id, unnest(regexp_split_to_array(word, {{ search_word_separator() }})) as term
    from words
    where regexp_matches(word, {{ search_word_separator() }})
)

select terms.evidence_id, search.search_key, terms.term, count(*)::integer as term_count, search.word_count
from terms
inner join {{ ref('fct_evidence_search') }} as search using (evidence_id)
where terms.term != ''
group by terms.evidence_id, search.search_key, terms.term, search.word_count
order by terms.term, search.search_key
