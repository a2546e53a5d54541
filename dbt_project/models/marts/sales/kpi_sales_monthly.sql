{%- set compared = ['new_contracts_count', 'new_contracts_value', 'lost_orders_count', 'lost_orders_value',
    'win_rate', 'win_rate_value', 'quote_acceptance_rate', 'pipeline_value', 'pipeline_value_weighted',
    'units_sold', 'revenue_net_new_customers', 'revenue_net_existing_customers'] -%}

with months as (

    select * from {{ ref('int_month_spine') }}

),

deals as (

    select * from {{ ref('stg_crm__deals') }}

),

quotes as (

    select * from {{ ref('stg_crm__quotes') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

closed_deals as (

    select
        {{ month_of('closed_date') }} as month_start,
        count(case when stage = 'won' then 1 end) as won_count,
        sum(case when stage = 'won' then amount_eur else 0 end) as won_value,
        count(case when stage = 'lost' then 1 end) as lost_count,
        sum(case when stage = 'lost' then amount_eur else 0 end) as lost_value
    from deals
    where stage in ('won', 'lost')
        and closed_date is not null
    group by 1

),

decided_quotes as (

    select
        {{ month_of('decided_date') }} as month_start,
        count(case when status = 'accepted' then 1 end) as accepted_quotes,
        count(*) as decided_quotes
    from quotes
    where status in ('accepted', 'rejected')
        and decided_date is not null
    group by 1

),

pipeline as (

    select
        months.month_start,
        sum(deals.amount_eur) as pipeline_value,
        sum(deals.amount_eur * deals.probability) as pipeline_value_weighted
    from months
    inner join deals
        on deals.created_date <= months.month_end
        and (deals.closed_date is null or deals.closed_date > months.month_end)
    group by months.month_start

),

monthly_orders as (

    select
        order_month as month_start,
        sum(revenue_net_eur) as revenue_net,
        sum(case when is_first_order then revenue_net_eur else 0 end) as revenue_net_new_customers,
        sum(case when not is_first_order then revenue_net_eur else 0 end) as revenue_net_existing_customers,
        sum(case when not is_cancelled then units else 0 end) as units_sold
    from orders
    group by order_month

),

{#- acquisition: from the customer's first contact (lead) created to the first won deal or first
    non-cancelled order, whichever comes first; counted in the month of that acquisition. #}
first_leads as (

    select customer_id, min(created_date) as lead_date
    from contacts
    where customer_id is not null
    group by customer_id

),

first_wins as (

    select customer_id, min(win_date) as acquired_date
    from (
        select customer_id, closed_date as win_date from deals where stage = 'won' and closed_date is not null
        union all
        select customer_id, order_date from orders where not is_cancelled
    ) as wins
    where customer_id is not null
    group by customer_id

),

acquisitions as (

    select
        {{ month_of('first_wins.acquired_date') }} as month_start,
        {{ percentile(dbt.datediff('first_leads.lead_date', 'first_wins.acquired_date', 'day'), 0.5) }} as acquisition_days_median,
        {{ percentile(dbt.datediff('first_leads.lead_date', 'first_wins.acquired_date', 'day'), 0.9) }} as acquisition_days_p90,
        count(*) as acquired_customers
    from first_wins
    inner join first_leads
        on first_leads.customer_id = first_wins.customer_id
    where first_leads.lead_date <= first_wins.acquired_date
    group by 1

),

monthly as (

    select
        months.month_start,
        coalesce(closed_deals.won_count, 0) as new_contracts_count,
        cast(coalesce(closed_deals.won_value, 0) as decimal(18, 2)) as new_contracts_value,
        coalesce(closed_deals.lost_count, 0) as lost_orders_count,
        cast(coalesce(closed_deals.lost_value, 0) as decimal(18, 2)) as lost_orders_value,
        {{ safe_ratio('closed_deals.won_count', 'closed_deals.won_count + closed_deals.lost_count') }} as win_rate,
        {{ safe_ratio('closed_deals.won_value', 'closed_deals.won_value + closed_deals.lost_value') }} as win_rate_value,
        coalesce(decided_quotes.accepted_quotes, 0) as quotes_accepted,
        coalesce(decided_quotes.decided_quotes, 0) as quotes_decided,
        {{ safe_ratio('decided_quotes.accepted_quotes', 'decided_quotes.decided_quotes') }} as quote_acceptance_rate,
        cast(coalesce(pipeline.pipeline_value, 0) as decimal(18, 2)) as pipeline_value,
        cast(coalesce(pipeline.pipeline_value_weighted, 0) as decimal(18, 2)) as pipeline_value_weighted,
        coalesce(acquisitions.acquired_customers, 0) as acquired_customers,
        cast(acquisitions.acquisition_days_median as double) as acquisition_days_median,
        cast(acquisitions.acquisition_days_p90 as double) as acquisition_days_p90,
        cast(coalesce(monthly_orders.revenue_net, 0) as decimal(18, 2)) as revenue_net,
        cast(coalesce(monthly_orders.revenue_net_new_customers, 0) as decimal(18, 2)) as revenue_net_new_customers,
        cast(coalesce(monthly_orders.revenue_net_existing_customers, 0) as decimal(18, 2)) as revenue_net_existing_customers,
        cast(coalesce(monthly_orders.units_sold, 0) as bigint) as units_sold
    from months
    left join closed_deals on closed_deals.month_start = months.month_start
    left join decided_quotes on decided_quotes.month_start = months.month_start
    left join pipeline on pipeline.month_start = months.month_start
    left join acquisitions on acquisitions.month_start = months.month_start
    left join monthly_orders on monthly_orders.month_start = months.month_start

),

{#- KPI revenue_growth: the change of revenue_net against the prior period and the prior year. #}
revenue_growth as (

    select
        month_start,
        revenue_net_change_prior_period as revenue_growth,
        revenue_net_change_prior_year as revenue_growth_prior_year
    from ({{ period_comparisons('monthly', ['revenue_net']) }}) as revenue_compared

),

growth as (

    select
        monthly.*,
        {{ safe_ratio('monthly.revenue_net_new_customers', 'monthly.revenue_net') }} as revenue_new_vs_existing_share_new,
        revenue_growth.revenue_growth,
        revenue_growth.revenue_growth_prior_year
    from monthly
    inner join revenue_growth
        on revenue_growth.month_start = monthly.month_start

),

final as (

    {{ period_comparisons('growth', compared) }}

)

select * from final
