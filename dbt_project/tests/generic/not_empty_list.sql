{% test not_empty_list(model, column_name) %}
-- Rows whose list column is null or empty.
select * from {{ model }} where {{ column_name }} is null or len({{ column_name }}) = 0
{% endtest %}
