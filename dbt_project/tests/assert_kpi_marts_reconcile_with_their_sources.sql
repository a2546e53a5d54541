-- Reconciliation: each KPI mart's monthly total equals the same quantity summed per month from the
-- facts or staging rows it is built from (money to the cent, counts exactly). A join that duplicates
-- orders, an incremental model that missed a day or a filter on the wrong date still passes every
-- row-level check; only a comparison with an independent sum catches it. Returns the months that
-- disagree, with the mart, its measure and both values.
{%- set money = 0.005 %}
{%- set rules = [
    {'mart': 'kpi_monthly', 'measure': 'revenue_net', 'source': 'fct_orders', 'expression': 'sum(revenue_net_eur)', 'date': 'order_date', 'tolerance': money},
    {'mart': 'kpi_monthly', 'measure': 'orders', 'source': 'stg_crm__orders', 'expression': 'count(*)', 'date': 'order_date', 'tolerance': 0},
    {'mart': 'kpi_sales_monthly', 'measure': 'revenue_net', 'source': 'fct_orders', 'expression': 'sum(revenue_net_eur)', 'date': 'order_date', 'tolerance': money},
    {'mart': 'kpi_daily', 'measure': 'revenue_net', 'source': 'fct_orders', 'expression': 'sum(revenue_net_eur)', 'date': 'order_date', 'tolerance': money},
    {'mart': 'kpi_daily', 'measure': 'orders', 'source': 'stg_crm__orders', 'expression': 'count(*)', 'date': 'order_date', 'tolerance': 0},
    {'mart': 'kpi_cash_monthly', 'measure': 'cash_inflow', 'source': 'stg_finance__bank_transactions', 'expression': 'sum(case when amount_eur > 0 then amount_eur else 0 end)', 'date': 'booking_date', 'tolerance': money},
    {'mart': 'kpi_cash_monthly', 'measure': 'cash_outflow', 'source': 'stg_finance__bank_transactions', 'expression': 'sum(case when amount_eur < 0 then -amount_eur else 0 end)', 'date': 'booking_date', 'tolerance': money},
    {'mart': 'kpi_cost_monthly', 'measure': 'cost_by_category', 'source': 'stg_finance__cost_bookings', 'expression': 'sum(amount_eur)', 'date': 'booking_date', 'tolerance': money},
    {'mart': 'kpi_service_monthly', 'measure': 'tickets_created', 'source': 'stg_crm__tickets', 'expression': 'count(*)', 'date': 'created_date', 'tolerance': 0},
    {'mart': 'kpi_web_monthly', 'measure': 'sessions', 'source': 'stg_web__web_sessions', 'expression': 'count(*)', 'date': 'session_date', 'tolerance': 0},
] %}
{%- for rule in rules %}
{%- set period = 'day' if rule.mart == 'kpi_daily' else 'month_start' %}

select
    '{{ rule.mart }}' as mart,
    '{{ rule.measure }}' as measure,
    coalesce(mart.month_start, source.month_start) as month_start,
    mart.value as mart_value,
    source.value as source_value
from (
    select {{ month_of(period) }} as month_start, sum({{ rule.measure }}) as value
    from {{ ref(rule.mart) }}
    group by 1
) as mart
full outer join (
    select {{ month_of(rule.date) }} as month_start, {{ rule.expression }} as value
    from {{ ref(rule.source) }}
    group by 1
) as source
    on source.month_start = mart.month_start
where abs(coalesce(mart.value, 0) - coalesce(source.value, 0)) > {{ rule.tolerance }}
{%- if not loop.last %}

union all
{%- endif %}
{%- endfor %}
