{{ config(materialized='table') }}

{#- One row per grain (var kpi_period_grains: day, week, month, quarter, year) and period, from the
    period holding the first day of int_month_spine to the one holding its last day, so kpi_periods
    has a row for every period, with or without activity. Weeks are ISO weeks (Monday to Sunday);
    period_year / period_of_year (ISO year and week for weeks) are the key of "the same period of the
    prior year" (macro period_comparisons). -#}
{%- set grains = var('kpi_period_grains') %}

with months as (

    select * from {{ ref('int_month_spine') }}

),
{% for grain in grains %}
{{ grain }}_periods as (

    {{ period_spine(
        grain,
        '(select ' ~ period_start_of(grain, 'min(month_start)') ~ ' from months)',
        '(select ' ~ period_start_of(grain, 'max(month_end)') ~ ' from months)'
    ) }}

),
{% endfor %}
final as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd(grain, 1, 'period_start')) }} as date) as period_end,
        {{ period_label(grain, 'period_start') }} as period_label,
        {{ period_year(grain, 'period_start') }} as period_year,
        {{ period_of_year(grain, 'period_start') }} as period_of_year
    from {{ grain }}_periods
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
