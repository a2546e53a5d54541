{#- KPI campaign_response_rate, campaign_conversion_rate and cost_per_response: one row per
    campaign. A response is a click or a reply; a conversion is a member with a non-cancelled
    order within var attribution_window_days days after the local sending date. #}
with campaigns as (

    select * from {{ ref('stg_crm__campaigns') }}

),

members as (

    select * from {{ ref('stg_crm__campaign_members') }}

),

orders as (

    select customer_id, order_date
    from {{ ref('fct_orders') }}
    where not is_cancelled

),

member_outcomes as (

    select
        members.campaign_id,
        members.customer_id,
        members.delivered_at is not null as is_delivered,
        members.opened_at is not null as is_opened,
        members.clicked_at is not null as is_clicked,
        members.replied_at is not null as is_replied,
        exists (
            select 1
            from orders
            where orders.customer_id = members.customer_id
                and orders.order_date >= members.sent_date
                and orders.order_date <= cast({{ dbt.dateadd('day', var('attribution_window_days'), 'members.sent_date') }} as date)
        ) as is_converted
    from members

),

member_totals as (

    select
        campaign_id,
        count(*) as members_sent,
        count(case when is_delivered then 1 end) as members_delivered,
        count(case when is_delivered and is_opened then 1 end) as members_opened,
        count(case when is_delivered and is_clicked then 1 end) as members_clicked,
        count(case when is_delivered and is_replied then 1 end) as members_replied,
        count(case when is_delivered and (is_clicked or is_replied) then 1 end) as responses,
        count(case when is_delivered and is_converted then 1 end) as members_converted
    from member_outcomes
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.start_date,
        {{ month_of('campaigns.start_date') }} as month_start,
        campaigns.cost_eur,
        coalesce(member_totals.members_sent, 0) as members_sent,
        coalesce(member_totals.members_delivered, 0) as members_delivered,
        coalesce(member_totals.members_opened, 0) as members_opened,
        coalesce(member_totals.members_clicked, 0) as members_clicked,
        coalesce(member_totals.members_replied, 0) as members_replied,
        coalesce(member_totals.responses, 0) as responses,
        coalesce(member_totals.members_converted, 0) as members_converted,
        {{ safe_ratio('member_totals.members_opened', 'member_totals.members_delivered') }} as campaign_response_rate_opened,
        {{ safe_ratio('member_totals.members_clicked', 'member_totals.members_delivered') }} as campaign_response_rate_clicked,
        {{ safe_ratio('member_totals.members_replied', 'member_totals.members_delivered') }} as campaign_response_rate_replied,
        {{ safe_ratio('member_totals.members_converted', 'member_totals.members_delivered') }} as campaign_conversion_rate,
        {{ money_ratio('campaigns.cost_eur', 'member_totals.responses', 2) }} as cost_per_response
    from campaigns
    left join member_totals
        on member_totals.campaign_id = campaigns.campaign_id

)

select * from final
