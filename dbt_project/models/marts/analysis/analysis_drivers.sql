{#-
    What moved each KPI against the prior month, in every dimension it has (grain: kpi_id × month_start ×
    dimension × dimension_value). The parts come from the intermediate models at the grain each
    dimension needs (int_driver_parts_*), revenue by product category from analysis_order_dimensions,
    cost by category from kpi_cost_monthly, follower growth and social revenue by channel from
    kpi_social_monthly and campaign rates by campaign and channel from kpi_campaigns
    (campaigns by their start month, pooled over their delivered members, as kpi_marketing_monthly).
    Sums and counts (method contribution): contribution = value − prior value; the values of a dimension
    add up to the change of the total.
    Ratios and averages (method mix_rate, rate = numerator / denominator): with s the segment's share of
    the denominator, r its rate and R the overall rate, t this month and t−1 the prior one,
        mix  = (s_t − s_t−1) × (r_t−1 − R_t−1)    a shift of the mix towards segments above or below average
        rate = s_t × (r_t − r_t−1)                 a changed rate within the segment
    and Σ mix + Σ rate = R_t − R_t−1 exactly. A segment new this month has no prior rate to have changed:
    its prior rate is taken as its current rate, so its whole effect is mix, s_t × (r_t − R_t−1); a segment
    gone this month has share 0 and only a mix effect. Drivers are ranked across all dimensions of a KPI
    and month by the size of their contribution, either way: a fall in one product category stays the top
    driver when growth elsewhere outweighs it. Equal contributions share a rank (the same sessions seen by
    source, medium, campaign and landing page are one driver in four dimensions).
-#}
with parts as (

    {%- for parts in ['int_driver_parts_web', 'int_driver_parts_service', 'int_driver_parts_orders',
        'int_driver_parts_tickets', 'int_driver_parts_social'] %}
    select kpi_id, month_start, dimension, dimension_value, method, numerator, denominator
    from {{ ref(parts) }}
    union all
    {%- endfor %}
    -- net revenue by product category: an order's revenue allocated over its lines
    select kpi_id, month_start, dimension, dimension_value, 'contribution', value, cast(null as double)
    from {{ ref('analysis_order_dimensions') }}
    where kpi_id = 'revenue_net' and dimension = 'product_category'
    union all
    select 'cost_by_category', month_start, 'cost_category', cost_category, 'contribution',
        cast(cost_by_category as double), cast(null as double)
    from {{ ref('kpi_cost_monthly') }}
    {%- for kpi_id in ['follower_growth', 'social_attributed_revenue'] %}
    union all
    select '{{ kpi_id }}', month_start, 'social_channel', channel, 'contribution',
        cast({{ kpi_id }} as double), cast(null as double)
    from {{ ref('kpi_social_monthly') }}
    {%- endfor %}
    {%- for kpi_id, members in {'campaign_response_rate': 'members_clicked', 'campaign_conversion_rate': 'members_converted'}.items() %}
    {%- for dimension, column in {'campaign': 'campaign_id', 'campaign_channel': 'channel'}.items() %}
    union all
    select '{{ kpi_id }}', month_start, '{{ dimension }}', coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'unknown'),
        'mix_rate', cast(sum({{ members }}) as double), cast(sum(members_delivered) as double)
    from {{ ref('kpi_campaigns') }}
    where month_start is not null
    group by 1, 2, 3, 4
    {%- endfor %}
    {%- endfor %}

),

kpi_months as (

    select kpi_id, max(method) as method, min(month_start) as first_month, max(month_start) as last_month
    from parts
    group by kpi_id

),

