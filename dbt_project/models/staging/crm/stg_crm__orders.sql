with source as (

    select * from {{ source('raw', 'orders') }}

),

latest as (

    {{ latest_version('source', ['order_id'], 'updated_at') }}

),

renamed as (

    select
        order_id,
        customer_id,
        ordered_at,
        {{ to_reporting_date('ordered_at') }} as order_date,
        status,
        sales_channel,
        currency,
        payment_reference,
        updated_at,
        _loaded_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
