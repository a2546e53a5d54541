{#
    Prior period, same period of the prior year and the relative change against both, for each
    KPI column of a model with one row per month and no gaps (a month spine): the row 1 back is
    the prior month, the row 12 back the same month of the prior year. Emits a leading comma.
    partition_by: optional column list for marts with one spine per dimension value.
#}
{% macro period_comparisons(kpis, order_by='month_start', partition_by=none) -%}
    {%- set window = 'over (' ~ ('partition by ' ~ partition_by ~ ' ' if partition_by else '') ~ 'order by ' ~ order_by ~ ')' -%}
    {%- for kpi in kpis %},
        lag({{ kpi }}, 1) {{ window }} as {{ kpi }}_prior_period,
        lag({{ kpi }}, 12) {{ window }} as {{ kpi }}_prior_year,
        {{ relative_change(kpi, 'lag(' ~ kpi ~ ', 1) ' ~ window) }} as {{ kpi }}_change_prior_period,
        {{ relative_change(kpi, 'lag(' ~ kpi ~ ', 12) ' ~ window) }} as {{ kpi }}_change_prior_year
    {%- endfor %}
{%- endmacro %}

{#- Median and another percentile of an expression, as ordered-set aggregates (portable SQL). #}
{% macro percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{#- First day of the month of a date, as DATE. #}
{% macro month_of(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{#- Short alias of a person: owner_ plus the first 10 hex digits of the keyed pseudonym staging
    already computed (macro pseudonymize); clear names never leave staging. With var
    show_owner_names true the full pseudonym is shown instead, for joining back to an HR-approved
    lookup outside the warehouse. #}
{% macro owner_alias(pseudonym_expression) -%}
    {%- if var('show_owner_names', false) -%}
        {{ pseudonym_expression }}
    {%- else -%}
        case when {{ pseudonym_expression }} is not null
            then 'owner_' || substr({{ pseudonym_expression }}, 1, 10) end
    {%- endif -%}
{%- endmacro %}
