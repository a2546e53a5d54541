{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    tags=['daily_partitioned']
) }}

{#- Incremental, in step with int_order_values: a run copies the orders whose order date is in
    incremental_window() or whose last_loaded_at is at or after the latest one the table holds (a late
    version, line, cancellation, return or exchange rate; int_order_values rebuilt them), and every
    order of their customers (as built and as delivered), whose is_first_order may have changed with
    them. Older orders are kept; --full-refresh rebuilds all. #}
with order_values as (

    select * from {{ ref('int_order_values') }}

),
{%- if is_incremental() %}

loaded_since as (

    select coalesce(max(last_loaded_at), cast('1900-01-01' as timestamp)) as loaded_at
    from {{ this }}

),

changed_orders as (

    select order_id, customer_id
    from order_values
    where ({{ incremental_window('order_date') }})
        or last_loaded_at >= (select loaded_at from loaded_since)

),

rebuilt_customers as (

    select customer_id from changed_orders
    union
    select customer_id from {{ this }} where order_id in (select order_id from changed_orders)

),
{%- endif %}

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
        is_first_order,
        line_count,
        units,
        currency,
        fx_rate,
        net_value,
        net_value_eur,
        return_count,
        refunded_amount,
        refunded_amount_eur,
        revenue_net_eur,
        payment_reference,
        last_loaded_at
    from order_values
    {%- if is_incremental() %}
    where order_id in (select order_id from changed_orders)
        or customer_id in (select customer_id from rebuilt_customers)
    {%- endif %}

)

select * from final
