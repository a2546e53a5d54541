with source as (

    select * from {{ source('raw', 'customers') }}

),

latest as (

    {{ latest_version('source', ['customer_id'], 'updated_at') }}

),

renamed as (

    select
        customer_id,
        {{ pseudonymize('customer_name') }} as customer_name_pseudonym,
        {{ email_hash('email') }} as email_hash,
        {{ pseudonymize('phone') }} as phone_pseudonym,
        segment,
        industry,
        region,
        acquisition_channel,
        created_at,
        {{ to_reporting_date('created_at') }} as created_date,
        updated_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
