{#- The build's as-of, a UTC timestamp: var cxux_as_of, else the current time (UTC). One
    owner for every "now" a model needs: the raw checks' future limit, a metric period's
    completeness, an SLA target that has passed without its moment. -#}
{% macro cxux_as_of() -%}
    {%- if var('cxux_as_of', none) -%}
        cast('{{ var("cxux_as_of") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ cxux_utc_now() }}
    {%- endif -%}
{%- endmacro %}
