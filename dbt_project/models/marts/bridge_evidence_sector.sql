select evidence_id, sector_code, tag_source
from {{ ref('int_evidence_sectors') }}
