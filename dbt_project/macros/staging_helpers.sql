{#- Raw CSVs are read as text; these helpers type them the same way in every staging model. -#}
{% macro text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro year_from_path(filename_column='filename') -%}
    cast(regexp_extract(replace({{ filename_column }}, '\', '/'), '/measurements/([0-9]{4})/', 1) as integer)
{%- endmacro %}

{% macro raw_file(filename_column='filename') -%}
    'data_raw/' || regexp_extract(replace({{ filename_column }}, '\', '/'), '(measurements/[0-9]{4}/[^/]+)$', 1)
{%- endmacro %}
