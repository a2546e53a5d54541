{{ config(
    materialized='incremental',
    unique_key='session_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    tags=['daily_partitioned']
) }}

{#- Incremental: a run rebuilds the sessions whose local date is in incremental_window() (the
    partition window or the look-back before the latest built date, see the macro), so events that
    arrive late for recent sessions are picked up; older sessions are kept. --full-refresh rebuilds all. #}

{#- One row per web session with its events aggregated (page views, element impressions and
    clicks, purchases), duration, bounce flag, social flag and the customer it is linked to. #}
with sessions as (

    select * from {{ ref('stg_web__web_sessions') }}
    {%- if is_incremental() %}
    where {{ incremental_window('session_date') }}
    {%- endif %}

),

events as (

    select * from {{ ref('stg_web__web_events') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from sessions)
    {%- endif %}

),

session_events as (

    select
        session_id,
        count(case when event_name = 'page_view' then 1 end) as page_views,
        count(case when event_name = 'element_impression' then 1 end) as element_impressions,
        count(case when event_name = 'element_click' then 1 end) as element_clicks,
        count(case when event_name = 'purchase' then 1 end) as purchases,
        cast(sum(case when event_name = 'purchase' then purchase_value_eur else 0 end) as decimal(18, 2)) as purchase_value_eur,
        min(case when event_name = 'purchase' then order_id end) as first_order_id
    from events
    group by session_id

),

final as (

    select
        sessions.session_id,
        sessions.user_pseudo_id,
        sessions.customer_id,
        sessions.session_started_at,
        sessions.session_date,
        {{ month_of('sessions.session_date') }} as session_month,
        sessions.source,
        sessions.medium,
        sessions.campaign,
        sessions.landing_page,
        {{ dbt.datediff('sessions.session_started_at', 'sessions.session_ended_at', 'second') }} as duration_seconds,
        coalesce(session_events.page_views, 0) as page_views,
        coalesce(session_events.element_impressions, 0) as element_impressions,
        coalesce(session_events.element_clicks, 0) as element_clicks,
        coalesce(session_events.purchases, 0) as purchases,
        coalesce(session_events.purchases, 0) > 0 as is_converted,
        coalesce(session_events.page_views, 0) = 1 as is_bounce,
        lower(sessions.medium) in ('social', 'paid_social') as is_social,
        cast(coalesce(session_events.purchase_value_eur, 0) as decimal(18, 2)) as purchase_value_eur,
        session_events.first_order_id
    from sessions
    left join session_events
        on session_events.session_id = sessions.session_id

)

select * from final
