with source as (

    select * from {{ source('raw', 'campaign_members') }}

),

latest as (

    {{ latest_version('source', ['campaign_id', 'customer_id'], 'sent_at') }}

),

renamed as (

    select
        campaign_id,
        customer_id,
        sent_at,
        {{ to_reporting_date('sent_at') }} as sent_date,
        delivered_at,
        opened_at,
        clicked_at,
        replied_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
