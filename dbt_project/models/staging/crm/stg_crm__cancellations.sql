with source as (

    select * from {{ source('raw', 'cancellations') }}

),

latest as (

    {{ latest_version('source', ['cancellation_id'], 'cancelled_at') }}

),

renamed as (

    select
        cancellation_id,
        order_id,
        cancelled_at,
        {{ to_reporting_date('cancelled_at') }} as cancelled_date,
        reason as cancellation_reason,
        _loaded_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
