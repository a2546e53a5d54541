with source as (

    select * from {{ source('raw', 'social_followers') }}

),

latest as (

    {{ latest_version('source', ['channel', 'follower_date'], 'follower_date') }}

),

renamed as (

    select
        channel,
        follower_date,
        followers
        {{ lineage_columns() }}
    from latest

)

select * from renamed
