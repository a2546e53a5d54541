with source as (

    select * from {{ source('raw', 'contracts') }}

),

latest as (

    {{ latest_version('source', ['contract_id'], 'updated_at') }}

),

renamed as (

    select
        contract_id,
        customer_id,
        product_id,
        monthly_value,
        currency,
        signed_at,
        {{ to_reporting_date('signed_at') }} as signed_date,
        start_date,
        end_date,
        cancelled_at,
        {{ to_reporting_date('cancelled_at') }} as cancelled_date,
        cancellation_effective_date,
        updated_at
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.monthly_value', 'renamed.currency', 'renamed.start_date', known_on='renamed.signed_date') }} as monthly_value_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.start_date') }}

)

select
    contract_id,
    customer_id,
    product_id,
    monthly_value,
    currency,
    monthly_value_eur,
    signed_at,
    signed_date,
    start_date,
    end_date,
    cancelled_at,
    cancelled_date,
    cancellation_effective_date,
    updated_at
    {{ lineage_columns() }}
from converted
