{%- set compared_kpis = ['revenue_net', 'orders', 'new_customers', 'arpc', 'cancellation_rate'] -%}

with orders as (

    select * from {{ ref('fct_orders') }}

),

months as (

    {{ period_spine(
        'month',
        '(select min(order_month) from orders)',
        '(select max(order_month) from orders)'
    ) }}

),

monthly_orders as (

    select
        order_month as month_start,
        sum(revenue_net_eur) as revenue_net,
        count(*) as orders,
        count(case when not is_cancelled then 1 end) as non_cancelled_orders,
        count(case when is_cancelled then 1 end) as cancelled_orders,
        cast(sum(case when not is_cancelled then units else 0 end) as bigint) as units_sold,
        count(distinct case when not is_cancelled then customer_id end) as ordering_customers,
        count(case when is_first_order then 1 end) as new_customers,
        sum(net_value_eur) as order_value,
        sum(case when is_cancelled then net_value_eur else 0 end) as cancelled_order_value,
        sum(case when not is_cancelled then refunded_amount_eur else 0 end) as refunds
    from orders
    group by order_month

),

monthly as (

    select
        months.period_start as month_start,
        cast(coalesce(monthly_orders.revenue_net, 0) as decimal(18, 2)) as revenue_net,
        coalesce(monthly_orders.orders, 0) as orders,
        coalesce(monthly_orders.non_cancelled_orders, 0) as non_cancelled_orders,
        coalesce(monthly_orders.cancelled_orders, 0) as cancelled_orders,
        coalesce(monthly_orders.units_sold, 0) as units_sold,
        coalesce(monthly_orders.ordering_customers, 0) as ordering_customers,
        coalesce(monthly_orders.new_customers, 0) as new_customers,
        cast(coalesce(monthly_orders.order_value, 0) as decimal(18, 2)) as order_value,
        cast(coalesce(monthly_orders.cancelled_order_value, 0) as decimal(18, 2)) as cancelled_order_value,
        cast(coalesce(monthly_orders.refunds, 0) as decimal(18, 2)) as refunds
    from months
    left join monthly_orders
        on monthly_orders.month_start = months.period_start

),

ratios as (

    select
        *,
        {{ money_ratio('revenue_net', 'non_cancelled_orders') }} as avg_order_value,
        {{ money_ratio('revenue_net', 'ordering_customers') }} as arpc,
        {{ safe_ratio('cancelled_orders', 'orders') }} as cancellation_rate,
        {{ safe_ratio('cancelled_order_value', 'order_value') }} as cancellation_rate_value
    from monthly

),

compared as (

    {{ period_comparisons('ratios', compared_kpis) }}

),

final as (

    select
        month_start,
        revenue_net,
        orders,
        non_cancelled_orders,
        cancelled_orders,
        units_sold,
        avg_order_value,
        arpc,
        ordering_customers,
        new_customers,
        cancellation_rate,
        cancellation_rate_value,
        order_value,
        cancelled_order_value,
        refunds
        {%- for kpi in compared_kpis %},
        {{ kpi }}_prior_period,
        {{ kpi }}_prior_year,
        {{ kpi }}_change_prior_period,
        {{ kpi }}_change_prior_year
        {%- endfor %}
    from compared

)

select * from final
