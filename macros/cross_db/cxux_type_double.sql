{#- A double-precision float type. dbt.type_float() is `float` on DuckDB, which is
    a 4-byte REAL there, too coarse for ratios and minutes. -#}
{% macro cxux_type_double() -%}
    {{ return(adapter.dispatch('cxux_type_double', 'cxux')()) }}
{%- endmacro %}

{% macro default__cxux_type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__cxux_type_double() -%}
    double
{%- endmacro %}

{% macro spark__cxux_type_double() -%}
    double
{%- endmacro %}
