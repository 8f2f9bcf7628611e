{#- Aggregate: the first non-null `value` of the group in the order of `order_by` (a list
    of columns, ascending; give a unique tie-breaker last), i.e. what
    row_number() over (partition by ... order by ...) = 1 picks among the rows where
    value is not null, but in the same pass as the group's other aggregates: no sort of
    the whole table and no join back (fct_sessions). -#}
{% macro cxux_first_value_by(value, order_by) -%}
    {{ return(adapter.dispatch('cxux_first_value_by', 'cxux')(value, order_by)) }}
{%- endmacro %}

{#- PostgreSQL: an ordered array_agg, first element. -#}
{% macro default__cxux_first_value_by(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by | join(', ') }}) filter (where {{ value }} is not null))[1]
{%- endmacro %}

{% macro duckdb__cxux_first_value_by(value, order_by) -%}
    arg_min({{ value }}, struct_pack({% for column in order_by %}k{{ loop.index }} := {{ column }}{{ ', ' if not loop.last }}{% endfor %}))
        filter (where {{ value }} is not null)
{%- endmacro %}

{#- Spark: min_by over a struct (structs compare field by field). -#}
{% macro spark__cxux_first_value_by(value, order_by) -%}
    min_by({{ value }}, struct({{ order_by | join(', ') }})) filter (where {{ value }} is not null)
{%- endmacro %}
