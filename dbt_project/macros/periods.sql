{#
    Reporting periods beyond the month: day, ISO week (Monday to Sunday), month, quarter, year.

    period_start_of() truncates a date to its period (dbt.date_trunc; 'week' is the ISO week,
    starting Monday, on DuckDB, Postgres, Spark and Snowflake with its default week_start).
    period_year() / period_of_year() are the key that makes "the same period of the prior year"
    a join instead of a row count (ISO years have 52 or 53 weeks): the ISO year and ISO week for
    weeks (2024-12-30 is week 1 of ISO year 2025), else the calendar year and the month (1-12),
    quarter (1-4), 1 for the year, or month * 100 + day (e.g. 1231) for a day, so 29 February has
    no prior-year day. period_label() is the readable name: 2025-01-31, 2025-W01, 2025-01, 2025-Q1, 2025.
#}
{% macro period_start_of(grain, date_expression) -%}
    cast({{ dbt.date_trunc(grain, date_expression) }} as date)
{%- endmacro %}

{% macro iso_year(date_expression) -%}
    {{ return(adapter.dispatch('iso_year')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_year(date_expression) -%}
    cast(extract(isoyear from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_year(date_expression) -%}
    cast(extract(yearofweek from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro iso_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_week')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_week(date_expression) -%}
    cast(extract(week from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_week(date_expression) -%}
    cast(weekofyear({{ date_expression }}) as integer)
{%- endmacro %}

{% macro period_year(grain, date_expression) -%}
    {%- if grain == 'week' -%}
        {{ iso_year(date_expression) }}
    {%- else -%}
        cast(extract(year from {{ date_expression }}) as integer)
    {%- endif -%}
{%- endmacro %}

{% macro period_of_year(grain, date_expression) -%}
    {%- if grain == 'week' -%}
        {{ iso_week(date_expression) }}
    {%- elif grain == 'day' -%}
        cast(extract(month from {{ date_expression }}) * 100 + extract(day from {{ date_expression }}) as integer)
    {%- elif grain == 'year' -%}
        1
    {%- else -%}
        cast(extract({{ grain }} from {{ date_expression }}) as integer)
    {%- endif -%}
{%- endmacro %}

{% macro period_label(grain, date_expression) -%}
    {%- set year = 'cast(' ~ period_year(grain, date_expression) ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- set number = 'cast(' ~ period_of_year(grain, date_expression) ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- if grain == 'day' -%}
        cast({{ date_expression }} as {{ dbt.type_string() }})
    {%- elif grain == 'week' -%}
        {{ dbt.concat([year, "'-W'", "lpad(" ~ number ~ ", 2, '0')"]) }}
    {%- elif grain == 'month' -%}
        {{ dbt.concat([year, "'-'", "lpad(" ~ number ~ ", 2, '0')"]) }}
    {%- elif grain == 'quarter' -%}
        {{ dbt.concat([year, "'-Q'", number]) }}
    {%- else -%}
        {{ year }}
    {%- endif -%}
{%- endmacro %}
