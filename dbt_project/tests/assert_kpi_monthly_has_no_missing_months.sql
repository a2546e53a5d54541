{#
    The monthly spine runs without gaps from the first to the last month with orders.
#}
with spine as (

    select
        min(month_start) as first_month,
        max(month_start) as last_month,
        count(*) as months
    from {{ ref('kpi_monthly') }}

),

facts as (

    select
        min(order_month) as first_month,
        max(order_month) as last_month
    from {{ ref('fct_orders') }}

)

select
    spine.first_month,
    spine.last_month,
    spine.months,
    facts.first_month as first_order_month,
    facts.last_month as last_order_month
from spine
cross join facts
where facts.first_month is not null
    and (
        spine.first_month <> facts.first_month
        or spine.last_month <> facts.last_month
        or spine.months <> {{ dbt.datediff('facts.first_month', 'facts.last_month', 'month') }} + 1
    )
