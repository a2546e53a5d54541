{#
    Every row satisfies the SQL boolean expression (rows where it is false or NULL fail).
#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
