{#- Social KPIs by metric month and the post's channel, type and UTM campaign, as the parts
    analysis_drivers decomposes, with kpi_social_monthly's definitions: social interactions (a sum)
    and engagement rate (interactions over impressions). -#}
{%- set dimensions = ['social_channel', 'post_type', 'utm_campaign'] -%}

with metrics as (

    select
        {{ month_of('metrics.metric_date') }} as month_start,
        metrics.impressions,
        {{ social_interactions('metrics') }} as interactions,
        coalesce(posts.channel, 'unknown') as social_channel,
        coalesce(posts.post_type, 'unknown') as post_type,
        coalesce(posts.utm_campaign, 'unknown') as utm_campaign
    from {{ ref('stg_social__social_post_metrics') }} as metrics
    inner join {{ ref('stg_social__social_posts') }} as posts
        on posts.post_id = metrics.post_id

),

by_dimension as (

    {{ parts_by_dimension('metrics', 'month_start', dimensions,
        ['sum(interactions) as interactions', 'sum(impressions) as impressions']) }}

),

final as (

    select 'social_interactions' as kpi_id, month_start, dimension, dimension_value, 'contribution' as method,
        cast(interactions as double) as numerator, cast(null as double) as denominator
    from by_dimension
    union all
    select 'engagement_rate', month_start, dimension, dimension_value, 'mix_rate',
        cast(interactions as double), cast(impressions as double)
    from by_dimension

)

select * from final
