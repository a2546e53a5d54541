{#- kpi_periods in long format for BI tools: one row per grain, period and KPI, with the value,
    the prior period, the same period of the prior year and the changes, all as DOUBLE (money in EUR,
    rates as fractions; the unit column says which). Filter grain and kpi_id. -#}
with periods as (

    select * from {{ ref('kpi_periods') }}

),

final as (
    {%- for kpi in kpi_period_kpis() %}

    select
        grain,
        period_start,
        period_end,
        period_label,
        '{{ kpi.id }}' as kpi_id,
        '{{ kpi.name_de }}' as kpi_name_de,
        '{{ kpi.unit }}' as unit,
        cast({{ kpi.id }} as double) as value,
        cast({{ kpi.id }}_prior_period as double) as value_prior_period,
        cast({{ kpi.id }}_prior_year as double) as value_prior_year,
        {{ kpi.id }}_change_prior_period as value_change_prior_period,
        {{ kpi.id }}_change_prior_year as value_change_prior_year
    from periods
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
