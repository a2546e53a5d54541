-- Reconciliation: the new KPI marts agree with kpi_monthly (itself reconciled with fct_orders) and
-- with each other: revenue_net and units in kpi_sales_monthly, non-cancelled orders in
-- kpi_retention_monthly, orders in kpi_service_monthly, the daily mart summed per month, and the
-- segment dimension of segment_kpis summed per month. Returns the months that disagree.
with monthly as (

    select month_start, revenue_net, units_sold, non_cancelled_orders, orders
    from {{ ref('kpi_monthly') }}

),

daily as (

    select
        {{ month_of('day') }} as month_start,
        sum(revenue_net) as revenue_net,
        sum(orders) as orders
    from {{ ref('kpi_daily') }}
    group by 1

),

segments as (

    select month_start, sum(revenue_net) as revenue_net
    from {{ ref('segment_kpis') }}
    where dimension = 'segment'
    group by month_start

)

select monthly.month_start
from monthly
left join {{ ref('kpi_sales_monthly') }} as sales on sales.month_start = monthly.month_start
left join {{ ref('kpi_retention_monthly') }} as retention on retention.month_start = monthly.month_start
left join {{ ref('kpi_service_monthly') }} as service on service.month_start = monthly.month_start
left join daily on daily.month_start = monthly.month_start
left join segments on segments.month_start = monthly.month_start
where sales.revenue_net is distinct from monthly.revenue_net
    or sales.units_sold is distinct from monthly.units_sold
    or retention.non_cancelled_orders is distinct from monthly.non_cancelled_orders
    or service.orders is distinct from monthly.orders
    or daily.revenue_net is distinct from monthly.revenue_net
    or daily.orders is distinct from monthly.orders
    or coalesce(segments.revenue_net, 0) <> monthly.revenue_net
