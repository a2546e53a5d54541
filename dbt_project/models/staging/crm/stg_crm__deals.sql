with source as (

    select * from {{ source('raw', 'deals') }}

),

latest as (

    {{ latest_version('source', ['deal_id'], 'updated_at') }}

),

renamed as (

    select
        deal_id,
        customer_id,
        contact_id,
        {{ pseudonymize('owner') }} as owner_pseudonym,
        {{ pseudonymize('deal_name') }} as deal_name_pseudonym,
        amount,
        currency,
        stage,
        probability,
        loss_reason,
        created_at,
        {{ to_reporting_date('created_at') }} as created_date,
        closed_at,
        {{ to_reporting_date('closed_at') }} as closed_date,
        updated_at
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.amount', 'renamed.currency', 'coalesce(renamed.closed_date, renamed.created_date)') }} as amount_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'coalesce(renamed.closed_date, renamed.created_date)') }}

)

select
    deal_id,
    customer_id,
    contact_id,
    owner_pseudonym,
    deal_name_pseudonym,
    amount,
    currency,
    amount_eur,
    stage,
    probability,
    loss_reason,
    created_at,
    created_date,
    closed_at,
    closed_date,
    updated_at
    {{ lineage_columns() }}
from converted
