with source as (

    select * from {{ source('raw', 'order_lines') }}

),

latest as (

    {{ latest_version('source', ['order_id', 'line_number'], 'updated_at') }}

),

renamed as (

    select
        order_id,
        line_number,
        product_id,
        product_category,
        quantity,
        net_unit_price,
        updated_at,
        cast(quantity * net_unit_price as decimal(18, 6)) as line_net_value,
        _loaded_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
