-- Reconciliation: bank inflows and outflows of kpi_daily summed per month equal kpi_cash_monthly,
-- and the running balance equals the cumulative net of the days up to the month's end.
with daily as (

    select
        {{ month_of('day') }} as month_start,
        sum(cash_inflow) as cash_inflow,
        sum(cash_outflow) as cash_outflow
    from {{ ref('kpi_daily') }}
    group by 1

),

cumulative as (

    select
        month_start,
        cash_inflow,
        cash_outflow,
        sum(cash_inflow - cash_outflow) over (order by month_start rows between unbounded preceding and current row) as balance
    from daily

)

select cash.month_start
from {{ ref('kpi_cash_monthly') }} as cash
left join cumulative on cumulative.month_start = cash.month_start
where cash.cash_inflow <> coalesce(cumulative.cash_inflow, 0)
    or cash.cash_outflow <> coalesce(cumulative.cash_outflow, 0)
    or cash.cash_balance_running <> coalesce(cumulative.balance, 0)
