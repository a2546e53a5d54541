{#- The rows an incremental model rebuilds, as a predicate on its date column.

    Dagster's daily partitions pass the window as environment variables CRM_DBT_WINDOW_START and
    CRM_DBT_WINDOW_END (ISO dates, end exclusive; vars window_start and window_end by hand): vars would
    change dbt's saved parse every night and force a full parse of the project.
    the run rebuilds the days of its partition window, plus incremental_lookback_days before it
    so that rows arriving late for recent days are picked up. A window that ends with the newest
    partition has no window_end: rows dated after it (today's first deliveries) are taken too. Without them (dbt run by hand, the
    unpartitioned path) it rebuilds from incremental_lookback_days before the latest date already
    built. Only called inside `if is_incremental()`; --full-refresh and a first build take every row. #}
{% macro incremental_window(date_column, built_date_column=none) -%}
    {%- set lookback = var('incremental_lookback_days') -%}
    {%- set window_start = var('window_start', none) or env_var('CRM_DBT_WINDOW_START', '') -%}
    {%- set window_end = var('window_end', none) or env_var('CRM_DBT_WINDOW_END', '') -%}
    {%- if window_start -%}
    {{ date_column }} >= cast({{ dbt.dateadd('day', -lookback, "cast('" ~ window_start ~ "' as date)") }} as date)
    {%- if window_end %}
    and {{ date_column }} < cast('{{ window_end }}' as date)
    {%- endif -%}
    {%- else -%}
    {{ date_column }} >= (
        select cast({{ dbt.dateadd('day', -lookback, 'max(' ~ (built_date_column or date_column) ~ ')') }} as date)
        from {{ this }}
    )
    {%- endif -%}
{%- endmacro %}
