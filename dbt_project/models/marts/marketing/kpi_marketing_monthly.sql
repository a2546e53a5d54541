{%- set compared = ['marketing_cost', 'new_customers', 'cac', 'campaign_response_rate_clicked', 'campaign_conversion_rate'] -%}

{#- Marketing per month: marketing cost (cost bookings of category marketing), new customers
    (first non-cancelled order in the month) and KPI cac; campaign rates of the campaigns started
    in the month, pooled over their members. #}
with months as (

    select * from {{ ref('int_month_spine') }}

),

costs as (

    select {{ month_of('booking_date') }} as month_start, sum(amount_eur) as marketing_cost
    from {{ ref('stg_finance__cost_bookings') }}
    where cost_category = 'marketing'
    group by 1

),

new_customers as (

    select order_month as month_start, count(*) as new_customers
    from {{ ref('fct_orders') }}
    where is_first_order
    group by 1

),

campaigns as (

    select
        month_start,
        count(*) as campaigns_started,
        sum(members_delivered) as members_delivered,
        sum(members_clicked) as members_clicked,
        sum(members_converted) as members_converted
    from {{ ref('kpi_campaigns') }}
    group by month_start

),

monthly as (

    select
        months.month_start,
        cast(coalesce(abs(costs.marketing_cost), 0) as decimal(18, 2)) as marketing_cost,
        coalesce(new_customers.new_customers, 0) as new_customers,
        {{ money_ratio('coalesce(abs(costs.marketing_cost), 0)', 'new_customers.new_customers', 2) }} as cac,
        coalesce(campaigns.campaigns_started, 0) as campaigns_started,
        {{ safe_ratio('campaigns.members_clicked', 'campaigns.members_delivered') }} as campaign_response_rate_clicked,
        {{ safe_ratio('campaigns.members_converted', 'campaigns.members_delivered') }} as campaign_conversion_rate
    from months
    left join costs on costs.month_start = months.month_start
    left join new_customers on new_customers.month_start = months.month_start
    left join campaigns on campaigns.month_start = months.month_start

),

final as (

    {{ period_comparisons('monthly', compared) }}

)

select * from final
