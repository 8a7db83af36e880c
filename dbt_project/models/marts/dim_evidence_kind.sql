select evidence_kind, evidence_kind_label, sort_order, description
from {{ ref('evidence_kinds') }}
