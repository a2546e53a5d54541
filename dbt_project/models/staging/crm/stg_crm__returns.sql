with source as (

    select * from {{ source('raw', 'returns') }}

),

latest as (

    {{ latest_version('source', ['return_id'], 'returned_at') }}

),

renamed as (

    select
        return_id,
        order_id,
        returned_at,
        {{ to_reporting_date('returned_at') }} as returned_date,
        refund_amount,
        currency,
        reason as return_reason,
        _loaded_at
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.refund_amount', 'renamed.currency', 'renamed.returned_date') }} as refund_amount_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.returned_date') }}

)

select
    return_id,
    order_id,
    returned_at,
    returned_date,
    refund_amount,
    currency,
    refund_amount_eur,
    return_reason,
    _loaded_at
    {{ lineage_columns() }}
from converted
