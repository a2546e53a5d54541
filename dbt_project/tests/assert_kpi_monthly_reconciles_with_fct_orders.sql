{#
    Reconciliation: the monthly mart loses and invents nothing. Its revenue_net, orders and
    new_customers, summed over all months, equal the order facts they come from.
#}
with kpi as (

    select
        coalesce(sum(revenue_net), 0) as revenue_net,
        coalesce(sum(orders), 0) as orders,
        coalesce(sum(new_customers), 0) as new_customers
    from {{ ref('kpi_monthly') }}

),

facts as (

    select
        coalesce(sum(revenue_net_eur), 0) as revenue_net,
        count(*) as orders,
        count(distinct case when not is_cancelled then customer_id end) as new_customers
    from {{ ref('fct_orders') }}

)

select
    kpi.revenue_net as kpi_revenue_net,
    facts.revenue_net as fct_revenue_net,
    kpi.orders as kpi_orders,
    facts.orders as fct_orders,
    kpi.new_customers as kpi_new_customers,
    facts.new_customers as fct_customers_with_an_order
from kpi
cross join facts
where kpi.revenue_net <> facts.revenue_net
    or kpi.orders <> facts.orders
    or kpi.new_customers <> facts.new_customers
