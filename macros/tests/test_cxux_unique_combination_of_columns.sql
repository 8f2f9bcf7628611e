{#- Generic test: the combination of columns is unique (the key of a fact whose grain
    is several columns; no dbt_utils here). -#}
{% test cxux_unique_combination_of_columns(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
