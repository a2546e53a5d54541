with source as (

    select * from {{ source('raw', 'web_sessions') }}

),

latest as (

    {{ latest_version('source', ['session_id'], 'session_start') }}

),

renamed as (

    select
        session_id,
        user_pseudo_id,
        customer_id,
        session_start as session_started_at,
        {{ to_reporting_date('session_start') }} as session_date,
        session_end as session_ended_at,
        source,
        medium,
        campaign,
        landing_page,
        device
        {{ lineage_columns() }}
    from latest

)

select * from renamed
