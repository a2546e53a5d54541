with source as (

    select * from {{ source('raw', 'web_events') }}

),

latest as (

    {{ latest_version('source', ['event_id'], 'event_timestamp') }}

),

renamed as (

    select
        event_id,
        session_id,
        user_pseudo_id,
        event_timestamp as event_at,
        {{ to_reporting_date('event_timestamp') }} as event_date,
        event_name,
        page,
        element,
        order_id,
        value as purchase_value,
        currency
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.purchase_value', 'renamed.currency', 'renamed.event_date') }} as purchase_value_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.event_date') }}

)

select
    event_id,
    session_id,
    user_pseudo_id,
    event_at,
    event_date,
    event_name,
    page,
    element,
    order_id,
    purchase_value,
    currency,
    purchase_value_eur
    {{ lineage_columns() }}
from converted
