{#- Generic test: none of `columns` has a null. One dbt node instead of one not_null test
    per column (every test node costs a fixed ~0.1 s; issue 6). A failure returns one
    row per column that has nulls: column_name and null_rows, so the message still
    names the column (`dbt test --store-failures` keeps the rows). -#}
{% test cxux_not_null_columns(model, columns) %}

{% for column in columns %}
select
    '{{ column }}' as column_name,
    count(*) as null_rows
from {{ model }}
where {{ column }} is null
having count(*) > 0
{% if not loop.last %}
union all
{% endif %}
{% endfor %}

{% endtest %}
