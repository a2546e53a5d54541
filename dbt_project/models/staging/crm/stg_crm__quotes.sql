with source as (

    select * from {{ source('raw', 'quotes') }}

),

latest as (

    {{ latest_version('source', ['quote_id'], 'updated_at') }}

),

renamed as (

    select
        quote_id,
        deal_id,
        customer_id,
        amount,
        currency,
        status,
        sent_at,
        {{ to_reporting_date('sent_at') }} as sent_date,
        decided_at,
        {{ to_reporting_date('decided_at') }} as decided_date,
        updated_at
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.amount', 'renamed.currency', 'renamed.sent_date') }} as amount_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.sent_date') }}

)

select
    quote_id,
    deal_id,
    customer_id,
    amount,
    currency,
    amount_eur,
    status,
    sent_at,
    sent_date,
    decided_at,
    decided_date,
    updated_at
    {{ lineage_columns() }}
from converted
