with source as (

    select * from {{ source('raw', 'tickets') }}

),

latest as (

    {{ latest_version('source', ['ticket_id'], 'updated_at') }}

),

renamed as (

    select
        ticket_id,
        customer_id,
        {{ email_hash('email') }} as email_hash,
        ticket_type,
        category,
        priority,
        {{ pseudonymize('agent') }} as agent_pseudonym,
        created_at,
        {{ to_reporting_date('created_at') }} as created_date,
        first_response_at,
        resolved_at,
        {{ to_reporting_date('resolved_at') }} as resolved_date,
        reopened_at,
        {{ to_reporting_date('reopened_at') }} as reopened_date,
        status,
        updated_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
