with source as (

    select * from {{ source('raw', 'lifecycle_stage_changes') }}

),

latest as (

    {{ latest_version('source', ['contact_id', 'stage'], 'changed_at') }}

),

renamed as (

    select
        contact_id,
        stage as lifecycle_stage,
        changed_at,
        {{ to_reporting_date('changed_at') }} as changed_date
        {{ lineage_columns() }}
    from latest

)

select * from renamed
