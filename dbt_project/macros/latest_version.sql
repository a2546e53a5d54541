{#
    The latest version of every key of a raw table: a delivery may repeat a record (a newer
    version, or the same file delivered twice). The version column decides; ties go to the row
    loaded last, then to the later file name and line. Rows of held-back files are no version
    (not_held_back), so they never shadow a good delivery's. Keys a full snapshot no longer holds
    are dropped (in_latest_snapshot).
    Returns the relation's columns plus _version_rank (always 1), to be dropped by the caller.
#}
{% macro latest_version(relation, primary_key, version_column) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ primary_key | join(', ') }}
                order by
                    {{ version_column }} desc nulls last,
                    _loaded_at desc nulls last,
                    _file desc nulls last,
                    _line desc nulls last
            ) as _version_rank
        from {{ relation }}
        where {{ not_held_back() }}
    ) as versions
    where _version_rank = 1
        and {{ in_latest_snapshot('versions', relation, primary_key) }}
{%- endmacro %}
