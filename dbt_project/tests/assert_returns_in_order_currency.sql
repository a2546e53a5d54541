{#
    Refunds are summed per order in the order's currency and converted at the order's rate,
    so every return must be in the currency of its order.
#}
select
    returns.return_id,
    returns.order_id,
    returns.currency as return_currency,
    orders.currency as order_currency
from {{ ref('stg_crm__returns') }} as returns
inner join {{ ref('stg_crm__orders') }} as orders
    on orders.order_id = returns.order_id
where returns.currency <> orders.currency
