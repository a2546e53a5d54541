with customers as (

    select * from {{ ref('stg_crm__customers') }}

),

order_values as (

    select * from {{ ref('fct_orders') }}

),

contracts as (

    select * from {{ ref('stg_crm__contracts') }}

),

tickets as (

    select * from {{ ref('stg_crm__tickets') }}

),

surveys as (

    select * from {{ ref('int_survey_responses_linked') }}

),

web_sessions as (

    select * from {{ ref('int_web_sessions') }}

),

reference_date as (

    select max(order_date) as as_of_date
    from order_values

),

customer_orders as (

    select
        customer_id,
        count(*) as orders,
        count(case when not is_cancelled then 1 end) as non_cancelled_orders,
        count(case when is_cancelled then 1 end) as cancelled_orders,
        min(case when not is_cancelled then order_date end) as first_order_date,
        max(case when not is_cancelled then order_date end) as last_order_date,
        sum(revenue_net_eur) as lifetime_revenue_net_eur
    from order_values
    group by customer_id

),

activity as (

    select * from {{ ref('int_customer_activity') }}

),

{#- The customers active on the reference date (int_customer_activity), and their contracts
    running then (within the activity window). #}
active_on_reference_date as (

    select
        activity.customer_id,
        count(case when activity.activity_type = 'contract' then 1 end) as running_contracts
    from activity
    cross join reference_date
    where {{ customer_active_on('activity', 'reference_date.as_of_date') }}
    group by activity.customer_id

),

customer_tickets as (

    select
        customer_id,
        count(*) as tickets,
        count(case when ticket_type = 'complaint' then 1 end) as complaints
    from tickets
    where customer_id is not null
    group by customer_id

),

last_answers as (

    select
        customer_id,
        max(case when survey_type = 'csat' and answer_rank = 1 then score end) as last_csat_score,
        max(case when survey_type = 'nps' and answer_rank = 1 then score end) as last_nps_score
    from (
        select
            customer_id,
            survey_type,
            score,
            row_number() over (partition by customer_id, survey_type order by answered_at desc, response_id desc) as answer_rank
        from surveys
        where customer_id is not null and score is not null
    ) as ranked
    group by customer_id

),

recent_sessions as (

    select web_sessions.customer_id, count(*) as web_sessions_90d
    from web_sessions
    cross join reference_date
    where web_sessions.customer_id is not null
        and web_sessions.session_date <= reference_date.as_of_date
        and web_sessions.session_date > cast({{ dbt.dateadd('day', -90, 'reference_date.as_of_date') }} as date)
    group by web_sessions.customer_id

),

base as (

    select
        customers.customer_id,
        customers.email_hash,
        customers.segment,
        customers.region,
        customers.industry,
        customers.acquisition_channel,
        customers.created_at,
        customers.created_date,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        coalesce(customer_orders.orders, 0) as orders,
        coalesce(customer_orders.non_cancelled_orders, 0) as non_cancelled_orders,
        coalesce(customer_orders.cancelled_orders, 0) as cancelled_orders,
        cast(coalesce(customer_orders.lifetime_revenue_net_eur, 0) as decimal(18, 2)) as lifetime_revenue_net_eur,
        coalesce(active_on_reference_date.running_contracts, 0) > 0 as has_running_contract,
        reference_date.as_of_date,
        {{ dbt.datediff('customer_orders.last_order_date', 'reference_date.as_of_date', 'day') }} as days_since_last_order,
        active_on_reference_date.customer_id is not null as is_active,
        customers.customer_id in (select customer_id from contracts) as had_contract
    from customers
    cross join reference_date
    left join customer_orders
        on customer_orders.customer_id = customers.customer_id
    left join active_on_reference_date
        on active_on_reference_date.customer_id = customers.customer_id

),

{#- RFM: quintile scores 1-5 (5 = best: most recent, most orders, most revenue) among customers
    with a non-cancelled order; NULL for customers without one. #}
scored as (

    select
        base.*,
        case when base.first_order_date is not null then
            ntile(5) over (partition by base.first_order_date is not null order by base.days_since_last_order desc, base.customer_id)
        end as rfm_recency_score,
        case when base.first_order_date is not null then
            ntile(5) over (partition by base.first_order_date is not null order by base.non_cancelled_orders, base.customer_id)
        end as rfm_frequency_score,
        case when base.first_order_date is not null then
            ntile(5) over (partition by base.first_order_date is not null order by base.lifetime_revenue_net_eur, base.customer_id)
        end as rfm_monetary_score
    from base

),

final as (

    select
        scored.*,
        case
            when scored.rfm_recency_score is null then 'no_orders'
            when scored.rfm_recency_score >= 4 and scored.rfm_frequency_score >= 4 then 'champions'
            when scored.rfm_recency_score >= 3 and scored.rfm_frequency_score >= 3 then 'loyal'
            when scored.rfm_recency_score >= 4 then 'promising'
            when scored.rfm_recency_score <= 2 and scored.rfm_frequency_score >= 3 then 'at_risk'
            when scored.rfm_recency_score <= 2 then 'hibernating'
            else 'needs_attention'
        end as rfm_segment,
        (scored.first_order_date is not null or scored.had_contract) and not scored.is_active as is_churned,
        coalesce(customer_tickets.tickets, 0) as tickets,
        coalesce(customer_tickets.complaints, 0) as complaints,
        last_answers.last_csat_score,
        last_answers.last_nps_score,
        coalesce(recent_sessions.web_sessions_90d, 0) as web_sessions_90d
    from scored
    left join customer_tickets on customer_tickets.customer_id = scored.customer_id
    left join last_answers on last_answers.customer_id = scored.customer_id
    left join recent_sessions on recent_sessions.customer_id = scored.customer_id

)

select
    customer_id,
    email_hash,
    segment,
    region,
    industry,
    acquisition_channel,
    created_at,
    created_date,
    first_order_date,
    last_order_date,
    orders,
    non_cancelled_orders,
    cancelled_orders,
    lifetime_revenue_net_eur,
    has_running_contract,
    as_of_date,
    days_since_last_order,
    is_active,
    rfm_recency_score,
    rfm_frequency_score,
    rfm_monetary_score,
    rfm_segment,
    is_churned,
    tickets,
    complaints,
    last_csat_score,
    last_nps_score,
    web_sessions_90d
from final
