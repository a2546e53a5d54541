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
        {{ pseudonymize('first_name') }} as first_name_pseudonym,
        {{ pseudonymize('last_name') }} as last_name_pseudonym,
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
