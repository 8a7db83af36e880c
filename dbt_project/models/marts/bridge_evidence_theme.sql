select distinct evidence_id, theme_code
from {{ ref('int_evidence_themes') }}
