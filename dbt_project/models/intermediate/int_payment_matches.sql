{{ config(
    materialized='incremental',
    unique_key='transaction_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}

{#- Incremental: a run rebuilds the transactions whose booking date is in incremental_window() (the
    partition window or the look-back before the latest built date); --full-refresh rebuilds all. #}

{#- Identity resolution for bank transactions: every inflow whose purpose text carries an invoice
    reference (RE-yyyy-nnnnnn) is matched to the order with that payment_reference, and so to its
    customer. One row per bank transaction; unmatched rows are kept with NULL order and customer. #}
with transactions as (

    select
        *,
        payment_reference as invoice_reference
    from {{ ref('stg_finance__bank_transactions') }}
    {%- if is_incremental() %}
    where {{ incremental_window('booking_date') }}
    {%- endif %}

),

orders as (

    select order_id, customer_id, payment_reference
    from {{ ref('fct_orders') }}
    where payment_reference is not null

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
        orders.order_id is not null as is_matched
    from transactions
    left join orders
        on orders.payment_reference = transactions.invoice_reference
        and transactions.amount_eur > 0

)

select * from final
