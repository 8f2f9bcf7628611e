{#- Generic test: the combination of columns is unique (no dbt_utils here).
    Named for this folder so it cannot clash with another area's equivalent. -#}
{% test cxux_experience_unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
