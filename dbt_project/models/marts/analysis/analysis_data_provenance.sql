{#-
    Which deliveries the marts were built from, for the report's footer: files and rows recorded in the
    load ledger raw._loads and the range of order dates. The ledger is written by the loader, not
    declared as a dbt source (it is no entity), so it is looked up at run time; in a warehouse without
    it (a fresh one in the docs tests) the counts are 0.
-#}
{%- set ledger = adapter.get_relation(database=target.database, schema='raw', identifier='_loads') if execute else none -%}

with orders as (

    select * from {{ ref('fct_orders') }}

),

loads as (

    {%- if ledger is not none %}
    select
        count(*) as files_loaded,
        count(distinct entity) as entities_loaded,
        sum(rows_loaded) as rows_loaded,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from {{ ledger }}
    where status = 'loaded'
    {%- else %}
    select 0 as files_loaded, 0 as entities_loaded, 0 as rows_loaded,
        cast(null as timestamp) as first_loaded_at, cast(null as timestamp) as last_loaded_at
    {%- endif %}

),

final as (

    select
        cast(loads.files_loaded as bigint) as files_loaded,
        cast(loads.entities_loaded as bigint) as entities_loaded,
        cast(coalesce(loads.rows_loaded, 0) as bigint) as rows_loaded,
        cast(loads.first_loaded_at as timestamp) as first_loaded_at,
        cast(loads.last_loaded_at as timestamp) as last_loaded_at,
        (select min(order_date) from orders) as first_order_date,
        (select max(order_date) from orders) as last_order_date,
        cast(current_timestamp as timestamp) as built_at
    from loads

)

select * from final
