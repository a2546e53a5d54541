{#
    Deletions of entities delivered as full snapshots (var snapshot_entities, from the contracts'
    `delivery: snapshot`): a key absent from the entity's latest file was deleted at the source, so
    the staging model drops it. The latest file is the one loaded last (then the later file name)
    that is not held back (not_held_back): a held-back snapshot deletes nothing.
    For delta entities (the default) every key ever delivered stays, and this is `true`.
    `rows` is the alias of the rows being filtered, `relation` the raw rows of the entity, the
    model's raw source. Removing a landing file removes nothing:
    its rows stay in raw, and only a newer snapshot without them deletes them.
#}
{% macro in_latest_snapshot(rows, relation, primary_key) -%}
    {%- set snapshots = model.sources | map('last') | select('in', var('snapshot_entities')) | list -%}
    {%- if snapshots -%}
    {%- if model.sources | length > 1 or config.get('materialized') == 'incremental' -%}
        {{ exceptions.raise_compiler_error(snapshots[0] ~ " is a snapshot entity: its staging model must read only it, rebuilt in full (not incremental)") }}
    {%- endif -%}
    exists (
        select 1
        from {{ relation }} as snapshot_rows
        where snapshot_rows._file = (
            select latest._file from {{ relation }} as latest
            where {{ not_held_back() }}
            order by latest._loaded_at desc, latest._file desc
            limit 1
        )
            and {{ not_held_back() }}
        {%- for column in primary_key %}
            and snapshot_rows.{{ column }} = {{ rows }}.{{ column }}
        {%- endfor %}
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
