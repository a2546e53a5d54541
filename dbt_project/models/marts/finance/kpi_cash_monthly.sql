{%- set compared = ['cash_inflow', 'cash_outflow', 'net_cashflow', 'cost_total', 'cost_to_serve', 'revenue_lost', 'payment_match_rate', 'dso_days'] -%}

{#- Cash and cost per month: bank amounts by local booking date, cost bookings by booking date,
    order values by order month. The running balance starts at 0 before the first month. #}
with months as (

    select * from {{ ref('int_month_spine') }}

),

bank as (

    select
        {{ month_of('booking_date') }} as month_start,
        sum(case when amount_eur > 0 then amount_eur else 0 end) as cash_inflow,
        sum(case when amount_eur < 0 then -amount_eur else 0 end) as cash_outflow
    from {{ ref('stg_finance__bank_transactions') }}
    group by 1

),

costs as (

    select
        {{ month_of('booking_date') }} as month_start,
        sum(amount_eur) as cost_total,
        sum(case when cost_category = 'service' then amount_eur else 0 end) as service_cost
    from {{ ref('stg_finance__cost_bookings') }}
    group by 1

),

retention as (

    select month_start, active_customers from {{ ref('kpi_retention_monthly') }}

),

first_payments as (

    select order_id, min(booking_date) as paid_date
    from {{ ref('int_payment_matches') }}
    where is_matched
    group by order_id

),

order_values as (

    select
        orders.order_month as month_start,
        sum(case when orders.is_cancelled then orders.net_value_eur else 0 end) as cancelled_value,
        sum(case when not orders.is_cancelled then orders.refunded_amount_eur else 0 end) as returned_value,
        sum(case when not orders.is_cancelled then orders.net_value_eur else 0 end) as order_value,
        sum(case when not orders.is_cancelled and first_payments.order_id is not null then orders.net_value_eur else 0 end) as matched_value,
        avg(case when not orders.is_cancelled then {{ dbt.datediff('orders.order_date', 'first_payments.paid_date', 'day') }} end) as dso_days
    from {{ ref('fct_orders') }} as orders
    left join first_payments
        on first_payments.order_id = orders.order_id
    group by 1

),

lost_deals as (

    select {{ month_of('closed_date') }} as month_start, sum(amount_eur) as lost_deal_value
    from {{ ref('stg_crm__deals') }}
    where stage = 'lost' and closed_date is not null
    group by 1

),

monthly as (

    select
        months.month_start,
        cast(coalesce(bank.cash_inflow, 0) as decimal(18, 2)) as cash_inflow,
        cast(coalesce(bank.cash_outflow, 0) as decimal(18, 2)) as cash_outflow,
        cast(coalesce(bank.cash_inflow, 0) - coalesce(bank.cash_outflow, 0) as decimal(18, 2)) as net_cashflow,
        cast(coalesce(costs.cost_total, 0) as decimal(18, 2)) as cost_total,
        cast(coalesce(costs.service_cost, 0) as decimal(18, 2)) as service_cost,
        coalesce(retention.active_customers, 0) as active_customers,
        {{ money_ratio('coalesce(costs.service_cost, 0)', 'retention.active_customers', 2) }} as cost_to_serve,
        cast(coalesce(order_values.cancelled_value, 0) as decimal(18, 2)) as revenue_lost_cancellations,
        cast(coalesce(order_values.returned_value, 0) as decimal(18, 2)) as revenue_lost_returns,
        cast(coalesce(lost_deals.lost_deal_value, 0) as decimal(18, 2)) as revenue_lost_deals,
        cast(coalesce(order_values.cancelled_value, 0) + coalesce(order_values.returned_value, 0)
            + coalesce(lost_deals.lost_deal_value, 0) as decimal(18, 2)) as revenue_lost,
        cast(coalesce(order_values.order_value, 0) as decimal(18, 2)) as order_value,
        cast(coalesce(order_values.matched_value, 0) as decimal(18, 2)) as matched_order_value,
        {{ safe_ratio('order_values.matched_value', 'order_values.order_value') }} as payment_match_rate,
        cast(order_values.dso_days as double) as dso_days
    from months
    left join bank on bank.month_start = months.month_start
    left join costs on costs.month_start = months.month_start
    left join retention on retention.month_start = months.month_start
    left join order_values on order_values.month_start = months.month_start
    left join lost_deals on lost_deals.month_start = months.month_start

),

rolling as (

    select
        *,
        cast(sum(net_cashflow) over (order by month_start rows between 2 preceding and current row) as decimal(18, 2)) as net_cashflow_rolling_3m,
        cast(sum(net_cashflow) over (order by month_start rows between unbounded preceding and current row) as decimal(18, 2)) as cash_balance_running
    from monthly

),

final as (

    {{ period_comparisons('rolling', compared) }}

)

select * from final
