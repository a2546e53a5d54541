{#- KPI clv_historical: mean cumulative revenue_net per customer, by first-order-month cohort and
    segment, over everything in the data (customers with a non-cancelled order only). #}
with customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        {{ month_of('first_order_date') }} as cohort_month,
        segment,
        count(*) as customers,
        cast(sum(lifetime_revenue_net_eur) as decimal(18, 2)) as revenue_net,
        {{ money_ratio('sum(lifetime_revenue_net_eur)', 'count(*)', 2) }} as clv_historical
    from customers
    where first_order_date is not null
    group by 1, 2

)

select * from final
