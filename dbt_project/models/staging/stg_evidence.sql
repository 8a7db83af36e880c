{{ config(materialized='table') }}  -- the evidence's raw files (1000×: ~350,000 rows) read once, not by each test and model
select
    cast(measurement_year as integer) as measurement_year,
    {{ text('evidence_kind') }} as evidence_kind,
    {{ text('theme_code') }} as theme_code,
    {{ text('dynamic_code') }} as dynamic_code,
    cast(seq as integer) as seq,
    {{ text('sector_codes') }} as sector_codes,
    {{ text('heading') }} as heading,
    {{ text('text') }} as evidence_text,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line,
    {{ raw_file() }} as raw_file
from {{ source('measurements', 'evidence') }}
