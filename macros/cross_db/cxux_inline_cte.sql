{#- Write `name as {{ cxux_inline_cte() }} (...)` for a large, wide CTE that several
    later CTEs read. DuckDB and PostgreSQL 12+ otherwise materialize such a CTE: every
    row and column is stored once, and beyond the memory limit spilled to disk (100M
    raw events spilled over 50 GB). Computing it again from a table scan is far
    cheaper. Spark inlines CTEs anyway and has no such keyword. -#}
{% macro cxux_inline_cte() -%}
    {{ return(adapter.dispatch('cxux_inline_cte', 'cxux')()) }}
{%- endmacro %}

{% macro default__cxux_inline_cte() -%}{%- endmacro %}

{% macro duckdb__cxux_inline_cte() -%}not materialized{%- endmacro %}

{% macro postgres__cxux_inline_cte() -%}not materialized{%- endmacro %}
