{#- Lower-case hex SHA-256 of a string expression (null stays null). -#}
{% macro cxux_sha256(expression) -%}
    {{ return(adapter.dispatch('cxux_sha256', 'cxux')(expression)) }}
{%- endmacro %}

{% macro default__cxux_sha256(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro postgres__cxux_sha256(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro spark__cxux_sha256(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
