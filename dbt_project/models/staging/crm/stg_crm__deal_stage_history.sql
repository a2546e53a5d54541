with source as (

    select * from {{ source('raw', 'deal_stage_history') }}

),

latest as (

    {{ latest_version('source', ['deal_id', 'stage'], 'entered_at') }}

),

renamed as (

    select
        deal_id,
        stage,
        entered_at,
        {{ to_reporting_date('entered_at') }} as entered_date
        {{ lineage_columns() }}
    from latest

)

select * from renamed
