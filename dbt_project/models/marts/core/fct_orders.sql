{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    tags=['daily_partitioned']
) }}

{#- One row per order with its values: the one model that holds them (no intermediate copy).
    Incremental: a run rebuilds
    1. the orders whose order date is in incremental_window() (the partition window or the look-back
       before the latest order date built),
    2. every order with a row loaded at or after the latest load the table holds (max(last_loaded_at)),
       whatever its order date: a new version of the order, a new or changed line, a cancellation or
       a return delivered late; and the orders whose exchange rate was delivered late (a rate of its
       currency from that rate's date up to the next rate's date, the orders the ASOF join would
       now match to it),
    3. every order of the customers of those orders (as built and as delivered), because
       is_first_order depends on the customer's other orders.
    Older orders are kept. A row removed from raw (erasure) needs --full-refresh, which privacy.erase runs. #}
with
{%- if is_incremental() %}

loaded_since as (

    select coalesce(max(last_loaded_at), cast('1900-01-01' as timestamp)) as loaded_at
    from {{ this }}

),

late_fx_rates as (

    select currency, rate_date, next_rate_date
    from (
        select
            currency,
            rate_date,
            _loaded_at,
            lead(rate_date) over (partition by currency order by rate_date) as next_rate_date
        from {{ ref('stg_finance__fx_rates') }}
    ) as rates
    where _loaded_at >= (select loaded_at from loaded_since)

),

changed_orders as (

    select order_id
    from {{ ref('stg_crm__orders') }}
    where ({{ incremental_window('order_date') }})
        or _loaded_at >= (select loaded_at from loaded_since)
    union
    select order_id from {{ ref('stg_crm__order_lines') }} where _loaded_at >= (select loaded_at from loaded_since)
    union
    select order_id from {{ ref('stg_crm__cancellations') }} where _loaded_at >= (select loaded_at from loaded_since)
    union
    select order_id from {{ ref('stg_crm__returns') }} where _loaded_at >= (select loaded_at from loaded_since)
    union
    select all_orders.order_id
    from {{ ref('stg_crm__orders') }} as all_orders
    inner join late_fx_rates
        on late_fx_rates.currency = all_orders.currency
        and all_orders.order_date >= late_fx_rates.rate_date
        and (late_fx_rates.next_rate_date is null or all_orders.order_date < late_fx_rates.next_rate_date)

),

rebuilt_customers as (

    select customer_id from {{ ref('stg_crm__orders') }} where order_id in (select order_id from changed_orders)
    union
    select customer_id from {{ this }} where order_id in (select order_id from changed_orders)

),

orders_to_rebuild as (

    select order_id from changed_orders
    union
    select order_id from {{ ref('stg_crm__orders') }} where customer_id in (select customer_id from rebuilt_customers)

),
{%- endif %}

orders as (

    select * from {{ ref('stg_crm__orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_rebuild)
    {%- endif %}

),

order_lines as (

    select * from {{ ref('stg_crm__order_lines') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_rebuild)
    {%- endif %}

),

returns as (

    select * from {{ ref('stg_crm__returns') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_rebuild)
    {%- endif %}

),

cancellations as (

    select * from {{ ref('stg_crm__cancellations') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_rebuild)
    {%- endif %}

),

line_totals as (

    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as bigint) as units,
        sum(line_net_value) as net_value,
        max(_loaded_at) as last_loaded_at
    from order_lines
    group by order_id

),

return_totals as (

    select
        order_id,
        count(*) as return_count,
        sum(refund_amount) as refunded_amount,
        max(_loaded_at) as last_loaded_at
    from returns
    group by order_id

),

first_cancellations as (

    select
        order_id,
        min(cancelled_at) as cancelled_at,
        max(_loaded_at) as last_loaded_at
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
        {#- coalesce: greatest() returns NULL on a NULL argument on some engines (Snowflake) #}
        greatest(
            orders._loaded_at,
            coalesce(line_totals.last_loaded_at, orders._loaded_at),
            coalesce(return_totals.last_loaded_at, orders._loaded_at),
            coalesce(first_cancellations.last_loaded_at, orders._loaded_at),
            coalesce(fx._loaded_at, orders._loaded_at)
        ) as last_loaded_at
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
        sales_channel,
        is_cancelled,
        cancelled_at,
        not is_cancelled
            and row_number() over (
                partition by customer_id, is_cancelled
                order by ordered_at, order_id
            ) = 1 as is_first_order,
        line_count,
        units,
        currency,
        fx_rate,
        net_value,
        net_value_eur,
        return_count,
        refunded_amount,
        refunded_amount_eur,
        case
            when is_cancelled then cast(0 as decimal(18, 2))
            else cast(net_value_eur - refunded_amount_eur as decimal(18, 2))
        end as revenue_net_eur,
        payment_reference,
        last_loaded_at
    from converted

)

select * from final
