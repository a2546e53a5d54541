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

    select * from {{ ref('analysis_kpi_values') }}
    where dimension <> 'total'

),

compared as (

    {{ period_comparisons('kpi_values', ['value', 'numerator', 'denominator'], partition_by=['kpi_id', 'dimension', 'dimension_value']) }}

),

paired as (

    select
        flags.kpi_id,
        flags.month_start,
        flags.flag_type,
        case when flags.better = 'lower' then -1 else 1 end
            * case when flags.flag_type = 'risk' then -1 else 1 end as ranking_sign,
        compared.dimension,
        compared.dimension_value,
        compared.value,
        compared.value_prior_period as prior_period_value,
        compared.numerator is not null as is_rate,
        coalesce(compared.numerator, compared.value) as part_now,
        coalesce(compared.numerator_prior_period, compared.value_prior_period, 0) as part_before,
        coalesce(compared.denominator, 0) as base_now,
        coalesce(compared.denominator_prior_period, 0) as base_before
    from flags
    inner join compared
        on compared.kpi_id = flags.kpi_id
        and compared.month_start = flags.month_start

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
            order by round(ranking_sign * excess_contribution, 6) desc, dimension_value
        ) as integer) as rank_in_dimension,
        cast(row_number() over (
            partition by kpi_id, month_start
            order by round(ranking_sign * excess_contribution, 6) desc, dimension, dimension_value
        ) as integer) as overall_rank
    from excess

)

select * from final
