{#- Cast that yields null instead of failing when the value does not fit the type,
    so a bad raw value becomes a quarantine reason rather than a failed build. -#}
{% macro cxux_try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('cxux_try_cast', 'cxux')(expression, data_type)) }}
{%- endmacro %}

{% macro default__cxux_try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL has no try_cast: a plain cast fails the build on a malformed value.
    Acceptable while raw tables are loaded typed (cxux load / cxux generate). -#}
{% macro postgres__cxux_try_cast(expression, data_type) -%}
    cast({{ expression }} as {{ data_type }})
{%- endmacro %}
