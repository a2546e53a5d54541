{#
    For staging models incremental on loads. latest_load_held(): the latest load the model's own
    table (`this`) holds, as a scalar subquery. keys_loaded_since(): the keys of `source_relation`
    with a row loaded at or after it. Rows of that load itself are taken again: a load is never
    half taken, whatever the clock did between loads.
#}
{% macro latest_load_held(built_relation) -%}
    (select coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) from {{ built_relation }})
{%- endmacro %}

{% macro keys_loaded_since(source_relation, key, built_relation) -%}
    select {{ key }}
    from {{ source_relation }}
    where _loaded_at >= {{ latest_load_held(built_relation) }}
{%- endmacro %}
