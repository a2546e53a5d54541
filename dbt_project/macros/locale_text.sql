{#-
    KPI numbers as text for sentences built in SQL, the same text kpis/formatting.py gives with Babel
    (CLDR de_DE and en_US) for the report's cards and charts; tests/test_kpi_formatting.py compares
    both. What differs by locale (currency and percent placement, point units) is in locale_text,
    the separators in number_text; the kind of number follows the registry unit as in Python:
    eur with 2 decimals, rate as a percentage with 1, count and rank whole, everything else with 1.
    language is a literal ('de' or 'en'); unit and change_kind are SQL expressions.
-#}

{%- macro locale_text(language) -%}
    {%- if language == 'de' -%}
    {{ return({'currency_prefix': '', 'currency_suffix': ' €', 'percent': ' %',
               'percentage_points': ' Pp.', 'points': ' Pkt.'}) }}
    {%- elif language == 'en' -%}
    {{ return({'currency_prefix': '€', 'currency_suffix': '', 'percent': '%',
               'percentage_points': ' pp', 'points': ' pts'}) }}
    {%- else -%}
    {{ exceptions.raise_compiler_error("locale_text: language must be 'de' or 'en', got " ~ language) }}
    {%- endif -%}
{%- endmacro %}

{#- The spaces above stand for a no-break space (chr(160)), as CLDR places them. -#}
{%- macro _locale_literal(text) -%}
    '{{ text | replace(' ', "' || chr(160) || '") }}'
{%- endmacro %}

{#- A number with fixed decimals and the locale's grouping: 1.234,5 (de) or 1,234.5 (en). Rounded half
    to even from the decimal the double stands for, as Babel does (841.675 → 841.68); a negative number
    keeps its sign when it rounds to 0 (-0,0), as Babel's. -#}
{%- macro number_text(expr, decimals, language) -%}
    {%- set rounded = "round_even(cast(abs(" ~ expr ~ ") as decimal(38, 10)), " ~ decimals ~ ")" -%}
    {%- set english = "format('{:,." ~ decimals ~ "f}', cast(" ~ rounded ~ " as double))" -%}
    (case when ({{ expr }}) < 0 then '-' else '' end || {% if language == 'de' %}translate({{ english }}, ',.', '.,'){% else %}{{ english }}{% endif %})
{%- endmacro %}

{#- A KPI value in its unit (kpis.formatting.KpiFormatter.value); '–' without one. -#}
{%- macro kpi_value_text(expr, unit, language) -%}
    {%- set text = locale_text(language) -%}
    case
        when ({{ expr }}) is null or isnan(cast({{ expr }} as double)) then '–'
        when {{ unit }} = 'eur' then
            case when ({{ expr }}) < 0 then '-' else '' end || {{ _locale_literal(text.currency_prefix) }}
            || {{ number_text('abs(' ~ expr ~ ')', 2, language) }} || {{ _locale_literal(text.currency_suffix) }}
        when {{ unit }} = 'rate' then {{ number_text('100 * (' ~ expr ~ ')', 1, language) }} || {{ _locale_literal(text.percent) }}
        when {{ unit }} in ('count', 'rank') then {{ number_text(expr, 0, language) }}
        else {{ number_text(expr, 1, language) }}
    end
{%- endmacro %}

{#- A change, signed, by change kind (KpiFormatter.change): relative (a fraction) as a percentage,
    percentage_points and points as the number with its unit. -#}
{%- macro kpi_change_text(expr, change_kind, language) -%}
    {%- set text = locale_text(language) -%}
    case
        when ({{ expr }}) is null or isnan(cast({{ expr }} as double)) then '–'
        else case when ({{ expr }}) >= 0 then '+' else '' end || case {{ change_kind }}
            when 'relative' then {{ number_text('100 * (' ~ expr ~ ')', 1, language) }} || {{ _locale_literal(text.percent) }}
            when 'percentage_points' then {{ number_text(expr, 1, language) }} || {{ _locale_literal(text.percentage_points) }}
            when 'points' then {{ number_text(expr, 1, language) }} || {{ _locale_literal(text.points) }}
        end
    end
{%- endmacro %}

{#- The signed impact of a driver in its KPI's unit (KpiFormatter.impact): rates (fractions) in
    percentage points, scores in points, amounts and counts as a signed value. -#}
{%- macro kpi_impact_text(expr, unit, language) -%}
    case
        when {{ unit }} = 'rate' then {{ kpi_change_text('100 * (' ~ expr ~ ')', "'percentage_points'", language) }}
        when {{ unit }} = 'score' then {{ kpi_change_text(expr, "'points'", language) }}
        when ({{ expr }}) >= 0 then '+' || {{ kpi_value_text(expr, unit, language) }}
        else {{ kpi_value_text(expr, unit, language) }}
    end
{%- endmacro %}
