{#
    One row per period (day, week, month, quarter, year) from the period of start_date to the
    period of end_date, both included, as column period_start (DATE). start_date and end_date
    are SQL expressions (a scalar subquery works), already truncated to the period.
    Built on dbt's cross-database generate_series, no package needed; at most max_periods rows.
#}
{% macro period_spine(datepart, start_date, end_date, max_periods=10000) -%}
    select
        cast({{ dbt.dateadd(datepart, 'steps.generated_number - 1', 'bounds.spine_start') }} as date) as period_start
    from ({{ dbt.generate_series(max_periods) }}) as steps
    cross join (
        select
            {{ start_date }} as spine_start,
            {{ end_date }} as spine_end
    ) as bounds
    where steps.generated_number - 1 <= {{ dbt.datediff('bounds.spine_start', 'bounds.spine_end', datepart) }}
{%- endmacro %}
