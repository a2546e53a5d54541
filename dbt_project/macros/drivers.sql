{#- The parts of the driver analysis (models int_driver_parts_*): the rows of `relation` grouped by
    `month` and, one select per dimension unioned, by each dimension, with `aggregates` (SQL expressions
    with their aliases). `relation` names each dimension's column as the registry dimension and holds
    'unknown' for a missing value, so the values of a dimension add up to the total. -#}
{% macro parts_by_dimension(relation, month, dimensions, aggregates) -%}
    {%- for dimension in dimensions %}
    select
        {{ month }} as month_start,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value,
        {{ aggregates | join(',\n        ') }}
    from {{ relation }}
    group by 1, 2, 3
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
