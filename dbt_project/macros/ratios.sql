{#
    Ratios with the spec's zero rule: a zero or missing denominator gives NULL, never 0.
    safe_ratio() is a fraction (rates, shares); money_ratio() an amount per unit (DECIMAL);
    relative_change() the change of a value against a base as a fraction of the base's size;
    months_combined() the value of several months of a KPI (aggregate).
#}
{% macro safe_ratio(numerator, denominator) -%}
    case
        when {{ denominator }} <> 0
            then cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}

{% macro money_ratio(numerator, denominator, scale=6) -%}
    case
        when {{ denominator }} <> 0
            then cast({{ numerator }} / {{ denominator }} as decimal(18, {{ scale }}))
    end
{%- endmacro %}

{% macro relative_change(current, base) -%}
    {#- over the base's size: a rise from -100 to +50 is +150 %, not -150 % (net cash flow can be negative) -#}
    {{ safe_ratio('(' ~ current ~ ') - (' ~ base ~ ')', 'abs(' ~ base ~ ')') }}
{%- endmacro %}

{% macro months_combined(value, weight, additive, condition='true') -%}
    case
        when {{ additive }} then sum({{ value }}) filter (where {{ condition }})
        else {{ safe_ratio('sum(' ~ value ~ ' * ' ~ weight ~ ') filter (where ' ~ condition ~ ')',
                           'sum(' ~ weight ~ ') filter (where ' ~ condition ~ ')') }}
    end
{%- endmacro %}
