{{ config(alias='thesaurus') }}
-- The groups of terms the search treats as one (warehouse/search_index/thesaurus.py merges groups that share a
-- term): the curated concepts of reference/thesaurus.csv, each institution's name and spellings (dim_institution,
-- plus its code where the code is an abbreviation: 'rug', 'nvao'), and each theme's name and other names.
with curated as (
    select 'begrip:' || concept as group_id, term, 'thesaurus' as origin, provenance, source_line
    from {{ ref('stg_thesaurus') }}
),

institution_names as (
    select
        'instelling:' || institution_code as group_id,
        unnest(list_distinct(list_concat([institution_name], aliases))) as term,
        'instelling' as origin,
        'dim_institution' as provenance,
        cast(null as integer) as source_line
    from {{ ref('dim_institution') }}
),

institution_codes as (
    -- An institution code of at most five letters is its abbreviation (rug, nvao, hva); written in capitals.
    select
        'instelling:' || institution_code as group_id,
        upper(institution_code) as term,
        'instelling' as origin,
        'dim_institution (code)' as provenance,
        cast(null as integer) as source_line
    from {{ ref('dim_institution') }}
    where regexp_full_match(institution_code, '[a-z]{2,5}')
        and not list_contains(list_transform(aliases, lambda a: lower(a)), institution_code)
        and lower(institution_name) != institution_code
),

theme_names as (
    select
        'thema:' || theme_code as group_id,
        unnest(list_distinct(list_concat([theme_name], other_names))) as term,
        'thema' as origin,
        provenance,
        cast(null as integer) as source_line
    from {{ ref('dim_theme') }}
)

select * from curated
union all select * from institution_names
union all select * from institution_codes
union all select * from theme_names
order by group_id, term
