{%- set compared = ['social_interactions', 'engagement_rate', 'follower_growth', 'social_attributed_revenue'] -%}

{#- Social media per month and channel (metrics by metric date, followers by day: growth is the
    last day's followers of the month minus the last day's followers of the prior month, or of the
    month's first day for the first month). Channel 'all' rows are not added: sum the channels. #}
with channel_months as (

    select months.month_start, months.month_end, channels.channel
    from {{ ref('int_month_spine') }} as months
    cross join (
        select channel from {{ ref('stg_social__social_posts') }}
        union
        select channel from {{ ref('stg_social__social_followers') }}
    ) as channels

),

metrics as (

    select
        posts.channel,
        {{ month_of('metrics.metric_date') }} as month_start,
        cast(sum(metrics.impressions) as bigint) as impressions,
        cast(sum({{ social_interactions('metrics') }}) as bigint) as social_interactions
    from {{ ref('stg_social__social_post_metrics') }} as metrics
    inner join {{ ref('stg_social__social_posts') }} as posts
        on posts.post_id = metrics.post_id
    group by 1, 2

),

followers as (

    select
        channel,
        {{ month_of('follower_date') }} as month_start,
        max(case when is_last then followers end) as followers_end,
        max(case when is_first then followers end) as followers_first_day
    from (
        select
            channel,
            follower_date,
            followers,
            row_number() over (partition by channel, {{ month_of('follower_date') }} order by follower_date desc) = 1 as is_last,
            row_number() over (partition by channel, {{ month_of('follower_date') }} order by follower_date) = 1 as is_first
        from {{ ref('stg_social__social_followers') }}
    ) as daily
    group by 1, 2

),

social_revenue as (

    select session_month as month_start, lower(source) as channel, sum(revenue_net_eur) as revenue
    from {{ ref('int_web_order_attribution') }}
    where is_social
    group by 1, 2

),

channel_followers as (

    select channel_months.month_start, channel_months.channel, followers.followers_end, followers.followers_first_day
    from channel_months
    left join followers
        on followers.channel = channel_months.channel and followers.month_start = channel_months.month_start

),

followers_compared as (

    {{ period_comparisons('channel_followers', ['followers_end'], partition_by=['channel']) }}

),

monthly as (

    select
        channel_months.month_start,
        channel_months.channel,
        coalesce(metrics.impressions, 0) as impressions,
        coalesce(metrics.social_interactions, 0) as social_interactions,
        {{ safe_ratio('metrics.social_interactions', 'metrics.impressions') }} as engagement_rate,
        followers_compared.followers_end,
        followers_compared.followers_end
            - coalesce(followers_compared.followers_end_prior_period, followers_compared.followers_first_day) as follower_growth,
        cast(coalesce(social_revenue.revenue, 0) as decimal(18, 2)) as social_attributed_revenue
    from channel_months
    left join metrics
        on metrics.channel = channel_months.channel and metrics.month_start = channel_months.month_start
    left join followers_compared
        on followers_compared.channel = channel_months.channel and followers_compared.month_start = channel_months.month_start
    left join social_revenue
        on social_revenue.channel = channel_months.channel and social_revenue.month_start = channel_months.month_start

),

final as (

    {{ period_comparisons('monthly', compared, partition_by=['channel']) }}

)

select * from final
