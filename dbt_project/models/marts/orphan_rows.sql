{#-
    Rows whose reference points at nothing delivered (orphans), with the reason: row-level problems
    that stay at row level. An orphan order is kept in fct_orders and the KPIs built on it; its check
    (relationships_share) fails only when orphans exceed var orphan_share_threshold.
-#}
with orders as (

    select order_id, customer_id from {{ ref('fct_orders') }}

),

tickets as (

    select ticket_id, customer_id from {{ ref('stg_crm__tickets') }}

),

customers as (

    select customer_id from {{ ref('stg_crm__customers') }}

),

final as (

    select
        'fct_orders' as model,
        orders.order_id as row_key,
        'customer_id' as column_name,
        orders.customer_id as value,
        'order of customer ' || orders.customer_id || ', who is not in the CRM customers (stg_crm__customers)' as reason
    from orders
    left join customers on customers.customer_id = orders.customer_id
    where orders.customer_id is not null and customers.customer_id is null

    union all

    select
        'stg_crm__tickets' as model,
        tickets.ticket_id as row_key,
        'customer_id' as column_name,
        tickets.customer_id as value,
        'ticket of customer ' || tickets.customer_id || ', who is not in the CRM customers (stg_crm__customers)' as reason
    from tickets
    left join customers on customers.customer_id = tickets.customer_id
    where tickets.customer_id is not null and customers.customer_id is null

)

select * from final
