-- Every evidence_id names its own kind: '2025-sessie_narratief-…' is a narrative, never a development.
select evidence_id, evidence_kind
from {{ ref('fct_evidence') }}
where not starts_with(evidence_id, measurement_year || '-' || evidence_kind || '-')
