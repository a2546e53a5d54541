{%- set compared = ['visitors', 'sessions', 'pages_per_session', 'bounce_rate', 'ctr', 'conversion_rate', 'revenue_per_session'] -%}

{#- Web traffic per month (sessions by their local start date). Revenue on the web: revenue_net
    of the orders converted in a session started in the month (int_web_order_attribution). #}
with months as (

    select * from {{ ref('int_month_spine') }}

),

sessions as (

    select
        session_month as month_start,
        count(distinct user_pseudo_id) as visitors,
        count(*) as sessions,
        cast(sum(page_views) as bigint) as page_views,
        count(case when is_bounce then 1 end) as bounced_sessions,
        avg(cast(duration_seconds as double)) as mean_session_seconds,
        cast(sum(element_impressions) as bigint) as element_impressions,
        cast(sum(element_clicks) as bigint) as element_clicks,
        count(case when is_converted then 1 end) as converted_sessions
    from {{ ref('int_web_sessions') }}
    group by session_month

),

web_revenue as (

    select
        session_month as month_start,
        sum(revenue_net_eur) as web_revenue_net,
        sum(case when is_social then revenue_net_eur else 0 end) as social_attributed_revenue
    from {{ ref('int_web_order_attribution') }}
    group by session_month

),

monthly as (

    select
        months.month_start,
        coalesce(sessions.visitors, 0) as visitors,
        coalesce(sessions.sessions, 0) as sessions,
        coalesce(sessions.page_views, 0) as page_views,
        {{ safe_ratio('sessions.page_views', 'sessions.sessions') }} as pages_per_session,
        {{ safe_ratio('sessions.bounced_sessions', 'sessions.sessions') }} as bounce_rate,
        sessions.mean_session_seconds,
        coalesce(sessions.element_impressions, 0) as element_impressions,
        coalesce(sessions.element_clicks, 0) as element_clicks,
        {{ safe_ratio('sessions.element_clicks', 'sessions.element_impressions') }} as ctr,
        coalesce(sessions.converted_sessions, 0) as converted_sessions,
        {{ safe_ratio('sessions.converted_sessions', 'sessions.sessions') }} as conversion_rate,
        cast(coalesce(web_revenue.web_revenue_net, 0) as decimal(18, 2)) as web_revenue_net,
        {{ money_ratio('coalesce(web_revenue.web_revenue_net, 0)', 'sessions.sessions', 2) }} as revenue_per_session,
        cast(coalesce(web_revenue.social_attributed_revenue, 0) as decimal(18, 2)) as social_attributed_revenue
    from months
    left join sessions on sessions.month_start = months.month_start
    left join web_revenue on web_revenue.month_start = months.month_start

),

final as (

    {{ period_comparisons('monthly', compared) }}

)

select * from final
