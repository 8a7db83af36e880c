-- Every term of the search index with its document frequency: the rarer a term, the more a match on it counts.
select term, count(*)::integer as document_count, sum(term_count)::bigint as occurrences
from {{ ref('fct_evidence_term') }}
group by term
order by term
