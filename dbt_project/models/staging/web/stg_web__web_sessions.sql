{{ config(
    materialized='incremental',
    unique_key='session_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}

{#- Incremental on loads, like stg_web__web_events (sessions are the second largest entity, and a full
    rebuild re-ran the deduplication over the whole history every night): a run re-derives, from
    every raw version of them, the sessions with a row loaded at or after the latest load the table
    holds, and keeps the others. A row removed from raw (erasure) needs --full-refresh, which
    privacy.erase runs; so does a change of var reporting_timezone. #}
with source as (

    select * from {{ source('raw', 'web_sessions') }}
    {%- if is_incremental() %}
    where session_id in ({{ keys_loaded_since(source('raw', 'web_sessions'), 'session_id', this) }})
    {%- endif %}

),

latest as (

    {{ latest_version('source', ['session_id'], 'session_start') }}

),

renamed as (

    select
        session_id,
        user_pseudo_id,
        customer_id,
        session_start as session_started_at,
        {{ to_reporting_date('session_start') }} as session_date,
        session_end as session_ended_at,
        source,
        medium,
        campaign,
        landing_page,
        device,
        _loaded_at
        {{ lineage_columns() }}
    from latest

)

select * from renamed
