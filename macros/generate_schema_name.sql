{#- Use the folder's schema name as is (staging, marts ...), not <target_schema>_<name>,
    so BI tools find the marts at a stable place on every engine. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
