{#
    E-mail addresses as identity keys: trimmed and lower-cased (empty becomes NULL), and the
    keyed pseudonym (see pseudonymize.sql) of that normalised address, which links web, survey and
    ticket rows to customers without copying the address itself. An unkeyed SHA-256 would not do:
    hashing a list of known addresses reverses it.
#}
{% macro normalize_email(email) -%}
    nullif(lower(trim({{ email }})), '')
{%- endmacro %}

{% macro email_hash(email) -%}
    {{ pseudonymize(normalize_email(email)) }}
{%- endmacro %}

{% macro sha256(expression) -%}
    {{ return(adapter.dispatch('sha256')(expression)) }}
{%- endmacro %}

{% macro default__sha256(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
