{#- Replace every match of a regular expression. Keep patterns free of backslashes
    (use [.] rather than \.) so the same literal works on every engine. -#}
{% macro cxux_regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('cxux_regexp_replace_all', 'cxux')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__cxux_regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ dbt.string_literal(pattern) }}, {{ dbt.string_literal(replacement) }}, 'g')
{%- endmacro %}

{#- Spark replaces every match by default and takes no flags argument. -#}
{% macro spark__cxux_regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ dbt.string_literal(pattern) }}, {{ dbt.string_literal(replacement) }})
{%- endmacro %}
