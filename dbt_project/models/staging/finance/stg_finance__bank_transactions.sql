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
        {{ pseudonymize('counterparty') }} as counterparty_pseudonym,
        {{ pseudonymize('counterparty_iban') }} as counterparty_iban_pseudonym,
        {{ payment_reference('purpose') }} as payment_reference
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
    counterparty_pseudonym,
    counterparty_iban_pseudonym,
    payment_reference
    {{ lineage_columns() }}
from converted
