{{ config(materialized='table') }}  -- the evidence's raw files (1000×: ~350,000 rows) read once, not by each test and model
select
    {{ year_from_path() }} as measurement_year,
    {{ text('session_code') }} as session_code,
    {{ text('dynamic_code') }} as dynamic_code,
    cast(finding_seq as integer) as finding_seq,
    {{ text('finding_kind') }} as finding_kind,
    {{ text('heading') }} as heading,
    {{ text('text') }} as finding_text,
    {{ text('provenance') }} as provenance,
    cast(source_line as integer) as source_line,
    {{ raw_file() }} as raw_file
from {{ source('measurements', 'session_findings') }}
