{#- KPI segment_kpis: one row per month, dimension (segment, region, industry, acquisition_channel)
    and dimension value: revenue_net, ordering customers, churned customers and NPS of the
    customers of that value (survey answers linked by id or e-mail hash). #}
{%- set dimensions = ['segment', 'region', 'industry', 'acquisition_channel'] -%}

with customers as (

    select * from {{ ref('dim_customers') }}

),

facts as (

    select order_month as month_start, customer_id, revenue_net_eur, is_cancelled,
        cast(null as {{ dbt.type_string() }}) as churn_customer_id, cast(null as integer) as nps_score
    from {{ ref('fct_orders') }}
    union all
    select {{ month_of('churn_date') }}, customer_id, null, null, customer_id, null
    from {{ ref('int_churn_events') }}
    union all
    select {{ month_of('answered_date') }}, customer_id, null, null, null, score
    from {{ ref('int_survey_responses_linked') }}
    where survey_type = 'nps' and customer_id is not null and score is not null

),

by_dimension as (

    {%- for dimension in dimensions %}
    select
        facts.month_start,
        '{{ dimension }}' as dimension,
        coalesce(customers.{{ dimension }}, '(unknown)') as dimension_value,
        facts.customer_id,
        facts.revenue_net_eur,
        facts.is_cancelled,
        facts.churn_customer_id,
        facts.nps_score
    from facts
    inner join customers
        on customers.customer_id = facts.customer_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        month_start,
        dimension,
        dimension_value,
        cast(coalesce(sum(revenue_net_eur), 0) as decimal(18, 2)) as revenue_net,
        count(distinct case when is_cancelled = false then customer_id end) as customers,
        count(distinct churn_customer_id) as churned_customers,
        count(nps_score) as nps_answers,
        100 * {{ safe_ratio('count(case when nps_score >= 9 then 1 end) - count(case when nps_score <= 6 then 1 end)', 'count(nps_score)') }} as nps
    from by_dimension
    group by 1, 2, 3

)

select * from final
