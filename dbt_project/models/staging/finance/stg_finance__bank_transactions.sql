with source as (

    select * from {{ source('raw', 'bank_transactions') }}

),

latest as (

    {{ latest_version('source', ['transaction_id'], 'booking_date') }}

),

renamed as (

    select
        transaction_id,
        booking_date,
        value_date,
        amount,
        currency,
        counterparty,
        counterparty_iban,
        purpose
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
    transaction_id,
    booking_date,
    value_date,
    amount,
    currency,
    amount_eur,
    counterparty,
    counterparty_iban,
    purpose
    {{ lineage_columns() }}
from converted
