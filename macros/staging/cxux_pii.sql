{#- PII handling in staging (RAW_CONTRACT.md: PII must never reach a mart). -#}

{#- sha256 hex of the normalised email, so the same person matches across tables
    (and across systems hashing the same way) without the address itself. -#}
{% macro cxux_email_hash(email) -%}
    {{ cxux_sha256('lower(trim(' ~ email ~ '))') }}
{%- endmacro %}

{#- Free text with email addresses replaced by [email] and phone numbers (9 or more
    digits, optionally with +, spaces, dots, dashes and brackets between them) by
    [phone]. 9 digits so that dates (2024-01-31) and order amounts survive. -#}
{% macro cxux_scrub_pii_text(text) -%}
    {%- set scrubbed_emails = cxux_regexp_replace_all(
        text,
        '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)+',
        '[email]'
    ) -%}
    {{ cxux_regexp_replace_all(
        scrubbed_emails,
        '[+]?[(]?[0-9]([ ().-]{0,2}[0-9]){8,}',
        '[phone]'
    ) }}
{%- endmacro %}
