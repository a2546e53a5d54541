{#
    Conversion of money into the reporting currency (var reporting_currency).

    join_fx_rate() adds, under an alias, the latest stg_finance__fx_rates row of the amount's
    currency on or before the conversion date (an ASOF join on DuckDB).
    reporting_rate() is the rate to apply: exactly 1 for the reporting currency (by definition,
    whatever the rates table says), the joined rate if it is at most var fx_max_rate_age_days
    old, and NULL otherwise, so a missing rate shows up as a NULL amount that the not_null
    tests on every *_eur column catch. It is never silently 1.
    known_on: for amounts dated ahead of when they are known (a contract signed today that starts
    next month), the date they were known. The rate's age then counts from the earlier of the two
    dates: until the conversion date's own rate exists, the latest rate at signing applies
    (the next build picks up the right rate as soon as it arrives), and a stale feed still
    shows up as NULL.
    to_reporting_currency() converts an amount and rounds it to cents, as DECIMAL.
#}
{% macro join_fx_rate(currency, on_date, alias='fx') -%}
    {{ return(adapter.dispatch('join_fx_rate')(currency, on_date, alias)) }}
{%- endmacro %}

{% macro duckdb__join_fx_rate(currency, on_date, alias) -%}
    asof left join {{ ref('stg_finance__fx_rates') }} as {{ alias }}
        on {{ alias }}.currency = {{ currency }}
        and {{ on_date }} >= {{ alias }}.rate_date
{%- endmacro %}

{% macro default__join_fx_rate(currency, on_date, alias) -%}
    left join {{ ref('stg_finance__fx_rates') }} as {{ alias }}
        on {{ alias }}.currency = {{ currency }}
        and {{ alias }}.rate_date = (
            select max(candidate.rate_date)
            from {{ ref('stg_finance__fx_rates') }} as candidate
            where candidate.currency = {{ currency }}
                and candidate.rate_date <= {{ on_date }}
        )
{%- endmacro %}

{% macro reporting_rate(currency, on_date, alias='fx', known_on=none) -%}
    {%- set age_from = on_date if known_on is none else 'least(' ~ on_date ~ ', ' ~ known_on ~ ')' %}
    case
        when {{ currency }} = '{{ var("reporting_currency") }}' then cast(1 as decimal(18, 6))
        when {{ dbt.datediff(alias ~ '.rate_date', age_from, 'day') }} <= {{ var('fx_max_rate_age_days') }}
            then {{ alias }}.rate_to_reporting
    end
{%- endmacro %}

{% macro to_reporting_currency(amount, currency, on_date, alias='fx', scale=2, known_on=none) -%}
    {#- Widened before multiplying: DECIMAL(18, 4) x DECIMAL(18, 6) overflows DuckDB's 18-digit
        product from about 10^8 (a yearly cost booking of 249 M at size M did). #}
    cast(cast({{ amount }} as decimal(38, 6)) * {{ reporting_rate(currency, on_date, alias, known_on) }} as decimal(18, {{ scale }}))
{%- endmacro %}
