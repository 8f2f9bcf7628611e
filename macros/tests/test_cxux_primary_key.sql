{#- Generic test: `column_name` is a primary key of `model`, no nulls and no duplicates, in
    one node and one scan (dbt's unique and not_null are two of each: issue 19, per-node
    cost at small scales). A failing row is a key value (null for the missing ones) and how
    many rows have it. -#}
{% test cxux_primary_key(model, column_name) %}

select
    {{ column_name }} as key_value,
    count(*) as key_rows
from {{ model }}
group by {{ column_name }}
having {{ column_name }} is null or count(*) > 1

{% endtest %}
