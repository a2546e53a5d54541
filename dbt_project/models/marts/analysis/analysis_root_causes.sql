{#-
    For every flagged KPI and month, how much each value of each dimension contributed to the change
    against the prior period, ranked. Additive KPIs (revenue, orders): contribution = value − prior value.
    Rates with numerator and denominator (cancellation_rate): contribution = numerator / dimension-wide
    denominator now minus the same before, so the contributions add up to the change of the total rate.
    A big value contributes much even to an even, across-the-board change; the ranking therefore uses the
    excess contribution: contribution minus the part the value would have contributed had the change been
    spread in proportion to its prior share. Ranked in the flag's direction (most adverse first for a risk,
    most favourable first for an opportunity), within each dimension and across all.
-#}
with flags as (

    select * from {{ ref('analysis_flags') }}

),

kpi_values as (

    select
        *,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'month_start', 'month') }} as period_index
    from {{ ref('analysis_kpi_values') }}
    where dimension <> 'total'

),

paired as (

    select
        flags.kpi_id,
        flags.month_start,
        flags.flag_type,
        case when flags.better = 'lower' then -1 else 1 end
            * case when flags.flag_type = 'risk' then -1 else 1 end as ranking_sign,
        current_value.dimension,
        current_value.dimension_value,
        current_value.value,
        prior_value.value as prior_period_value,
        current_value.numerator is not null as is_rate,
        coalesce(current_value.numerator, current_value.value) as part_now,
        coalesce(prior_value.numerator, prior_value.value, 0) as part_before,
        coalesce(current_value.denominator, 0) as base_now,
        coalesce(prior_value.denominator, 0) as base_before
    from flags
    inner join kpi_values as current_value
        on current_value.kpi_id = flags.kpi_id
        and current_value.month_start = flags.month_start
    left join kpi_values as prior_value
        on prior_value.kpi_id = current_value.kpi_id
        and prior_value.dimension = current_value.dimension
        and prior_value.dimension_value = current_value.dimension_value
        and prior_value.period_index = current_value.period_index - 1

),

totals as (

    select
        *,
        sum(base_now) over dimension_window as dimension_base_now,
        sum(base_before) over dimension_window as dimension_base_before,
        sum(case when is_rate then base_before else part_before end) over dimension_window as dimension_size_before,
        case when is_rate then base_before else part_before end as size_before
    from paired
    window dimension_window as (partition by kpi_id, month_start, dimension)

),

contributions as (

    select
        *,
        case
            when is_rate then coalesce({{ safe_ratio('part_now', 'dimension_base_now') }}, 0)
                - coalesce({{ safe_ratio('part_before', 'dimension_base_before') }}, 0)
            else part_now - part_before
        end as contribution
    from totals

),

excess as (

    select
        *,
        sum(contribution) over (partition by kpi_id, month_start, dimension) as dimension_change,
        contribution - coalesce({{ safe_ratio('size_before', 'dimension_size_before') }}, 0)
            * sum(contribution) over (partition by kpi_id, month_start, dimension) as excess_contribution
    from contributions

),

final as (

    select
        kpi_id,
        month_start,
        flag_type,
        dimension,
        dimension_value,
        value,
        prior_period_value,
        contribution,
        dimension_change,
        {{ safe_ratio('contribution', 'dimension_change') }} as share_of_change,
        excess_contribution,
        cast(row_number() over (
            partition by kpi_id, month_start, dimension
            order by ranking_sign * excess_contribution desc, dimension_value
        ) as integer) as rank_in_dimension,
        cast(row_number() over (
            partition by kpi_id, month_start
            order by ranking_sign * excess_contribution desc, dimension, dimension_value
        ) as integer) as overall_rank
    from excess

)

select * from final
