select
    {{ text('evidence_id') }} as evidence_id,
    {{ text('sector_codes') }} as sector_codes,
    {{ text('institution_codes') }} as institution_codes,
    {{ text('provenance') }} as provenance
from {{ source('measurements', 'evidence_sectors') }}
