{#
    Pseudonymization of personal data (GDPR art. 4(5)): every contract column marked `pii: true`
    leaves staging only as a keyed hash, so intermediate models, marts, the serving copy and the
    report never hold a clear name, e-mail address, phone number, IBAN or counterparty.

    Construction: a keyed double hash,
        sha256(key || '|' || sha256(key || '|' || value))    (hex text in, hex text out)
    DuckDB has no built-in HMAC and its sha256() returns hex text rather than bytes, so an exact
    RFC 2104 HMAC-SHA256 (which XORs the key into pads over raw digest bytes) is not expressible
    without an extension. The nested form keeps the properties that matter here: without the key
    nobody can confirm a guessed value (an unkeyed sha256 of an e-mail address is reversed by
    hashing a list of addresses), equal values give equal pseudonyms (so joins still work), and
    the outer keyed hash stops length-extension tricks on the inner one.

    The key comes from the environment variable CRM_PSEUDONYM_KEY. The default below is for
    development and tests only and is public: set a long random secret in production, keep it out
    of the warehouse's readers' reach, and never rotate it silently (all pseudonyms change with it).
    Note that the key is rendered into the compiled SQL (dbt target/, and the definition of any
    model built as a view in the working warehouse); neither is ever published.
    `privacy.pseudonym` computes the same value in Python.
#}
{% macro pseudonym_key() -%}
    {{- env_var('CRM_PSEUDONYM_KEY', 'crm-development-pseudonym-key-not-secret') -}}
{%- endmacro %}

{% macro pseudonymize(expression) -%}
    {%- set key = "'" ~ (pseudonym_key() | replace("'", "''")) ~ "'" -%}
    {{ sha256(key ~ " || '|' || " ~ sha256(key ~ " || '|' || cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")")) }}
{%- endmacro %}
