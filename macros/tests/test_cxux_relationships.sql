{#- Generic test: every non-null `column_name` of `model` is a `field` of `to`, as dbt's
    relationships test, except while the raw table behind `to` cannot be seen (its domain
    is off, or an optional table such as products is missing: macros/staging/cxux_domains.sql),
    when there is nothing to check against. For keys that cross domains, e.g. a survey's
    related_ticket_id. -#}
{% test cxux_relationships(model, column_name, to, field, raw_table) %}

{%- if not cxux_raw_table_available(raw_table) %}
select cast(null as {{ dbt.type_string() }}) as missing_key where 1 = 0
{%- else %}
select child.{{ column_name }} as missing_key
from {{ model }} as child
left join {{ to }} as parent
    on child.{{ column_name }} = parent.{{ field }}
where child.{{ column_name }} is not null
    and parent.{{ field }} is null
{%- endif %}

{% endtest %}
