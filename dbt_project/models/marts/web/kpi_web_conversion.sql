{#- KPI conversion_rate and ctr by dimension: one row per month, source, medium, campaign and
    landing page (NULL campaign shown as '(none)'). #}
with sessions as (

    select * from {{ ref('int_web_sessions') }}

),

final as (

    select
        session_month as month_start,
        source,
        medium,
        coalesce(campaign, '(none)') as campaign,
        landing_page,
        count(*) as sessions,
        count(case when is_converted then 1 end) as converted_sessions,
        {{ safe_ratio('count(case when is_converted then 1 end)', 'count(*)') }} as conversion_rate,
        cast(sum(element_impressions) as bigint) as element_impressions,
        cast(sum(element_clicks) as bigint) as element_clicks,
        {{ safe_ratio('sum(element_clicks)', 'sum(element_impressions)') }} as ctr
    from sessions
    group by 1, 2, 3, 4, 5

)

select * from final
