{#- Join the non-null expressions with a separator (nulls are skipped, unlike
    dbt.concat). concat_ws behaves this way on DuckDB, PostgreSQL and Spark. -#}
{% macro cxux_concat_ws(separator, expressions) -%}
    {{ return(adapter.dispatch('cxux_concat_ws', 'cxux')(separator, expressions)) }}
{%- endmacro %}

{% macro default__cxux_concat_ws(separator, expressions) -%}
    concat_ws(
            {{ dbt.string_literal(separator) }},
            {{ expressions | join(',\n            ') }}
        )
{%- endmacro %}
