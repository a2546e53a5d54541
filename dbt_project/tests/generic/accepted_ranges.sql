{#
    accepted_range for several columns in one scan of the model: ranges is a list of
    {column, min_value, max_value, inclusive} (bounds optional, inclusive defaults to true). One row
    per non-NULL value outside its column's range, naming the column.
#}
{% test accepted_ranges(model, ranges) %}

select checked.column_name
from {{ model }} as model_rows
cross join (
    {%- for range in ranges %}
    select '{{ range.column }}' as column_name
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
) as checked
where case checked.column_name
    {%- for range in ranges %}
    {%- set inclusive = range.get('inclusive', true) %}
    {%- set value = 'model_rows.' ~ range.column %}
    when '{{ range.column }}' then {{ value }} is not null and not (
        1 = 1
        {%- if range.get('min_value') is not none %}
        and {{ value }} {{ '>=' if inclusive else '>' }} {{ range.min_value }}
        {%- endif %}
        {%- if range.get('max_value') is not none %}
        and {{ value }} {{ '<=' if inclusive else '<' }} {{ range.max_value }}
        {%- endif %}
    )
    {%- endfor %}
end

{% endtest %}
