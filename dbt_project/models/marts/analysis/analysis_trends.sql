{#-
    Where each KPI is heading: the value beside the prior period and the same period of the prior year,
    the changes, and a least-squares slope over the last var analysis_trend_periods (6) periods.
    trend is up / down / flat by the slope relative to the mean level of those periods (flat within
    ±var analysis_flat_slope_share, 2 % of the level per period); assessment turns it into improving /
    worsening with the KPI's direction (seed kpi_directions). Prior values come from macro
    period_comparisons (by date, not by row offset, so a missing month never shifts the comparison).
    Changes are measured by the KPI's change_kind (registry unit): relative (amounts, counts, averages) in
    change_*_pct, percentage_points (rates) and points (scores such as NPS) in change_*_points; the other
    column is NULL, so a rate is never shown in relative per cent. provisional passes on whether the
    period is still inside the KPI's maturity lag (analysis_kpi_values).
-#}
{%- set periods = var('analysis_trend_periods', 6) -%}
{%- set flat_share = var('analysis_flat_slope_share', 0.02) -%}

with kpi_values as (

    select * from {{ ref('analysis_kpi_values') }}

),

directions as (

    select * from {{ ref('kpi_directions') }}

),

indexed as (

    select
        *,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'month_start', 'month') }} as period_index
    from kpi_values

),

windowed as (

    select
        *,
        regr_slope(value, period_index) over recent as slope,
        avg(abs(value)) over recent as recent_level,
        count(value) over recent as recent_periods
    from indexed
    window recent as (
        partition by kpi_id, dimension, dimension_value
        order by period_index
        range between {{ periods - 1 }} preceding and current row
    )

),

compared as (

    {{ period_comparisons('windowed', ['value'], partition_by=['kpi_id', 'dimension', 'dimension_value']) }}

),

classified as (

    select
        compared.*,
        coalesce(directions.better, 'higher') as better,
        case
            when compared.recent_periods < 3 or compared.slope is null then null
            when compared.recent_level = 0 or abs(compared.slope) <= {{ flat_share }} * compared.recent_level then 'flat'
            when compared.slope > 0 then 'up'
            else 'down'
        end as trend
    from compared
    left join directions
        on directions.kpi_id = compared.kpi_id

),

final as (

    select
        kpi_id,
        month_start,
        dimension,
        dimension_value,
        value,
        value_prior_period as prior_period_value,
        value - value_prior_period as change_prior_period,
        {{ measured_change('value', 'value_prior_period', 'change_kind', 'relative') }} as change_prior_period_pct,
        {{ measured_change('value', 'value_prior_period', 'change_kind', 'points') }} as change_prior_period_points,
        value_prior_year as prior_year_value,
        value - value_prior_year as change_prior_year,
        {{ measured_change('value', 'value_prior_year', 'change_kind', 'relative') }} as change_prior_year_pct,
        {{ measured_change('value', 'value_prior_year', 'change_kind', 'points') }} as change_prior_year_points,
        change_kind,
        provisional,
        slope,
        cast(recent_periods as integer) as trend_periods,
        trend,
        case
            when trend is null then null
            when trend = 'flat' then 'stable'
            when (trend = 'up') = (better = 'higher') then 'improving'
            else 'worsening'
        end as assessment
    from classified

)

select * from final
