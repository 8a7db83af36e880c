{#- A sequence number in a readable key: two digits below 100 ('07', '42'), every digit above ('123').
    lpad(…, 2, '0') would cut 123 to '12' and make keys collide. -#}
{% macro seq_in_id(column) -%}
    case when {{ column }} between 0 and 9 then '0' || cast({{ column }} as varchar) else cast({{ column }} as varchar) end
{%- endmacro %}
