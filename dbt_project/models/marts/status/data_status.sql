{#-
    The state of every entity's deliveries, for BI users: the last good delivery and how fresh it
    is, the files held back with their reasons (ingestion.holdback: their rows are not in the
    marts), and the rows staging holds. Read from the load ledger raw._loads, which the loader
    writes (no dbt source: it is no entity), looked up at run time; in a warehouse without it every
    entity reads no_delivery. The staging models are named so this model is built after them.
-#}
{%- set staging = [
    ref('stg_finance__bank_transactions'),
    ref('stg_crm__campaign_members'),
    ref('stg_crm__campaigns'),
    ref('stg_crm__cancellations'),
    ref('stg_crm__contacts'),
    ref('stg_crm__contracts'),
    ref('stg_finance__cost_bookings'),
    ref('stg_crm__customers'),
    ref('stg_crm__deal_stage_history'),
    ref('stg_crm__deals'),
    ref('stg_finance__fx_rates'),
    ref('stg_crm__lifecycle_stage_changes'),
    ref('stg_crm__order_lines'),
    ref('stg_crm__orders'),
    ref('stg_crm__quotes'),
    ref('stg_crm__returns'),
    ref('stg_social__social_followers'),
    ref('stg_social__social_post_metrics'),
    ref('stg_social__social_posts'),
    ref('stg_crm__survey_responses'),
    ref('stg_crm__tickets'),
    ref('stg_web__web_events'),
    ref('stg_web__web_sessions')
] -%}
{%- set ledger = adapter.get_relation(database=target.database, schema='raw', identifier='_loads') if execute else none -%}

with entities as (

    {% for model in staging %}
    select '{{ model.identifier.split("__")[1] }}' as entity, count(*) as staging_rows from {{ model }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

files as (

    {%- if ledger is not none %}
    select
        entity,
        file,
        arg_max(status, loaded_at) as status,
        arg_max(message, loaded_at) as message,
        max(loaded_at) as last_loaded_at
    from {{ ledger }}
    group by entity, file
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as entity, cast(null as {{ dbt.type_string() }}) as file, cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as message, cast(null as timestamp) as last_loaded_at
    where false
    {%- endif %}

),

good as (

    select
        entity,
        arg_max(file, last_loaded_at) as last_good_file,
        max(last_loaded_at) as last_good_loaded_at,
        count(*) as files_loaded
    from files
    where status = 'loaded'
    group by entity

),

held as (

    select
        entity,
        count(*) as files_held_back,
        string_agg(replace(message, chr(10), ' '), chr(10) order by file) as held_back
    from files
    where status = 'held'
    group by entity

),

final as (

    select
        entities.entity,
        case
            when held.files_held_back > 0 then 'held_back'
            when good.entity is null then 'no_delivery'
            else 'ok'
        end as status,
        good.last_good_file,
        cast(good.last_good_loaded_at as timestamp) as last_good_loaded_at,
        cast(coalesce(good.files_loaded, 0) as bigint) as files_loaded,
        cast(coalesce(held.files_held_back, 0) as bigint) as files_held_back,
        held.held_back,
        cast(entities.staging_rows as bigint) as staging_rows,
        cast(
            {{ dbt.datediff('good.last_good_loaded_at', 'cast(now() at time zone \'UTC\' as timestamp)', 'minute') }} / 60.0
            as double
        ) as hours_since_last_good,
        cast(now() at time zone 'UTC' as timestamp) as built_at
    from entities
    left join good on good.entity = entities.entity
    left join held on held.entity = entities.entity

)

select * from final
