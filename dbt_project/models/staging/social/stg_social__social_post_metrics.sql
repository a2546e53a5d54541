with source as (

    select * from {{ source('raw', 'social_post_metrics') }}

),

latest as (

    {{ latest_version('source', ['post_id', 'metric_date'], 'metric_date') }}

),

renamed as (

    select
        post_id,
        metric_date,
        impressions,
        reach,
        likes,
        comments,
        shares,
        clicks
        {{ lineage_columns() }}
    from latest

)

select * from renamed
