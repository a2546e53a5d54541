{#- KPI top_content: one row per social post with lifetime metrics, engagement rate, its rank
    within the channel (1 = highest engagement rate) and the web sessions and conversions whose
    UTM campaign is the post's utm_campaign. #}
with posts as (

    select * from {{ ref('stg_social__social_posts') }}

),

metrics as (

    select
        post_id,
        cast(sum(impressions) as bigint) as impressions,
        cast(sum({{ social_interactions('metrics') }}) as bigint) as social_interactions
    from {{ ref('stg_social__social_post_metrics') }} as metrics
    group by post_id

),

web as (

    select
        campaign,
        count(*) as web_sessions,
        count(case when is_converted then 1 end) as web_conversions
    from {{ ref('int_web_sessions') }}
    where campaign is not null
    group by campaign

),

final as (

    select
        posts.post_id,
        posts.channel,
        posts.post_type,
        posts.published_date,
        posts.utm_campaign,
        coalesce(metrics.impressions, 0) as impressions,
        coalesce(metrics.social_interactions, 0) as social_interactions,
        {{ safe_ratio('metrics.social_interactions', 'metrics.impressions') }} as engagement_rate,
        rank() over (
            partition by posts.channel
            order by {{ safe_ratio('metrics.social_interactions', 'metrics.impressions') }} desc nulls last
        ) as top_content_rank,
        coalesce(web.web_sessions, 0) as web_sessions,
        coalesce(web.web_conversions, 0) as web_conversions
    from posts
    left join metrics on metrics.post_id = posts.post_id
    left join web on web.campaign = posts.utm_campaign

)

select * from final
