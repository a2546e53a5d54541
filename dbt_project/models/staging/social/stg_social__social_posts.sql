with source as (

    select * from {{ source('raw', 'social_posts') }}

),

latest as (

    {{ latest_version('source', ['post_id'], 'published_at') }}

),

renamed as (

    select
        post_id,
        channel,
        post_type,
        published_at,
        {{ to_reporting_date('published_at') }} as published_date,
        utm_campaign,
        campaign_id
        {{ lineage_columns() }}
    from latest

)

select * from renamed
