{{ config(materialized='table') }}

with orders as (

    select * from {{ ref('stg_crm__orders') }}

),

order_lines as (

    select * from {{ ref('stg_crm__order_lines') }}

),

returns as (

    select * from {{ ref('stg_crm__returns') }}

),

cancellations as (

    select * from {{ ref('stg_crm__cancellations') }}

),

line_totals as (

    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as bigint) as units,
        sum(line_net_value) as net_value
    from order_lines
    group by order_id

),

return_totals as (

    select
        order_id,
        count(*) as return_count,
        sum(refund_amount) as refunded_amount,
        min(returned_at) as first_returned_at
    from returns
    group by order_id

),

first_cancellations as (

    select
        order_id,
        min(cancelled_at) as cancelled_at
    from cancellations
    group by order_id

),

valued as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        cast({{ dbt.date_trunc('month', 'orders.order_date') }} as date) as order_month,
        orders.status,
        orders.status = 'cancelled' as is_cancelled,
        first_cancellations.cancelled_at,
        orders.sales_channel,
        orders.currency,
        orders.payment_reference,
        coalesce(line_totals.line_count, 0) as line_count,
        coalesce(line_totals.units, 0) as units,
        {{ reporting_rate('orders.currency', 'orders.order_date') }} as fx_rate,
        coalesce(line_totals.net_value, 0) as net_value_exact,
        coalesce(return_totals.return_count, 0) as return_count,
        coalesce(return_totals.refunded_amount, 0) as refunded_amount_exact,
        return_totals.first_returned_at
    from orders
    left join line_totals
        on line_totals.order_id = orders.order_id
    left join return_totals
        on return_totals.order_id = orders.order_id
    left join first_cancellations
        on first_cancellations.order_id = orders.order_id
    {{ join_fx_rate('orders.currency', 'orders.order_date') }}

),

converted as (

    select
        *,
        cast(net_value_exact as decimal(18, 2)) as net_value,
        cast(net_value_exact * fx_rate as decimal(18, 2)) as net_value_eur,
        cast(refunded_amount_exact as decimal(18, 2)) as refunded_amount,
        cast(refunded_amount_exact * fx_rate as decimal(18, 2)) as refunded_amount_eur
    from valued

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        status,
        is_cancelled,
        cancelled_at,
        sales_channel,
        currency,
        payment_reference,
        line_count,
        units,
        fx_rate,
        net_value,
        net_value_eur,
        return_count,
        first_returned_at,
        refunded_amount,
        refunded_amount_eur,
        case
            when is_cancelled then cast(0 as decimal(18, 2))
            else cast(net_value_eur - refunded_amount_eur as decimal(18, 2))
        end as revenue_net_eur,
        not is_cancelled
            and row_number() over (
                partition by customer_id, is_cancelled
                order by ordered_at, order_id
            ) = 1 as is_first_order
    from converted

)

select * from final
