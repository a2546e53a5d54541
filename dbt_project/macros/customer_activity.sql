{#- SQL condition: the int_customer_activity row under `alias` keeps its customer active on
    `on_date` (active_from <= on_date <= active_until; an open-ended contract has no until). #}
{% macro customer_active_on(alias, on_date) -%}
    {{ alias }}.active_from <= {{ on_date }}
        and ({{ alias }}.active_until is null or {{ alias }}.active_until >= {{ on_date }})
{%- endmacro %}
