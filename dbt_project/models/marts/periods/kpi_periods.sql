{#- The additive and ratio KPIs that facts give at any grain, one row per grain (day, ISO week,
    month, quarter, year) and period of int_period_spine, with the prior period and the same period of
    the prior year (same ISO week of the prior ISO year for weeks) beside each value. Every grain is
    aggregated from the facts themselves: ratios are recomputed from their numerator and denominator
    at the grain (never averaged over smaller periods), distinct counts are counted at the grain. -#}
{%- set grains = var('kpi_period_grains') -%}
{%- set kpis = kpi_period_kpis() | map(attribute='id') | list -%}

with periods as (

    select * from {{ ref('int_period_spine') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

tickets as (

    select * from {{ ref('stg_crm__tickets') }}

),

sessions as (

    select * from {{ ref('int_web_sessions') }}

),

bank_transactions as (

    select * from {{ ref('int_payment_matches') }}

),

order_periods as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        {{ period_start_of(grain, 'order_date') }} as period_start,
        sum(revenue_net_eur) as revenue_net,
        count(*) as orders,
        count(case when not is_cancelled then 1 end) as non_cancelled_orders,
        count(case when is_cancelled then 1 end) as cancelled_orders,
        sum(case when not is_cancelled then units else 0 end) as units_sold,
        count(distinct case when not is_cancelled then customer_id end) as ordering_customers,
        count(case when is_first_order then 1 end) as new_customers,
        sum(net_value_eur) as order_value,
        sum(case when is_cancelled then net_value_eur else 0 end) as cancelled_order_value
    from orders
    group by 1, 2
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

ticket_periods as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        {{ period_start_of(grain, 'created_date') }} as period_start,
        count(*) as tickets_created,
        count(case when ticket_type = 'complaint' then 1 end) as complaints
    from tickets
    group by 1, 2
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

session_periods as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        {{ period_start_of(grain, 'session_date') }} as period_start,
        count(distinct user_pseudo_id) as visitors,
        count(*) as sessions,
        count(case when is_converted then 1 end) as converted_sessions
    from sessions
    group by 1, 2
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

bank_periods as (
    {%- for grain in grains %}

    select
        '{{ grain }}' as grain,
        {{ period_start_of(grain, 'booking_date') }} as period_start,
        sum(case when amount_eur > 0 then amount_eur else 0 end) as cash_inflow,
        sum(case when amount_eur < 0 then -amount_eur else 0 end) as cash_outflow
    from bank_transactions
    group by 1, 2
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

measures as (

    select
        periods.grain,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        periods.period_year,
        periods.period_of_year,
        cast(coalesce(order_periods.revenue_net, 0) as decimal(18, 2)) as revenue_net,
        coalesce(order_periods.orders, 0) as orders,
        coalesce(order_periods.non_cancelled_orders, 0) as non_cancelled_orders,
        coalesce(order_periods.cancelled_orders, 0) as cancelled_orders,
        cast(coalesce(order_periods.units_sold, 0) as bigint) as units_sold,
        coalesce(order_periods.ordering_customers, 0) as ordering_customers,
        coalesce(order_periods.new_customers, 0) as new_customers,
        cast(coalesce(order_periods.order_value, 0) as decimal(18, 2)) as order_value,
        cast(coalesce(order_periods.cancelled_order_value, 0) as decimal(18, 2)) as cancelled_order_value,
        coalesce(ticket_periods.tickets_created, 0) as tickets_created,
        coalesce(ticket_periods.complaints, 0) as complaints,
        coalesce(session_periods.visitors, 0) as visitors,
        coalesce(session_periods.sessions, 0) as sessions,
        coalesce(session_periods.converted_sessions, 0) as converted_sessions,
        cast(coalesce(bank_periods.cash_inflow, 0) as decimal(18, 2)) as cash_inflow,
        cast(coalesce(bank_periods.cash_outflow, 0) as decimal(18, 2)) as cash_outflow
    from periods
    left join order_periods
        on order_periods.grain = periods.grain
        and order_periods.period_start = periods.period_start
    left join ticket_periods
        on ticket_periods.grain = periods.grain
        and ticket_periods.period_start = periods.period_start
    left join session_periods
        on session_periods.grain = periods.grain
        and session_periods.period_start = periods.period_start
    left join bank_periods
        on bank_periods.grain = periods.grain
        and bank_periods.period_start = periods.period_start

),

{#- The same formulas (and macros) as kpi_monthly, kpi_service_monthly, kpi_web_monthly and
    kpi_cash_monthly, so the month grain equals those marts exactly. #}
ratios as (

    select
        *,
        {{ money_ratio('revenue_net', 'non_cancelled_orders') }} as avg_order_value,
        {{ money_ratio('revenue_net', 'ordering_customers') }} as arpc,
        {{ safe_ratio('cancelled_orders', 'orders') }} as cancellation_rate,
        {{ safe_ratio('cancelled_order_value', 'order_value') }} as cancellation_rate_value,
        {{ safe_ratio('1000 * complaints', 'orders') }} as complaints_per_1000_orders,
        {{ safe_ratio('converted_sessions', 'sessions') }} as conversion_rate,
        cast(cash_inflow - cash_outflow as decimal(18, 2)) as net_cashflow
    from measures

),

{#- Prior period and the same period of the prior year, grain by grain (macro period_comparisons:
    by date, so ISO years of 53 weeks and 29 February need no special case). #}
compared as (
    {%- for grain in grains %}

    {{ period_comparisons("(select * from ratios where grain = '" ~ grain ~ "')", kpis, period_start='period_start', grain=grain) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        grain,
        period_start,
        period_end,
        period_label,
        period_year,
        period_of_year,
        non_cancelled_orders,
        cancelled_orders,
        ordering_customers,
        order_value,
        cancelled_order_value,
        converted_sessions
        {%- for kpi in kpis %},
        {{ kpi }},
        {{ kpi }}_prior_period,
        {{ kpi }}_prior_year,
        {{ kpi }}_change_prior_period,
        {{ kpi }}_change_prior_year
        {%- endfor %}
    from compared

)

select * from final
