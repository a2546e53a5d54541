{#
    None of column_names is NULL: one row per NULL value, naming its column. All the columns in one
    scan of the model, where a not_null test per column reads it (and re-runs a view) once each.
#}
{% test not_null_columns(model, column_names) %}

select checked.column_name
from {{ model }} as model_rows
cross join (
    {%- for column in column_names %}
    select '{{ column }}' as column_name
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
) as checked
where case checked.column_name
    {%- for column in column_names %}
    when '{{ column }}' then model_rows.{{ column }} is null
    {%- endfor %}
end

{% endtest %}
