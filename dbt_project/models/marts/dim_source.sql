select
    concat_ws('-', measurement_year, {{ seq_in_id('source_seq') }}) as source_id,
    measurement_year,
    source_seq,
    citation,
    title,
    organisation,
    url,
    is_public,
    -- The literature of a footnote (provenance '… › voetnoot 1') is a source too, not in the report's list.
    case when provenance like '%› voetnoot %' then 'voetnoot' else 'Geraadpleegde bronnen' end as cited_in,
    provenance
from {{ ref('stg_sources') }}
