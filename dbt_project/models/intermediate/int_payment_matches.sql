{{ config(
    materialized='incremental',
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    tags=['daily_partitioned']
) }}

{#- Incremental: a run rebuilds the transactions whose booking date is in incremental_window() (the
    partition window or the look-back before the latest built date), and the transactions whose match
    may have changed with fct_orders: those carrying the payment reference of an order (re)built since
    the latest order load the table has matched (order_last_loaded_at), and those matched to such an
    order, so a late order or a late new version of one matches or unmatches its old payments.
    --full-refresh rebuilds all. #}

{#- Identity resolution for bank transactions: every inflow whose purpose text carries an invoice
    reference (one of var payment_reference_patterns) is matched to the order with that
    payment_reference, compared by key (macro payment_reference_key), and so to its customer.
    One row per bank transaction; unmatched rows are kept with NULL order and customer. #}
with orders as (

    select order_id, customer_id, {{ payment_reference_key('payment_reference') }} as reference_key, last_loaded_at
    from {{ ref('fct_orders') }}
    where payment_reference is not null

),
{%- if is_incremental() %}

changed_orders as (

    select order_id, {{ payment_reference_key('payment_reference') }} as reference_key
    from {{ ref('fct_orders') }}
    where last_loaded_at >= (
        select coalesce(max(order_last_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }}
    )

),
{%- endif %}

transactions as (

    select
        *,
        payment_reference as invoice_reference,
        {{ payment_reference_key('payment_reference') }} as reference_key
    from {{ ref('stg_finance__bank_transactions') }}
    {%- if is_incremental() %}
    where ({{ incremental_window('booking_date') }})
        or {{ payment_reference_key('payment_reference') }} in (select reference_key from changed_orders)
        or transaction_id in (
            select transaction_id from {{ this }}
            where order_id in (select order_id from changed_orders)
        )
    {%- endif %}

),

final as (

    select
        transactions.transaction_id,
        transactions.booking_date,
        transactions.amount_eur,
        transactions.amount_eur > 0 as is_inflow,
        transactions.invoice_reference,
        orders.order_id,
        orders.customer_id,
        orders.order_id is not null as is_matched,
        orders.last_loaded_at as order_last_loaded_at
    from transactions
    left join orders
        on orders.reference_key = transactions.reference_key
        and transactions.amount_eur > 0

)

select * from final
