with source as (

    select * from {{ source('raw', 'survey_responses') }}

),

latest as (

    {{ latest_version('source', ['response_id'], 'answered_at') }}

),

renamed as (

    select
        response_id,
        customer_id,
        {{ email_hash('email') }} as email_hash,
        ticket_id,
        survey_type,
        score,
        answered_at,
        {{ to_reporting_date('answered_at') }} as answered_date
        {{ lineage_columns() }}
    from latest

)

select * from renamed
