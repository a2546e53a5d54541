with source as (

    select * from {{ source('raw', 'campaigns') }}

),

latest as (

    {{ latest_version('source', ['campaign_id'], 'updated_at') }}

),

renamed as (

    select
        campaign_id,
        campaign_name,
        channel,
        utm_campaign,
        cost,
        currency,
        start_date,
        end_date,
        updated_at
        {{ lineage_columns() }}
    from latest

),

converted as (

    select
        renamed.*,
        {{ to_reporting_currency('renamed.cost', 'renamed.currency', 'renamed.start_date', known_on=to_reporting_date('renamed.updated_at')) }} as cost_eur
    from renamed
    {{ join_fx_rate('renamed.currency', 'renamed.start_date') }}

)

select
    campaign_id,
    campaign_name,
    channel,
    utm_campaign,
    cost,
    currency,
    cost_eur,
    start_date,
    end_date,
    updated_at
    {{ lineage_columns() }}
from converted