{#- Every value in the month it has and in the month after it (where it may have gone to nothing). -#}
keys as (

    select kpi_id, month_start, dimension, dimension_value from parts
    union
    select kpi_id, cast({{ dbt.dateadd('month', 1, 'month_start') }} as date), dimension, dimension_value from parts

),

paired as (

    select
        keys.kpi_id,
        keys.month_start,
        keys.dimension,
        keys.dimension_value,
        kpi_months.method,
        coalesce(current_part.numerator, 0) as numerator,
        coalesce(current_part.denominator, 0) as denominator,
        coalesce(prior_part.numerator, 0) as prior_numerator,
        coalesce(prior_part.denominator, 0) as prior_denominator
    from keys
    inner join kpi_months
        on kpi_months.kpi_id = keys.kpi_id
        and keys.month_start > kpi_months.first_month
        and keys.month_start <= kpi_months.last_month
    left join parts as current_part
        on current_part.kpi_id = keys.kpi_id
        and current_part.month_start = keys.month_start
        and current_part.dimension = keys.dimension
        and current_part.dimension_value = keys.dimension_value
    left join parts as prior_part
        on prior_part.kpi_id = keys.kpi_id
        and prior_part.month_start = cast({{ dbt.dateadd('month', -1, 'keys.month_start') }} as date)
        and prior_part.dimension = keys.dimension
        and prior_part.dimension_value = keys.dimension_value

),

totals as (

    select
        *,
        {{ safe_ratio('numerator', 'denominator') }} as rate,
        {{ safe_ratio('prior_numerator', 'prior_denominator') }} as prior_rate,
        {{ safe_ratio('denominator', 'sum(denominator) over dimension_window') }} as share,
        {{ safe_ratio('prior_denominator', 'sum(prior_denominator) over dimension_window') }} as prior_share,
        {{ safe_ratio('sum(prior_numerator) over dimension_window', 'sum(prior_denominator) over dimension_window') }}
            as overall_prior_rate,
        {{ safe_ratio('sum(numerator) over dimension_window', 'sum(denominator) over dimension_window') }}
            as overall_rate
    from paired
    window dimension_window as (partition by kpi_id, month_start, dimension)

),

effects as (

    select
        *,
        case when method = 'mix_rate' and overall_rate is not null and overall_prior_rate is not null then
            (coalesce(share, 0) - coalesce(prior_share, 0))
                * (coalesce(prior_rate, rate, overall_prior_rate) - overall_prior_rate)
        end as mix_effect,
        case when method = 'mix_rate' and overall_rate is not null and overall_prior_rate is not null then
            coalesce(share, 0) * (coalesce(rate, 0) - coalesce(prior_rate, rate, 0))
        end as rate_effect
    from totals

),

contributions as (

    select
        *,
        case when method = 'mix_rate' then mix_effect + rate_effect else numerator - prior_numerator end as contribution
    from effects

),

changes as (

    select
        *,
        case when method = 'mix_rate' then overall_rate
            else sum(numerator) over (partition by kpi_id, month_start, dimension) end as total_value,
        case when method = 'mix_rate' then overall_prior_rate
            else sum(prior_numerator) over (partition by kpi_id, month_start, dimension) end as prior_total_value
    from contributions

),

final as (

    select
        kpi_id,
        month_start,
        dimension,
        dimension_value,
        method,
        case when method = 'mix_rate' then rate else numerator end as value,
        case when method = 'mix_rate' then prior_rate else prior_numerator end as prior_value,
        case when method = 'mix_rate' then denominator end as weight,
        case when method = 'mix_rate' then prior_denominator end as prior_weight,
        case when method = 'mix_rate' then share end as share,
        case when method = 'mix_rate' then prior_share end as prior_share,
        {#- + 0.0 turns the negative zero of 0 × (a negative gap) into 0 -#}
        mix_effect + 0.0 as mix_effect,
        rate_effect + 0.0 as rate_effect,
        contribution + 0.0 as contribution,
        total_value,
        prior_total_value,
        total_value - prior_total_value as total_change,
        {{ safe_ratio('contribution', 'total_value - prior_total_value') }} + 0.0 as share_of_change,
        {#- rounded: contributions equal but for the last bits of a double sum (whose order varies
            between builds) must tie, not swap ranks from one build to the next -#}
        cast(rank() over (
            partition by kpi_id, month_start
            order by round(abs(coalesce(contribution, 0)), 6) desc
        ) as integer) as driver_rank
    from changes

)

select * from final
