{#- Operational KPIs at day grain (local dates): orders and revenue_net by order date, tickets
    created and resolved, web sessions, bank inflows and outflows. Every day between the first and
    the last day of the month spine. #}
with days as (

    {{ period_spine(
        'day',
        '(select min(month_start) from ' ~ ref('int_month_spine') ~ ')',
        '(select max(month_end) from ' ~ ref('int_month_spine') ~ ')'
    ) }}

),

orders as (

    select order_date as day, count(*) as orders, sum(revenue_net_eur) as revenue_net
    from {{ ref('fct_orders') }}
    group by 1

),

tickets_created as (

    select created_date as day, count(*) as tickets_created
    from {{ ref('stg_crm__tickets') }}
    group by 1

),

tickets_resolved as (

    select resolved_date as day, count(*) as tickets_resolved
    from {{ ref('stg_crm__tickets') }}
    where resolved_date is not null
    group by 1

),

sessions as (

    select session_date as day, count(*) as sessions
    from {{ ref('stg_web__web_sessions') }}
    group by 1

),

bank as (

    select
        booking_date as day,
        sum(case when amount_eur > 0 then amount_eur else 0 end) as cash_inflow,
        sum(case when amount_eur < 0 then -amount_eur else 0 end) as cash_outflow
    from {{ ref('stg_finance__bank_transactions') }}
    group by 1

),

final as (

    select
        days.period_start as day,
        coalesce(orders.orders, 0) as orders,
        cast(coalesce(orders.revenue_net, 0) as decimal(18, 2)) as revenue_net,
        coalesce(tickets_created.tickets_created, 0) as tickets_created,
        coalesce(tickets_resolved.tickets_resolved, 0) as tickets_resolved,
        coalesce(sessions.sessions, 0) as sessions,
        cast(coalesce(bank.cash_inflow, 0) as decimal(18, 2)) as cash_inflow,
        cast(coalesce(bank.cash_outflow, 0) as decimal(18, 2)) as cash_outflow
    from days
    left join orders on orders.day = days.period_start
    left join tickets_created on tickets_created.day = days.period_start
    left join tickets_resolved on tickets_resolved.day = days.period_start
    left join sessions on sessions.day = days.period_start
    left join bank on bank.day = days.period_start

)

select * from final
