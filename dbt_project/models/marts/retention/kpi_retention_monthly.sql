{%- set compared = ['active_customers', 'purchase_frequency', 'repeat_purchase_rate', 'repeat_buyers',
    'return_rate', 'churned_customers', 'churn_rate'] -%}

with months as (

    select * from {{ ref('int_month_spine') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

activity as (

    select * from {{ ref('int_customer_activity') }}

),

kept_orders as (

    select customer_id, order_id, order_date, order_month
    from orders
    where not is_cancelled

),

{#- active customers (int_customer_activity) at each month's end and at the day before its start
    (the prior month's end). #}
evaluation_dates as (

    select month_start, month_end as evaluated_on, 'end' as point from months
    union all
    select month_start, cast({{ dbt.dateadd('day', -1, 'month_start') }} as date), 'start' from months

),

active_candidates as (

    select evaluation_dates.month_start, evaluation_dates.point, activity.customer_id
    from evaluation_dates
    inner join activity
        on {{ customer_active_on('activity', 'evaluation_dates.evaluated_on') }}

),

active as (

    select
        month_start,
        count(distinct case when point = 'end' then customer_id end) as active_customers,
        count(distinct case when point = 'start' then customer_id end) as active_customers_at_start
    from active_candidates
    group by month_start

),

ordering as (

    select
        kept_orders.order_month as month_start,
        count(*) as non_cancelled_orders,
        count(distinct kept_orders.customer_id) as ordering_customers,
        count(distinct case when earlier.first_order_date < kept_orders.order_month then kept_orders.customer_id end) as repeat_buyers
    from kept_orders
    inner join (
        select customer_id, min(order_date) as first_order_date from kept_orders group by customer_id
    ) as earlier
        on earlier.customer_id = kept_orders.customer_id
    group by kept_orders.order_month

),

returns as (

    select
        order_month as month_start,
        sum(refunded_amount_eur) as returned_value,
        sum(net_value_eur) as gross_revenue
    from orders
    where not is_cancelled
    group by order_month

),

churn_events as (

    select * from {{ ref('int_churn_events') }}

),

churned as (

    select
        {{ month_of('churn_date') }} as month_start,
        count(distinct customer_id) as churned_customers
    from churn_events
    group by 1

),

monthly as (

    select
        months.month_start,
        coalesce(active.active_customers, 0) as active_customers,
        coalesce(active.active_customers_at_start, 0) as active_customers_at_start,
        coalesce(ordering.non_cancelled_orders, 0) as non_cancelled_orders,
        coalesce(ordering.ordering_customers, 0) as ordering_customers,
        {{ safe_ratio('ordering.non_cancelled_orders', 'ordering.ordering_customers') }} as purchase_frequency,
        coalesce(ordering.repeat_buyers, 0) as repeat_buyers,
        {{ safe_ratio('ordering.repeat_buyers', 'ordering.ordering_customers') }} as repeat_purchase_rate,
        cast(coalesce(returns.returned_value, 0) as decimal(18, 2)) as returned_value,
        cast(coalesce(returns.gross_revenue, 0) as decimal(18, 2)) as gross_revenue,
        {{ safe_ratio('returns.returned_value', 'returns.gross_revenue') }} as return_rate,
        coalesce(churned.churned_customers, 0) as churned_customers,
        {{ safe_ratio('coalesce(churned.churned_customers, 0)', 'active.active_customers_at_start') }} as churn_rate
    from months
    left join active on active.month_start = months.month_start
    left join ordering on ordering.month_start = months.month_start
    left join returns on returns.month_start = months.month_start
    left join churned on churned.month_start = months.month_start

),

final as (

    {{ period_comparisons('monthly', compared) }}

)

select * from final
