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

{#- The dimension columns of a parts model: each registry dimension (key) from its SQL expression
    (value), 'unknown' where missing. -#}
{% macro dimension_columns(expressions) -%}
    {%- for dimension, expression in expressions.items() %}
        coalesce({{ expression }}, 'unknown') as {{ dimension }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The registry dimensions of a customer, from the customers relation `alias`. -#}
{% macro customer_dimension_expressions(alias) -%}
    {{ return({'segment': alias ~ '.segment', 'region': alias ~ '.region', 'industry': alias ~ '.industry',
        'acquisition_channel': alias ~ '.acquisition_channel'}) }}
{%- endmacro %}

{#- The registry dimensions of a ticket, from the tickets relation `alias` (the agent as owner alias). -#}
{% macro ticket_dimension_expressions(alias) -%}
    {{ return({'ticket_type': alias ~ '.ticket_type', 'ticket_category': alias ~ '.category',
        'ticket_priority': alias ~ '.priority', 'agent': owner_alias(alias ~ '.agent_pseudonym')}) }}
{%- endmacro %}
