{#
    Invoice references in bank purpose texts (Verwendungszweck). Companies number invoices in
    their own form (RE-2024-1187, RE2024001187, Rechnung Nr. 4711, Rg.-Nr. 2024/0815), so the forms
    are configuration: var payment_reference_patterns, regular expressions tried in order, the
    first that matches wins and its first capture group is the reference. A reference and an
    order's payment_reference are compared by their key: letters and digits only, upper-cased,
    so "RE 2024/1187" in a purpose text pays the order whose reference is "RE-2024-1187".
#}
{% macro payment_reference(text) -%}
    case
    {%- for pattern in var('payment_reference_patterns') %}
        when {{ regexp_group(text, pattern) }} <> '' then {{ regexp_group(text, pattern) }}
    {%- endfor %}
    end
{%- endmacro %}

{% macro payment_reference_key(reference) -%}
    nullif(upper({{ regexp_replace_all(reference, '[^A-Za-z0-9]', '') }}), '')
{%- endmacro %}

{#- The first capture group of a pattern, '' when it does not match (DuckDB and Spark alike). #}
{% macro regexp_group(text, pattern) -%}
    regexp_extract({{ text }}, {{ string_literal(pattern) }}, 1)
{%- endmacro %}

{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ string_literal(pattern) }}, {{ string_literal(replacement) }})
{%- endmacro %}

{#- DuckDB replaces the first match only unless told 'g'. #}
{% macro duckdb__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ string_literal(pattern) }}, {{ string_literal(replacement) }}, 'g')
{%- endmacro %}

{#- A string literal for any text: quotes doubled; Spark also reads backslashes as escapes. #}
{% macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal')(value)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
