{#- CTEs tested_columns and per_column of the per-model column tests: `relation` is a
    CTE with one column <prefix>1 .. <prefix>N per tested column (in `names` order);
    per_column has one row per its row and tested column: column_name and `alias`.
    A cross join with the list of columns, not a union of selects from `relation`: an
    engine that inlines CTEs (Spark) would scan the model once per column again. -#}
{% macro cxux_test_columns_unpivoted(relation, names, prefix, alias) -%}
tested_columns as (

    {%- for name in names %}
    select
        {{ loop.index }} as column_index,
        '{{ name }}' as column_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

per_column as (

    select
        tested_columns.column_name,
        case tested_columns.column_index
            {%- for name in names %}
            when {{ loop.index }} then {{ relation }}.{{ prefix }}{{ loop.index }}
            {%- endfor %}
        end as {{ alias }}
    from {{ relation }}
    cross join tested_columns

),
{%- endmacro %}
