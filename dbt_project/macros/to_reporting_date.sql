{#
    The local calendar date (var reporting_timezone) of a UTC timestamp.
    Timestamps are stored in UTC without a zone; the date people report on is the local one,
    so 2025-03-31 23:30 UTC is 1 April in Berlin (CEST, UTC+2) and the DST switch is handled
    by the time-zone database, not by a fixed offset.
#}
{% macro to_reporting_date(ts) -%}
    {{ return(adapter.dispatch('to_reporting_date')(ts)) }}
{%- endmacro %}

{% macro default__to_reporting_date(ts) -%}
    cast(({{ ts }} at time zone 'UTC') at time zone '{{ var("reporting_timezone") }}' as date)
{%- endmacro %}

{% macro spark__to_reporting_date(ts) -%}
    cast(from_utc_timestamp({{ ts }}, '{{ var("reporting_timezone") }}') as date)
{%- endmacro %}
