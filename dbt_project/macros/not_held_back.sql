{#
    Rows of a delivery file that is held back or released stay out of staging (ingestion.holdback):
    a file that failed its checks costs only itself, and the entity keeps the state of its good
    deliveries. A load counts by the latest ledger row of its file and content. The ledger is
    written by the loader, not declared as a dbt source (it is no entity), so it is looked up at
    run time; a warehouse without one holds nothing back.
#}
{% macro not_held_back() -%}
    {%- set ledger = adapter.get_relation(database=target.database, schema='raw', identifier='_loads') if execute else none -%}
    {%- if ledger is not none -%}
    not exists (
        select 1
        from (
            select file, file_sha256, arg_max(status, loaded_at) as status
            from {{ ledger }}
            group by file, file_sha256
        ) as held_loads
        where held_loads.status in ('held', 'released')
            and held_loads.file = _file
            and held_loads.file_sha256 = _file_sha256
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
