with source as (

    select * from {{ source('raw', 'fx_rates') }}

),

latest as (

    {{ latest_version('source', ['rate_date', 'currency'], 'rate_date') }}

),

renamed as (

    select
        rate_date,
        currency,
        rate_to_reporting,
        _loaded_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
