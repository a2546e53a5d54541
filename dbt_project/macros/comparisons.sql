{#
    The one rule of period comparisons: beside each compared column of a relation with one row per
    period (and per partition), its value in the prior period and in the same period of the prior
    year, and the relative change against each (relative_change: NULL on a zero or missing base).

    The prior period is the row whose period starts one grain earlier (dbt.dateadd). The same period
    of the prior year is the row with the same period_of_year in period_year - 1 (periods.sql): the
    same month, quarter or calendar day (29 February has none), the same ISO week of the prior ISO
    year. Rows are found by their dates, never by row offset, so a missing period shifts nothing.

    Returns a select of every column of `relation`, then per column <column>_prior_period,
    <column>_prior_year, <column>_change_prior_period, <column>_change_prior_year.
    relation: relation or CTE name (or a parenthesised subquery); period_start: the DATE column
    starting each period; grain: day, week, month, quarter or year; partition_by: columns that each
    hold one series (dimension values), matched null-safe.
#}
{% macro period_comparisons(relation, columns, period_start='month_start', grain='month', partition_by=[]) -%}
    {%- set current = 'current_period.' ~ period_start -%}
    {%- set prior_year_start = 'prior_year.' ~ period_start -%}
    select
        current_period.*
        {%- for column in columns %},
        prior_period.{{ column }} as {{ column }}_prior_period,
        prior_year.{{ column }} as {{ column }}_prior_year,
        {{ relative_change('current_period.' ~ column, 'prior_period.' ~ column) }} as {{ column }}_change_prior_period,
        {{ relative_change('current_period.' ~ column, 'prior_year.' ~ column) }} as {{ column }}_change_prior_year
        {%- endfor %}
    from {{ relation }} as current_period
    left join {{ relation }} as prior_period
        on prior_period.{{ period_start }} = cast({{ dbt.dateadd(grain, -1, current) }} as date)
        {%- for key in partition_by %}
        and prior_period.{{ key }} is not distinct from current_period.{{ key }}
        {%- endfor %}
    left join {{ relation }} as prior_year
        on {{ period_year(grain, prior_year_start) }} = {{ period_year(grain, current) }} - 1
        and {{ period_of_year(grain, prior_year_start) }} = {{ period_of_year(grain, current) }}
        {%- for key in partition_by %}
        and prior_year.{{ key }} is not distinct from current_period.{{ key }}
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
