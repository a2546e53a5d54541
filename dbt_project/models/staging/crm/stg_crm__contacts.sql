with source as (

    select * from {{ source('raw', 'contacts') }}

),

latest as (

    {{ latest_version('source', ['contact_id'], 'updated_at') }}

),

renamed as (

    select
        contact_id,
        customer_id,
        first_name,
        last_name,
        email,
        {{ normalize_email('email') }} as email_normalized,
        {{ email_hash('email') }} as email_hash,
        lead_source,
        lifecycle_stage,
        created_at,
        {{ to_reporting_date('created_at') }} as created_date,
        updated_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
