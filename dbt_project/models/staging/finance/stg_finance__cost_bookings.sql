with source as (

    select * from {{ source('raw', 'cost_bookings') }}

),

latest as (

    {{ latest_version('source', ['booking_id'], 'booking_date') }}

),

renamed as (

    select
        booking_id,
        booking_date,
        amount,
        currency,
        cost_category,
        campaign_id,
        description
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.amount', 'renamed.currency', 'renamed.booking_date') }} as amount_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.booking_date') }}

)

select
    booking_id,
    booking_date,
    amount,
    currency,
    amount_eur,
    cost_category,
    campaign_id,
    description
    {{ lineage_columns() }}
from converted
