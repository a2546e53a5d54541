-- Reconciliation: the month rows of kpi_periods equal the monthly KPI marts (kpi_monthly,
-- kpi_service_monthly, kpi_web_monthly, kpi_cash_monthly) month by month, value by value, and so do
-- their prior-period and prior-year values where the monthly mart carries them (and has the month
-- before: kpi_monthly starts at the first order month); the day rows equal kpi_daily; every month of
-- int_month_spine has a month row. Returns the KPI values that disagree.
{%- set compared = {
    'kpi_monthly': ['revenue_net', 'orders', 'new_customers', 'arpc', 'cancellation_rate'],
    'kpi_service_monthly': ['complaints', 'complaints_per_1000_orders'],
    'kpi_web_monthly': ['visitors', 'sessions', 'conversion_rate'],
    'kpi_cash_monthly': ['cash_inflow', 'cash_outflow', 'net_cashflow'],
} %}
{%- set daily_kpis = ['orders', 'revenue_net', 'tickets_created', 'sessions', 'cash_inflow', 'cash_outflow'] %}

with months as (

    select * from {{ ref('kpi_periods') }}
    where grain = 'month'

),

days as (

    select * from {{ ref('kpi_periods') }}
    where grain = 'day'

)
{%- for kpi in kpi_period_kpis() %}

select '{{ kpi.monthly }}' as monthly_mart, '{{ kpi.id }}' as kpi_id, monthly.month_start as period_start
from {{ ref(kpi.monthly) }} as monthly
left join months
    on months.period_start = monthly.month_start
where months.{{ kpi.id }} is distinct from monthly.{{ kpi.id }}
    {%- if kpi.id in compared[kpi.monthly] %}
    or (monthly.{{ kpi.id }}_prior_period is not null
        and months.{{ kpi.id }}_prior_period is distinct from monthly.{{ kpi.id }}_prior_period)
    or (monthly.{{ kpi.id }}_prior_year is not null
        and months.{{ kpi.id }}_prior_year is distinct from monthly.{{ kpi.id }}_prior_year)
    {%- endif %}

union all
{%- endfor %}
{%- for kpi in daily_kpis %}

select 'kpi_daily', '{{ kpi }}', daily.day
from {{ ref('kpi_daily') }} as daily
left join days
    on days.period_start = daily.day
where days.{{ kpi }} is distinct from daily.{{ kpi }}

union all
{%- endfor %}

select 'int_month_spine', 'month row', spine.month_start
from {{ ref('int_month_spine') }} as spine
left join months
    on months.period_start = spine.month_start
where months.period_start is null
