{#- Generic test: none of `columns` has a null. One dbt node instead of one not_null test
    per column (every test node costs a fixed ~0.1 s; issue 6), and one scan of the
    model: the nulls of every column are counted in one select. A failure returns one
    row per column that has nulls: column_name and null_rows, so the message still
    names the column (`dbt test --store-failures` keeps the rows).
    The counts become one row per column with cxux_test_columns_unpivoted.
    `model` is already filtered by the test window of incremental models
    (macros/incremental/cxux_test_window.sql). -#}
{% test cxux_not_null_columns(model, columns) %}

with null_counts as (

    select
        {%- for column in columns %}
        count(case when {{ column }} is null then 1 end) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

{{ cxux_test_columns_unpivoted('null_counts', columns, 'null_rows_', 'null_rows') }}

final as (

    select * from per_column
    where null_rows > 0

)

select * from final

{% endtest %}
